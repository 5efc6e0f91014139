"""Every e-mail is rendered in its reader's language, written once, sent after commit, and
tried again when the mail server fails."""

from __future__ import annotations

import smtplib
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.test import override_settings

from utsikt.core import email
from utsikt.core.models import OutgoingEmail

TEMPLATES = {
    # Words the catalogue translates already: "Comment:" and "Hello %(name)s,".
    "note_subject.txt": "{% load i18n %}{% translate 'Comment:' %} {{ what }}\n",
    "note.txt": "{% load i18n %}{% blocktranslate with name=recipient.first_name %}"
    "Hello {{ name }},{% endblocktranslate %} {{ what }}\n",
    "note.html": "<p>{{ what }}</p>",
    "plain_subject.txt": "Plain",
    "plain.txt": "Only text",
}


class Person:
    def __init__(self, email: str, language: str, first_name: str) -> None:
        self.email, self.language, self.first_name = email, language, first_name


@pytest.fixture
def templates(tmp_path: Path) -> Any:
    for name, text in TEMPLATES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with override_settings(
        TEMPLATES=[
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
        ]
    ):
        yield


def test_an_email_is_rendered_in_the_readers_language_with_an_html_part(
    db: None, templates: None, django_capture_on_commit_callbacks: Any
) -> None:
    reader = Person("maja.lindqvist@example.org", "sv", "Maja")
    with django_capture_on_commit_callbacks(execute=True):
        email.send_template(template="note", to=reader, context={"what": "O'Brien & <co>"})
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["maja.lindqvist@example.org"]
    assert message.subject == "Kommentar: O'Brien & <co>"
    assert message.body == "Hej Maja, O'Brien & <co>"
    assert message.alternatives[0].content == "<p>O&#x27;Brien &amp; &lt;co&gt;</p>"


def test_an_address_without_a_person_gets_the_language_asked_for_and_plain_text(
    db: None, templates: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email.send_template(template="note", to="host@example.org", context={"what": "x"})
        email.send_template(template="plain", to="host@example.org", context={}, language="en")
    assert [m.subject for m in mail.outbox] == ["Kommentar: x", "Plain"]
    assert mail.outbox[1].alternatives == []  # type: ignore[attr-defined]


def test_a_rolled_back_change_sends_no_email(db: None, mailoutbox: list[object]) -> None:
    try:
        with transaction.atomic():
            email.queue_email(to="a@example.org", subject="Hej", text="Body")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()


def test_an_email_with_a_key_already_used_is_not_sent_again(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert email.queue_email(to="a@example.org", subject="Hej", text="1", key="step-1")
        assert not email.queue_email(to="a@example.org", subject="Hej", text="2", key="step-1")
    assert [m.body for m in mail.outbox] == ["1"]
    assert email.deliver(OutgoingEmail.objects.get().pk) == 0  # a task run twice
    assert len(mail.outbox) == 1


def _failing_first(times: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    tries: list[int] = []
    send = EmailMultiAlternatives.send

    def flaky(message: EmailMultiAlternatives, *args: Any, **kwargs: Any) -> int:
        tries.append(1)
        if len(tries) <= times:
            raise smtplib.SMTPServerDisconnected("the mail server went away")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    return tries


def test_a_failed_send_is_tried_again_until_it_goes_out(
    db: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    tries = _failing_first(2, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        email.queue_email(to="a@example.org", subject="Hej", text="Body")
    assert len(tries) == 3
    assert len(mail.outbox) == 1
    sent = OutgoingEmail.objects.get()
    assert (sent.attempts, sent.sent_at is not None, sent.last_error) == (3, True, "")


def test_a_send_that_keeps_failing_stops_after_the_last_attempt(
    db: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    tries = _failing_first(100, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        email.queue_email(to="a@example.org", subject="Hej", text="Body")
    assert len(tries) == email.MAX_ATTEMPTS
    failed = OutgoingEmail.objects.get()
    assert (failed.sent_at, failed.attempts) == (None, email.MAX_ATTEMPTS)
    assert "the mail server went away" in failed.last_error
    assert email.deliver(failed.pk) == 0


def test_a_subject_with_a_line_break_goes_out_on_one_line(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    # Names are refused with line breaks, but a subject written by other code (Django's own
    # password reset, an older name) must still never break the headers.
    with django_capture_on_commit_callbacks(execute=True):
        email.queue_email(to="a@example.org", subject="Hej Maja\r\nBcc: all@example.org", text="B")
    assert [m.subject for m in mail.outbox] == ["Hej Maja Bcc: all@example.org"]
    assert OutgoingEmail.objects.get().sent_at is not None


def test_extra_headers_are_written_with_the_email_and_sent_on_one_line(
    db: None, templates: None, django_capture_on_commit_callbacks: Any
) -> None:
    headers = {
        "List-Unsubscribe": "<https://utsikt.example.org/newsletter/unsubscribe/x/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click\r\nBcc: all@example.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        email.send_template(template="plain", to="a@example.org", context={}, headers=headers)
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe"] == headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click Bcc: all@example.org"
    )
    assert "Bcc" not in message.message()
    assert OutgoingEmail.objects.get().headers["List-Unsubscribe"] == headers["List-Unsubscribe"]


def test_a_send_that_keeps_failing_is_shown_to_administrators_with_its_error(
    db: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    admin_client: Any,
) -> None:
    _failing_first(100, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        email.queue_email(to="a@example.org", subject="Hej", text="Body")
    unsent = admin_client.get("/admin/core/outgoingemail/", {"sent_at__isnull": "True"})
    body = unsent.content.decode()
    assert unsent.status_code == 200
    assert "a@example.org" in body and "the mail server went away" in body
