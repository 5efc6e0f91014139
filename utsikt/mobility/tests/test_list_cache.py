"""The work lists' repeated pages come from the cache, and every write shows on the next one.

The cache (core/cache.py private_page) files a page under the "workflow" revision, which
database triggers change on every write to the tables the lists read (migration 0010).
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from utsikt.accounts.demo import DEMO_PASSWORD
from utsikt.accounts.models import OrgUnit, RoleAssignment, User
from utsikt.core import cache, revision
from utsikt.core.actors import Actor
from utsikt.mobility import planning, workflow
from utsikt.mobility.factories import application, host
from utsikt.mobility.models import Application, Companion, Status

Role = RoleAssignment.Role
PAGES = {
    "/my/": "librarian",
    "/manager/": "head_libraries",
    "/office/": "officer_ht",
    "/finance/": "finance_ht",
}
# Read by every signed-in page but not shown by it: the session (in the cache table, or its
# own table behind it) and the revision itself.
NOT_SHOWN = {"utsikt_cache", "django_session", "core_revision"}


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.private_pages.clear()


def _filed(client: Client, path: str) -> str:
    """The page, once its second request has filed it (the first gets the CSRF cookie)."""
    client.get(path)
    return client.get(path).content.decode()


def _detail(application: Application) -> str:
    return reverse("mobility:application_detail", args=[application.pk])


def _tables(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?([a-z_0-9]+)"?', sql))


def _watched() -> set[tuple[str, str]]:
    """(table, INSERT/UPDATE/DELETE) of every trigger that changes the workflow revision."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND sql LIKE '%core_revision%' AND sql LIKE '%''workflow''%'"
            )
            return {
                (table, event)
                for table, sql in cursor.fetchall()
                for event in re.findall(r"AFTER (INSERT|UPDATE|DELETE)", sql)
            }
        cursor.execute(
            "SELECT event_object_table, event_manipulation FROM information_schema.triggers"
            " WHERE action_statement LIKE '%utsikt_workflow_changed%'"
        )
        return set(cursor.fetchall())


