from __future__ import annotations

import contextlib
import secrets
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import User
from utsikt.catalogue.models import HostOrganisation
from utsikt.core.widgets import DateInput, QuickSelect
from utsikt.grants import rates
from utsikt.grants.gazetteer import find_places
from utsikt.grants.models import Country, Place
from utsikt.grants.rates import RatesMissing
from utsikt.grants.trips import EARLIEST_YEAR, LATEST_YEAR, OUT_OF_RANGE, YEARS
from utsikt.grants.values import MOST_TRAVEL_DAYS
from utsikt.mobility.models import PLANNED_ACTIVITIES, Application, Status
from utsikt.mobility.planning import DRAFT_FIELDS, colleagues_of

MOST_CANDIDATES = 10


def host_label(host: HostOrganisation) -> str:
    """A host as the planner lists it: "NOVA University Lisbon, Lissabon (Portugal)"."""
    city = f", {host.place.display_name}" if host.place else ""
    return f"{host.name}{city} ({host.country.name})"


class PlanForm(forms.ModelForm[Application]):
    """The whole plan on one page; every field optional until the plan is submitted."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    # Names this page load, so that its own saves are told from another tab's.
    page = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    hosts = forms.ModelMultipleChoiceField(
        label=_("Host organisations"),
        queryset=HostOrganisation.objects.approved().select_related("country", "place"),
        required=False,
        help_text=_(
            "One host; two only when they are in the same city or less than 100 km apart. "
            "Untick a host to remove it."
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    add_host = forms.CharField(
        label=_("Add a host"),
        required=False,
        max_length=200,
        help_text=_("Type part of its name or its city, and choose it from the suggestions."),
        widget=forms.TextInput(attrs={"list": "host-options", "autocomplete": "off"}),
    )
    origin_city = forms.CharField(
        label=_("Travelling from (city)"),
        required=False,
        help_text=_("Leave empty to travel from the university's city."),
    )
    origin_country = forms.ModelChoiceField(
        label=_("Country you leave from"),
        queryset=Country.objects.all(),
        required=False,
        empty_label=_("The university's country"),
    )

    class Meta:
        model = Application
        fields = [f for f in DRAFT_FIELDS if f not in {"opportunity", "origin"}]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "travel_out": DateInput(),
            "travel_back": DateInput(),
            "virtual_start": DateInput(),
            "virtual_end": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "added_value": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
            "work_cover": forms.Textarea(attrs={"rows": 2}),
            "virtual_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, autosave: bool = False, **kwargs: Any) -> None:
        """`autosave`: saved as the applicant types, so a host is added only when the text
        is a host's whole name (chosen from the suggestions), never a guess from a part."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.autosave = autosave
        self.added_host: HostOrganisation | None = None
        self.fields["add_host"].widget.attrs.update(
            {
                "hx-get": reverse("mobility:host_options"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#host-options",
                "hx-sync": "this:replace",
            }
        )
        if self.instance.origin is not None and not self.is_bound:
            self.initial["origin_city"] = self.instance.origin.name
            self.initial["origin_country"] = self.instance.origin.country_id
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial.setdefault("page", secrets.token_urlsafe(12))
            if self.instance.pk:
                self.initial["hosts"] = list(self.instance.hosts.all())
        for name in ("travel_cost_sek", "accommodation_cost_sek", "other_cost_sek"):
            self.fields[name].widget.attrs.update({"min": 0, "step": 1, "inputmode": "numeric"})
        self._offer_hosts()

    def _offer_hosts(self, candidates: list[HostOrganisation] | None = None) -> None:
        """The boxes shown: the hosts chosen (there may be hundreds to choose from, so the
        others are found by typing) and, when a typed name fits several, those to tick."""
        chosen = [str(pk) for pk in self["hosts"].value() or [] if str(pk).isdigit()]
        queryset = self.fields["hosts"].queryset  # type: ignore[attr-defined]
        shown = list(queryset.filter(pk__in=chosen).order_by("name"))
        shown += [host for host in candidates or [] if str(host.pk) not in chosen]
        self.fields["hosts"].widget.choices = [(host.pk, host_label(host)) for host in shown]

    def _hosts_named(self, text: str) -> list[HostOrganisation]:
        """Approved hosts with this whole name; failing that (unless saving as one types),
        up to ten whose name, Erasmus code or city contains the text."""
        approved = HostOrganisation.objects.approved().select_related("country", "place")
        exact = list(approved.filter(Q(name__iexact=text) | Q(local_name__iexact=text)))
        if exact or self.autosave:
            return exact
        return list(approved.matching(text).order_by("name")[: MOST_CANDIDATES + 1])

    def _origin(self, city: str, country: Country | None) -> Place | None:
        """The city named, in the country chosen or else the university's: the same name
        can be a town in two countries."""
        if country is None:
            with contextlib.suppress(RatesMissing):
                home = rates.for_call_year(self.instance.call_year).institution.home_country
                country = Country.objects.filter(iso2=home).first()
        places = find_places(city, country.iso2 if country else None)
        return places.first()

    def clean_travel_days(self) -> int | None:
        days: int | None = self.cleaned_data["travel_days"]
        if days is not None and days > MOST_TRAVEL_DAYS:
            raise forms.ValidationError(
                _("Give at most %(most)s travel days."), params={"most": MOST_TRAVEL_DAYS}
            )
        return days

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        city = (data.get("origin_city") or "").strip()
        data["origin"] = self._origin(city, data.get("origin_country")) if city else None
        if city and data["origin"] is None:
            self.add_error(
                "origin_city",
                forms.ValidationError(
                    _(
                        "We do not know a city called “%(city)s”. "
                        "Check the spelling or pick a nearby city."
                    ),
                    params={"city": city},
                ),
            )
        for name in ("start", "end", "travel_out", "travel_back", "virtual_start", "virtual_end"):
            day = data.get(name)
            # The rules' date arithmetic (the next call's window) ends at year 9999.
            if day and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                self.add_error(name, _(OUT_OF_RANGE) % YEARS)
                data[name] = None
        for first, last in (("start", "end"), ("virtual_start", "virtual_end")):
            if data.get(first) and data.get(last) and data[last] < data[first]:
                self.add_error(last, _("The last day is before the first day."))
        if data.get("travel_out") and data.get("start") and data["travel_out"] > data["start"]:
            self.add_error("travel_out", _("You travel there on the first day at the latest."))
        if data.get("travel_back") and data.get("end") and data["travel_back"] < data["end"]:
            self.add_error("travel_back", _("You travel home on the last day at the earliest."))
        for name in ("travel_cost_sek", "accommodation_cost_sek", "other_cost_sek"):
            value = data.get(name)
            if value is not None and value < Decimal(0):
                self.add_error(name, _("A cost cannot be negative."))
        text = (data.get("add_host") or "").strip()
        if text and "hosts" in data:
            found = self._hosts_named(text)
            if len(found) == 1:
                self.added_host = found[0]
                data["hosts"] = [*(h for h in data["hosts"] if h.pk != found[0].pk), found[0]]
                data["add_host"] = ""
            elif found and not self.autosave:
                self._offer_hosts(found[:MOST_CANDIDATES])
                message = (
                    _("More than ten hosts match “%(text)s”: tick one of these or type more.")
                    if len(found) > MOST_CANDIDATES
                    else _("Several hosts match “%(text)s”: tick the one you mean.")
                )
                self.add_error("add_host", forms.ValidationError(message, params={"text": text}))
            elif not self.autosave:
                self.add_error(
                    "add_host",
                    forms.ValidationError(
                        _(
                            "No host matches “%(text)s”. Check the spelling, or search the "
                            "catalogue or propose a new host."
                        ),
                        params={"text": text},
                    ),
                )
        if len(data.get("hosts") or []) > 2:
            self.add_error("hosts", _("Choose at most two hosts."))
        return data

    def draft_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self._meta.fields if name != "hosts"}  # type: ignore[union-attr]
        values["origin"] = self.cleaned_data.get("origin")
        return values


