"""Load the rates and rules of a call year from the database into one frozen `Rates` value.

Every estimate needs them, so each process keeps them for a minute: an administrator's edit
shows within that time everywhere, and at once in the process that saved it (the admin
calls `forget`).
"""

from __future__ import annotations

import contextlib
import datetime
import threading
import time
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from utsikt.grants import models
from utsikt.grants.values import (
    AllowanceRules,
    Band,
    CountryTerms,
    EuroRate,
    InstitutionTerms,
    PerDiemRate,
    Rates,
    Rule,
    Window,
    project_start,
)
from utsikt.grants.vocabulary import Meals

KEEP_SECONDS = 60.0
_cache: dict[int, tuple[float, Rates]] = {}
_current: dict[datetime.date, tuple[float, Rates | None]] = {}
_lock = threading.Lock()


class RatesMissing(Exception):
    """The call year, or something every estimate needs, is not in the database."""


def call_years() -> list[int]:
    """The call years with rates, newest first."""
    return list(models.CallYear.objects.values_list("year", flat=True).order_by("-year"))


def default_call_year(years: list[int], today: datetime.date) -> int | None:
    """The newest call year whose project has started, else the oldest there is."""
    started = [year for year in years if project_start(year) <= today]
    return max(started) if started else (min(years) if years else None)


def current(today: datetime.date | None = None) -> Rates | None:
    """The rates of the default call year (see `default_call_year`), or None when no call
    year has complete rates; kept a minute, like `for_call_year`, for pages that ask per row."""
    day = today or timezone.localdate()
    now = time.monotonic()
    with _lock:
        cached = _current.get(day)
    if cached is not None and now - cached[0] < KEEP_SECONDS:
        return cached[1]
    found = None
    year = default_call_year(call_years(), day)
    if year is not None:
        with contextlib.suppress(RatesMissing):
            found = for_call_year(year)
    with _lock:
        _current[day] = (now, found)
    return found


def forget() -> None:
    """Drop the cached rates, after an edit."""
    with _lock:
        _cache.clear()
        _current.clear()


def for_call_year(year: int) -> Rates:
    """The rates and rules of a call year; raises RatesMissing when they are incomplete."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(year)
    if cached is not None and now - cached[0] < KEEP_SECONDS:
        return cached[1]
    rates = _load(year)
    with _lock:
        _cache[year] = (now, rates)
    return rates


def _load(year: int) -> Rates:
    call = models.CallYear.objects.filter(year=year).first()
    if call is None:
        raise RatesMissing(f"no rates for call year {year}")
    institution = models.InstitutionRules.objects.filter(call_year=call).first()
    if institution is None:
        raise RatesMissing(f"no institution rules for call year {year}")
    bands = tuple(
        Band(b.min_km, b.max_km, b.standard_eur, b.green_eur, b.source, b.verified)
        for b in models.DistanceBand.objects.filter(call_year=call).order_by("min_km")
    )
    _check_bands(year, bands)
    euro_rates = tuple(
        EuroRate(e.date, e.eur_sek, e.source, e.verified)
        for e in models.ExchangeRate.objects.order_by("-date")
    )
    if not euro_rates:
        raise RatesMissing("no EUR/SEK exchange rate is set")
    per_diems: dict[str, list[PerDiemRate]] = defaultdict(list)
    for p in models.PerDiem.objects.order_by("country_id", "-year"):
        row = PerDiemRate(p.country_id, p.year, p.sek, p.source, p.verified)
        per_diems[p.country_id].append(row)
    return Rates(
        call_year=call.year,
        project_months=Rule(call.project_months, call.project_source, call.project_verified),
        programme_days=Rule(
            (call.programme_min_days, call.programme_max_days),
            call.duration_source,
            call.duration_verified,
        ),
        travel_days=Rule(
            (call.travel_days_standard, call.travel_days_green),
            call.travel_days_source,
            call.travel_days_verified,
        ),
        reduced_from_day=Rule(
            call.reduced_from_day, call.reduction_source, call.reduction_verified
        ),
        reduced_share=Rule(call.reduced_share, call.reduction_source, call.reduction_verified),
        reduction_counts_travel_days=call.reduction_counts_travel_days,
        boats_are_green=call.boats_are_green,
        inclusion_organisation_eur=Rule(
            call.inclusion_organisation_eur, call.inclusion_source, call.inclusion_verified
        ),
        bands=bands,
        daily_rates={
            r.group: Rule(r.eur, r.source, r.verified)
            for r in models.DailyRate.objects.filter(call_year=call)
        },
        countries={
            c.country_id: CountryTerms(
                iso2=c.country_id,
                name_sv=c.country.name_sv,
                name_en=c.country.name_en,
                eligible=Rule(c.eligible, c.eligible_source, c.eligible_verified),
                group=Rule(c.group, c.group_source, c.group_verified),
                exception_min_working_days=Rule(
                    c.exception_min_working_days, c.exception_source, c.exception_verified
                ),
            )
            for c in models.CountryRule.objects.filter(call_year=call).select_related("country")
        },
        institution=InstitutionTerms(
            name=institution.institution,
            home_country=institution.home_country_id,
            origin_city=institution.origin_city,
            days=Rule(
                (institution.min_days, institution.max_days),
                institution.duration_source,
                institution.duration_verified,
            ),
            job_shadowing_usual_days=Rule(
                institution.job_shadowing_usual_days,
                institution.job_shadowing_source,
                institution.job_shadowing_verified,
            ),
            decision_lead_days=Rule(
                institution.decision_lead_days,
                institution.decision_source,
                institution.decision_verified,
            ),
            destinations=Rule(
                (institution.max_hosts, institution.max_km_between_hosts),
                institution.destinations_source,
                institution.destinations_verified,
            ),
            excludes_diplomatic_missions=Rule(
                institution.excludes_diplomatic_missions,
                institution.diplomatic_source,
                institution.diplomatic_verified,
            ),
            first_time_priority=Rule(
                institution.first_time_priority,
                institution.priority_source,
                institution.priority_verified,
            ),
        ),
        windows=tuple(
            Window(
                (w.opens_month, w.opens_day),
                (w.closes_month, w.closes_day),
                w.source,
                w.verified,
            )
            for w in models.ApplicationWindow.objects.filter(call_year=call)
        ),
        per_diems={country: tuple(rows) for country, rows in per_diems.items()},
        allowance_rules=tuple(
            AllowanceRules(
                year=a.year,
                half_day_share=a.half_day_share,
                night_share=a.night_share,
                reductions={
                    Meals.NONE: Decimal(0),
                    Meals.BREAKFAST: a.breakfast,
                    Meals.LUNCH_OR_DINNER: a.lunch_or_dinner,
                    Meals.LUNCH_AND_DINNER: a.lunch_and_dinner,
                    Meals.ALL_MEALS: a.all_meals,
                },
                source=a.source,
                verified=a.verified,
            )
            for a in models.PerDiemRules.objects.order_by("-year")
        ),
        euro_rates=euro_rates,
    )


def _check_bands(year: int, bands: tuple[Band, ...]) -> None:
    """The bands must cover every distance from 0 km once: contiguous, the last open-ended."""
    expected = 0
    for band in bands:
        if band.min_km != expected or (band.max_km is None and band is not bands[-1]):
            raise RatesMissing(f"the distance bands of {year} do not follow on from {expected} km")
        expected = (band.max_km or 0) + 1
    if not bands or bands[-1].max_km is not None:
        raise RatesMissing(f"the distance bands of {year} must end with an open band")
