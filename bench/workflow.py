"""The workflow's busiest pages with 100 and with 100,000 applications behind them.

Prints JSON: SQL queries of the staff home, the manager inbox and the office pipeline at
both sizes (they must be equal), and requests/s and p50/p99 of each page at 100,000
applications as a ratio to the empty view, measured in the same run on the real server.

    .venv/bin/python -m bench.workflow [--database-url postgresql://…] [--rows 100000]

Without --database-url it builds a fresh SQLite file under bench/out/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

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

PAGES = [
    ("staff_home", "/my/", "maja.lindqvist@example.org"),
    ("manager_inbox", "/manager/", "karin.ek@example.org"),
    ("office_pipeline", "/office/", "sofia.almgren@example.org"),
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
            **__import__("os").environ,
            **SERVER_ENV,
            **env,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    if args.database_url:
        env = {"DATABASE_URL": args.database_url}
        manage("flush", "--no-input", env=env)
    else:
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("workflow.sqlite3*"):
            old.unlink()
        env = {"DATABASE_URL": f"sqlite:///{Path(out) / 'workflow.sqlite3'}"}
    prepare(env)
    grow_to(100, env)
    small = count_queries(env)
    grow_to(args.rows, env)
    large = count_queries(env)

    load = {"seconds": args.seconds, "concurrency": args.concurrency}
    with serve(env, prepared=True) as base:
        empty = hammer(base + EMPTY_VIEW, **load)
        pages = {}
        for name, path, email in PAGES:
            cookie = login_cookie(base, email)
            measured = hammer(base + path, headers={"Cookie": cookie}, **load)
            pages[name] = {**measured, "ratio_to_empty_view": ratio(measured, empty)}

    print_json(
        {
            "database": "postgresql" if args.database_url else "sqlite",
            "queries_per_page": {
                name: {
                    "at_100": small[name],
                    "at_large": large[name],
                    "equal": small[name] == large[name],
                }
                for name, _path, _email in PAGES
            },
            "applications": {"small": small["applications"], "large": large["applications"]},
            "load": load,
            "empty_view": empty,
            "pages_at_large": pages,
        }
    )


if __name__ == "__main__":
    main()
