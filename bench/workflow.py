"""The workflow's busiest lists at 1,000, 10,000 and 100,000 applications.

For each size it prints the SQL queries of each page (they must be equal at every size), and
requests/s and p50/p99 of each page as a ratio to the signed-in empty view (`/ping` with a
session cookie) measured in the same run, on the real server (granian, 1 worker). The summary
says whether the queries are equal and how far apart the requests/s of a page are between the
sizes (the target: within 20 %), and how far apart each size's ratio to the empty view is
(`ratio_spread`: the same, with the machine's drift between sizes taken out).

    .venv/bin/python -m bench.workflow [--database-url postgresql://…]
                                       [--sizes 1000,10000,100000] [--seconds 5]
                                       [--against REV]

With --against, the code of a git revision is served too, on the same database, and every
page is measured on both, one after the other at each size (`then` beside each figure);
queries are counted for today's code only. Each page is asked once before it is measured, on
both servers: the figures are of a page a person comes back to.

Without --database-url it builds a fresh SQLite file under bench/out/. The database grows
from one size to the next, so one run measures all sizes on the same rows.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import (
    EMPTY_VIEW,
    PYTHON,
    ROOT,
    SERVER_ENV,
    checkout,
    hammer,
    login_cookie,
    manage,
    prepare,
    print_json,
    ratio,
    serve,
)

PAGES = [
    ("staff_home", "/my/", "maja.lindqvist@example.org"),
    ("manager_inbox", "/manager/", "karin.ek@example.org"),
    ("office_pipeline", "/office/", "sofia.almgren@example.org"),
    ("finance_list", "/finance/", "oskar.falk@example.org"),
]

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


def count_queries(env: dict[str, str]) -> dict[str, int]:
    out = subprocess.run(
        [PYTHON, "-c", COUNT_QUERIES, json.dumps(PAGES)],
        cwd=ROOT,
        env={
            **os.environ,
            **SERVER_ENV,
            **env,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Every revision read on every page, as catalogue.py counts: a process trusts the
            # key it read for a second, so on a busy machine the count varied by one with
            # the time between the two requests (since 2026-11-30).
            "UTSIKT_REVISION_SECONDS": "0",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def grow_to(rows: int, env: dict[str, str]) -> None:
    have = count_queries(env)["applications"]
    if rows > have:
        manage("generate_applications", "--count", str(rows - have), env=env)
    if "postgres" in env["DATABASE_URL"]:
        manage("dbshell", "--", "-c", "ANALYZE", env=env)  # fresh statistics, as autovacuum would


def measure(env: dict[str, str], load: dict[str, Any], then: Path | None = None) -> dict[str, Any]:
    """The signed-in empty view and each page, side by side on one server.

    With `then`, a second server runs that checkout's code on the same database, and each
    figure is measured on both in turn, today's first (only one is hammered at a time; an
    idle server costs nothing).
    """
    with contextlib.ExitStack() as stack:
        servers = {"now": stack.enter_context(serve(env, prepared=True))}
        if then is not None:
            servers["then"] = stack.enter_context(serve(env, prepared=True, root=then))
        cookies = {
            (label, email): login_cookie(base, email)
            for label, base in servers.items()
            for _n, _p, email in PAGES
        }
        empty = {
            label: hammer(
                base + EMPTY_VIEW, headers={"Cookie": cookies[label, PAGES[0][2]]}, **load
            )
            for label, base in servers.items()
        }
        pages: dict[str, Any] = {}
        for name, path, email in PAGES:
            for label, base in servers.items():
                # One request first, as a person opens the page before coming back to it:
                # the figures are of the page served again (a cached page is made once per
                # revision and person; the first request of a process also compiles the
                # templates), not of eight connections asking for its first rendering at once.
                warm = urllib.request.Request(
                    base + path, headers={"Cookie": cookies[label, email]}
                )
                urllib.request.urlopen(warm, timeout=60).read()
                measured = hammer(base + path, headers={"Cookie": cookies[label, email]}, **load)
                figures = {**measured, "to_signed_in_empty_view": ratio(measured, empty[label])}
                if label == "now":
                    pages[name] = figures
                else:
                    pages[name]["then"] = figures
    result = {"signed_in_empty_view": empty["now"], "pages": pages}
    if then is not None:
        result["signed_in_empty_view_then"] = empty["then"]
    return result


def spread(figures: list[float]) -> float | None:
    """How far the lowest figure is below the highest, as a share of the highest."""
    return round(1 - min(figures) / max(figures), 3) if max(figures) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--against", default="", help="a git revision whose code to measure beside today's"
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    if args.database_url:
        env = {"DATABASE_URL": args.database_url}
        prepare(env)
        manage("flush", "--no-input", env=env)
    else:
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("workflow.sqlite3*"):
            old.unlink()
        env = {"DATABASE_URL": f"sqlite:///{Path(out) / 'workflow.sqlite3'}"}
    prepare(env)

    load = {"seconds": args.seconds, "concurrency": args.concurrency}
    at: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        then = stack.enter_context(checkout(args.against, env)) if args.against else None
        for size in sizes:
            grow_to(size, env)
            queries = count_queries(env)
            measured = measure(env, load, then)
            at[str(size)] = {
                "applications": queries["applications"],
                **{k: v for k, v in measured.items() if k != "pages"},
                "pages": {
                    name: {"queries": queries[name], **measured["pages"][name]}
                    for name, _p, _e in PAGES
                },
            }

    summary = {}
    for name, _path, _email in PAGES:
        per_size = [at[str(size)]["pages"][name] for size in sizes]
        rps = [page["rps"] for page in per_size]
        ratios = [page["to_signed_in_empty_view"] for page in per_size]
        largest = per_size[-1]
        summary[name] = {
            "queries": [page["queries"] for page in per_size],
            "queries_equal": len({page["queries"] for page in per_size}) == 1,
            "rps": rps,
            # How far the slowest size is below the fastest: the target is at most 0.2.
            "rps_spread": spread(rps),
            "to_signed_in_empty_view": ratios,
            # The same, of each size's ratio to the empty view measured beside it: what is
            # left of the spread when the machine's own drift between sizes is taken out.
            "ratio_spread": spread(ratios),
            "p50_ms": [page["p50_ms"] for page in per_size],
            "p99_ms": [page["p99_ms"] for page in per_size],
            "at_largest_meets_target": largest["to_signed_in_empty_view"] >= 0.3
            and largest["p99_ms"] < 100,
        }
        if args.against:
            rps_then = [page["then"]["rps"] for page in per_size]
            summary[name]["then"] = {
                "revision": args.against,
                "rps": rps_then,
                "rps_spread": spread(rps_then),
                "to_signed_in_empty_view": [
                    page["then"]["to_signed_in_empty_view"] for page in per_size
                ],
                "p50_ms": [page["then"]["p50_ms"] for page in per_size],
                "p99_ms": [page["then"]["p99_ms"] for page in per_size],
            }
    print_json(
        {
            "database": "postgresql" if args.database_url else "sqlite",
            "server": "granian WSGI, 1 worker, DEBUG off, full middleware",
            "load": load,
            "sizes": sizes,
            "summary": summary,
            "at": at,
        }
    )


if __name__ == "__main__":
    main()
