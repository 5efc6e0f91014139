"""Shared test fixtures: the demo personas, one for every role, and clients logged in as them."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from utsikt.accounts import demo
from utsikt.accounts.models import OrgUnit, User
from utsikt.core import revision
from utsikt.grants import rates, reference, trips

# Compiled modules: a test run starts some twenty Python processes (pytest-xdist's two, and
# manage.py commands, web servers and task workers that tests start), each importing Django,
# the project and their packages. Where PYTHONDONTWRITEBYTECODE is set, as on these machines,
# each compiled the project's modules again (collecting the tests alone took 13 s instead of
# 5 s of CPU). The tests write them, as Python does by default, to the __pycache__ folders git
# ignores; the packages' own compiled files in the virtual environment are read as before (a
# separate folder for compiled files would ignore those and compile every package anew on a
# fresh checkout). The processes that pytest starts inherit the setting.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
    sys.dont_write_bytecode = False


class ReferenceCopy:
    """The reference data's rows as the database holds them, taken once per test database,
    and a count of the writes to them since.

    `reference.load()` builds some 55,000 rows through the ORM (1.1 s on SQLite, 3.3 s on
    PostgreSQL, measured on an idle-ish machine). A transactional test ends with a flush; it
    leaves these tables as they are unless the test wrote to them, which triggers installed
    in the test database only (`watch`) count. When it did, the flush empties them too and
    the rows come back from this copy, with the ids they had, exactly as loaded (about a
    third of the time a load takes: 0.35 s and 0.9 s). Emptying and putting back 55,000
    rows cost every transactional test about 0.7 s on SQLite; the count costs a query.
    """

    COUNTER = "test_reference_writes"  # a table on SQLite, a sequence on PostgreSQL

    def __init__(self) -> None:
        self.tables: list[tuple[str, list[str], Any]] = []
        self.watched = False
        self.writes_before: int | None = None  # the count when the transactional test began

    @staticmethod
    def _models() -> list[Any]:
        return list(apps.get_app_config("grants").get_models(include_auto_created=True))

    def table_names(self) -> set[str]:
        return {model._meta.db_table for model in self._models()}

    def take(self) -> None:
        self.tables = []
        with connection.cursor() as cursor:
            for model in self._models():
                table = model._meta.db_table
                columns = [field.column for field in model._meta.local_concrete_fields]
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                quoted = connection.ops.quote_name(table)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {quoted} ({names}) TO STDOUT") as copy:
                        rows: Any = b"".join(bytes(block) for block in copy)
                else:
                    cursor.execute(f"SELECT {names} FROM {quoted}")  # noqa: S608
                    rows = cursor.fetchall()
                self.tables.append((quoted, [connection.ops.quote_name(c) for c in columns], rows))

    def watch(self) -> None:
        """Count every row written to the reference tables, by any connection or process.

        Row triggers, so that loading again (which inserts nothing when nothing is missing)
        counts nothing. On PostgreSQL the count is a sequence: it does not make a transaction
        write one row again and again, and it is never rolled back (a rolled-back write still
        counts, which only costs a put-back).
        """
        counter = self.COUNTER
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE SEQUENCE {counter}")
                cursor.execute(
                    f"CREATE FUNCTION {counter}_count() RETURNS trigger LANGUAGE plpgsql AS"
                    f" $$ BEGIN PERFORM nextval('{counter}'); RETURN NULL; END $$"
                )
                for table in sorted(self.table_names()):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_{counter} AFTER INSERT OR UPDATE OR DELETE"
                        f" ON {table} FOR EACH ROW EXECUTE FUNCTION {counter}_count()"
                    )
                    cursor.execute(
                        f"CREATE TRIGGER {table}_{counter}_truncate AFTER TRUNCATE"
                        f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {counter}_count()"
                    )
            else:
                cursor.execute(f"CREATE TABLE {counter} (n integer NOT NULL)")
                cursor.execute(f"INSERT INTO {counter} (n) VALUES (0)")  # noqa: S608
                for table in sorted(self.table_names()):
                    for operation in ("insert", "update", "delete"):
                        trigger = f"{table}_{counter}_{operation}"
                        count = f"UPDATE {counter} SET n = n + 1"  # noqa: S608
                        cursor.execute(
                            f"CREATE TRIGGER {trigger} AFTER {operation.upper()} ON {table}"
                            f" BEGIN {count}; END"
                        )
        self.watched = True

    def writes(self) -> int:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT last_value + is_called::int FROM {self.COUNTER}")  # noqa: S608
            else:
                cursor.execute(f"SELECT n FROM {self.COUNTER}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def written(self) -> bool:
        """Whether the reference tables may differ from the copy (always, when unwatched)."""
        return not self.watched or self.writes_before is None or self.writes() != self.writes_before

    def put_back(self) -> None:
        """Put the rows back into the emptied tables (or load them, when some are left)."""
        models = self._models()
        if not self.tables or any(m._default_manager.exists() for m in models):
            reference.load()
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for quoted, columns, rows in self.tables:
                names = ", ".join(columns)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                        copy.write(rows)
                elif rows:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", rows)  # noqa: S608
        trips.forget_places()
        rates.forget()


REFERENCE = ReferenceCopy()

# Debian's Chromium, for every browser test (pytest-playwright launches it).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the reference data (countries, places, rates) once per test database.

    Tests read it; a transactional test's flush keeps it, or, when the test wrote to it,
    empties it and puts it back from a copy of its rows (see pytest_runtest_teardown below).
    """
    with django_db_blocker.unblock():
        reference.load()
        REFERENCE.take()
        REFERENCE.watch()
        REFERENCE.writes_before = REFERENCE.writes()


