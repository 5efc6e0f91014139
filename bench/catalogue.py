"""How fast the catalogue search is, on SQLite and PostgreSQL, with 100,000 opportunities.

Prints JSON with, for each database:
- queries per page: SQL queries of each search page (list, facets, map, calendar) with the
  result cache empty and the catalogue revision read on every page, at 100 and at 100,000
  opportunities; they must be equal;
- http: requests/s, p50 and p99 of search pages (rare, common, prefix and two-word terms,
  with and without facets) on the real server, as a ratio to the empty view (`/ping`) in
  the same run. Repeating a URL hits the per-process result cache (what a popular search
  costs); `cold` requests 120 different searches once each (what a new search costs);
- first_time: each kind of search asked 40 times through the search function with the result
  cache off, so that every request is a first-time search: p50, p99 and requests/s for the
  database's own engine (FTS5 on SQLite, tsvector on PostgreSQL), against < 30 / < 100 ms,
  and (since 2026-11-30) the median CPU time of a search, this process's and its PostgreSQL
  server process's (when the server runs here), which another job on the machine disturbs
  far less than the wall time. The searches run under the catalogue's revision, so the
  search terms across languages and (since 2026-11-30) the facet bitmaps are read once per
  revision as on a server (until 2026-11-30 the terms were read anew per search);
  `common_after_a_write` is the common word's search right after one opportunity is saved
  again (not timed; until the evening of 2026-11-30 a made-up revision stood for the
  write), i.e. the first search after a catalogue write, which pays for reading them or
  (since then) for bringing the bitmaps up to date;
- engines: the same searches through the search function with the cache off, by SQLite
  FTS5 or PostgreSQL's tsvector, and by a plain `icontains` scan, side by side.

    .venv/bin/python -m bench.catalogue [--opportunities 100000] [--seconds 5]
        [--concurrency 8] [--database-url postgresql://…] [--no-postgresql]
        [--first-time-only] [--against REV [--rounds 2]] [--requests 40]
        [--existing --sqlite-file PATH]

SQLite uses a fresh file under bench/out/; PostgreSQL a fresh database `utsikt_bench_catalogue`
on the local server (or the URL given), dropped and created again by this script. With
`--existing` the databases are used as they are (a SQLite file and the PostgreSQL URL that
already hold the catalogue, e.g. from an earlier run) and only first-time searches are measured.

With --against, first-time searches are also run by the code of a git revision, on the same
database, alternating with today's code (`--rounds` each): `first_time.against` holds both
figures per round and kind, and the ratio of the medians (then / now; above 1 is faster now).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
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
    manage,
    print_json,
    ratio,
    serve,
)

DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/utsikt_bench_catalogue"
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
FIRST_TIME_REQUESTS = int(os.environ.get("UTSIKT_BENCH_FIRST_TIME_REQUESTS", "40"))
FIRST_TIME_TARGET_MS = {"p50_ms": 30.0, "p99_ms": 100.0}

# The pages a visitor asks for: the term classes of the brief, with and without facets.
PAGES = {
    "empty": "/catalogue/",
    "rare": "/catalogue/?q=lighthouse",
    "common": "/catalogue/?q=library",
    "prefix": "/catalogue/?q=bibliot",
    "two_words": "/catalogue/?q=open+science",
    "facets_only": "/catalogue/?topic=it&fee=free&more=open",
    "common_with_facets": "/catalogue/?q=library&country=PT&category=librarian&more=open",
    "rare_with_facets": "/catalogue/?q=lighthouse&fee=free&past=on",
    "map": "/catalogue/map/?q=library",
    "calendar": "/catalogue/calendar/?q=open+science",
}
# (query, filters) for the engine comparison; filters as keyword arguments of search.Filters.
SEARCHES: dict[str, tuple[str, dict[str, Any]]] = {
    "rare": ("lighthouse", {}),
    "common": ("library", {}),
    "prefix": ("bibliot", {}),
    "two_words": ("open science", {}),
    "common_with_facets": (
        "library",
        {"countries": ("PT",), "categories": ("librarian",), "open_only": True},
    ),
    "no_words_facets_only": ("", {"topics": ("it",), "fee": "free", "open_only": True}),
}


# ---------------------------------------------------------------------------------------------
# Parts that run inside Django, in a child process per database


def _inside(task: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from utsikt.catalogue import search
    from utsikt.catalogue.search import engines as search_engines
    from utsikt.catalogue.search import facets
    from utsikt.catalogue.search import index as search_index
    from utsikt.core import cache

    # Searches are computed anew with the result cache off, under the catalogue's revision as
    # a server has it, so that what is read once per revision and process (the search terms
    # across languages) is read once, as on a server; `revision=None` would read it anew for
    # every search, which no server does.
    revision = search_index.current_revision()
    if task == "queries":
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from utsikt.catalogue.models import Opportunity

        client = Client(headers={"host": "127.0.0.1"})
        facets.country_names()  # reference data: read once per process, not per page
        counts = {}
        for name, url in PAGES.items():
            search.cache.clear()
            cache.pages.clear()
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            counts[name] = len(captured) if status == 200 else f"status {status}"
        return {"opportunities": Opportunity.objects.count(), "queries": counts}

    if task == "engines":
        search.cache.enabled = False
        engines = [search.Engine.AUTO, search.Engine.ICONTAINS]
        found: dict[str, Any] = {}
        for engine in engines:
            name = search_engines.choose(engine).value
            found[name] = {}
            for label, (query, filters) in SEARCHES.items():
                chosen = search.Filters(**filters)
                result = search.search(
                    query, chosen, engine=engine, revision=revision, correct=False
                )
                times = []
                for _ in range(7):
                    began = time.perf_counter()
                    search.search(query, chosen, engine=engine, revision=revision, correct=False)
                    times.append((time.perf_counter() - began) * 1000)
                found[name][label] = {
                    "total": result.total,
                    "p50_ms": round(statistics.median(times), 1),
                    "max_ms": round(max(times), 1),
                }
        return found
    if task == "first_time":
        # Every search as if nobody had asked it before: the result cache is off, so each
        # request finds its matches, counts its facets and ranks its page anew.
        search.cache.enabled = False
        cpu = _cpu_clock(connection)
        kinds: dict[str, Any] = {}
        for label, (query, filters) in SEARCHES.items():
            chosen = search.Filters(**filters)
            search.search(query, chosen, revision=revision, correct=False)  # connection, imports
            times = []
            cpu_times = []
            for number in range(FIRST_TIME_REQUESTS):
                began, began_cpu = time.perf_counter(), cpu()
                search.search(query, chosen, page=1 + number % 3, revision=revision, correct=False)
                times.append((time.perf_counter() - began) * 1000)
                cpu_times.append(cpu() - began_cpu)
            cuts = statistics.quantiles(times, n=100)
            kinds[label] = {
                "requests": len(times),
                "p50_ms": round(cuts[49], 1),
                "p99_ms": round(cuts[98], 1),
                "rps": round(1000 * len(times) / sum(times), 1),
                "cpu_p50_ms": round(statistics.median(cpu_times), 1),
            }
        # The first search after a catalogue write: one opportunity is saved again (not
        # timed), then the common word is searched under the revision that write made, so
        # what is held per revision (the search terms, the facet bitmaps) is read again, or
        # (since 2026-11-30, evening) brought up to date with what was written. Until then a
        # made-up revision stood for the write.
        from utsikt.catalogue import curation
        from utsikt.catalogue.models import Opportunity

        query, filters = SEARCHES["common"]
        written = Opportunity.objects.listed().select_related("host", "country", "place")
        times = []
        for opportunity in written.order_by("pk")[:5]:
            curation.save_opportunity(opportunity=opportunity, by=None)
            after_write = search_index.current_revision()
            began = time.perf_counter()
            search.search(query, search.Filters(**filters), revision=after_write, correct=False)
            times.append((time.perf_counter() - began) * 1000)
        after_write = {"p50_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
        return {
            "engine": search_engines.choose(search.Engine.AUTO).value,
            "kinds": kinds,
            "common_after_a_write": after_write,
        }
    raise ValueError(task)


def _cpu_clock(connection: Any) -> Any:
    """Milliseconds of CPU spent so far by this process and (on PostgreSQL, when the server
    runs on this machine) its server process: on a machine shared with other work a search's
    CPU time holds still where its wall time does not."""
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        if not backend.exists():  # a server elsewhere: this process's time only
            backend = None
    tick = os.sysconf("SC_CLK_TCK")

    def clock() -> float:
        spent = time.process_time() * 1000
        if backend is not None:
            fields = backend.read_text().rsplit(")", 1)[1].split()
            spent += (int(fields[11]) + int(fields[12])) * 1000 / tick  # utime, stime
        return spent

    return clock


def inside(task: str, env: dict[str, str], root: Path = ROOT) -> dict[str, Any]:
    """Run a task in a child process with Django set up for this database.

    `root` is the checkout whose code is measured (another revision's, see `checkout`); the
    task itself is always this file's, so that both revisions are measured alike.
    """
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--inside", task],
        cwd=root,
        env={**os.environ, **SERVER_ENV, **env, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def first_time_against(revision: str, env: dict[str, str], rounds: int) -> dict[str, Any]:
    """First-time searches by today's code and by a revision's, alternating on one database."""
    runs: dict[str, list[dict[str, Any]]] = {"now": [], "then": []}
    after_write: dict[str, list[float]] = {"now_p50_ms": [], "then_p50_ms": []}
    with checkout(revision, env) as then:
        for _ in range(rounds):
            for when, root in (("now", ROOT), ("then", then)):
                found = inside("first_time", env, root=root)
                runs[when].append(found["kinds"])
                after_write[f"{when}_p50_ms"].append(found["common_after_a_write"]["p50_ms"])
    kinds: dict[str, Any] = {}
    for kind in runs["now"][0]:
        figures: dict[str, Any] = {}
        for when in ("now", "then"):
            for name in ("p50_ms", "p99_ms", "cpu_p50_ms"):
                figures[f"{when}_{name}"] = [run[kind].get(name) for run in runs[when]]
        for name in ("p50_ms", "p99_ms", "cpu_p50_ms"):
            now = statistics.median(figures[f"now_{name}"])
            then_ = statistics.median(figures[f"then_{name}"])
            figures[f"{name.removesuffix('_ms')}_then_to_now"] = round(then_ / now, 2)
        kinds[kind] = figures
    kinds["common_after_a_write"] = after_write
    return {"revision": revision, "rounds": rounds, "kinds": kinds}


# ---------------------------------------------------------------------------------------------
# The run


def _fresh_postgresql(url: str) -> bool:
    """Drop and create the database of the URL; False when no server answers."""
    try:
        import psycopg
    except ImportError:
        return False
    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return False
    return True


def _prepare(env: dict[str, str]) -> None:
    """Tables, static files and reference data; no demo catalogue (the count is exact)."""
    manage("migrate", "--no-input", "-v0", env=env)
    manage("createcachetable", env=env)
    manage("collectstatic", "--no-input", "-v0", env=env)
    manage("load_gazetteer", env=env)


def _cold(base: str, count: int = 120) -> dict[str, Any]:
    """Different searches, each asked once, one after the other: what a new search costs."""
    rng = random.Random(20261128)
    words = ["library", "open science", "bibliot", "lighthouse", "cloud", "wellbeing", ""]
    countries = ["PT", "ES", "DE", "FR", "IT", "PL", "FI", "GR", ""]
    categories = ["librarian", "it_technician", "hr", "economist", ""]
    latencies = []
    for number in range(count):
        query = urllib.parse.urlencode(
            [
                ("q", rng.choice(words)),
                ("country", rng.choice(countries)),
                ("category", rng.choice(categories)),
                ("page", str(1 + number % 3)),
                ("sort", rng.choice(["relevance", "start", "deadline"])),
            ]
        )
        began = time.perf_counter()
        with urllib.request.urlopen(f"{base}/catalogue/?{query}", timeout=30) as r:
            r.read()
        latencies.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": count,
        "p50_ms": round(cuts[49], 1),
        "p99_ms": round(cuts[98], 1),
        "max_ms": round(max(latencies), 1),
    }


def _first_time(env: dict[str, str], against: str, rounds: int) -> dict[str, Any]:
    first_time = inside("first_time", env)
    figures = {
        **first_time,
        "targets": FIRST_TIME_TARGET_MS,
        "met": all(
            kind[name] < limit
            for kind in first_time["kinds"].values()
            for name, limit in FIRST_TIME_TARGET_MS.items()
        ),
    }
    if against:
        figures["against"] = first_time_against(against, env, rounds)
    return figures


def run_database(
    url: str,
    opportunities: int,
    load: dict[str, Any],
    first_time_only: bool = False,
    *,
    existing: bool = False,
    against: str = "",
    rounds: int = 2,
) -> dict[str, Any]:
    env = {"DATABASE_URL": url}
    figures: dict[str, Any] = {"database": url.split(":", 1)[0]}
    if existing:
        figures["first_time"] = _first_time(env, against, rounds)
        return figures
    _prepare(env)

    small = min(100, opportunities)
    manage("generate_catalogue", "--opportunities", str(small), env=env)
    # Counted with the revision read on every page (the server trusts it for a second, so
    # how often it is read would depend on how fast the pages are).
    counting = {**env, "UTSIKT_REVISION_SECONDS": "0"}
    at_small = inside("queries", counting)
    began = time.monotonic()
    manage("generate_catalogue", "--opportunities", str(opportunities - small), env=env)
    figures["generate_seconds"] = round(time.monotonic() - began, 1)
    at_large = inside("queries", counting)
    figures["queries_per_page"] = {
        f"at_{at_small['opportunities']}": at_small["queries"],
        f"at_{at_large['opportunities']}": at_large["queries"],
        "equal": at_small["queries"] == at_large["queries"],
    }
    figures["first_time"] = _first_time(env, against, rounds)
    if first_time_only:
        return figures

    with serve(env, prepared=True) as base:
        for url_path in PAGES.values():  # fill the result cache, as earlier visitors would
            urllib.request.urlopen(base + url_path, timeout=60).read()
        empty = hammer(base + EMPTY_VIEW, **load)
        pages = {}
        for name, url_path in PAGES.items():
            page = hammer(base + url_path, **load)
            page["to_empty_view"] = ratio(page, empty)
            pages[name] = page
        cold = _cold(base)
    figures["http"] = {"empty_view": empty, "pages": pages, "cold": cold}
    figures["engines"] = inside("engines", env)
    searches = [p for name, p in pages.items() if name not in {"map", "calendar"}]
    figures["targets"] = {
        "search_to_empty_view_at_least": TARGET_RATIO,
        "p99_under_ms": TARGET_P99_MS,
        "worst_ratio": min(p["to_empty_view"] for p in searches),
        "worst_p99_ms": max(p["p99_ms"] for p in searches),
        "met": all(
            p["to_empty_view"] >= TARGET_RATIO and p["p99_ms"] < TARGET_P99_MS for p in searches
        )
        and figures["queries_per_page"]["equal"],
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=DEFAULT_POSTGRESQL)
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument(
        "--first-time-only",
        action="store_true",
        help="measure first-time searches (and queries per page) without the server",
    )
    parser.add_argument("--against", default="", help="a git revision to compare with")
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs with --against")
    parser.add_argument("--requests", type=int, default=40, help="first-time searches per kind")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure first-time searches on databases that hold the catalogue already",
    )
    parser.add_argument("--sqlite-file", default="", help="with --existing: the SQLite file")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        json.dump(_inside(args.inside), sys.stdout)
        return
    os.environ["UTSIKT_BENCH_FIRST_TIME_REQUESTS"] = str(args.requests)
    chosen = {"existing": args.existing, "against": args.against, "rounds": args.rounds}

    load = {"seconds": args.seconds, "concurrency": args.concurrency}
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    sqlite_file = Path(args.sqlite_file or out / "catalogue.sqlite3")
    if not args.existing:
        for leftover in out.glob("catalogue.sqlite3*"):
            leftover.unlink()
    figures: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "opportunities": args.opportunities,
        "server": "granian WSGI, 1 worker, DEBUG off, full middleware",
        "load": load,
        "sqlite": run_database(
            f"sqlite:///{sqlite_file}", args.opportunities, load, args.first_time_only, **chosen
        ),
    }
    if not args.no_postgresql:
        if args.existing or _fresh_postgresql(args.database_url):
            figures["postgresql"] = run_database(
                args.database_url, args.opportunities, load, args.first_time_only, **chosen
            )
        else:
            figures["postgresql"] = {"skipped": f"no PostgreSQL server at {args.database_url}"}
    print_json(figures)


if __name__ == "__main__":
    main()
