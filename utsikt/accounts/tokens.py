"""API tokens: a person makes one on their account page, sees it once, and can revoke it.

Only a SHA-256 digest of the token is stored (a token is 256 random bits, so a plain hash is
enough; a slow password hash would only slow every API call). The first characters are kept
in the clear so that the person can tell their tokens apart. A token carries a scope: `read`
may only read, `write` may also take workflow actions.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.core.validators import refuse_control_characters

if TYPE_CHECKING:
    from utsikt.accounts.models import User

PREFIX = "utsikt_"
# last_used_at is written at most this often per token, not on every call.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and act on my applications")


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A person's key for programs that call the API on their behalf."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, validators=[refuse_control_characters])
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    # The first characters of the token, shown so that the person knows which is which.
    hint = models.CharField(_("begins with"), max_length=20)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "accounts"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def allows(self, scope: str) -> bool:
        return self.scope == Scope.WRITE or scope == Scope.READ


def create(*, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """Make a token; the raw token is returned here only, never stored and never shown again."""
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100],
            scope=scope,
            hint=raw[: len(PREFIX) + 4],
            digest=digest(raw),
        )
        events.record(
            action="api_token.created",
            actor=Actor.of(user),
            subject=token,
            payload={"scope": scope, "name": token.name},
        )
    return token, raw


def revoke(*, token: ApiToken, actor: Actor) -> None:
    """The token stops working at once; the row stays so that the history reads."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            events.record(action="api_token.revoked", actor=actor, subject=token)


def authenticate(raw: str) -> ApiToken | None:
    """The live token of an active person for this raw value, or None."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=digest(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def tokens_of(user: Any) -> ApiTokenQuerySet:
    return ApiToken.objects.filter(user=user)
