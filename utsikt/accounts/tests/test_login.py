from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from utsikt.accounts.demo import DEMO_PASSWORD, PERSONAS
from utsikt.accounts.models import User

HOMES = {
    "librarian": "mobility:staff_home",
    "head_libraries": "mobility:manager_home",
    "deputy_kultur": "mobility:manager_home",
    "officer_ht": "mobility:office_home",
    "officer_s": "mobility:office_home",
    "finance_ht": "mobility:finance_home",
    "finance_s": "mobility:finance_home",
    "admin": "accounts:admin_home",
}


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_every_demo_persona_logs_in_and_lands_on_its_own_home(
    persona: object, personas: dict[str, User], client: Client
) -> None:
    key = persona.key  # type: ignore[attr-defined]
    response = client.post(
        reverse("accounts:login"),
        {"username": personas[key].email.upper(), "password": DEMO_PASSWORD},
        follow=True,
    )
    expected = HOMES.get(
        key, "mobility:manager_home" if key.startswith("head_") else "mobility:staff_home"
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(expected)


def test_a_wrong_password_says_so_in_swedish_and_keeps_the_address(
    personas: dict[str, User], client: Client
) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "maja.lindqvist@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet är fel" in response.content.decode()
    assert 'value="maja.lindqvist@example.org"' in response.content.decode()


def test_login_is_refused_for_a_while_after_repeated_failures(
    personas: dict[str, User], client: Client, settings: object
) -> None:
    form = {"username": "maja.lindqvist@example.org", "password": "wrong"}
    for _attempt in range(5):
        assert client.post(reverse("accounts:login"), form).status_code == 200
    refused = client.post(reverse("accounts:login"), {**form, "password": DEMO_PASSWORD})
    assert refused.status_code == 429
    assert "För många misslyckade försök" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_earlier_failures(
    personas: dict[str, User], client: Client
) -> None:
    form = {"username": "maja.lindqvist@example.org", "password": "wrong"}
    for _attempt in range(4):
        client.post(reverse("accounts:login"), form)
    client.post(reverse("accounts:login"), {**form, "password": DEMO_PASSWORD})
    client.post(reverse("accounts:logout"))
    for _attempt in range(4):
        assert client.post(reverse("accounts:login"), form).status_code == 200


def test_logout_ends_the_session(client_for: object) -> None:
    client = client_for("librarian")  # type: ignore[operator]
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("mobility:staff_home")).status_code == 302


def test_logging_out_ends_the_session_for_every_browser_holding_its_cookie(
    personas: dict[str, User], client: Client
) -> None:
    client.post(
        reverse("accounts:login"),
        {"username": "maja.lindqvist@example.org", "password": DEMO_PASSWORD},
    )
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    other = Client()  # another browser, or another server process, with the same cookie
    other.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert other.get(reverse("mobility:staff_home")).status_code == 200

    client.post(reverse("accounts:logout"))

    assert other.get(reverse("mobility:staff_home")).status_code == 302
    # Gone from the table every process reads, and from the cache in front of it (Redis).
    assert not Session.objects.filter(session_key=session_key).exists()
    assert caches[settings.SESSION_CACHE_ALIAS].get(f"{cached_db.KEY_PREFIX}{session_key}") is None


def test_logging_in_remembers_the_persons_language_unless_the_browser_chose_one(
    personas: dict[str, User], client: Client
) -> None:
    english = next(p for p in PERSONAS if p.language == "en")
    form = {"username": personas[english.key].email, "password": DEMO_PASSWORD}
    client.post(reverse("accounts:login"), form)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    chosen = Client()
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = chosen.post(reverse("accounts:login"), form)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_logging_out_forgets_the_language_log_in_remembered_but_not_one_the_visitor_chose(
    personas: dict[str, User], client: Client
) -> None:
    english = next(p for p in PERSONAS if p.language == "en")
    form = {"username": personas[english.key].email, "password": DEMO_PASSWORD}
    client.post(reverse("accounts:login"), form)
    client.post(reverse("accounts:logout"))
    # The next person on this browser gets their own language, not the last one's.
    assert client.get(reverse("accounts:login")).headers["Content-Language"] == "sv"

    client.post(reverse("accounts:login"), form)
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:login")).headers["Content-Language"] == "en"


def test_password_reset_mails_a_link_that_sets_a_new_password(
    personas: dict[str, User], client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("accounts:password_reset"), {"email": "maja.lindqvist@example.org"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maja.lindqvist@example.org"]
    link = next(line for line in message.body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new = "a fresh and long passphrase 2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    personas["librarian"].refresh_from_db()
    assert personas["librarian"].check_password(new)


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    personas: dict[str, User], client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_user_can_have_a_single_sign_on_identity_beside_the_e_mail(
    personas: dict[str, User],
) -> None:
    person = personas["librarian"]
    person.eppn = "maja.lindqvist@lu.se"
    person.save()
    assert User.objects.get(eppn="maja.lindqvist@lu.se") == person
