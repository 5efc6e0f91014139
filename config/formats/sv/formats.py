"""Short dates as Swedish writes them: "17 nov 2026", the month in lower case ("M" gives "Nov")."""

MONTH_DAY_FORMAT = "j b"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y H:i"
