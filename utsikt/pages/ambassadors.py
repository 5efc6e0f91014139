"""Ambassadors: returnees who talk to colleagues. Messages pass through Utsikt.

The colleague writes to the ambassador without seeing their address, and the ambassador
reads the question without the colleague's: the e-mail names the colleague and links to a
page where the ambassador answers. Answering is the ambassador's choice to share their
address, so the answer reaches the colleague with the ambassador's address to reply to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts import ratelimit
from utsikt.accounts.models import User
from utsikt.core import email, events, revision
from utsikt.core.actors import Actor
from utsikt.mobility.models import Application
from utsikt.pages.editing import RETURNED, REVISION
from utsikt.pages.models import Ambassador, AmbassadorMessage, Story


def may_become(user: User) -> bool:
    """Only people whose own mobility has come home may become ambassadors."""
    return Application.objects.filter(applicant=user, status__in=RETURNED).exists()


def opt_in(*, user: User, topics_sv: str, topics_en: str) -> Ambassador:
    """List the person as an ambassador (or change what they can talk about)."""
    if not may_become(user):
        raise PermissionError("Only returnees become ambassadors.")
    story = Story.objects.published().filter(offered_by=user).first()
    with transaction.atomic():
        ambassador, created = Ambassador.objects.update_or_create(
            user=user, defaults={"topics_sv": topics_sv, "topics_en": topics_en, "story": story}
        )
        events.record(
            action="ambassador.joined" if created else "ambassador.edited",
            actor=Actor.of(user),
            subject=ambassador,
        )
        revision.bump(REVISION)
    return ambassador


def opt_out(*, user: User) -> bool:
    """Remove the person from the ambassadors at once; True if they were one."""
    with transaction.atomic():
        ambassador = Ambassador.objects.filter(user=user).first()
        if ambassador is None:
            return False
        events.record(action="ambassador.left", actor=Actor.of(user), subject=user)
        ambassador.delete()
        revision.bump(REVISION)
    return True


# How often one person may write: to all ambassadors together, and to any one of them.
HOUR, DAY = 3600, 24 * 3600
PER_SENDER_HOUR = 5
PER_SENDER_DAY = 10
PER_PAIR_DAY = 3


class TooManyMessages(Exception):
    """The sender wrote too often for now; nothing was sent."""


def contact(*, ambassador: Ambassador, sender: User, text: str) -> AmbassadorMessage:
    """Pass a colleague's question on to the ambassador, neither address shown.

    Counted before anything is written (TooManyMessages past the limits), so that nobody can
    flood an ambassador, or all of them, from a signed-in account.
    """
    if ambassador.user_id == sender.pk:
        raise PermissionError("Ambassadors do not write to themselves.")
    if not ratelimit.take_slots(
        [
            (f"ambassador:sender:hour:{sender.pk}", PER_SENDER_HOUR, HOUR),
            (f"ambassador:sender:day:{sender.pk}", PER_SENDER_DAY, DAY),
            (f"ambassador:pair:{sender.pk}:{ambassador.pk}", PER_PAIR_DAY, DAY),
        ]
    ):
        raise TooManyMessages
    with transaction.atomic():
        message = AmbassadorMessage.objects.create(ambassador=ambassador, sender=sender, text=text)
        events.record(
            action="ambassador.contacted",
            actor=Actor.of(sender),
            subject=message,
            payload={"ambassador": ambassador.pk},
        )
        email.send_template(
            template="pages/email/ambassador_question",
            to=ambassador.user,
            context={
                "message": message,
                "sender_name": sender.get_full_name() or _anonymous(),
                "answer_url": settings.UTSIKT_BASE_URL
                + reverse("pages:ambassador_answer", kwargs={"pk": message.pk}),
            },
            key=f"pages.ambassador.question:{message.pk}",
        )
    return message


def _anonymous() -> str:
    # A colleague without a name on their account is still not shown by address.
    from django.utils.translation import gettext

    return gettext("A colleague")


def answer(*, message: AmbassadorMessage, user: User, text: str) -> AmbassadorMessage:
    """The ambassador answers; the colleague gets the answer and the ambassador's address."""
    if message.ambassador.user_id != user.pk:
        raise PermissionError("Only the ambassador answers.")
    with transaction.atomic():
        message.answer = text
        message.answered_at = timezone.now()
        message.save(update_fields=["answer", "answered_at"])
        events.record(action="ambassador.answered", actor=Actor.of(user), subject=message)
        email.send_template(
            template="pages/email/ambassador_answer",
            to=message.sender,
            context={"message": message, "ambassador": user},
            key=f"pages.ambassador.answer:{message.pk}:{message.answered_at.isoformat()}",
            reply_to=user.email,
        )
    return message
