from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from utsikt.core.validators import refuse_control_characters
from utsikt.documents.models import Letter, Party


class HostSignForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, validators=[refuse_control_characters]
    )
    position = forms.CharField(
        label=_("Your position"), max_length=200, validators=[refuse_control_characters]
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the Mobility Agreement and approve it on behalf of the receiving "
            "organisation."
        )
    )


class ChangesForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, validators=[refuse_control_characters]
    )
    comment = forms.CharField(
        label=_("What should change?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class AttendanceForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, validators=[refuse_control_characters]
    )
    position = forms.CharField(
        label=_("Your position"), max_length=200, validators=[refuse_control_characters]
    )
    start = forms.DateField(
        label=_("First day of the activity"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Last day of the activity"), widget=forms.DateInput(attrs={"type": "date"})
    )


class InviteHostForm(forms.Form):
    email = forms.EmailField(label=_("The host contact's e-mail"))
    name = forms.CharField(
        label=_("The host contact's name"),
        max_length=200,
        required=False,
        validators=[refuse_control_characters],
    )


class ScanForm(forms.Form):
    party = forms.ChoiceField(label=_("Signed by"), choices=Party.choices)
    name = forms.CharField(
        label=_("Name of the person who signed"),
        max_length=200,
        validators=[refuse_control_characters],
    )
    pdf = forms.FileField(label=_("Scanned signed agreement (PDF, at most 10 MB)"))


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=_("PDF to check (at most 10 MB)"))


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), choices=Letter.Kind.choices)
    language = forms.ChoiceField(
        label=_("Language of the letter"), choices=[("en", _("English")), ("sv", _("Swedish"))]
    )
    to_email = forms.EmailField(label=_("The host's e-mail (to send from Utsikt)"), required=False)
    subject = forms.CharField(
        label=_("Subject"), max_length=200, validators=[refuse_control_characters]
    )
    body = forms.CharField(
        label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 16})
    )


class StepForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (Letter.Status.SENT, _("I sent it myself")),
            (Letter.Status.ANSWERED, _("The host answered")),
            (Letter.Status.ACCEPTED, _("The host said yes")),
            (Letter.Status.DECLINED, _("The host said no")),
        ],
    )
    on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))
