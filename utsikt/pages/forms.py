"""Forms of the pages app: editing pages, stories and offices; offering a story; becoming an
ambassador and writing to one; the newsletter sign-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.models import HostOrganisation, Topic
from utsikt.core.validators import refuse_control_characters
from utsikt.grants.models import Country
from utsikt.pages import photos
from utsikt.pages.models import Ambassador, Contact, Office, Page, Story

SV = {"lang": "sv"}
EN = {"lang": "en"}


def _text(rows: int, lang: str) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "lang": lang})


class PageForm(forms.ModelForm[Page]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Page
        fields = [
            "slug",
            "title_sv",
            "title_en",
            "summary_sv",
            "summary_en",
            "body_sv",
            "body_en",
            "position",
            "published",
        ]
        widgets = {
            "title_sv": forms.TextInput(attrs=SV),
            "title_en": forms.TextInput(attrs=EN),
            "summary_sv": forms.TextInput(attrs=SV),
            "summary_en": forms.TextInput(attrs=EN),
            "body_sv": _text(18, "sv"),
            "body_en": _text(18, "en"),
        }


def _countries() -> list[tuple[str, str]]:
    return [(c.iso2, c.name) for c in Country.objects.order_by("name_sv")]


class StoryForm(forms.ModelForm[Story]):
    """The office's form: everything about a story, its photo re-encoded on the way in."""

    class Meta:
        model = Story
        fields = [
            "title_sv",
            "title_en",
            "summary_sv",
            "summary_en",
            "body_sv",
            "body_en",
            "person_name",
            "staff_category",
            "host",
            "host_name",
            "country",
            "city",
            "year",
            "photo",
            "photo_alt_sv",
            "photo_alt_en",
        ]
        widgets = {
            "title_sv": forms.TextInput(attrs=SV),
            "title_en": forms.TextInput(attrs=EN),
            "summary_sv": forms.TextInput(attrs=SV),
            "summary_en": forms.TextInput(attrs=EN),
            "body_sv": _text(14, "sv"),
            "body_en": _text(14, "en"),
            "photo_alt_sv": forms.TextInput(attrs=SV),
            "photo_alt_en": forms.TextInput(attrs=EN),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        host_field = self.fields["host"]
        assert isinstance(host_field, forms.ModelChoiceField)
        host_field.queryset = HostOrganisation.objects.approved().order_by("name")

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            return photos.reencoded(photo, self.instance.slug or "story")
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        photo = data.get("photo")
        if photo and not (data.get("photo_alt_sv") and data.get("photo_alt_en")):
            raise ValidationError(
                _("Describe the photo in both Swedish and English for those who cannot see it.")
            )
        return data


class OfferStoryForm(forms.Form):
    """A returnee's own words about their mobility, offered with explicit consent."""

    title_sv = forms.CharField(
        label=_("Title (Swedish)"), max_length=200, required=False, widget=forms.TextInput(attrs=SV)
    )
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=200, required=False, widget=forms.TextInput(attrs=EN)
    )
    body_sv = forms.CharField(
        label=_("Your story (Swedish)"), max_length=10000, required=False, widget=_text(10, "sv")
    )
    body_en = forms.CharField(
        label=_("Your story (English)"), max_length=10000, required=False, widget=_text(10, "en")
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the International Office may edit this story and publish it on "
            "Utsikt with my name, my staff category and where I went."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title_sv") or data.get("title_en")):
            raise ValidationError(_("Give your story a title in at least one language."))
        if not (data.get("body_sv") or data.get("body_en")):
            raise ValidationError(_("Write your story in at least one language."))
        for name in ("title_sv", "title_en"):
            refuse_control_characters(data.get(name, ""))
        return data


class AmbassadorForm(forms.ModelForm[Ambassador]):
    class Meta:
        model = Ambassador
        fields = ["topics_sv", "topics_en"]
        widgets = {"topics_sv": forms.TextInput(attrs=SV), "topics_en": forms.TextInput(attrs=EN)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("topics_sv") or data.get("topics_en")):
            raise ValidationError(_("Say in at least one language what you can talk about."))
        return data


class AmbassadorMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )


class OfficeForm(forms.ModelForm[Office]):
    class Meta:
        model = Office
        fields = [
            "name_sv",
            "name_en",
            "email",
            "phone",
            "visiting_address",
            "postal_address",
            "latitude",
            "longitude",
        ]
        widgets = {"name_sv": forms.TextInput(attrs=SV), "name_en": forms.TextInput(attrs=EN)}


class ContactForm(forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = ["name", "role_sv", "role_en", "phone", "email", "position"]
        widgets = {"role_sv": forms.TextInput(attrs=SV), "role_en": forms.TextInput(attrs=EN)}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        refuse_control_characters(name)
        return name


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    staff_categories = forms.MultipleChoiceField(
        label=_("Staff categories"),
        choices=StaffCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["countries"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _countries()
