"""The "what can I get?" form: the same trip the API takes, one field per question."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from utsikt.core.widgets import DateInput
from utsikt.grants.models import Country
from utsikt.grants.rates import default_call_year as default_call_year  # views import it here
from utsikt.grants.trips import Problem
from utsikt.grants.values import MOST_TRAVEL_DAYS
from utsikt.grants.vocabulary import Activity, HostKind, Meals

# Where a problem the trip parser reports is shown on this form.
PROBLEM_FIELDS = {
    "hosts[0].city": "city",
    "hosts[0].country": "country",
    "hosts[0].kind": "kind",
    "hosts[0].name": "host_name",
    "origin.city": "origin_city",
    "origin.country": "origin_country",
}


class EstimateForm(forms.Form):
    """One trip, as a visitor describes it."""

    call_year = forms.TypedChoiceField(label=_("Call year"), coerce=int, required=False)
    city = forms.CharField(
        label=_("Destination city"),
        max_length=200,
        help_text=_("In Swedish or English, with or without accents: Aten, Athens, Kraków."),
        widget=forms.TextInput(attrs={"list": "city-options", "autocomplete": "off"}),
    )
    country = forms.ChoiceField(label=_("Country"))
    host_name = forms.CharField(label=_("Host (optional)"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of host"), choices=HostKind.choices, initial=HostKind.UNIVERSITY
    )
    activity = forms.ChoiceField(
        label=_("Activity"), choices=Activity.choices, initial=Activity.JOB_SHADOWING
    )
    start = forms.DateField(label=_("First day at the host"), widget=DateInput())
    end = forms.DateField(label=_("Last day at the host"), widget=DateInput())
    green_travel = forms.BooleanField(
        label=_("I travel green (train, bus or car-sharing for most of the way)"),
        required=False,
    )
    travel_days = forms.IntegerField(
        label=_("Travel days"),
        min_value=0,
        max_value=MOST_TRAVEL_DAYS,
        required=False,
        help_text=_("Days spent travelling there and back. Empty means one each way."),
    )
    virtual_part = forms.BooleanField(
        label=_("The mobility has a virtual part too (blended mobility)"), required=False
    )
    first_time = forms.BooleanField(
        label=_("I have not had an Erasmus+ grant before"), required=False
    )
    origin_city = forms.CharField(
        label=_("Leaving from another city (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only if you do not start from the university's city."),
    )
    origin_country = forms.ChoiceField(label=_("Country you leave from"), required=False)
    meals_provided = forms.ChoiceField(
        label=_("Meals provided every day"),
        choices=Meals.choices,
        initial=Meals.NONE,
        required=False,
        help_text=_("Free meals reduce the daily allowance."),
    )
    travel_sek = forms.DecimalField(
        label=_("Travel cost, return (SEK, optional)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    accommodation_sek = forms.DecimalField(
        label=_("Accommodation cost, all nights (SEK, optional)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        years: list[int],
        today: datetime.date,
        home_country: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.today = today
        self.home_country = home_country
        self.default_year = default_call_year(years, today)
        call_year = self.fields["call_year"]
        assert isinstance(call_year, forms.TypedChoiceField)
        call_year.choices = [(year, str(year)) for year in years]
        call_year.initial = self.default_year
        countries = sorted(Country.objects.all(), key=lambda c: c.name)
        choices = [(c.iso2, c.name) for c in countries]
        country = self.fields["country"]
        origin_country = self.fields["origin_country"]
        assert isinstance(country, forms.ChoiceField)
        assert isinstance(origin_country, forms.ChoiceField)
        country.choices = [("", _("Choose a country")), *choices]
        origin_country.choices = [("", _("The university's country")), *choices]
        # With JavaScript the city's suggestions follow the typing (without, the page fills
        # them for what was sent).
        self.fields["city"].widget.attrs.update(
            {
                "hx-get": reverse("grants:place_options"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#city-options",
                "hx-swap": "innerHTML",
                "hx-include": "[name='country']",
                "hx-sync": "this:replace",
                "hx-push-url": "false",
            }
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day is before the first day."))
        return cleaned

    def trip_json(self) -> dict[str, Any]:
        """The trip in the API's JSON form, so that the page and the API agree."""
        data = self.cleaned_data

        def amount(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        origin = None
        if data.get("origin_city"):
            country = data.get("origin_country") or self.home_country
            origin = {"city": data["origin_city"], "country": country}
        return {
            "call_year": data.get("call_year") or self.default_year,
            "origin": origin,
            "hosts": [
                {
                    "name": data.get("host_name", ""),
                    "city": data["city"],
                    "country": data["country"],
                    "kind": data["kind"],
                }
            ],
            "activity": data["activity"],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "green_travel": data.get("green_travel", False),
            "travel_days": data.get("travel_days"),
            "virtual_part": data.get("virtual_part", False),
            "first_time": data.get("first_time", False),
            "today": self.today.isoformat(),
            "travel_sek": amount(data.get("travel_sek")),
            "accommodation_sek": amount(data.get("accommodation_sek")),
            "meals_provided": data.get("meals_provided") or Meals.NONE,
        }

    def add_problems(self, problems: list[Problem], language: str) -> None:
        """Show the trip parser's problems at the fields they concern."""
        for problem in problems:
            field = PROBLEM_FIELDS.get(problem.field, problem.field)
            message = problem.message_en if language == "en" else problem.message_sv
            self.add_error(field if field in self.fields else None, message)
