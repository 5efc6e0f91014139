"""Administrators edit the rates and rules per call year here, each value with its source."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from utsikt.core.actors import Actor
from utsikt.grants import models, per_diem, rates


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
                    "boats_are_green",
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


class PerDiemExportForm(forms.Form):
    export = forms.FileField(
        label=_("Skatteverket's export (CSV or JSON)"),
        help_text=_(
            "Fields: “land eller område”, “normalbelopp”, “år”, “landskod”, as the tax "
            "agency's open data gives them."
        ),
    )
    source = forms.CharField(
        label=_("source"),
        initial=per_diem.OPEN_DATA_SOURCE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@admin.register(models.PerDiem)
class PerDiemAdmin(ForgetRates, admin.ModelAdmin[models.PerDiem]):
    list_display = ["country", "year", "sek", "verified"]
    list_filter = ["year", "verified"]
    search_fields = ["country__name_sv", "country__name_en", "country__iso2"]
    list_select_related = ["country"]
    change_list_template = "admin/grants/perdiem/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        load = path(
            "load/",
            self.admin_site.admin_view(self.load_export),
            name="grants_perdiem_load",
        )
        return [load, *super().get_urls()]

    def load_export(self, request: HttpRequest) -> HttpResponse:
        """Upload Skatteverket's export; the values are loaded by `per_diem.load`."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PerDiemExportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                loaded = per_diem.load(
                    content=form.cleaned_data["export"].read(),
                    source=form.cleaned_data["source"],
                    actor=Actor.of(request.user),
                )
            except per_diem.InvalidExport as error:
                form.add_error("export", str(error))
            else:
                self.message_user(
                    request,
                    gettext("%(created)s created, %(updated)s updated.")
                    % {"created": loaded.created, "updated": loaded.updated},
                    messages.SUCCESS,
                )
                if loaded.unknown:
                    self.message_user(
                        request,
                        gettext("Not a country of the rules: %(names)s")
                        % {"names": ", ".join(loaded.unknown)},
                        messages.WARNING,
                    )
                return redirect("admin:grants_perdiem_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": gettext("Load Skatteverket's daily allowances"),
        }
        return TemplateResponse(request, "admin/grants/perdiem/load.html", context)


@admin.register(models.PerDiemRules)
class PerDiemRulesAdmin(ForgetRates, admin.ModelAdmin[models.PerDiemRules]):
    list_display = ["year", "half_day_share", "night_share", "breakfast", "all_meals", "verified"]


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ForgetRates, admin.ModelAdmin[models.ExchangeRate]):
    list_display = ["date", "eur_sek", "verified"]
    date_hierarchy = "date"
