"""Who made a change: a signed-in person, a host contact through a signed link, or the system.

Write functions take an `Actor` rather than a user, so that a host signing through a link
(who has no account) and a background task (which has nobody) change things the same way a
person does, and the history can say who it was. Core imports no app: a person is known by
their user id and the name they had when they acted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    USER = "user", _("Person")
    HOST_CONTACT = "host_contact", _("Host contact")
    SYSTEM = "system", _("Utsikt (automatically)")


@dataclass(frozen=True, kw_only=True)
class Actor:
    """One who acts: `kind` says which of the three, `name` is how the history shows them."""

    kind: ActorKind
    name: str
    user_id: int | None = None
    email: str = ""
    # For a host contact: which signed link they used (its id, never the secret itself).
    token: str = ""

    def __post_init__(self) -> None:
        if (self.kind == ActorKind.USER) != (self.user_id is not None):
            raise ValueError("A person acts with their user id; nobody else has one.")
        if self.kind == ActorKind.HOST_CONTACT and not self.token:
            raise ValueError("A host contact acts through a signed link: give its reference.")

    @classmethod
    def of(cls, user: Any) -> Actor:
        """The signed-in person (an instance of settings.AUTH_USER_MODEL)."""
        return cls(kind=ActorKind.USER, name=str(user), user_id=user.pk, email=user.email or "")

    @classmethod
    def host_contact(cls, *, name: str, email: str, token: str) -> Actor:
        """A host's contact person, acting through the signed link `token` refers to."""
        return cls(kind=ActorKind.HOST_CONTACT, name=name or email, email=email, token=token)

    @classmethod
    def system(cls, name: str) -> Actor:
        """Utsikt itself: a task or a command, named for what it is ("reminders", "import")."""
        return cls(kind=ActorKind.SYSTEM, name=name)

    @property
    def is_user(self) -> bool:
        return self.kind == ActorKind.USER

    def __str__(self) -> str:
        return self.name


# The command line and the demo loader act as nobody in particular.
COMMAND_LINE = Actor.system("command line")
