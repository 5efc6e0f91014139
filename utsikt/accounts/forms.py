from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from utsikt.accounts import ratelimit
from utsikt.accounts.models import User
from utsikt.core.email import queue_email


class LoginForm(AuthenticationForm):
    """E-mail and password, refused for a while after repeated failures."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. Both are case-sensitive except "
            "the e-mail address. Forgot your password? Reset it below."
        ),
        "rate_limited": _(
            "Too many failed attempts. Wait %(minutes)s minutes and try again, "
            "or reset your password."
        ),
    }
    rate_limited = False

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        client = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if email and ratelimit.is_limited(email=email, client=client):
            self.rate_limited = True
            raise forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": ratelimit.window_minutes()},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                ratelimit.record_failure(email=email, client=client)
            raise
        ratelimit.clear(email=email)
        return cleaned


class ProfileForm(forms.ModelForm[User]):
    """What a person keeps up to date about themselves."""

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "staff_category",
            "languages",
            "had_grant_before",
            "language",
        ]


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset link through the background worker instead of inside the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(to=to_email, subject=subject, text=body)