class OfficeForm(forms.Form):
    """A form of the manager's and the office's pages: labels without a colon, like the plan."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DecisionForm(OfficeForm):
    comment = forms.CharField(
        label=_("Comment to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GrantForm(OfficeForm):
    amount_eur = forms.DecimalField(
        label=_("Grant (EUR)"), min_value=Decimal(0), max_digits=9, decimal_places=0
    )
    reason = forms.CharField(
        label=_("Reason, when the grant differs from the estimate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_budget = forms.BooleanField(
        label=_("Allocate even beyond the faculty's budget"), required=False
    )


class ActualDatesForm(forms.Form):
    """The dates a trip actually had, corrected on return."""

    start = forms.DateField(label=_("First day of the activity"), widget=DateInput())
    end = forms.DateField(label=_("Last day of the activity"), widget=DateInput())
    travel_out = forms.DateField(
        label=_("Day you travelled there"), widget=DateInput(), required=False
    )
    travel_back = forms.DateField(
        label=_("Day you travelled home"), widget=DateInput(), required=False
    )


class SignedMobilityAgreementForm(OfficeForm):
    pdf = forms.FileField(label=_("Signed Mobility Agreement (PDF, at most 10 MB)"))


class InviteForm(forms.Form):
    colleague = forms.ModelChoiceField(label=_("Colleague"), queryset=User.objects.none())

    def __init__(self, *args: Any, inviter: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["colleague"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = colleagues_of(inviter)


class PipelineFilter(OfficeForm):
    """The office's filters; every value optional, so that the URL can be shared."""

    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    department = forms.ChoiceField(label=_("Department"), required=False, widget=QuickSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    call_year = forms.TypedChoiceField(
        label=_("Call year"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    activity = forms.ChoiceField(label=_("Activity"), required=False, widget=QuickSelect)

    def __init__(
        self,
        *args: Any,
        departments: Any,
        countries: list[tuple[str, str]],
        years: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["status"]).choices = everything + [
            choice for choice in Status.choices if choice[0] != Status.DRAFT
        ]
        cast(forms.ChoiceField, self.fields["department"]).choices = everything + [
            (d.code, d.name) for d in departments
        ]
        cast(forms.ChoiceField, self.fields["country"]).choices = everything + list(countries)
        cast(forms.ChoiceField, self.fields["call_year"]).choices = everything + [
            (year, year) for year in years
        ]
        cast(forms.ChoiceField, self.fields["activity"]).choices = everything + PLANNED_ACTIVITIES


# --- After the trip ---------------------------------------------------------------------------


def _sek(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_digits=10, decimal_places=2, localize=True
    )


class DatedForm(OfficeForm):
    """A form whose dates must lie in the years the rules can count with."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            day = data.get(name) if isinstance(field, forms.DateField) else None
            if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                self.add_error(name, _(OUT_OF_RANGE) % YEARS)
        return data


class HomecomingDatesForm(DatedForm):
    """The dates the trip actually had, confirmed on return (the grant follows them)."""

    # The application's page holds several forms with dates: each has its own ids.
    prefix = "actual"

    start = forms.DateField(label=_("First day of the activity"), widget=DateInput())
    end = forms.DateField(label=_("Last day of the activity"), widget=DateInput())
    travel_out = forms.DateField(
        label=_("Day you travelled there"), widget=DateInput(), required=False
    )
    travel_back = forms.DateField(
        label=_("Day you travelled home"), widget=DateInput(), required=False
    )


class AttendanceForm(DatedForm):
    """The certificate of attendance: the days the host confirms, and its PDF."""

    prefix = "attendance"

    start = forms.DateField(label=_("Attended from"), widget=DateInput())
    end = forms.DateField(label=_("Attended until"), widget=DateInput())
    document = forms.FileField(label=_("Certificate of attendance (PDF, at most 10 MB)"))


class MobilityCostsForm(OfficeForm):
    """The Mobility Costs form: what the trip cost the department, in kronor."""

    travel_sek = _sek(_("Travel (SEK)"))
    accommodation_sek = _sek(_("Accommodation (SEK)"))
    per_diem_sek = _sek(_("Per diem (SEK)"))
    fees_sek = _sek(_("Fees (SEK)"))
    travel_claim_reference = forms.CharField(
        label=_("Travel claim reference"),
        max_length=40,
        help_text=_("The number of your travel expense claim in the university's system."),
    )


class LearningReportForm(OfficeForm):
    text = forms.CharField(
        label=_("What you learned, in a few lines"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    offered_as_story = forms.BooleanField(
        label=_("I offer this as a story for the Erasmus+ pages"),
        help_text=_("The International Office may ask to publish it, with your name."),
        required=False,
    )


class ActualCostForm(OfficeForm):
    amount_sek = _sek(_("The department's actual cost (SEK)"))


class ReimbursementForm(DatedForm):
    amount_eur = forms.DecimalField(
        label=_("Reimbursed (EUR)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    rate = forms.DecimalField(
        label=_("Exchange rate (SEK for one euro)"),
        min_value=Decimal("0.0001"),
        max_digits=10,
        decimal_places=4,
        localize=True,
    )
    rate_date = forms.DateField(
        label=_("Date of the rate (the day Lund received the money)"), widget=DateInput()
    )
    paid_on = forms.DateField(label=_("Paid to the department on"), widget=DateInput())
