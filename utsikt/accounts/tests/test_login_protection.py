"""Log-in protection as an attacker meets it: every way in is limited, the attacker's address
and the (address, account) pair are what is limited, never the person, and concurrent
guesses are counted before any password is checked."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from utsikt.accounts import ratelimit
from utsikt.accounts.demo import DEMO_PASSWORD
from utsikt.accounts.models import User
from utsikt.core.testing import transactional

MAJA = "maja.lindqvist@example.org"
LOGIN = "/login/"


def _log_in(email: str, password: str, address: str = "10.0.0.1", **headers: str) -> Any:
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(LOGIN, {"username": email, "password": password})
    response.signed_in = "_auth_user_id" in client.session
    return response


def test_the_admin_log_in_is_limited_like_the_sites(personas: dict[str, User]) -> None:
    admin = personas["admin"]
    client = Client(REMOTE_ADDR="10.6.6.6")
    for guess in range(25):
        client.post("/admin/login/", {"username": admin.email, "password": f"guess-{guess}"})
    refused = client.post("/admin/login/", {"username": admin.email, "password": DEMO_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "För många misslyckade försök" in refused.content.decode()


def test_failures_from_one_address_never_lock_the_person_out_at_another(
    personas: dict[str, User],
) -> None:
    for _guess in range(10):
        _log_in(MAJA, "wrong", address="10.6.6.6")
    from_attacker = _log_in(MAJA, DEMO_PASSWORD, address="10.6.6.6")
    assert from_attacker.status_code == 429 and not from_attacker.signed_in
    # Maja herself, at her own desk: a place that has not failed lets the right password in.
    assert _log_in(MAJA, DEMO_PASSWORD, address="10.1.1.1").signed_in


def test_an_address_that_guesses_at_many_accounts_is_stopped(personas: dict[str, User]) -> None:
    accounts = [user.email for user in personas.values()]
    limit = 5 * ratelimit.ADDRESS_SHARE
    tried = 0
    for email in accounts * 3:
        if _log_in(email, "wrong", address="10.6.6.6").status_code == 429:
            break
        tried += 1
    assert tried == limit
    assert _log_in(MAJA, DEMO_PASSWORD, address="10.1.1.1").signed_in


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(
    personas: dict[str, User], settings: Any
) -> None:
    # Without a trusted proxy a forged header buys the attacker nothing.
    for guess in range(8):
        _log_in(MAJA, "wrong", address="10.6.6.6", HTTP_X_FORWARDED_FOR=f"192.0.2.{guess}")
    assert _log_in(
        MAJA, DEMO_PASSWORD, "10.6.6.6", HTTP_X_FORWARDED_FOR="192.0.2.99"
    ).status_code == (429)


def test_behind_a_trusted_proxy_each_visitor_is_limited_by_their_own_address(
    personas: dict[str, User], settings: Any
) -> None:
    settings.UTSIKT_TRUSTED_PROXIES = 1
    proxy = "10.9.9.9"
    for guess in range(8):
        # What the attacker writes in front of their address is not believed either.
        forged = f"198.51.100.{guess}, 203.0.113.66"
        _log_in(MAJA, "wrong", address=proxy, HTTP_X_FORWARDED_FOR=forged)
    attacker = _log_in(MAJA, DEMO_PASSWORD, proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66")
    assert attacker.status_code == 429
    # Another visitor through the same proxy is not the attacker.
    assert _log_in(MAJA, DEMO_PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").signed_in


def test_client_address_reads_the_entry_the_outermost_trusted_proxy_wrote(settings: Any) -> None:
    from django.test import RequestFactory

    def address(proxies: int, forwarded: str) -> str:
        settings.UTSIKT_TRUSTED_PROXIES = proxies
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
        return ratelimit.client_address(request)

    assert address(0, "1.1.1.1") == "10.0.0.2"
    assert address(1, "6.6.6.6, 1.1.1.1") == "1.1.1.1"
    assert address(2, "6.6.6.6, 1.1.1.1, 10.0.0.1") == "1.1.1.1"
    assert address(2, "1.1.1.1") == "10.0.0.2"  # did not come through both proxies
    assert address(1, "not-an-address") == "10.0.0.2"


def test_password_reset_mails_a_few_times_then_nothing(
    personas: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client(REMOTE_ADDR="10.6.6.6")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(reverse("accounts:password_reset"), {"email": MAJA}).status_code
            for _request in range(10)
        ]
    assert answers == [302] * 10  # the page says the same either way
    assert len(mail.outbox) == 3


@transactional()
def test_thirty_concurrent_guesses_check_no_more_passwords_than_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache.clear()
    User.objects.create_user(MAJA, "the right one 2026")
    checked: list[str] = []
    lock = threading.Lock()

    def counting_check(self: User, raw_password: str) -> bool:
        with lock:
            checked.append(raw_password)
        return check_password(raw_password, self.password)

    monkeypatch.setattr(User, "check_password", counting_check)
    start = threading.Barrier(30)
    answers: list[int] = []

    def guess(number: int) -> None:
        from django.db import connection

        client = Client(REMOTE_ADDR="10.6.6.6")
        start.wait()
        try:
            response = client.post(LOGIN, {"username": MAJA, "password": f"guess-{number}"})
            with lock:
                answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cache.clear()
    assert len(answers) == 30
    assert len(checked) <= 5
    assert answers.count(429) >= 25
