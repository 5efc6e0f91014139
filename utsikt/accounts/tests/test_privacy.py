"""Data protection: a person downloads their data; people past retention are anonymised by
the command and the admin's action while the statistics stay; the event log is append-only."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts import privacy, tokens
from utsikt.accounts.demo import DEMO_PASSWORD
from utsikt.accounts.models import User
from utsikt.catalogue.models import SavedSearch
from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.core.models import AppendOnly, Event
from utsikt.mobility import factories
from utsikt.mobility.models import Application, Status

LONG_AGO = timezone.now() - datetime.timedelta(days=10 * 365)


def _gone_quiet(user: User) -> None:
    """As if the person last did anything ten years ago."""
    User.objects.filter(pk=user.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    Application.objects.filter(applicant=user).update(updated_at=LONG_AGO, created_at=LONG_AGO)
    user.refresh_from_db()


def test_the_download_tells_when_the_person_last_logged_in(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    first = client_for("librarian")
    first.get(reverse("accounts:profile"))  # the person is now kept by this process
    second = Client()
    second.post(
        reverse("accounts:login"),
        {"username": personas["librarian"].email, "password": DEMO_PASSWORD},
    )
    logged_in = User.objects.get(pk=personas["librarian"].pk).last_login
    data = json.loads(first.get(reverse("accounts:my_data")).content)
    assert datetime.datetime.fromisoformat(data["person"]["last_login"]) == logged_in


def test_a_person_downloads_their_own_data_as_json(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    librarian = personas["librarian"]
    application = factories.application(applicant=librarian, status=Status.SUBMITTED)
    tokens.create(user=librarian, name="script", scope="read")
    profile = client_for("librarian").get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:my_data") in profile
    response = client_for("librarian").get(reverse("accounts:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["email"] == librarian.email
    assert [a["id"] for a in data["applications"]] == [application.pk]
    assert data["applications"][0]["objectives"] == application.objectives
    assert data["api_tokens"][0]["name"] == "script" and "digest" not in data["api_tokens"][0]
    # Nobody else's data: the manager's own export holds none of the librarian's plans.
    theirs = json.loads(client_for("head_libraries").get(reverse("accounts:my_data")).content)
    assert theirs["applications"] == []
    assert Client().get(reverse("accounts:my_data")).status_code == 302


def test_only_people_past_retention_with_nothing_under_way_are_due(
    personas: dict[str, User],
) -> None:
    quiet, busy, travelling = (
        personas["librarian"],
        personas["head_libraries"],
        personas["deputy_kultur"],
    )
    factories.application(applicant=quiet, status=Status.SETTLED)
    factories.application(applicant=travelling, status=Status.TRAVELLING)
    for person in (quiet, travelling):
        _gone_quiet(person)
    _gone_quiet(personas["admin"])
    due = set(privacy.due_for_anonymisation())
    assert quiet in due
    assert busy not in due  # logged in recently (the fixtures log people in)
    assert travelling not in due  # an application still under way
    assert personas["admin"] not in due  # administrators are kept by hand


def test_anonymising_keeps_the_statistics_and_removes_the_person(
    personas: dict[str, User],
) -> None:
    person = personas["librarian"]
    department = person.department
    application = factories.application(applicant=person, status=Status.SETTLED)
    host_countries = list(application.hosts.values_list("country_id", flat=True))
    SavedSearch.objects.create(user=person, name="Porto", query="porto")
    tokens.create(user=person, name="script", scope="write")
    _gone_quiet(person)
    application.refresh_from_db()
    before = (application.department_id, application.start, application.end,
              application.estimate, application.call_year, application.activity,
              application.status)  # fmt: skip

    out = io.StringIO()
    call_command("anonymise_expired", stdout=out)
    assert "anonymised 1 people" in out.getvalue()

    person.refresh_from_db()
    application.refresh_from_db()
    assert (person.first_name, person.last_name, person.eppn) == ("", "", None)
    assert person.email.endswith("@anonymised.invalid") and not person.is_active
    assert not person.has_usable_password()
    assert person.department == department  # statistics by department
    assert (application.department_id, application.start, application.end,
            application.estimate, application.call_year, application.activity,
            application.status) == before  # fmt: skip
    assert list(application.hosts.values_list("country_id", flat=True)) == host_countries
    assert application.objectives == application.work_cover == ""
    assert not SavedSearch.objects.filter(user=person).exists()
    assert not tokens.ApiToken.objects.filter(user=person).exists()
    assert Event.objects.about(person).filter(action="person.anonymised").exists()
    # Run again: nobody is due any more.
    again = io.StringIO()
    call_command("anonymise_expired", stdout=again)
    assert "anonymised 0 people" in again.getvalue()


def test_someone_not_past_retention_is_never_anonymised(personas: dict[str, User]) -> None:
    with pytest.raises(privacy.NotDue):
        privacy.anonymise(user=personas["librarian"], actor=Actor.system("test"))
    personas["librarian"].refresh_from_db()
    assert personas["librarian"].is_active


def test_the_admin_anonymises_the_selected_people_past_retention_only(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    quiet, active = personas["librarian"], personas["head_libraries"]
    _gone_quiet(quiet)
    response = client_for("admin").post(
        reverse("admin:accounts_user_changelist"),
        {"action": "anonymise_past_retention", "_selected_action": [quiet.pk, active.pk]},
        follow=True,
    )
    assert response.status_code == 200
    quiet.refresh_from_db()
    active.refresh_from_db()
    assert privacy.is_anonymised(quiet)
    assert not privacy.is_anonymised(active) and active.is_active
    assert Event.objects.about(quiet).get(action="person.anonymised").actor_user_id == (
        personas["admin"].pk
    )


# --- the event log is append-only ---------------------------------------------------------------


def _an_event(person: User) -> Event:
    return events.record(action="test.happened", actor=Actor.of(person), subject=person)


def test_django_refuses_to_change_or_delete_an_event(personas: dict[str, User]) -> None:
    event = _an_event(personas["librarian"])
    event.action = "test.rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).update(action="test.rewritten")
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.get(pk=event.pk).action == "test.happened"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_an_event(personas: dict[str, User]) -> None:
    event = _an_event(personas["librarian"])
    for sql in (
        "UPDATE core_event SET action = 'test.rewritten' WHERE id = %s",
        "UPDATE core_event SET actor_label = 'Someone else', actor_user_id = NULL WHERE id = %s",
        "DELETE FROM core_event WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert Event.objects.get(pk=event.pk).action == "test.happened"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_deleting_a_person_keeps_their_events_with_the_label(personas: dict[str, User]) -> None:
    person = User.objects.create_user("temp@example.org", "x", first_name="Tillfällig")
    event = _an_event(person)
    person.delete()
    event = Event.objects.get(pk=event.pk)
    assert event.actor_user_id is None and event.actor_label == "Tillfällig"


def test_an_anonymised_persons_events_say_anonymised_and_keep_what_happened(
    personas: dict[str, User],
) -> None:
    theirs, other = _an_event(personas["librarian"]), _an_event(personas["head_libraries"])
    person = personas["librarian"]
    _gone_quiet(person)
    privacy.anonymise(user=person, actor=Actor.system("test"))
    theirs_now, other_now = Event.objects.get(pk=theirs.pk), Event.objects.get(pk=other.pk)
    assert theirs_now.actor_label == "anonymised" and theirs.actor_label != "anonymised"
    assert (theirs_now.action, theirs_now.created_at, theirs_now.actor_user_id) == (
        theirs.action, theirs.created_at, person.pk
    )  # fmt: skip
    assert other_now.actor_label == other.actor_label != "anonymised"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_lets_only_the_anonymised_label_replace_a_name(
    personas: dict[str, User],
) -> None:
    event = _an_event(personas["librarian"])
    for sql in (
        "UPDATE core_event SET actor_label = 'Someone else' WHERE id = %s",
        "UPDATE core_event SET actor_label = 'anonymised', action = 'x.y' WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert Event.objects.forget_actor_name(personas["librarian"].pk) == 1
    assert Event.objects.get(pk=event.pk).actor_label == "anonymised"
