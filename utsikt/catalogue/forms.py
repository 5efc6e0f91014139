"""Forms of the catalogue: the search (a plain GET form), curation, proposals and the import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue.access import curated_faculties
from utsikt.catalogue.imports import MAX_UPLOAD_BYTES
from utsikt.catalogue.models import (
    HostOrganisation,
    ImportMapping,
    Opportunity,
    PartnerAgreement,
)
from utsikt.core.widgets import DateInput
from utsikt.grants.gazetteer import find_places
from utsikt.grants.models import Country, Place
from utsikt.grants.trips import EARLIEST_YEAR, LATEST_YEAR, OUT_OF_RANGE, YEARS


class OpportunityForm(forms.ModelForm[Opportunity]):
    """An officer's form for a staff week, course, job-shadowing offer or language course."""

    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "title_sv",
            "title_en",
            "description_sv",
            "description_en",
            "host",
            "faculty",
            "start_date",
            "end_date",
            "deadline",
            "fee",
            "currency",
            "places",
            "accommodation_included",
            "languages",
            "staff_categories",
            "topics",
            "contact_name",
            "contact_email",
            "registration_url",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "deadline": DateInput(),
            "description_sv": forms.Textarea(attrs={"rows": 6, "lang": "sv"}),
            "description_en": forms.Textarea(attrs={"rows": 6, "lang": "en"}),
            "title_sv": forms.TextInput(attrs={"lang": "sv"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels without a colon, as on every form
        super().__init__(*args, **kwargs)
        faculties = curated_faculties(user)
        faculty_field: Any = self.fields["faculty"]
        faculty_field.queryset = faculties
        if faculties.count() == 1 and not self.instance.pk:
            faculty_field.initial = faculties.get()
        host_field: Any = self.fields["host"]
        hosts = HostOrganisation.objects.approved()
        if self.instance.host_id:  # an import's draft may have a host still to be reviewed
            hosts = hosts | HostOrganisation.objects.filter(pk=self.instance.host_id)
        host_field.queryset = hosts.select_related("country")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end, deadline = data.get("start_date"), data.get("end_date"), data.get("deadline")
        for name, day in (("start_date", start), ("end_date", end), ("deadline", deadline)):
            if day and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                self.add_error(name, _(OUT_OF_RANGE) % YEARS)
        if not data.get("title_sv") and not data.get("title_en"):
            raise ValidationError(_("Give a title in Swedish, in English or in both."))
        # A draft may wait for its dates (an import's row without any); what others see may not.
        draft = self.instance.status == Opportunity.Status.DRAFT
        for name, day in (("start_date", start), ("end_date", end)):
            if day is None and name not in self.errors and (not draft or start or end):
                self.add_error(name, _("Give the first and the last day."))
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        if {"start_date", "end_date"} & set(self.changed_data):
            self.instance.dates_approximate = False  # days typed in are the days
        if start and deadline and deadline > start:
            self.add_error("deadline", _("The deadline is after the first day."))
        return data


class HostForm(forms.ModelForm[HostOrganisation]):
    """A host organisation: proposed by anyone signed in, edited by the curators."""

    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=200,
        help_text=_("In English, Swedish or the local language: Lisbon, Lissabon, Lisboa."),
    )

    class Meta:
        model = HostOrganisation
        fields = [
            "name",
            "local_name",
            "kind",
            "country",
            "website",
            "erasmus_code",
            "contact_name",
            "contact_email",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels without a colon, as on every form
        super().__init__(*args, **kwargs)
        country_field: Any = self.fields["country"]
        country_field.queryset = Country.objects.exclude(iso2="SE")
        if self.instance.place_id:
            self.fields["city"].initial = self.instance.place.name  # type: ignore[union-attr]
        self.place: Place | None = self.instance.place if self.instance.pk else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        city, country = data.get("city"), data.get("country")
        self.place = None
        if city and country:
            self.place = find_places(city, country.iso2).first()
            if self.place is None:
                self.add_error(
                    "city",
                    _("We do not know a city called “%(city)s” in %(country)s.")
                    % {"city": city, "country": country.name},
                )
        code = (data.get("erasmus_code") or "").strip().upper()
        data["erasmus_code"] = code
        if code:
            clash = HostOrganisation.objects.filter(erasmus_code=code).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "erasmus_code",
                    _("%(host)s already has this Erasmus code.") % {"host": clash.get().name},
                )
        return data


class OfficerHostForm(HostForm):
    class Meta(HostForm.Meta):
        fields = [*HostForm.Meta.fields[:-1], "oid", "pic"]


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Keep this host"),
        queryset=HostOrganisation.objects.none(),
        help_text=_("Its opportunities and agreements move to the host you keep."),
    )

    def __init__(self, *args: Any, duplicate: HostOrganisation, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels without a colon, as on every form
        super().__init__(*args, **kwargs)
        keep: Any = self.fields["keep"]
        keep.queryset = (
            HostOrganisation.objects.approved()
            .exclude(pk=duplicate.pk)
            .filter(country=duplicate.country)
            .select_related("place")
        )


class PartnerAgreementForm(forms.ModelForm[PartnerAgreement]):
    class Meta:
        model = PartnerAgreement
        fields = [
            "unit",
            "valid_from",
            "valid_until",
            "covers_staff_training",
            "contact_name",
            "contact_email",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels without a colon, as on every form
        super().__init__(*args, **kwargs)
        faculties = curated_faculties(user)
        unit: Any = self.fields["unit"]
        unit.queryset = OrgUnit.objects.filter(pk__in=faculties) | OrgUnit.objects.filter(
            parent__in=faculties
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("valid_from"), data.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", _("The last year is before the first year."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_("A .csv or .xlsx file of at most 2 MB, one opportunity per row."),
    )
    faculty = forms.ModelChoiceField(label=_("Curated by"), queryset=OrgUnit.objects.none())
    check_only = forms.BooleanField(label=_("Only check the file; save nothing"), required=False)
    mapping = forms.ModelChoiceField(
        label=_("Column mapping saved earlier (optional)"),
        queryset=ImportMapping.objects.none(),
        required=False,
        help_text=_("For a file from a source whose columns you have mapped before."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels without a colon, as on every form
        super().__init__(*args, **kwargs)
        faculty: Any = self.fields["faculty"]
        faculty.queryset = curated_faculties(user)
        if faculty.queryset.count() == 1:
            faculty.initial = faculty.queryset.get()
        mapping: Any = self.fields["mapping"]
        mapping.queryset = ImportMapping.objects.filter(faculty__in=faculty.queryset)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 2 MB; split it into parts."))
        return upload


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=120)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
