"""Ambassadors: only returnees opt in, opting out removes them at once, and messages pass
through Utsikt without showing the ambassador's address until they answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.mobility.models import Application
from utsikt.pages.models import Ambassador, AmbassadorMessage

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]
TOPICS = {"topics_sv": "Forskningsdata och Porto", "topics_en": "Research data and Porto"}


def join(client_for: Clients) -> Ambassador:
    response = client_for("librarian").post(reverse("pages:returnee"), TOPICS)
    assert response.status_code == 302
    return Ambassador.objects.get()


def test_only_people_whose_mobility_came_home_become_ambassadors(client_for: Clients) -> None:
    client_for("librarian").post(reverse("pages:returnee"), TOPICS)
    assert not Ambassador.objects.exists()


def test_a_returnee_opts_in_and_is_listed(returned: Application, client_for: Clients) -> None:
    join(client_for)
    listed = Client().get(reverse("pages:ambassadors")).content.decode()
    assert "Maja Lindqvist" in listed and "Forskningsdata och Porto" in listed


def test_opting_out_removes_the_ambassador_at_once(
    returned: Application, client_for: Clients
) -> None:
    join(client_for)
    Client().get(reverse("pages:ambassadors"))  # cached for anonymous visitors
    client_for("librarian").post(reverse("pages:ambassador_leave"))
    assert not Ambassador.objects.exists()
    assert "Maja Lindqvist" not in Client().get(reverse("pages:ambassadors")).content.decode()


def test_the_ambassadors_address_is_never_shown_before_they_answer(
    returned: Application,
    personas: dict[str, User],
    client_for: Clients,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ambassador = join(client_for)
    address = personas["librarian"].email
    for who in (None, "it_technician"):
        page = client_for(who).get(reverse("pages:ambassadors")).content.decode()
        assert address not in page
    colleague = client_for("it_technician")
    form = colleague.get(reverse("pages:ambassador_contact", kwargs={"pk": ambassador.pk}))
    assert address not in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        colleague.post(
            reverse("pages:ambassador_contact", kwargs={"pk": ambassador.pk}),
            {"text": "How was Porto?"},
        )
    (question,) = mail.outbox
    assert question.to == [address]
    # The colleague's address is not in the question either; only their name.
    sender = personas["it_technician"]
    assert sender.email not in question.body and not question.reply_to
    assert sender.get_full_name() in question.body
    message = AmbassadorMessage.objects.get()
    # Nobody but the ambassador reads or answers it, the colleague who wrote it included.
    answer_url = reverse("pages:ambassador_answer", kwargs={"pk": message.pk})
    assert colleague.get(answer_url).status_code == 404
    assert client_for("officer_ht").get(answer_url).status_code == 404

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("librarian").post(answer_url, {"text": "Wonderful. Ask me anything."})
    (answer,) = mail.outbox
    assert answer.to == [sender.email]
    assert answer.reply_to == [address]  # answering shares the ambassador's address


def test_an_anonymous_visitor_logs_in_to_write(returned: Application, client_for: Clients) -> None:
    ambassador = join(client_for)
    response = Client().get(reverse("pages:ambassador_contact", kwargs={"pk": ambassador.pk}))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_colleague_cannot_flood_an_ambassador_and_keeps_the_refused_text(
    returned: Application,
    client_for: Clients,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from utsikt.pages.ambassadors import PER_PAIR_DAY

    ambassador = join(client_for)
    colleague = client_for("it_technician")
    url = reverse("pages:ambassador_contact", kwargs={"pk": ambassador.pk})
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(PER_PAIR_DAY):
            assert colleague.post(url, {"text": f"Question {number}"}).status_code == 302
        refused = colleague.post(url, {"text": "One question too many"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "One question too many" in page  # nothing typed is lost
    assert 'class="errorlist nonfield" role="alert"' in page  # and it says why
    assert AmbassadorMessage.objects.count() == PER_PAIR_DAY
    assert len(mail.outbox) == PER_PAIR_DAY


def test_the_limit_per_sender_counts_across_ambassadors(
    returned: Application, personas: dict[str, User]
) -> None:
    from utsikt.mobility.factories import application
    from utsikt.mobility.models import Status
    from utsikt.pages import ambassadors

    listed = [ambassadors.opt_in(user=personas["librarian"], topics_sv="Allt", topics_en="All")]
    for key in ("economist", "study_adviser", "head_kultur"):
        application(applicant=personas[key], status=Status.SETTLED)
        listed.append(ambassadors.opt_in(user=personas[key], topics_sv="Allt", topics_en="All"))
    sender = personas["it_technician"]
    sent = 0
    with pytest.raises(ambassadors.TooManyMessages):
        for number in range(ambassadors.PER_SENDER_HOUR + 1):
            ambassadors.contact(
                ambassador=listed[number % len(listed)], sender=sender, text=f"Hi {number}"
            )
            sent += 1
    assert sent == ambassadors.PER_SENDER_HOUR  # no pair reached its own limit
    assert AmbassadorMessage.objects.count() == ambassadors.PER_SENDER_HOUR
    # Somebody else still writes freely.
    ambassadors.contact(ambassador=listed[0], sender=personas["officer_ht"], text="Hi")


def test_a_refused_message_gives_back_the_slots_it_took(
    returned: Application, personas: dict[str, User]
) -> None:
    """Refused by the pair's limit, the sender's hourly count is not spent."""
    from utsikt.accounts import ratelimit

    assert ratelimit.take_slots([("a", 2, 3600), ("b", 1, 3600)])
    assert not ratelimit.take_slots([("a", 2, 3600), ("b", 1, 3600)])
    assert ratelimit.take_slots([("a", 2, 3600)])  # the refused one gave "a" back
    assert not ratelimit.take_slots([("a", 2, 3600)])
