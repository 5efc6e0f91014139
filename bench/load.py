"""Mixed load on one and on two web processes, and a PostgreSQL restart in the middle of it.

Starts the production set-up of tests/platform/machines.py on loopback ports: PostgreSQL,
Redis, an S3 server (moto), two granian web processes and a task worker, nginx in front.
Then, bounded in time:

1. the empty view (/ping) through nginx, on one web process and on both (wrk when installed:
   `apt-get install -y wrk`; a Python client otherwise): the ceiling the mix is compared with;
2. a mixed load at a fixed rate (open loop: requests go out on schedule whether or not the
   earlier ones have answered, and latency counts from the scheduled time) stepped up
   each step (by 40 %), until a step has an error or cannot keep its rate (under 90 % of it,
   or p99 over --p99-limit-ms, twice in a row: the machine is shared): anonymous catalogue searches
   and opportunity pages, a staff member's home and application page, the office's home, and
   a few writes (a saved search, 5 %); on one web process, then on both;
3. the two-process mix at half its highest rate while PostgreSQL restarts: the seconds of
   errors after it is back, and whether every write the site acknowledged is in the database.

PostgreSQL: a cluster of its own (`pg_createcluster`, created for the run and dropped after,
unless --keep-cluster), so that the restart troubles nobody else's database; this needs root
(or the postgres user) and Debian's postgresql-common. Prints JSON.

    .venv/bin/python -m bench.load [--step-seconds 5] [--max-steps 9] [--fault-seconds 24]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import hammer  # noqa: E402
from tests.platform.machines import Browser, Site, free_port, two_machines  # noqa: E402

SEARCHES = ["porto", "bibliotek", "it", "språk", "ekonomi", "athens", "kurs", "staff week", ""]


@dataclass(frozen=True)
class Call:
    kind: str
    method: str
    path: str
    cookie: str = ""
    body: str = ""
    expect: int = 200
    write_name: str = ""


@dataclass
class Outcome:
    scheduled: float
    ended: float
    ok: bool
    kind: str
    write_name: str = ""


@dataclass
class Mix:
    """Who does what, in which proportions."""

    slugs: list[str]
    application: int
    staff: str
    officer: str
    writer: str
    writer_csrf: str
    written: list[str] = field(default_factory=list)

    def pick(self, rng: random.Random) -> Call:
        roll = rng.random()
        if roll < 0.40:
            query = urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
            return Call("catalogue", "GET", f"/catalogue/?{query}")
        if roll < 0.55:
            return Call("opportunity", "GET", f"/catalogue/opportunities/{rng.choice(self.slugs)}/")
        if roll < 0.70:
            return Call("staff_home", "GET", "/my/", self.staff)
        if roll < 0.85:
            return Call("application", "GET", f"/mobility/{self.application}/", self.staff)
        if roll < 0.95:
            return Call("office_home", "GET", "/office/", self.officer)
        name = f"bench-{uuid.uuid4().hex[:12]}"
        body = urllib.parse.urlencode(
            {"name": name, "query": "q=porto", "csrfmiddlewaretoken": self.writer_csrf}
        )
        return Call("write", "POST", "/catalogue/saved/", self.writer, body, 302, name)


def send(
    base: str, call: Call, connection: http.client.HTTPConnection | None
) -> tuple[bool, http.client.HTTPConnection | None]:
    parts = urllib.parse.urlsplit(base)
    if connection is None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    headers = {"Host": "127.0.0.1"}
    if call.cookie:
        headers["Cookie"] = call.cookie
    if call.body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = base + call.path
    try:
        connection.request(call.method, call.path, body=call.body or None, headers=headers)
        response = connection.getresponse()
        response.read()
        ok = response.status == call.expect
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = None
        return ok, connection
    except (OSError, http.client.HTTPException):
        connection.close()
        return False, None


def run_load(
    base: str,
    mix: Mix,
    rate: float,
    seconds: float,
    *,
    threads: int = 64,
    on_start: Callable[[float], None] | None = None,
) -> list[Outcome]:
    """Send `rate` requests per second for `seconds`, on schedule; every request's outcome."""
    total = max(1, int(rate * seconds))
    start = time.monotonic() + 0.2
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    if on_start is not None:
        on_start(start)

    def worker(index: int) -> None:
        rng = random.Random(index)
        connection: http.client.HTTPConnection | None = None
        mine: list[Outcome] = []
        for number in range(index, total, threads):
            scheduled = start + number / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            call = mix.pick(rng)
            ok, connection = send(base, call, connection)
            mine.append(Outcome(scheduled, time.monotonic(), ok, call.kind, call.write_name))
        if connection is not None:
            connection.close()
        with lock:
            outcomes.extend(mine)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for each in workers:
        each.start()
    for each in workers:
        each.join()
    return outcomes


