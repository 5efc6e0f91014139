"""The newsletter: double opt-in, one-click unsubscribe, the digest by interests, the export,
and sign-ups that never reveal whether an address is subscribed."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts.models import User
from utsikt.catalogue import curation
from utsikt.catalogue.models import Opportunity
from utsikt.core.models import OutgoingEmail
from utsikt.mobility.factories import PORTO, host
from utsikt.pages import newsletter
from utsikt.pages.models import Story, Subscriber

pytestmark = pytest.mark.django_db
ADDRESS = "reader@example.net"


def sign_up(client: Client, address: str = ADDRESS, **choices: Any) -> Any:
    return client.post(reverse("pages:newsletter"), {"email": address, **choices})


def link_in(text: str, name: str) -> str:
    found = re.search(r"https?://\S+/newsletter/" + name + r"/\S+/", text)
    assert found, text
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def confirmation_link() -> str:
    email = OutgoingEmail.objects.filter(to=ADDRESS).latest("created_at")
    return link_in(email.text, "confirm")


def test_signing_up_stores_nothing_until_the_address_confirms(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, staff_categories=["librarian"], topics=["library"])
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    (message,) = mail.outbox
    assert message.to == [ADDRESS]

    page = client.get(confirmation_link())
    assert page.status_code == 200 and not Subscriber.objects.exists()  # a scanner's GET
    client.post(confirmation_link())
    subscriber = Subscriber.objects.get()
    assert subscriber.email == ADDRESS
    assert subscriber.staff_categories == ["librarian"] and subscriber.topics == ["library"]


def test_a_forged_or_stale_confirmation_link_subscribes_nobody() -> None:
    client = Client()
    sign_up(client)
    link = confirmation_link()
    assert client.post(link[:-3] + "xx/").status_code == 404
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(newsletter, "CONFIRM_WITHIN", datetime.timedelta(seconds=-1))
        assert client.post(link).status_code == 404
    assert not Subscriber.objects.exists()


def test_signing_up_answers_the_same_whether_or_not_the_address_is_subscribed() -> None:
    stranger = sign_up(Client(), "nobody@example.net")
    Subscriber.objects.create(email=ADDRESS)
    subscribed = sign_up(Client(), ADDRESS)
    assert stranger.status_code == subscribed.status_code == 302
    assert stranger["Location"] == subscribed["Location"]
    page_a = Client().get(stranger["Location"]).content
    page_b = Client().get(subscribed["Location"]).content
    assert page_a == page_b
    # Both get the same confirmation e-mail, apart from the address in the links.
    a, b = (OutgoingEmail.objects.get(to=who) for who in ("nobody@example.net", ADDRESS))
    assert a.subject == b.subject
    assert re.sub(r"https?://\S+", "", a.text) == re.sub(r"https?://\S+", "", b.text)


def test_the_sign_up_form_sends_at_most_one_confirmation_a_day_to_an_address() -> None:
    for _ in range(3):
        sign_up(Client())
    assert OutgoingEmail.objects.filter(to=ADDRESS).count() == 1


def test_unsubscribing_by_the_link_deletes_the_subscription_at_once() -> None:
    Subscriber.objects.create(email=ADDRESS)
    path = newsletter.unsubscribe_url(ADDRESS).removeprefix("http://127.0.0.1:8000")
    client = Client()
    assert client.get(path).status_code == 200
    assert Subscriber.objects.exists()  # a GET (a link checker) changes nothing
    # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click", without any cookie.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_unsubscribing_answers_the_same_for_an_address_that_was_not_subscribed() -> None:
    Subscriber.objects.create(email=ADDRESS)
    path = newsletter.unsubscribe_url(ADDRESS).split("8000", 1)[1]
    other = newsletter.unsubscribe_url("nobody@example.net").split("8000", 1)[1]
    answer = Client().post(path).content.replace(path.encode(), b"")
    assert answer == Client().post(other).content.replace(other.encode(), b"")


def _new_week(personas: dict[str, User]) -> str:
    """A staff week for librarians in Portugal and a story, both published last week."""
    last_week = timezone.now() - datetime.timedelta(days=7)
    porto = host(**PORTO)
    opportunity = Opportunity(
        slug="library-week",
        kind=Opportunity.Kind.STAFF_WEEK,
        status=Opportunity.Status.PUBLISHED,
        title_en="Library week in Porto",
        title_sv="Biblioteksvecka i Porto",
        host=porto,
        country_id="PT",
        start_date=timezone.localdate() + datetime.timedelta(days=60),
        end_date=timezone.localdate() + datetime.timedelta(days=64),
        staff_categories=["librarian"],
        topics=["library"],
        languages=["en"],
        faculty=personas["officer_ht"].roles.get().unit,
    )
    curation.save_opportunity(opportunity=opportunity, by=None)
    Opportunity.objects.filter(pk=opportunity.pk).update(published_at=last_week)
    Story.objects.create(
        slug="a-story",
        title_sv="En berättelse",
        title_en="A story",
        person_name="Someone",
        staff_category="economist",
        status=Story.Status.PUBLISHED,
        published_at=last_week,
    )
    return newsletter.week_of(timezone.localdate() - datetime.timedelta(days=7))


def test_the_weekly_digest_goes_only_to_confirmed_subscribers_by_their_interests(
    personas: dict[str, User], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    week = _new_week(personas)
    Subscriber.objects.create(email="librarian@example.net", staff_categories=["librarian"])
    Subscriber.objects.create(email="it@example.net", staff_categories=["it_technician"])
    Subscriber.objects.create(email="all@example.net", language="en")
    sign_up(Client(), "unconfirmed@example.net")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.send_digests(week=week)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"librarian@example.net", "all@example.net"}
    librarian = by_address["librarian@example.net"]
    assert "Biblioteksvecka i Porto" in librarian.body and "En berättelse" not in librarian.body
    assert "Library week in Porto" in by_address["all@example.net"].body
    assert "A story" in by_address["all@example.net"].body
    # Every digest can be left with one click, by the link and by the mail program.
    unsubscribe = newsletter.unsubscribe_url("librarian@example.net")
    assert unsubscribe in librarian.body
    assert librarian.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert librarian.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.send_digests(week=week)  # the task runs again: nobody gets it twice
    assert mail.outbox == []
    digests = OutgoingEmail.objects.filter(key__startswith="pages.newsletter.digest:")
    assert digests.filter(sent_at__isnull=False).count() == 2


def test_the_digest_goes_through_core_email_and_its_headers_unsubscribe(
    personas: dict[str, User], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    week = _new_week(personas)
    Subscriber.objects.create(email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletter.send_digests(week=week) == 1
    written = OutgoingEmail.objects.get(key__startswith="pages.newsletter.digest:")
    assert written.to == ADDRESS and written.sent_at is not None
    (sent,) = mail.outbox
    headers = sent.message()
    unsubscribe = newsletter.unsubscribe_url(ADDRESS)
    assert headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # What a mail program does with them (RFC 8058): POST the header's body to its link,
    # without any cookie.
    link = headers["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    name, value = headers["List-Unsubscribe-Post"].split("=", 1)
    response = Client(enforce_csrf_checks=True).post("/" + link, {name: value})
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_the_confirmation_mail_carries_the_unsubscribe_headers_too(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client())
    (sent,) = mail.outbox
    assert sent.extra_headers["List-Unsubscribe"] == (f"<{newsletter.unsubscribe_url(ADDRESS)}>")


def test_the_web_view_shows_the_week_for_everyone(personas: dict[str, User]) -> None:
    week = _new_week(personas)
    page = Client().get(reverse("pages:newsletter_issue", kwargs={"week": week}))
    assert "Biblioteksvecka i Porto" in page.content.decode()
    assert Client().get("/newsletter/2026-W99/").status_code == 404


def test_the_office_exports_the_confirmed_subscribers(
    client_for: Callable[[str | None], Client],
) -> None:
    Subscriber.objects.create(email="=cmd@example.net", countries=["PT", "ES"])
    response = client_for("officer_ht").get(reverse("pages:subscribers_export"))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "'=cmd@example.net" in body and "PT ES" in body
    assert client_for("librarian").get(reverse("pages:subscribers_export")).status_code == 403
