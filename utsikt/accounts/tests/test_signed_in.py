"""Who a session is signed in as (accounts.backends.signed_in): kept in the process under the
workflow revision, which the database's triggers change with every write to the people and
their roles, so that every such write shows on the person's next request."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from utsikt.accounts import backends
from utsikt.accounts.backends import signed_in
from utsikt.accounts.middleware import AuthenticationMiddleware
from utsikt.accounts.models import OrgUnit, RoleAssignment, User
from utsikt.core import revision
from utsikt.core.sessions import SessionStore

Role = RoleAssignment.Role
PROFILE = reverse("accounts:profile")
INBOX = reverse("mobility:manager_home")


@pytest.fixture(autouse=True)
def _empty() -> None:
    backends.people.clear()


def _kept(client: Client, path: str = PROFILE) -> Client:
    """The client after a page that has put its person in this process's memory."""
    backends.people.clear()
    assert client.get(path).status_code == 200
    assert len(backends.people) == 1
    return client


def test_the_person_comes_from_memory_with_one_query_and_each_request_gets_its_own_object(
    personas: dict[str, User], django_assert_num_queries: Callable[..., object]
) -> None:
    person = personas["librarian"]
    first = signed_in(person.pk)
    assert first is not None and first.email == person.email
    first.first_name = "Changed but not saved"  # a form bound to request.user does this
    first.current_roles()
    with django_assert_num_queries(1):  # the revision; the person and roles from memory
        second = signed_in(person.pk)
    assert second is not None and second is not first
    assert second.first_name == person.first_name
    assert second.current_roles() == User.objects.get(pk=person.pk).current_roles()
    assert second.read_under == revision.latest(revision.WORKFLOW)


def test_what_is_kept_of_a_person_cannot_be_changed_in_place(personas: dict[str, User]) -> None:
    """Every request builds its own object from the kept values: a value that could be
    changed in place (a JSON field's dict) would be shared by them all."""
    signed_in(personas["librarian"].pk)
    ((values, roles),) = backends.people._items.values()
    immutable = (str, int, bool, float, datetime.date, decimal.Decimal, type(None))
    assert all(isinstance(value, immutable) for value in values)
    assert isinstance(roles, frozenset)


def test_two_people_are_never_taken_for_each_other(personas: dict[str, User]) -> None:
    for key in ("librarian", "head_libraries", "librarian", "head_libraries"):
        found = signed_in(personas[key].pk)
        assert found is not None and found.email == personas[key].email
    assert signed_in(10**9) is None
    assert signed_in("not a number") is None


def test_a_person_switched_off_by_a_bulk_update_is_signed_out_on_the_next_request(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client = _kept(client_for("librarian"))
    User.objects.filter(pk=personas["librarian"].pk).update(is_active=False)
    assert client.get(PROFILE).status_code == 302


def test_a_password_changed_elsewhere_ends_the_session(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client = _kept(client_for("librarian"))
    person = User.objects.get(pk=personas["librarian"].pk)
    person.set_password("a-new-password-set-by-the-person-elsewhere")
    person.save()
    assert client.get(PROFILE).status_code == 302


def test_a_session_loaded_before_the_person_is_asked_for_does_not_give_them_its_key(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    """The key read with the session is the person's only when they are read at once after
    it: a request that loaded its session earlier and then wrote asks for the key again."""
    client = _kept(client_for("librarian"))
    request = RequestFactory().get(PROFILE)
    request.session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    request.session.get("anything")  # the session and the key, before the write
    User.objects.filter(pk=personas["librarian"].pk).update(first_name="Mimmi")
    AuthenticationMiddleware(lambda request: None).process_request(request)
    assert request.user.first_name == "Mimmi"


def test_a_rename_shows_on_the_next_page(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client = _kept(client_for("librarian"))
    User.objects.filter(pk=personas["librarian"].pk).update(first_name="Mimmi")
    assert "Mimmi" in client.get(PROFILE).content.decode()


def test_a_role_withdrawn_or_granted_counts_from_the_next_request(
    personas: dict[str, User],
    org: dict[str, OrgUnit],
    client_for: Callable[[str | None], Client],
) -> None:
    manager = _kept(client_for("head_libraries"), INBOX)
    RoleAssignment.objects.filter(user=personas["head_libraries"], role=Role.MANAGER).delete()
    assert manager.get(INBOX).status_code == 403

    staff = _kept(client_for("librarian"))
    assert staff.get(INBOX).status_code == 403
    RoleAssignment.objects.create(
        user=personas["librarian"], role=Role.MANAGER, unit=org["ht-libraries"]
    )
    assert staff.get(INBOX).status_code == 200


class _Undone(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_what_a_rolled_back_transaction_read_is_never_found_by_another(
    personas: dict[str, User],
) -> None:
    """On PostgreSQL the key inside a writing transaction is the committed one, its count of
    writes and its id: another transaction with as many writes must not find the person as
    the undone one saw them."""
    person, other = personas["librarian"], personas["head_libraries"]
    with pytest.raises(_Undone), transaction.atomic():
        User.objects.filter(pk=person.pk).update(first_name="Undone")
        seen = signed_in(person.pk)
        assert seen is not None and seen.first_name == "Undone"
        raise _Undone
    with transaction.atomic():
        User.objects.filter(pk=other.pk).update(last_name="Written")  # as many writes
        seen = signed_in(person.pk)
        assert seen is not None and seen.first_name == person.first_name