def summarise(outcomes: list[Outcome], rate: float) -> dict[str, Any]:
    latencies = sorted((o.ended - o.scheduled) * 1000 for o in outcomes)
    span = max(o.ended for o in outcomes) - min(o.scheduled for o in outcomes)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    errors = sum(not o.ok for o in outcomes)
    return {
        "target_rps": round(rate, 1),
        "achieved_rps": round(len(outcomes) / span, 1) if span else 0.0,
        "requests": len(outcomes),
        "errors": errors,
        "p50_ms": round(quantiles[49], 1),
        "p99_ms": round(quantiles[98], 1),
    }


def step_up(
    base: str, mix: Mix, *, start: float, seconds: float, max_steps: int, p99_limit_ms: float
) -> dict[str, Any]:
    """Raise the rate by 40 % each step until a step errs or falls behind its schedule."""
    steps = []
    best: dict[str, Any] | None = None
    rate = start
    retried = False
    for _ in range(max_steps):
        figures = summarise(run_load(base, mix, rate, seconds), rate)
        steps.append(figures)
        kept_up = figures["achieved_rps"] >= 0.9 * rate and figures["p99_ms"] <= p99_limit_ms
        if not figures["errors"] and not kept_up and not retried:
            # A shared machine stalls now and then: a step that fell behind without an
            # error is tried once more before it counts.
            retried = True
            time.sleep(2)
            continue
        if figures["errors"] or not kept_up:
            break
        retried = False
        best = figures
        rate *= 1.4
        time.sleep(1)  # let queues drain between steps
    return {"highest_with_0_errors": best, "steps": steps}


# --- PostgreSQL: a cluster of the bench's own ---------------------------------------------


@contextlib.contextmanager
def bench_cluster(name: str, keep: bool) -> Iterator[tuple[str, int]]:
    """(version, port) of a running PostgreSQL cluster for the bench, made if missing."""
    if not shutil.which("pg_lsclusters"):
        raise SystemExit("bench.load needs Debian's postgresql-common (pg_createcluster)")
    listed = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    clusters = [line.split() for line in listed.splitlines() if line.strip()]
    mine = next((c for c in clusters if c[1] == name), None)
    made = False
    if mine is None:
        version = max((c[0] for c in clusters), key=lambda v: float(v), default="15")
        port = free_port()
        subprocess.run(
            [
                "pg_createcluster",
                version,
                name,
                "--port",
                str(port),
                "--start",
                "--",
                "--auth-host=trust",
                "--auth-local=trust",
            ],
            check=True,
            capture_output=True,
        )
        made = True
    else:
        version, port = mine[0], int(mine[2])
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=False, capture_output=True)
    try:
        yield version, int(port)
    finally:
        if made and not keep:
            subprocess.run(
                ["pg_dropcluster", version, name, "--stop"], check=False, capture_output=True
            )


