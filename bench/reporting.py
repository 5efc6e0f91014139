"""The reports with 100 and with 100,000 mobilities behind them.

Prints JSON, in one run: the SQL queries of the ledger, budget, dashboard, EU pre-check and
late list at both sizes (they must be equal); requests/s and p50/p99 of the dashboard and
the ledger at the large size as a ratio to the signed-in empty view, measured in the same
run on the real server; and time and peak memory of the CSV and XLSX exports (the ledger's
and the EU file's through their routes, and the ledger's writer over every mobility).

    .venv/bin/python -m bench.reporting [--database-url postgresql://…] [--rows 100000]

Without --database-url it builds a fresh SQLite file under bench/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import (
    EMPTY_VIEW,
    PYTHON,
    ROOT,
    SERVER_ENV,
    hammer,
    login_cookie,
    manage,
    prepare,
    print_json,
    ratio,
    serve,
)

OFFICER = "sofia.almgren@example.org"
FINANCE = "oskar.falk@example.org"
PAGES = [
    ("ledger", "/reports/ledger/", OFFICER),
    ("ledger_finance", "/reports/ledger/", FINANCE),
    ("budget", "/reports/budget/", OFFICER),
    ("dashboard", "/reports/dashboard/", OFFICER),
    ("eu_precheck", "/reports/eu/", OFFICER),
    ("late", "/reports/late/", OFFICER),
]
HAMMERED = ["dashboard", "ledger"]

# Money for the generated mobilities: the grant allocated to every granted one, the actual
# cost of those back home, the reimbursement of the settled ones; idempotent.
ADD_MONEY = """
import datetime, decimal, random, django
django.setup()
from django.db import transaction
from utsikt.accounts.models import User
from utsikt.mobility.models import ActualCost, Allocation, Application, Reimbursement, Status
from utsikt.mobility.money import in_sek
officer = User.objects.get(email=%(officer)r)
finance = User.objects.get(email=%(finance)r)
rng = random.Random(2026)
D = decimal.Decimal
granted = Application.objects.filter(status__in=Application.GRANTED_OR_LATER)
def batches(queryset):
    ids = list(queryset.values_list("pk", "estimate"))
    for start in range(0, len(ids), 5000):
        yield ids[start:start + 5000]
for batch in batches(granted.filter(allocation__isnull=True)):
    with transaction.atomic():
        Allocation.objects.bulk_create([
            Allocation(application_id=pk, amount_eur=D(e.get("total_eur", 1000)),
                       estimate_eur=D(e.get("total_eur", 1000)), allocated_by=officer)
            for pk, e in batch], batch_size=1000)
back = Application.objects.filter(status__in=[Status.COMPLETED, Status.SETTLED])
for batch in batches(back.filter(actual_cost__isnull=True)):
    with transaction.atomic():
        ActualCost.objects.bulk_create([
            ActualCost(application_id=pk, amount_sek=D(rng.randrange(500000, 3000000)) / 100,
                       recorded_by=finance)
            for pk, _e in batch], batch_size=1000)
for batch in batches(back.filter(status=Status.SETTLED, reimbursement__isnull=True)):
    with transaction.atomic():
        rows = []
        for pk, e in batch:
            eur, rate = D(e.get("total_eur", 1000)), D("11.4525")
            day = datetime.date(2026, 6, 1) + datetime.timedelta(days=rng.randrange(300))
            rows.append(Reimbursement(application_id=pk, amount_eur=eur, rate=rate,
                        rate_date=day, amount_sek=in_sek(eur, rate), paid_on=day,
                        recorded_by=officer))
        Reimbursement.objects.bulk_create(rows, batch_size=1000)
# The EU export's project per call year and an Organisation ID for every host (invented).
from utsikt.catalogue.models import HostOrganisation
from utsikt.reporting.models import Project
for year in Application.objects.values_list("call_year", flat=True).distinct():
    Project.objects.get_or_create(call_year=year, defaults={
        "grant_agreement_number": f"{year}-1-SE01-KA131-HED-000123", "sending_oid": "E10208734"})
for host in HostOrganisation.objects.filter(oid="").only("pk"):
    HostOrganisation.objects.filter(pk=host.pk).update(oid=f"E1{host.pk:07d}")
print(Application.objects.count())
"""

ANALYZE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""

COUNT_QUERIES = """
import json, sys, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from utsikt.accounts.models import User
from utsikt.mobility.models import Application
result = {"applications": Application.objects.count()}
for name, path, email in json.loads(sys.argv[1]):
    client = Client()
    client.force_login(User.objects.get(email=email))
    client.get(path)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    assert status == 200, (path, status)
    result[name] = len(queries)
print(json.dumps(result))
"""

# One export in a fresh process: its time without tracing, then its peak Python memory
# with tracemalloc in a second pass, and the process's peak resident size.
EXPORT = """
import json, resource, sys, time, tracemalloc, django
django.setup()
from django.test import Client
from utsikt.accounts.models import User
from utsikt.mobility.models import Application
from utsikt.reporting import exports, views
kind, path = sys.argv[1], sys.argv[2]
client = Client()
client.force_login(User.objects.get(email=%(officer)r))

