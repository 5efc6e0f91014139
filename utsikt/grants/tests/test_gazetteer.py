from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from utsikt.grants.gazetteer import find_places, fold, suggest_places
from utsikt.grants.models import Country, Place


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("Göteborg", "SE", "Gothenburg"),
        ("gothenburg", None, "Gothenburg"),
        ("GOTEBORG", "se", "Gothenburg"),
        ("Aten", None, "Athens"),
        ("Athens", "GR", "Athens"),
        ("Krakow", None, "Kraków"),
        ("Kraków", "PL", "Kraków"),
        ("Porto", "PT", "Porto"),
        ("Lissabon", None, "Lisbon"),
        ("Köpenhamn", None, "Copenhagen"),
    ],
)
def test_a_city_is_found_by_its_swedish_english_and_unaccented_names(
    db: None, typed: str, country: str | None, expected: str
) -> None:
    assert find_places(typed, country).first().name == expected  # type: ignore[union-attr]


def test_the_most_populous_namesake_comes_first(db: None) -> None:
    # Athens, Greece, not Athens in Georgia, USA (the USA is not in the gazetteer at all).
    places = list(find_places("Athens"))
    assert places[0].country_id == "GR"
    assert all(p.country_id != "US" for p in places)


def test_swedish_pages_show_the_swedish_name(db: None, settings: object) -> None:
    from django.utils import translation

    athens = find_places("Athens", "GR").get()
    with translation.override("sv"):
        assert athens.display_name == "Aten"
    with translation.override("en"):
        assert athens.display_name == "Athens"


def test_the_gazetteer_holds_every_programme_country_and_the_home_country(db: None) -> None:
    outside = Country.objects.exclude(programme_status=Country.Status.NOT_ASSOCIATED)
    iso = set(outside.values_list("iso2", flat=True)) | {"GB", "CH"}
    eu = {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
    assert eu | {"IS", "LI", "NO", "MK", "RS", "TR", "GB", "CH"} == iso
    assert Country.objects.get(iso2="TR").name_sv == "Turkiet"
    assert Place.objects.filter(country_id="SE").count() > 50


def test_every_other_country_and_kosovo_are_known_outside_the_programme(db: None) -> None:
    assert Country.objects.count() == 250
    for iso2, swedish in [("XK", "Kosovo"), ("GE", "Georgien"), ("BA", "Bosnien-Hercegovina")]:
        country = Country.objects.get(iso2=iso2)
        assert (country.name_sv, country.programme_status) == (swedish, "not_associated")
    # Their cities are not loaded: the gazetteer serves the programme's destinations.
    assert not Place.objects.filter(country_id="GE").exists()


def test_type_ahead_suggests_by_prefix(db: None) -> None:
    assert "Porto" in [p.name for p in suggest_places("port", "PT")]


def test_fold_ignores_case_diacritics_and_dashes() -> None:
    assert fold("  Göteborg ") == "goteborg"
    assert fold("Łódź") == "lodz"
    assert fold("Saint-Étienne") == "saint etienne"
    assert fold("Ærøskøbing") == "aeroskobing"


def test_the_rules_decide_which_countries_are_fundable_per_call_year(db: None) -> None:
    from utsikt.grants import rates
    from utsikt.grants.eligibility import country_fundable

    current = rates.current()
    assert current is not None
    assert country_fundable("PT", current) and country_fundable("RS", current)
    assert country_fundable("GB", current)  # the university's own exception
    assert not country_fundable("GE", current) and not country_fundable("XK", current)
    assert country_fundable("GE", None)  # no rules yet: nothing is ruled out


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_takes_plain_ascii_the_short_way_to_the_same_result(text: str) -> None:
    """fold() skips the Unicode steps for ASCII text; they would have changed nothing else."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(text) == " ".join(stripped.replace("-", " ").split())