@pytest.fixture(scope="session")
def live_server(live_server: Any, django_db_setup: None, django_db_blocker: Any) -> Any:
    """pytest-django's live server, warmed up by one request; at the end it also ends the
    test database's other PostgreSQL sessions, so that the database can be dropped.

    Django keeps a connection per thread and per context, and Playwright's sync API runs the
    browser tests on greenlets: connections opened there are not the one pytest-django
    closes, and would stay idle until the process ends.
    """
    # The first page a fresh process serves takes seconds (imports, templates, translations);
    # served here, in this process, it does not eat into the first browser test's timeout.
    with django_db_blocker.unblock():
        Client().get("/")
        cache.clear()  # what it cached is no test's
    yield live_server
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()  # this one too may belong to a context pytest-django never sees


class DemoRows:
    """The rows that `demo.load_organisation()` and then `demo.load_personas()` write, taken
    once per test process, for the `org` and `personas` fixtures to write again.

    Most tests ask for the personas. Made through the factories (get_or_create, a password,
    roles, managers: some 200 queries) they cost about 0.07 s a test; the same rows written
    by a bulk insert per table cost a few milliseconds. The rows are what the two loaders
    themselves wrote to empty tables, in a transaction then rolled back; they are written
    again only to empty tables (otherwise the loaders run, as they always did), and a field
    that the loaders fill with the time (`date_joined`) gets the time of writing. The
    fixtures return new model instances each time, linked as the loaders link them (a unit's
    parent, a person's department and manager), so that no test sees another's objects.
    """

    def __init__(self) -> None:
        # Per loader: each model it wrote, with every row's field values.
        self.steps: dict[str, list[tuple[Any, list[dict[str, Any]]]]] = {}

    @staticmethod
    def _models() -> list[Any]:
        # core_revision: the loaders' writes change its "workflow" row through the
        # database's triggers (mobility migration 0010), and so do the rows written again.
        return [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table not in REFERENCE.table_names()
            and model._meta.db_table != "core_revision"
        ]

    def _counts(self) -> dict[Any, int]:
        return {model: model._default_manager.count() for model in self._models()}

    def take(self) -> None:
        """Run the loaders and keep what each wrote, when every table it wrote was empty."""
        steps: dict[str, list[tuple[Any, list[dict[str, Any]]]]] = {}
        with transaction.atomic():
            before = self._counts()
            units: dict[str, OrgUnit] = {}
            for step in ("org", "personas"):
                if step == "org":
                    units = demo.load_organisation()
                else:
                    demo.load_personas(units)
                after = self._counts()
                written = [model for model in after if after[model] != before[model]]
                if any(before[model] for model in written):
                    steps = {}
                    break
                steps[step] = [(model, self._rows(model)) for model in written]
                before = after
            transaction.set_rollback(True)
        self.steps = steps

    @staticmethod
    def _rows(model: Any) -> list[dict[str, Any]]:
        names = [field.attname for field in model._meta.concrete_fields]
        return list(model._default_manager.order_by("pk").values(*names))

    def write(self, step: str) -> list[Any] | None:
        """Write the step's rows again and return them as instances; None when a table the
        step writes has rows already, or the rows could not be taken (the loader runs)."""
        if not self.steps and not (OrgUnit.objects.exists() or User.objects.exists()):
            self.take()
        rows = self.steps.get(step)
        if not rows or any(model._default_manager.exists() for model, _ in rows):
            return None
        now = timezone.now()
        made = []
        with transaction.atomic():  # references are checked at the end
            for model, values in rows:
                stamped = dict.fromkeys(
                    (
                        field.attname
                        for field in model._meta.concrete_fields
                        if field.default is timezone.now
                        or getattr(field, "auto_now", False)
                        or getattr(field, "auto_now_add", False)
                    ),
                    now,
                )
                made += model._default_manager.bulk_create(
                    [model(**{**row, **stamped}) for row in values]
                )
        return made

    def wrote_org(self, units: dict[str, OrgUnit]) -> bool:
        """Whether these units are the ones `write("org")` wrote (the personas refer to them)."""
        rows = dict(self.steps.get("org", []))
        return {unit.pk: unit.code for unit in units.values()} == {
            row["id"]: row["code"] for row in rows.get(OrgUnit, [])
        }


DEMO_ROWS = DemoRows()


