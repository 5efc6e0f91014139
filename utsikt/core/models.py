"""What core keeps for every app: the event log, the e-mails sent once each, and the named
revisions caches are filed under."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.core.actors import ActorKind

# What an anonymised person's events say instead of their name (migration 0006 allows it).
ANONYMISED_LABEL = "anonymised"


class AppendOnly(Exception):
    """The event log is append-only: a written event is never changed or removed."""


class EventQuerySet(models.QuerySet["Event"]):
    # Append-only (on PostgreSQL a trigger refuses it too, migration 0004). Deleting a person
    # still clears `actor_user` through Django's plain base manager, which the trigger allows.
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("The event log is append-only: events are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("The event log is append-only: events are never deleted.")

    def forget_actor_name(self, user_id: int) -> int:
        """Write ANONYMISED_LABEL instead of the name on the person's events (anonymisation):
        the one change the log allows, and on PostgreSQL the trigger lets through only this."""
        mine = self.filter(actor_user_id=user_id).exclude(actor_label=ANONYMISED_LABEL)
        return models.QuerySet.update(mine, actor_label=ANONYMISED_LABEL)

    def about(self, subject: models.Model) -> EventQuerySet:
        """The events of one object, through the (subject_type, subject_id) index."""
        return self.filter(subject_type=subject._meta.label_lower, subject_id=subject.pk)


class Event(models.Model):
    """One thing that happened: who did what to which object, when, with a few details."""

    # Dotted: the kind of object, then what happened to it ("application.approved").
    action = models.CharField(_("action"), max_length=60)
    actor_kind = models.CharField(
        _("actor"), max_length=20, choices=ActorKind.choices, default=ActorKind.USER
    )
    # Kept when the person is deleted: the label still says who it was.
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=200)
    # The object as "app_label.model" and its id: stable across databases and readable in an
    # export, where a content type id would mean nothing.
    subject_type = models.CharField(_("object type"), max_length=100)
    subject_id = models.BigIntegerField(_("object id"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "created_at"], name="event_subject_idx"
            ),
            models.Index(fields=["action", "created_at"], name="event_action_time_idx"),
            models.Index(fields=["actor_user", "created_at"], name="event_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.subject} ({self.actor_label})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("The event log is append-only: events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("The event log is append-only: events are never deleted.")

    @property
    def subject(self) -> str:
        """The object as one string: "mobility.application:42"."""
        return f"{self.subject_type}:{self.subject_id}"

    def detail(self, key: str, default: Any = None) -> Any:
        return (self.payload or {}).get(key, default)


class OutgoingEmail(models.Model):
    """One e-mail to one address, written with the change it reports and sent after commit.

    The key names what the e-mail is about (one transition, one reminder period); a second
    e-mail with the same key is never written, so a step run twice mails once.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    subject = models.CharField(_("subject"), max_length=998)  # the longest line RFC 5322 allows
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # Extra header lines by name, such as a newsletter's List-Unsubscribe (RFC 8058).
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class Revision(models.Model):
    """One named key that changes with every write that can change what its pages show.

    Results and pages are cached per process under this key (see revision.py and cache.py),
    so a cached page never outlives a change made by any process. A random key, unlike a
    counter, cannot come back after a rollback or a flushed test database.
    """

    name = models.CharField(max_length=40, unique=True)
    key = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.key}"