def restart_postgresql(version: str, name: str, url: str) -> tuple[float, float]:
    """Restart the cluster; (when the restart began, when a new connection first worked
    again after it had failed)."""
    import psycopg

    down = time.monotonic()
    restart = subprocess.Popen(
        ["pg_ctlcluster", version, name, "restart"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen_down = False
    while True:
        try:
            psycopg.connect(url, connect_timeout=1).close()
            answers = True
        except psycopg.Error:
            answers, seen_down = False, True
        if answers and (seen_down or restart.poll() is not None):
            back = time.monotonic()
            break
        time.sleep(0.02)
    restart.wait()
    return down, back


def fault(
    site: Site, mix: Mix, rate: float, seconds: float, version: str, cluster: str
) -> dict[str, Any]:
    base = site.balanced
    times: dict[str, float] = {}

    def restart_later(start: float) -> None:
        def go() -> None:
            time.sleep(max(0.0, start + seconds / 3 - time.monotonic()))
            times["down"], times["back"] = restart_postgresql(version, cluster, site.database_url)

        threading.Thread(target=go, daemon=True).start()

    outcomes = run_load(base, mix, rate, seconds, on_start=restart_later)
    for _ in range(100):
        if "back" in times:
            break
        time.sleep(0.1)
    failed = sorted(o.ended for o in outcomes if not o.ok)
    after_back = [t - times["back"] for t in failed if t > times["back"]]
    acknowledged = [o.write_name for o in outcomes if o.kind == "write" and o.ok]
    stored = set(
        site.shell(
            "from utsikt.catalogue.models import SavedSearch\n"
            "print('\\n'.join(SavedSearch.objects.filter(name__startswith='bench-')"
            ".values_list('name', flat=True)))"
        ).split()
    )
    lost = [name for name in acknowledged if name not in stored]
    return {
        "rate_rps": round(rate, 1),
        "seconds": seconds,
        # From the restart's start until a new connection works again.
        "database_down_s": round(times["back"] - times["down"], 2),
        "errors": len(failed),
        "errors_from_restart_s": round(failed[-1] - times["down"], 2) if failed else 0.0,
        "seconds_of_errors_after_back": round(max(after_back), 2) if after_back else 0.0,
        "acknowledged_writes": len(acknowledged),
        "acknowledged_writes_lost": len(lost),
        "load": summarise(outcomes, rate),
    }


# --- set-up ---------------------------------------------------------------------------------


def make_mix(site: Site) -> Mix:
    found = json.loads(
        site.shell(
            "import json\n"
            "from utsikt.catalogue.models import Opportunity\n"
            "from utsikt.mobility.models import Application\n"
            "slugs = list(Opportunity.objects.filter(status='published')"
            ".values_list('slug', flat=True)[:40])\n"
            "pk = Application.objects.filter(applicant__email='maja.lindqvist@example.org')"
            ".values_list('pk', flat=True).first()\n"
            "print(json.dumps({'slugs': slugs, 'application': pk}))"
        ).splitlines()[-1]
    )

    def cookie_of(email: str) -> tuple[str, str]:
        browser = Browser()
        browser.log_in(site.balanced, email)
        return "; ".join(f"{c.name}={c.value}" for c in browser.jar), browser.cookie("csrftoken")

    staff, _ = cookie_of("maja.lindqvist@example.org")
    officer, _ = cookie_of("sofia.almgren@example.org")
    writer, csrf = cookie_of("jonas.berg@example.org")
    return Mix(found["slugs"], found["application"], staff, officer, writer, csrf)


def check_mix(base: str, mix: Mix) -> None:
    """Every kind of request answers as expected before any load."""
    rng = random.Random(1)
    seen: dict[str, bool] = {}
    while len(seen) < 6:
        call = mix.pick(rng)
        ok, connection = send(base, call, None)
        if connection is not None:
            connection.close()
        if not ok:
            raise SystemExit(f"{call.kind} {call.path} did not answer {call.expect}")
        seen[call.kind] = ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--step-seconds", type=float, default=6)
    parser.add_argument("--max-steps", type=int, default=12)
    parser.add_argument("--start-rps", type=float, default=4)
    parser.add_argument("--p99-limit-ms", type=float, default=2000)
    parser.add_argument("--fault-seconds", type=float, default=24)
    parser.add_argument("--cluster", default="utsikt-bench")
    parser.add_argument("--keep-cluster", action="store_true")
    parser.add_argument("--log", type=Path, default=None, help="server output goes here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print(
            "wrk is not installed (apt-get install -y wrk): the empty view is measured "
            "with a Python client",
            file=sys.stderr,
        )
    began = time.monotonic()
    figures: dict[str, Any] = {}
    with bench_cluster(args.cluster, args.keep_cluster) as (version, port):
        os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with two_machines(2, log=args.log) as site:
            mix = make_mix(site)
            check_mix(site.balanced, mix)
            one, both = site.direct[0], site.balanced
            empty_one = hammer(one + "/ping", seconds=args.step_seconds, concurrency=16)
            empty_both = hammer(both + "/ping", seconds=args.step_seconds, concurrency=16)
            load = {
                "start": args.start_rps,
                "seconds": args.step_seconds,
                "max_steps": args.max_steps,
                "p99_limit_ms": args.p99_limit_ms,
            }
            mixed_one = step_up(one, mix, **_steps(load))
            mixed_both = step_up(both, mix, **_steps(load))
            best_both = mixed_both["highest_with_0_errors"] or {"target_rps": args.start_rps}
            restart = fault(
                site,
                mix,
                max(5.0, best_both["target_rps"] / 2),
                args.fault_seconds,
                version,
                args.cluster,
            )
    figures = {
        "set_up": "nginx → granian WSGI (1 worker process × 16 threads each), PostgreSQL "
        f"{version} (own cluster), Redis, moto S3; DEBUG off; 2 CPUs shared with others",
        "mix": "40 % catalogue search, 15 % opportunity page (anonymous); 15 % staff home, "
        "15 % application page, 10 % office home (signed in); 5 % writes (saved search)",
        "one_process": _report(empty_one, mixed_one),
        "two_processes": _report(empty_both, mixed_both),
        "postgresql_restart": restart,
        "bench_seconds": round(time.monotonic() - began),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    json.dump(figures, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _steps(load: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": load["start"],
        "seconds": load["seconds"],
        "max_steps": load["max_steps"],
        "p99_limit_ms": load["p99_limit_ms"],
    }


def _report(empty: dict[str, Any], mixed: dict[str, Any]) -> dict[str, Any]:
    best = mixed["highest_with_0_errors"]
    return {
        "empty_view": empty,
        "mixed_highest_rate_with_0_errors": best,
        "mixed_to_empty_view": round(best["achieved_rps"] / empty["rps"], 3)
        if best and empty["rps"]
        else None,
        "steps": mixed["steps"],
    }


if __name__ == "__main__":
    main()