@pytest.fixture
def org(db: None) -> dict[str, OrgUnit]:
    """The demo university, faculties `ht` and `s`, and their departments, by code."""
    made = DEMO_ROWS.write("org")
    if made is None:
        return demo.load_organisation()
    units = {unit.pk: unit for unit in made if isinstance(unit, OrgUnit)}
    for unit in units.values():
        if unit.parent_id is not None:
            unit.parent = units[unit.parent_id]
    return {unit.code: unit for unit in units.values()}


@pytest.fixture
def personas(org: dict[str, OrgUnit]) -> dict[str, User]:
    """Every demo persona by key (see utsikt/accounts/demo.py)."""
    made = DEMO_ROWS.write("personas") if DEMO_ROWS.wrote_org(org) else None
    if made is None:
        return demo.load_personas(org)
    units = {unit.pk: unit for unit in org.values()}
    people = {person.pk: person for person in made if isinstance(person, User)}
    for person in people.values():
        if person.department_id is not None:
            person.department = units[person.department_id]
        if person.manager_id is not None:
            person.manager = people[person.manager_id]
    by_email = {person.email: person for person in people.values()}
    return {persona.key: by_email[persona.email] for persona in demo.PERSONAS}


@pytest.fixture
def client_for(personas: dict[str, User]) -> Callable[[str | None], Client]:
    """A test client logged in as the persona with this key (None: anonymous)."""

    def make(key: str | None) -> Client:
        client = Client()
        if key is not None:
            client.force_login(personas[key])
        return client

    return make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give database access to tests that read the reference data through session fixtures.

    pytest-django creates the test database only when a selected test is marked `django_db`
    (or asks for `db`); a file of pure rule tests whose fixtures read the rates would
    otherwise find no tables when it runs alone.
    """
    for item in items:
        needs_database = "django_db_setup" in getattr(item, "fixturenames", ())
        if needs_database and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


# How the two test processes (pytest-xdist, `-n 2`) share the work. Dealt out in batches in
# collection order, the platform tests came last and ended on whichever process was free, and
# the web processes behind nginx that tests/platform/test_two_machines.py starts once per
# module were started in both processes. So tests are dealt out one at a time (a platform
# module whole, to one process) in the order set below: the platform tests first, the
# browser tests last, the longest of them first, so that the two processes end together.
# (`--dist loadgroup` would keep a module together, but pytest-xdist 3.8 cannot name a
# test's group under pytest 9.)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    explicit = any(arg == "-d" or arg.startswith("--dist") for arg in config.invocation_params.args)
    if explicit or config.option.dist != "load":
        return None  # as asked
    from xdist.scheduler import LoadScopeScheduling

    class OneAtATime(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return module if module.startswith("tests/platform/") else nodeid

    config.option.loadscopereorder = False  # keep the collection's order
    return OneAtATime(config, log)


def _place(item: pytest.Item) -> int:
    """Where a test runs in its process: platform first, browser last.

    Browser tests run after every other test of their process because Playwright's session
    keeps an event loop running in the main thread from the first browser test on, and
    code that calls asyncio.run() (sealing PDFs) cannot run there after it.
    """
    if item.get_closest_marker("platform") is not None:  # servers, nginx, backups
        return 0
    if item.get_closest_marker("browser") is not None:
        return 3 if item.nodeid.startswith("tests/browser/test_every_page.py") else 4
    database = item.get_closest_marker("django_db")
    return 1 if database is not None and database.kwargs.get("transaction") else 2


@pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")
def pytest_collection_in_place(items: list[pytest.Item]) -> None:
    """Sort the tests by `_place` (stable: within a place, the order pytest collected); last
    of all hooks, when every conftest has marked its tests."""
    items.sort(key=_place)


def _transactional_with_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Any:
    """Before a transactional test (and its fixtures), note the count of reference writes."""
    if _transactional_with_database(item) and REFERENCE.watched:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            REFERENCE.writes_before = REFERENCE.writes()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test's flush keeps the reference tables unless the test wrote to them;
    then they are emptied with the rest and put back from the copy."""
    # Only after a test that had its database (a skipped test had none, and flushed nothing).
    had_database = "_django_db_marker" in getattr(item, "funcargs", {})
    if not (_transactional_with_database(item) and had_database):
        return (yield)
    from django.core.management.commands import flush

    everything = flush.sql_flush
    kept: list[bool] = []

    def sql_flush(style: Any, connection: Any, **options: Any) -> list[str]:
        """Django's flush statements, without the reference tables when nothing wrote them."""
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        keep = not REFERENCE.written()
        kept.append(keep)
        if keep:
            tables = [table for table in tables if table not in REFERENCE.table_names()]
        return list(connection.ops.sql_flush(style, tables, **options))

    flush.sql_flush = sql_flush
    try:
        result = yield
    finally:
        flush.sql_flush = everything
    if nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            if kept == [True]:
                # Putting the rows back changed the "workflow" revision through the database's
                # triggers (mobility migration 0010), and the flush removed its row: the tests
                # that follow find one, as they did when the rows were put back.
                revision.bump("workflow")
                trips.forget_places()
                rates.forget()
            else:
                REFERENCE.put_back()
            REFERENCE.writes_before = None
    return result
