"""Administrators edit the rates and rules per call year here, each value with its source."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from utsikt.grants import models, rates


class ForgetRates:
    """Saving or deleting anything here drops the cached rates at once (other processes
    notice within a minute)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        rates.forget()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        rates.forget()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        rates.forget()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        rates.forget()


class BandFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """The bands of a call year must cover every distance from 0 km, each once."""

    def clean(self) -> None:
        super().clean()
        bands = sorted(
            (
                form.cleaned_data
                for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ),
            key=lambda data: data["min_km"],
        )
        expected = 0
        for index, band in enumerate(bands):
            last = index == len(bands) - 1
            if band["min_km"] != expected or (band["max_km"] is None) != last:
                raise forms.ValidationError(
                    _(
                        "The bands must follow on from 0 km without gaps or overlaps, and only "
                        "the last may have no upper limit (it starts at %(km)s km here)."
                    ),
                    params={"km": expected},
                )
            expected = (band["max_km"] or 0) + 1


class BandInline(admin.TabularInline[models.DistanceBand, models.CallYear]):
    model = models.DistanceBand
    formset = BandFormSet
    extra = 0
    fields = ["min_km", "max_km", "standard_eur", "green_eur", "verified", "source"]


class DailyRateInline(admin.TabularInline[models.DailyRate, models.CallYear]):
    model = models.DailyRate
    extra = 0
    fields = ["group", "eur", "verified", "source"]


class WindowInline(admin.TabularInline[models.ApplicationWindow, models.CallYear]):
    model = models.ApplicationWindow
    extra = 0
    fields = ["opens_day", "opens_month", "closes_day", "closes_month", "verified", "source"]


@admin.register(models.CallYear)
class CallYearAdmin(ForgetRates, admin.ModelAdmin[models.CallYear]):
    list_display = [
        "year",
        "programme_min_days",
        "programme_max_days",
        "travel_days_standard",
        "travel_days_green",
        "reduced_from_day",
        "reduced_share",
        "reduction_verified",
    ]
    inlines = [BandInline, DailyRateInline, WindowInline]
    fieldsets = (
        (None, {"fields": ("year", "project_months", "project_source", "project_verified")}),
        (
            _("Duration"),
            {
                "fields": (
                    "programme_min_days",
                    "programme_max_days",
                    "duration_source",
                    "duration_verified",
                )
            },
        ),
        (
            _("Travel days"),
            {
                "fields": (
                    "travel_days_standard",
                    "travel_days_green",
                    "travel_days_source",
                    "travel_days_verified",
                )
            },
        ),
        (
            _("Reduced daily rate"),
            {
                "fields": (
                    "reduced_from_day",
                    "reduced_share",
                    "reduction_counts_travel_days",
                    "reduction_source",
                    "reduction_verified",
                )
            },
        ),
        (
            _("Inclusion support"),
            {
                "fields": (
                    "inclusion_organisation_eur",
                    "inclusion_source",
                    "inclusion_verified",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["year"] if obj is not None else []


@admin.register(models.CountryRule)
class CountryRuleAdmin(ForgetRates, admin.ModelAdmin[models.CountryRule]):
    list_display = [
        "country",
        "call_year",
        "eligible",
        "group",
        "exception_min_working_days",
        "eligible_verified",
        "group_verified",
    ]
    list_filter = ["call_year", "eligible", "group", "group_verified"]
    search_fields = ["country__name_sv", "country__name_en", "country__iso2"]
    list_select_related = ["country"]


@admin.register(models.DistanceBand)
class DistanceBandAdmin(ForgetRates, admin.ModelAdmin[models.DistanceBand]):
    list_display = ["call_year", "min_km", "max_km", "standard_eur", "green_eur", "verified"]
    list_filter = ["call_year", "verified"]


@admin.register(models.DailyRate)
class DailyRateAdmin(ForgetRates, admin.ModelAdmin[models.DailyRate]):
    list_display = ["call_year", "group", "eur", "verified"]
    list_filter = ["call_year", "verified"]


@admin.register(models.InstitutionRules)
class InstitutionRulesAdmin(ForgetRates, admin.ModelAdmin[models.InstitutionRules]):
    list_display = ["institution", "call_year", "min_days", "max_days", "decision_lead_days"]
    fieldsets = (
        (None, {"fields": ("call_year", "institution", "home_country", "origin_city")}),
        (
            _("Duration"),
            {"fields": ("min_days", "max_days", "duration_source", "duration_verified")},
        ),
        (
            _("Job shadowing"),
            {
                "fields": (
                    "job_shadowing_usual_days",
                    "job_shadowing_source",
                    "job_shadowing_verified",
                )
            },
        ),
        (
            _("Decision"),
            {"fields": ("decision_lead_days", "decision_source", "decision_verified")},
        ),
        (
            _("Destinations"),
            {
                "fields": (
                    "max_hosts",
                    "max_km_between_hosts",
                    "destinations_source",
                    "destinations_verified",
                )
            },
        ),
        (
            _("Hosts and priority"),
            {
                "fields": (
                    "excludes_diplomatic_missions",
                    "diplomatic_source",
                    "diplomatic_verified",
                    "first_time_priority",
                    "priority_source",
                    "priority_verified",
                )
            },
        ),
    )


@admin.register(models.PerDiem)
class PerDiemAdmin(ForgetRates, admin.ModelAdmin[models.PerDiem]):
    list_display = ["country", "year", "sek", "verified"]
    list_filter = ["year", "verified"]
    search_fields = ["country__name_sv", "country__name_en", "country__iso2"]
    list_select_related = ["country"]


@admin.register(models.PerDiemRules)
class PerDiemRulesAdmin(ForgetRates, admin.ModelAdmin[models.PerDiemRules]):
    list_display = ["year", "half_day_share", "night_share", "breakfast", "all_meals", "verified"]


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ForgetRates, admin.ModelAdmin[models.ExchangeRate]):
    list_display = ["date", "eur_sek", "verified"]
    date_hierarchy = "date"
