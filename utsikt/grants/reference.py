"""Reference data every installation needs: countries, places, rates and rules per call year.

Rates come from data/erasmus-rates.json (the programme, with sources) and
data/institution-rules.json (the university's own rules and the best-known values where the
research found none). Loading creates the rows that are missing and never changes existing
ones, so an administrator's later edits survive `make setup` and upgrades.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model

from utsikt.grants import gazetteer, models, rates, trips

SEPARATOR = "\n"


def load() -> None:
    """Load all reference data (idempotent). Administrators' later edits to rates are kept."""
    gazetteer.load()
    trips.forget_places()
    load_rates()


def _sources(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else SEPARATOR.join(value)


def _create_missing(rows: Iterable[Model]) -> None:
    rows = list(rows)
    if rows:
        type(rows[0])._default_manager.bulk_create(rows, ignore_conflicts=True)


def institution_rules() -> dict[str, Any]:
    return json.loads((gazetteer.DATA / "institution-rules.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def load_rates() -> None:
    """Create the call years' rates and rules that are missing (idempotent)."""
    programme = gazetteer.reference()
    local = institution_rules()
    years: list[int] = local["call_years"]
    with transaction.atomic():
        _create_missing(_call_years(programme, local, years))
        _create_missing(_country_rules(programme, local, years))
        _create_missing(_bands(programme, years))
        _create_missing(_daily_rates(local, years))
        _create_missing(_institution(local, years))
        _create_missing(_windows(local, years))
        _create_missing(_per_diems(programme))
        _create_missing(_per_diem_rules(local))
        _create_missing(_exchange_rates(local))
    rates.forget()


def _call_years(
    programme: dict[str, Any], local: dict[str, Any], years: list[int]
) -> Iterable[models.CallYear]:
    support = programme["individual_support"]
    travel = support["travel_days"]
    inclusion = support["inclusion_support"]
    rules = local["programme"]
    duration, project, reduction = rules["duration"], rules["project"], rules["reduction"]
    reduction_source = _sources([reduction["source"], *support["day_15_plus_factor"]["source"]])
    for year in years:
        verified_inclusion = year in rules["inclusion_organisation"]["verified_call_years"]
        yield models.CallYear(
            year=year,
            programme_min_days=duration["min_days"],
            programme_max_days=duration["max_days"],
            duration_source=duration["source"],
            duration_verified=duration["verified"],
            travel_days_standard=travel["standard_travel_max_days"],
            travel_days_green=travel["green_travel_max_days"],
            travel_days_source=_sources([travel["rule"], *travel["source"]]),
            travel_days_verified=True,
            reduced_from_day=reduction["from_day"],
            reduced_share=Decimal(str(support["day_15_plus_factor"]["value"])),
            reduction_counts_travel_days=reduction["counts_travel_days"],
            reduction_source=reduction_source,
            reduction_verified=reduction["verified"],
            inclusion_organisation_eur=inclusion["organisations_eur_per_participant"]["call_2024"],
            inclusion_source=_sources(
                [rules["inclusion_organisation"]["note"], *inclusion["source"]]
            ),
            inclusion_verified=verified_inclusion,
            project_months=project["months"],
            project_source=project["source"],
            project_verified=project["verified"],
        )


def _country_rules(
    programme: dict[str, Any], local: dict[str, Any], years: list[int]
) -> Iterable[models.CountryRule]:
    countries = programme["countries"]
    eligible_source = _sources(countries["source"])
    exceptions = {item["iso2"]: item for item in local["country_exceptions"]}
    for year in years:
        # Groups are confirmed for call 2024 and assumed unchanged afterwards (see the JSON).
        group_verified = year == 2024
        group_source = _sources(
            [
                *countries["source_groups_2024_onward"],
                *([] if group_verified else [countries["groups_2024_onward_caveat"]]),
            ]
        )
        for item in countries["items"]:
            yield models.CountryRule(
                call_year_id=year,
                country_id=item["iso2"],
                eligible=True,
                eligible_source=eligible_source,
                eligible_verified=True,
                group=item["group_2024_onward"],
                group_source=group_source,
                group_verified=group_verified,
            )
        for iso2, item in countries["not_eligible_as_programme_country"].items():
            exception = exceptions.get(iso2)
            yield models.CountryRule(
                call_year_id=year,
                country_id=iso2,
                eligible=False,
                eligible_source=_sources([item["status_2025_2026"], *item["source"]]),
                eligible_verified=True,
                group=exception["group"] if exception else None,
                group_source=exception["group_source"] if exception else "",
                group_verified=exception["group_verified"] if exception else False,
                exception_min_working_days=exception["min_working_days"] if exception else None,
                exception_source=exception["source"] if exception else "",
                exception_verified=exception["verified"] if exception else False,
            )


def _bands(programme: dict[str, Any], years: list[int]) -> Iterable[models.DistanceBand]:
    description = programme["distance_bands"]["description"]
    for schedule in programme["distance_bands"]["schedules"]:
        covered = schedule["call_years"]
        if not isinstance(covered, list):
            continue  # older schedules are history only
        # "NOT FOUND" schedules repeat the best-known values: shipped, flagged unverified.
        verified = "NOT FOUND" not in schedule["status"]
        source = _sources([schedule["status"], *schedule["source"]])
        for year in set(covered) & set(years):
            first = schedule["bands"][0]["min_km"]
            yield models.DistanceBand(
                call_year_id=year,
                min_km=0,
                max_km=first - 1,
                standard_eur=0,
                green_eur=0,
                source=_sources([description, *programme["distance_bands"]["source"]]),
                verified=verified,
            )
            for band in schedule["bands"]:
                yield models.DistanceBand(
                    call_year_id=year,
                    min_km=band["min_km"],
                    max_km=band["max_km"],
                    standard_eur=band["standard_eur"],
                    green_eur=band["green_eur"],
                    source=source,
                    verified=verified,
                )


def _daily_rates(local: dict[str, Any], years: list[int]) -> Iterable[models.DailyRate]:
    best = local["best_known"]["daily_rates_eur"]
    for year in years:
        for group in (1, 2, 3):
            yield models.DailyRate(
                call_year_id=year,
                group=group,
                eur=best[str(group)],
                source=best["source"],
                verified=best["verified"],
            )


def _institution(local: dict[str, Any], years: list[int]) -> Iterable[models.InstitutionRules]:
    rules = local["institution"]
    duration, shadowing, decision = rules["duration"], rules["job_shadowing"], rules["decision"]
    destinations, missions = rules["destinations"], rules["diplomatic_missions"]
    priority = rules["first_time_priority"]
    for year in years:
        yield models.InstitutionRules(
            call_year_id=year,
            institution=rules["name"],
            home_country_id=rules["home_country"],
            origin_city=rules["origin_city"],
            min_days=duration["min_days"],
            max_days=duration["max_days"],
            duration_source=duration["source"],
            duration_verified=duration["verified"],
            job_shadowing_usual_days=shadowing["usual_days"],
            job_shadowing_source=shadowing["source"],
            job_shadowing_verified=shadowing["verified"],
            decision_lead_days=decision["lead_days"],
            decision_source=decision["source"],
            decision_verified=decision["verified"],
            max_hosts=destinations["max_hosts"],
            max_km_between_hosts=destinations["max_km_between_hosts"],
            destinations_source=destinations["source"],
            destinations_verified=destinations["verified"],
            excludes_diplomatic_missions=missions["excluded"],
            diplomatic_source=missions["source"],
            diplomatic_verified=missions["verified"],
            first_time_priority=priority["value"],
            priority_source=priority["source"],
            priority_verified=priority["verified"],
        )


def _windows(local: dict[str, Any], years: list[int]) -> Iterable[models.ApplicationWindow]:
    windows = local["institution"]["application_windows"]
    for year in years:
        for window in windows["windows"]:
            opens_month, opens_day = (int(n) for n in window["opens"].split("-"))
            closes_month, closes_day = (int(n) for n in window["closes"].split("-"))
            yield models.ApplicationWindow(
                call_year_id=year,
                opens_month=opens_month,
                opens_day=opens_day,
                closes_month=closes_month,
                closes_day=closes_day,
                source=windows["source"],
                verified=windows["verified"],
            )


def _per_diems(programme: dict[str, Any]) -> Iterable[models.PerDiem]:
    """Every value found, with its year; the estimate uses the newest not after the trip."""
    for item in programme["per_diem_sek"]["items"]:
        for value in item["values"]:
            yield models.PerDiem(
                country_id=item["iso2"],
                year=value["year"],
                sek=value["sek"],
                source=_sources([value["basis"], value["source"]]),
                # Skatteverket's own tables count as verified for their year; a secondary
                # site quoting them does not.
                verified=value["basis"].startswith(("SKV A", "Skatteverket")),
            )


def _per_diem_rules(local: dict[str, Any]) -> Iterable[models.PerDiemRules]:
    rules = local["best_known"]["per_diem_rules"]
    yield models.PerDiemRules(
        year=rules["year"],
        half_day_share=Decimal(rules["half_day_share"]),
        night_share=Decimal(rules["night_share"]),
        breakfast=Decimal(rules["breakfast"]),
        lunch_or_dinner=Decimal(rules["lunch_or_dinner"]),
        lunch_and_dinner=Decimal(rules["lunch_and_dinner"]),
        all_meals=Decimal(rules["all_meals"]),
        source=rules["source"],
        verified=rules["verified"],
    )


def _exchange_rates(local: dict[str, Any]) -> Iterable[models.ExchangeRate]:
    for rate in local["best_known"]["exchange_rates"]:
        yield models.ExchangeRate(
            date=datetime.date.fromisoformat(rate["date"]),
            eur_sek=Decimal(rate["eur_sek"]),
            source=rate["source"],
            verified=rate["verified"],
        )