def run():
    if kind == "writer-csv":
        rows = 0
        every = views._ledger_rows(Application.objects.all())
        for _line in exports.csv_lines(views.LEDGER_HEADER, every):
            rows += 1
        return rows - 1, 0
    if kind == "writer-xlsx":
        import tempfile
        with tempfile.TemporaryFile() as out:
            counted = [0]
            def rows():
                for row in views._ledger_rows(Application.objects.all()):
                    counted[0] += 1
                    yield row
            exports.write_xlsx(out, views.LEDGER_HEADER, rows())
            return counted[0], out.tell()
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    size = 0
    lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\\n")
    return (lines - 1 if path.endswith(".csv") or "csv" in path else None), size

started = time.perf_counter()
rows, size = run()
seconds = time.perf_counter() - started
tracemalloc.start()
run()
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({
    "rows": rows,
    "bytes": size,
    "seconds": round(seconds, 2),
    "python_peak_mb": round(peak / 2**20, 1),
    "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""

EXPORTS = [
    ("ledger_csv", "route", "/reports/ledger.csv"),
    ("ledger_xlsx", "route", "/reports/ledger.xlsx"),
    ("eu_csv", "route", "/reports/eu/import.csv?passing=1"),
    ("eu_xlsx", "route", "/reports/eu/import.xlsx?passing=1"),
    ("ledger_writer_csv_every_mobility", "writer-csv", ""),
    ("ledger_writer_xlsx_every_mobility", "writer-xlsx", ""),
]


def _python(code: str, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [PYTHON, "-c", code, *args],
        cwd=ROOT,
        env={
            **os.environ,
            **SERVER_ENV,
            **env,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def count_queries(env: dict[str, str]) -> dict[str, int]:
    out = _python(COUNT_QUERIES, json.dumps(PAGES), env=env)
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def grow_to(rows: int, env: dict[str, str]) -> None:
    have = count_queries(env)["applications"]
    if rows > have:
        manage("generate_applications", "--count", str(rows - have), env=env)
    _python(ADD_MONEY % {"officer": OFFICER, "finance": FINANCE}, env=env)


def export_figures(env: dict[str, str]) -> dict[str, Any]:
    figures = {}
    for name, kind, path in EXPORTS:
        out = _python(EXPORT % {"officer": OFFICER}, kind, path, env=env)
        figures[name] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the SQLite file of an earlier run (migrated and topped up, not rebuilt)",
    )
    parser.add_argument(
        "--no-exports", action="store_true", help="measure the pages only, not the exports"
    )
    args = parser.parse_args()

    if args.database_url:
        env = {"DATABASE_URL": args.database_url}
        manage("flush", "--no-input", env=env)
    else:
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("reporting.sqlite3*") if not args.keep else []:
            old.unlink()
        env = {"DATABASE_URL": f"sqlite:///{Path(out) / 'reporting.sqlite3'}"}
    prepare(env)
    grow_to(100, env)
    small = count_queries(env)
    grow_to(args.rows, env)
    # The planner's statistics, as a database in use has them (PostgreSQL's autovacuum
    # gathers them by itself; SQLite keeps them after `ANALYZE` or `PRAGMA optimize`).
    _python(ANALYZE, env=env)
    large = count_queries(env)

    load = {"seconds": args.seconds, "concurrency": args.concurrency}
    with serve(env, prepared=True) as base:
        cookie = {"Cookie": login_cookie(base, OFFICER)}
        empty = hammer(base + EMPTY_VIEW, headers=cookie, **load)
        pages = {}
        paths = {name: path for name, path, _email in PAGES}
        for name in HAMMERED:
            # One request alone first: its time is the cold figure (the dashboard then
            # answers from its cache for a minute, as it does in use).
            started = time.perf_counter()
            request = urllib.request.Request(base + paths[name], headers=cookie)
            urllib.request.urlopen(request, timeout=300).read()
            first = round(time.perf_counter() - started, 2)
            measured = hammer(base + paths[name], headers=cookie, **load)
            pages[name] = {
                **measured,
                "first_request_seconds": first,
                "ratio_to_signed_in_empty_view": ratio(measured, empty),
            }

    print_json(
        {
            "database": "postgresql" if args.database_url else "sqlite",
            "queries_per_page": {
                name: {
                    "at_small": small[name],
                    "at_large": large[name],
                    "equal": small[name] == large[name],
                }
                for name, _path, _email in PAGES
            },
            "applications": {"small": small["applications"], "large": large["applications"]},
            "load": load,
            "signed_in_empty_view": empty,
            "pages_at_large": pages,
            "exports_at_large": {} if args.no_exports else export_figures(env),
        }
    )


if __name__ == "__main__":
    main()
