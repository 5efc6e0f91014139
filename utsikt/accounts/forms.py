from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest
from django.template import loader
from django.utils.translation import gettext_lazy as _

from utsikt.accounts import ratelimit
from utsikt.accounts.backends import REFUSED
from utsikt.accounts.models import User
from utsikt.core.email import queue_email


class RefusalSaysWhy:
    """When the limiter refused an attempt (accounts/backends.py), say so instead of calling
    the password wrong: it was never checked."""

    request: Any
    error_messages: dict[str, Any]
    rate_limited = False

    def get_invalid_login_error(self) -> forms.ValidationError:
        if getattr(self.request, REFUSED, False):
            self.rate_limited = True
            return forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": ratelimit.window_minutes()},
            )
        return super().get_invalid_login_error()  # type: ignore[misc, no-any-return]


RATE_LIMITED = _(
    "Too many failed attempts. Wait %(minutes)s minutes and try again, or reset your password."
)


class LoginForm(RefusalSaysWhy, AuthenticationForm):
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
        "rate_limited": RATE_LIMITED,
    }


class AdminLoginForm(RefusalSaysWhy, AdminAuthenticationForm):
    """The admin's log-in, through the same limiter (it authenticates with the same backend)."""

    error_messages = {**AdminAuthenticationForm.error_messages, "rate_limited": RATE_LIMITED}


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
    """Sends the reset link through the background worker instead of inside the request,
    a few times per address and per client in a window (accounts/ratelimit.py)."""

    request: HttpRequest | None = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.request = kwargs.get("request")
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if self.request is None or not ratelimit.may_send_password_reset(self.request, to_email):
            return  # the page says the same either way: nothing tells what was sent
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(to=to_email, subject=subject, text=body)
