"""Short dates as Swedish writes them: "17 nov 2026", the month in lower case ("M" gives "Nov")."""

MONTH_DAY_FORMAT = "j b"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y H:i"

# "1 975": a narrow no-break space between thousands (the glossary's format), also where
# templates use floatformat:"0g".
THOUSAND_SEPARATOR = "\u202f"
DECIMAL_SEPARATOR = ","
NUMBER_GROUPING = 3