def test_every_table_a_work_list_reads_changes_the_workflow_revision(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    """A page that starts reading another table fails here until a trigger watches it."""
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    Companion.objects.create(application=plan, colleague=personas["economist"])
    paths = [
        *PAGES.items(),
        ("/my/?page=2", "librarian"),
        ("/manager/?page=2", "head_libraries"),
        ("/office/?status=submitted&department=ht-libraries", "officer_ht"),
        ("/office/?country=PT&call_year=2026&activity=job_shadowing", "officer_ht"),
        ("/my/", "economist"),  # the invitation to travel together
    ]
    watched = _watched()
    for path, key in paths:
        with CaptureQueriesContext(connection) as queries:
            assert client_for(key).get(path).status_code == 200  # no CSRF cookie: rendered
        read = set().union(*(_tables(query["sql"]) for query in queries)) - NOT_SHOWN
        unwatched = {
            (table, event)
            for table in read
            for event in ("INSERT", "UPDATE", "DELETE")
            if (table, event) not in watched
        }
        assert not unwatched, f"{path} reads tables no trigger watches: {sorted(unwatched)}"


def test_a_repeated_work_list_comes_from_the_cache_with_fewer_queries(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    for path, key in PAGES.items():
        client = client_for(key)
        client.get(path)
        with CaptureQueriesContext(connection) as first:
            page = client.get(path)
        with CaptureQueriesContext(connection) as again:
            repeated = client.get(path)
        assert repeated.content == page.content, path
        # The session and the revision, in one statement; the person and their roles from
        # the process's memory (accounts.backends.signed_in).
        assert len(again) == 1 < len(first), path
        assert repeated["Cache-Control"] == page["Cache-Control"]  # still private


def test_a_workflow_step_shows_on_the_next_page_of_each_list(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.DRAFT)
    refused = application(applicant=personas["economist"], status=Status.SUBMITTED)
    staff, manager, office = (client_for(k) for k in ("librarian", "head_libraries", "officer_ht"))
    economist = client_for("economist")
    assert "status-draft" in _filed(staff, "/my/")
    assert _detail(plan) not in _filed(manager, "/manager/")
    assert _detail(plan) not in _filed(office, "/office/")
    assert "status-rejected" not in _filed(economist, "/my/")

    workflow.submit(application=plan, actor=Actor.of(personas["librarian"]))
    assert "status-submitted" in staff.get("/my/").content.decode()
    assert _detail(plan) in manager.get("/manager/").content.decode()

    workflow.approve(application=plan, actor=Actor.of(personas["head_libraries"]))
    assert _detail(plan) in office.get("/office/").content.decode()

    workflow.reject(
        application=refused, actor=Actor.of(personas["head_libraries"]), comment="Not this year."
    )
    assert "status-rejected" in economist.get("/my/").content.decode()


def test_a_planner_save_that_logs_no_event_shows_on_the_staff_home(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.DRAFT)
    staff = client_for("librarian")
    assert "University of Athens" not in _filed(staff, "/my/")
    planning.save_draft(
        application=plan,
        by=personas["librarian"],
        version=plan.version,
        data={},
        hosts=[host(name="University of Athens", city="Athens", country="GR")],
    )
    assert "University of Athens" in staff.get("/my/").content.decode()


def test_a_bulk_update_and_a_direct_save_show_on_the_next_page(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    finance = client_for("finance_ht")
    assert "status-manager_approved" in _filed(finance, "/finance/")
    Application.objects.filter(pk=plan.pk).update(status=Status.GRANTED)
    assert "status-granted" in finance.get("/finance/").content.decode()

    plan.refresh_from_db()
    plan.status = Status.SIGNED
    plan.save()  # as the admin saves
    assert "status-signed" in finance.get("/finance/").content.decode()


def test_a_renamed_person_or_department_shows_on_the_next_page(
    personas: dict[str, User],
    org: dict[str, OrgUnit],
    client_for: Callable[[str | None], Client],
) -> None:
    application(applicant=personas["librarian"], status=Status.SUBMITTED)
    manager = client_for("head_libraries")
    assert "Mimmi" not in _filed(manager, "/manager/")
    User.objects.filter(pk=personas["librarian"].pk).update(first_name="Mimmi")
    assert "Mimmi" in manager.get("/manager/").content.decode()

    office = client_for("officer_ht")
    assert "Biblioteken i det blå" not in _filed(office, "/office/")
    libraries = org["ht-libraries"]
    libraries.name_sv = libraries.name_en = "Biblioteken i det blå"
    libraries.save()
    assert "Biblioteken i det blå" in office.get("/office/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_process_shows_on_the_next_page(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    application(applicant=personas["librarian"], status=Status.SUBMITTED)
    manager = client_for("head_libraries")
    assert "Mimmi" not in _filed(manager, "/manager/")

    def rename() -> None:  # on its own connection, committed when it returns
        try:
            User.objects.filter(pk=personas["librarian"].pk).update(first_name="Mimmi")
        finally:
            connection.close()

    elsewhere = threading.Thread(target=rename)
    elsewhere.start()
    elsewhere.join()
    assert "Mimmi" in manager.get("/manager/").content.decode()


def test_a_new_role_of_the_viewer_shows_in_the_navigation(
    personas: dict[str, User],
    org: dict[str, OrgUnit],
    client_for: Callable[[str | None], Client],
) -> None:
    staff = client_for("librarian")
    office_link = f'href="{reverse("mobility:office_home")}"'
    assert office_link not in _filed(staff, "/my/")
    RoleAssignment.objects.create(user=personas["librarian"], role=Role.OFFICER, unit=org["ht"])
    assert office_link in staff.get("/my/").content.decode()


def test_one_person_never_gets_another_persons_page(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    maja, jonas = client_for("librarian"), client_for("economist")
    maja.get("/my/")
    jonas.cookies["csrftoken"] = maja.cookies["csrftoken"].value  # even with one CSRF secret
    assert personas["librarian"].first_name in maja.get("/my/").content.decode()
    page = jonas.get("/my/").content.decode()
    assert personas["economist"].first_name in page
    assert personas["librarian"].first_name not in page


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _switch_language(client: Client, page: str) -> HttpResponse:
    response: HttpResponse = client.post(
        reverse("core:set_language"),
        {"csrfmiddlewaretoken": _token(page), "language": "en", "next": "/my/"},
    )
    return response


def test_the_same_person_in_a_second_browser_gets_forms_that_work(
    personas: dict[str, User],
) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(personas["librarian"])
    second.force_login(personas["librarian"])
    _filed(first, "/my/")
    page = _filed(second, "/my/")  # its own CSRF secret: its own page
    assert _switch_language(second, page).status_code == 302


def test_after_logging_out_and_in_again_the_page_has_a_working_token(
    personas: dict[str, User],
) -> None:
    client = Client(enforce_csrf_checks=True)

    def log_in() -> None:
        page = client.get(reverse("accounts:login")).content.decode()
        response = client.post(
            reverse("accounts:login"),
            {
                "username": personas["librarian"].email,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": _token(page),
            },
        )
        assert response.status_code == 302

    log_in()
    page = _filed(client, "/my/")
    client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": _token(page)})
    log_in()
    page = client.get("/my/").content.decode()
    assert _switch_language(client, page).status_code == 302


def test_a_waiting_message_is_shown_once_on_a_filed_page(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    staff = client_for("librarian")
    _filed(staff, "/my/")
    # A message that came with no write (an action refused, say), as the cookie carries it.
    storage = CookieStorage(HttpRequest())
    storage.add(constants.ERROR, "The plan could not be started.")
    carrier = HttpResponse()
    storage.update(carrier)
    staff.cookies["messages"] = carrier.cookies["messages"].value
    assert "The plan could not be started." in staff.get("/my/").content.decode()
    assert "The plan could not be started." not in staff.get("/my/").content.decode()


def test_each_language_has_its_own_filed_page(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    staff = client_for("librarian")
    assert '<html lang="sv">' in _filed(staff, "/my/")
    staff.cookies["django_language"] = "en"
    assert '<html lang="en">' in staff.get("/my/").content.decode()
    staff.cookies["django_language"] = "sv"
    assert '<html lang="sv">' in staff.get("/my/").content.decode()


def test_a_new_day_gives_a_new_page(
    personas: dict[str, User],
    org: dict[str, OrgUnit],
    client_for: Callable[[str | None], Client],
) -> None:
    today = timezone.localdate()
    RoleAssignment.objects.create(
        user=personas["librarian"], role=Role.FINANCE, unit=org["ht-libraries"], valid_until=today
    )
    staff = client_for("librarian")
    finance_link = f'href="{reverse("mobility:finance_home")}"'
    assert finance_link in _filed(staff, "/my/")
    tomorrow = today + datetime.timedelta(days=1)
    with mock.patch.object(timezone, "localdate", return_value=tomorrow):
        assert finance_link not in staff.get("/my/").content.decode()
        assert staff.get("/finance/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_writers_that_wait_for_each_others_rows_do_not_deadlock_over_the_key(
    personas: dict[str, User],
) -> None:
    """PostgreSQL: the key is changed at each commit, so a writer holds its lock only while
    committing. Were it taken at the first write and held to the commit, the second writer
    would wait for it holding its own row, which the first then waits for: a deadlock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    import psycopg

    first, second = (
        application(applicant=personas[key], status=Status.DRAFT)
        for key in ("librarian", "economist")
    )
    before = revision.latest("workflow")
    settings = connection.settings_dict
    dsn = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
    }
    touch = "UPDATE mobility_application SET objectives = objectives || '.' WHERE id = %s"
    with psycopg.connect(**dsn) as one, psycopg.connect(**dsn) as two:
        for each in (one, two):
            each.execute("SET lock_timeout = '10s'")
        one.execute(touch, [first.pk])
        two.execute(touch, [second.pk])  # waited for the first's lock on the key before
        failed: list[BaseException] = []

        def one_takes_the_second_row() -> None:
            try:
                one.execute(touch, [second.pk])  # waits for the second writer's row
                one.commit()
            except BaseException as error:  # a deadlock or a lock timeout
                failed.append(error)

        waiting = threading.Thread(target=one_takes_the_second_row)
        waiting.start()
        two.commit()
        waiting.join(timeout=30)
        assert not waiting.is_alive() and failed == []
    assert revision.latest("workflow") != before
    assert Application.objects.get(pk=second.pk).objectives.endswith("..")


def test_a_log_in_leaves_everyones_cached_work_lists_in_place(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    # A log-in writes the person's last_login, which no list shows (mobility migration 0011).
    application(applicant=personas["librarian"], status=Status.SUBMITTED)
    manager = client_for("head_libraries")
    page = _filed(manager, "/manager/")
    before = revision.latest(revision.WORKFLOW)
    response = Client().post(
        reverse("accounts:login"),
        {"username": personas["economist"].email, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    personas["economist"].refresh_from_db()
    assert personas["economist"].last_login is not None
    assert revision.latest(revision.WORKFLOW) == before
    with CaptureQueriesContext(connection) as queries:
        assert manager.get("/manager/").content.decode() == page
    assert len(queries) == 1


def _changed(field: Any, value: Any) -> Any:
    """Another valid value of a person's column."""
    if field.is_relation:
        # Another row of the table the column points to, so that the foreign key holds.
        return field.related_model.objects.exclude(pk=value).values_list("pk", flat=True).first()
    if isinstance(value, bool):
        return not value
    if isinstance(value, datetime.datetime):
        return value - datetime.timedelta(days=1)
    if field.choices:
        return next(choice for choice, _ in field.flatchoices if choice != value)
    return f"{value or ''}x"[: field.max_length]


def test_every_other_change_to_a_person_changes_the_workflow_revision(
    personas: dict[str, User],
) -> None:
    # The columns the triggers watch are written out in migration 0011: a new column of the
    # person fails here until a migration adds it.
    person = personas["librarian"]
    unwatched = []
    for field in User._meta.concrete_fields:
        if field.primary_key or field.attname == "last_login":
            continue
        before = revision.latest(revision.WORKFLOW)
        value = _changed(field, getattr(person, field.attname))
        User.objects.filter(pk=person.pk).update(**{field.attname: value})
        if revision.latest(revision.WORKFLOW) == before:
            unwatched.append(field.attname)
    assert unwatched == []
