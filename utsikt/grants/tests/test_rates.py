"""Rates and rules are data per call year, loaded from the reference files with their sources."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.grants import rates, reference
from utsikt.grants.gazetteer import DATA
from utsikt.grants.models import (
    CallYear,
    CountryRule,
    DailyRate,
    DistanceBand,
    ExchangeRate,
    InstitutionRules,
    PerDiem,
)

REFERENCE = json.loads((DATA / "erasmus-rates.json").read_text(encoding="utf-8"))
LOCAL = json.loads((DATA / "institution-rules.json").read_text(encoding="utf-8"))
EU27 = {
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
}


def test_three_call_years_are_loaded(db: None) -> None:
    assert {2024, 2025, 2026} <= set(rates.call_years())


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_destinations_are_the_eu_and_six_associated_countries(db: None, year: int) -> None:
    eligible = set(
        CountryRule.objects.filter(call_year=year, eligible=True).values_list(
            "country_id", flat=True
        )
    )
    assert eligible == EU27 | {"IS", "LI", "MK", "NO", "RS", "TR"}
    uk = CountryRule.objects.get(call_year=year, country="GB")
    assert not uk.eligible and uk.exception_min_working_days == 5
    assert not CountryRule.objects.get(call_year=year, country="CH").eligible


def test_every_value_carries_a_source(db: None) -> None:
    for model in (DistanceBand, DailyRate, PerDiem, ExchangeRate):
        assert not model.objects.filter(source="").exists(), model  # type: ignore[attr-defined]
    assert not CountryRule.objects.filter(eligible_source="").exists()
    assert not CountryRule.objects.filter(group__isnull=False, group_source="").exists()
    for call in CallYear.objects.all():
        assert all((call.duration_source, call.travel_days_source, call.reduction_source)), call


def test_not_found_values_ship_flagged_unverified_and_confirmed_ones_verified(db: None) -> None:
    # erasmus-rates.json: UHR daily rates NOT FOUND; 2026 travel bands NOT FOUND; the 2024
    # country groups confirmed, 2025 and 2026 assumed.
    assert not DailyRate.objects.filter(verified=True).exists()
    assert not DistanceBand.objects.filter(call_year=2026, verified=True).exists()
    assert not DistanceBand.objects.filter(call_year=2025, verified=False).exists()
    assert (
        not CountryRule.objects.filter(call_year=2024, group_verified=False, group__isnull=False)
        .exclude(country="GB")
        .exists()
    )
    assert not CountryRule.objects.filter(call_year=2025, group_verified=True).exists()
    assert not CallYear.objects.get(year=2025).reduction_verified


def test_the_bands_match_the_reference_schedule_of_each_call_year(db: None) -> None:
    for schedule in REFERENCE["distance_bands"]["schedules"]:
        if not isinstance(schedule["call_years"], list):
            continue
        for year in set(schedule["call_years"]) & {2024, 2025, 2026}:
            loaded = list(
                DistanceBand.objects.filter(call_year=year, min_km__gte=10)
                .order_by("min_km")
                .values_list("min_km", "max_km", "standard_eur", "green_eur")
            )
            expected = [
                (b["min_km"], b["max_km"], b["standard_eur"], b["green_eur"])
                for b in schedule["bands"]
            ]
            assert loaded == expected, year


def test_per_diems_keep_their_year_and_only_skatteverkets_own_tables_count_as_verified(
    db: None,
) -> None:
    germany = PerDiem.objects.get(country="DE", year=2024)
    assert germany.sek == 800 and not germany.verified  # a secondary site quoted it
    belgium = PerDiem.objects.get(country="BE", year=2024)
    assert belgium.sek == 894 and belgium.verified
    assert not PerDiem.objects.filter(country="PT").exists()  # NOT FOUND for any year


def test_loading_again_keeps_an_administrators_edits_and_restores_missing_rows(db: None) -> None:
    DailyRate.objects.filter(call_year=2025, group=1).update(eur=190, source="UHR decision")
    DistanceBand.objects.filter(call_year=2025, min_km=8000).delete()
    before = {model: model.objects.count() for model in (CountryRule, DailyRate, InstitutionRules)}  # type: ignore[attr-defined]

    reference.load_rates()

    edited = DailyRate.objects.get(call_year=2025, group=1)
    assert (edited.eur, edited.source) == (190, "UHR decision")
    assert DistanceBand.objects.filter(call_year=2025, min_km=8000).exists()
    assert before == {model: model.objects.count() for model in before}  # type: ignore[attr-defined]
    assert rates.for_call_year(2025).daily_rates[1].value == 190


def test_an_edit_reaches_the_estimates_at_once_in_the_process_that_saved_it(
    db: None, client_for: Callable[[str | None], Client], personas: dict[str, User]
) -> None:
    assert rates.for_call_year(2025).daily_rates[2].value == 160
    rate = DailyRate.objects.get(call_year=2025, group=2)
    response = client_for("admin").post(
        reverse("admin:grants_dailyrate_change", args=[rate.pk]),
        {"call_year": 2025, "group": 2, "eur": 170, "source": "UHR 2025", "verified": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    fresh = rates.for_call_year(2025).daily_rates[2]
    assert (fresh.value, fresh.verified) == (170, True)


def test_bands_with_a_gap_are_refused_by_the_admin(
    db: None, client_for: Callable[[str | None], Client], personas: dict[str, User]
) -> None:
    bands = list(DistanceBand.objects.filter(call_year=2025).order_by("min_km"))
    form: dict[str, object] = {
        "year": 2025,
        "bands-TOTAL_FORMS": len(bands),
        "bands-INITIAL_FORMS": len(bands),
        "daily_rates-TOTAL_FORMS": 0,
        "daily_rates-INITIAL_FORMS": 0,
        "windows-TOTAL_FORMS": 0,
        "windows-INITIAL_FORMS": 0,
    }
    call = CallYear.objects.get(year=2025)
    for field in (
        *("programme_min_days", "programme_max_days", "duration_source"),
        *("travel_days_standard", "travel_days_green", "travel_days_source"),
        *("reduced_from_day", "reduced_share", "reduction_source"),
        *("inclusion_organisation_eur", "inclusion_source", "project_months", "project_source"),
    ):
        form[field] = getattr(call, field)
    form["reduction_counts_travel_days"] = "on"
    for index, band in enumerate(bands):
        prefix = f"bands-{index}-"
        form |= {
            prefix + "id": band.pk,
            prefix + "call_year": 2025,
            prefix + "min_km": band.min_km,
            prefix + "max_km": "" if band.max_km is None else band.max_km,
            prefix + "standard_eur": band.standard_eur,
            prefix + "green_eur": "" if band.green_eur is None else band.green_eur,
            prefix + "source": band.source,
        }
    form["bands-2-min_km"] = 120  # 100-119 km would have no band
    url = reverse("admin:grants_callyear_change", args=[2025])
    response = client_for("admin").post(url, form)
    assert response.status_code == 200
    assert "utan luckor eller överlapp" in response.content.decode()
    assert DistanceBand.objects.filter(call_year=2025, min_km=100).exists()

    form["bands-2-min_km"] = 100
    assert client_for("admin").post(url, form).status_code == 302


def test_the_database_refuses_a_green_amount_below_the_standard(db: None) -> None:
    from django.db import IntegrityError, transaction

    band = DistanceBand.objects.get(call_year=2025, min_km=100)
    band.green_eur = band.standard_eur - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        band.save()


def test_incomplete_rates_are_reported_not_guessed(db: None) -> None:
    DistanceBand.objects.filter(call_year=2025, min_km=100).delete()
    with pytest.raises(rates.RatesMissing, match="follow on"):
        rates.for_call_year(2025)
    with pytest.raises(rates.RatesMissing, match="2031"):
        rates.for_call_year(2031)


@pytest.mark.parametrize(
    "name",
    [
        "callyear",
        "countryrule",
        "distanceband",
        "dailyrate",
        "institutionrules",
        "perdiem",
        "perdiemrules",
        "exchangerate",
    ],
)
def test_administrators_see_every_table_with_its_sources(
    db: None, name: str, client_for: Callable[[str | None], Client], personas: dict[str, User]
) -> None:
    admin = client_for("admin")
    assert admin.get(reverse(f"admin:grants_{name}_changelist")).status_code == 200
    assert (
        client_for("officer_ht").get(reverse(f"admin:grants_{name}_changelist")).status_code == 302
    )


def test_the_institutions_rules_are_loaded_with_their_sources(db: None) -> None:
    rules = InstitutionRules.objects.get(call_year=2025)
    local = LOCAL["institution"]
    assert (rules.min_days, rules.max_days) == (2, 14)
    assert rules.job_shadowing_usual_days == local["job_shadowing"]["usual_days"]
    assert rules.decision_lead_days == 14
    assert (rules.max_hosts, rules.max_km_between_hosts) == (2, 100)
    assert "ht.lu.se" in rules.duration_source


def test_broken_rates_give_a_clear_answer_not_a_server_error(db: None, client: Client) -> None:
    DistanceBand.objects.filter(call_year=2025, min_km=100).delete()
    trip = {
        "call_year": 2025,
        "hosts": [{"city": "Porto", "country": "PT"}],
        "activity": "job_shadowing",
        "start": "2026-05-04",
        "end": "2026-05-08",
    }
    response = client.post(reverse("api:estimate"), trip, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "call_year"
    query = {
        "call_year": "2025",
        "city": "Porto",
        "country": "PT",
        "kind": "university",
        "activity": "job_shadowing",
        "start": "2026-05-04",
        "end": "2026-05-08",
    }
    page = client.get(reverse("grants:estimate"), query)
    assert page.status_code == 200
    assert (
        "Beloppen för ansökningsomgången 2025 saknas eller är ofullständiga"
        in page.content.decode()
    )
