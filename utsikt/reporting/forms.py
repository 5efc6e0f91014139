"""The reports' filters and the office's budget form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import OrgUnit
from utsikt.grants import rates
from utsikt.reporting.access import Scope


class Filters(forms.Form):
    """Call year, faculty and department; every value optional, so that the URL can be shared."""

    call_year = forms.TypedChoiceField(
        label=_("Call year"), required=False, coerce=int, empty_value=None
    )
    faculty = forms.ChoiceField(label=_("Faculty"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["call_year"]).choices = everything + [
            (year, year) for year in rates.call_years()
        ]
        faculties = list(scope.faculties())
        departments = list(scope.departments().select_related("parent"))
        cast(forms.ChoiceField, self.fields["faculty"]).choices = everything + [
            (f.code, f.name) for f in faculties
        ]
        cast(forms.ChoiceField, self.fields["department"]).choices = everything + [
            (d.code, d.name) for d in departments
        ]
        if len(faculties) < 2:
            del self.fields["faculty"]
        if len(departments) < 2:
            del self.fields["department"]

    def narrowed(self, applications: Any) -> Any:
        """The applications as the valid filters narrow them (all of them when invalid)."""
        if not self.is_valid():
            return applications
        data = self.cleaned_data
        if data.get("call_year"):
            applications = applications.filter(call_year=data["call_year"])
        if data.get("faculty"):
            applications = applications.filter(department__parent__code=data["faculty"])
        if data.get("department"):
            applications = applications.filter(department__code=data["department"])
        return applications

    @property
    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("call_year") if self.is_valid() else None


class BudgetForm(forms.Form):
    faculty = forms.ModelChoiceField[OrgUnit](label=_("Faculty"), queryset=OrgUnit.objects.none())
    call_year = forms.TypedChoiceField(label=_("Call year"), coerce=int)
    amount_eur = forms.DecimalField(
        label=_("Erasmus+ allocation (EUR)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=0,
        localize=True,
    )

    def __init__(self, *args: Any, faculties: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[OrgUnit], self.fields["faculty"]).queryset = faculties
        cast(forms.ChoiceField, self.fields["call_year"]).choices = [
            (year, year) for year in rates.call_years()
        ]
