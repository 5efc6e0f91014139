"""What a person does with their own account beyond the profile: API tokens (made, shown
once, revoked) and the download of their personal data."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from utsikt.accounts import privacy, tokens
from utsikt.accounts.http import AuthenticatedRequest
from utsikt.accounts.models import User
from utsikt.core import access
from utsikt.core.actors import Actor
from utsikt.core.validators import refuse_control_characters

# A person keeps a handful of tokens at most; more is a sign of tokens nobody revokes.
MAX_LIVE_TOKENS = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"),
        max_length=100,
        validators=[refuse_control_characters],
        help_text=gettext_lazy("For example “my calendar script”, so that you know it later."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=tokens.Scope.choices,
        initial=tokens.Scope.READ,
        widget=forms.RadioSelect,
    )


@access.signed_in
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The person's tokens; a new one is shown on this page once, and never again."""
    user = request.user
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        if tokens.tokens_of(user).active().count() >= MAX_LIVE_TOKENS:
            form.add_error(None, _("Revoke a token you no longer use before you make another."))
        else:
            _token, raw = tokens.create(
                user=user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
            form = TokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "raw": raw, "tokens": tokens.tokens_of(user)},
        status=400 if request.method == "POST" and raw is None else 200,
    )


@access.signed_in
@require_POST
def revoke_api_token(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    token = get_object_or_404(tokens.tokens_of(request.user), pk=pk)
    tokens.revoke(token=token, actor=Actor.of(request.user))
    messages.success(request, _("The token is revoked: programs that use it are refused now."))
    return redirect("accounts:api_tokens")


@access.signed_in
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """Everything Utsikt keeps about the signed-in person, as a JSON file to download."""
    # The row as it is now: the person signed-in pages use is kept per revision, which a
    # log-in elsewhere (last_login) leaves as it was (mobility migration 0011).
    data = privacy.export(User.objects.get(pk=request.user.pk))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"utsikt-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
