"""How fast the rules and the money are: in batch, and through `POST /api/estimate`.

Prints JSON:
- batch: estimates per second for 100,000 generated trips through the pure functions
  (eligibility, grant, department cost), with and without the JSON form of the answer, and
  for a sample through the whole path from JSON (city look-ups in the database included);
- http: requests/s and p50/p99 of `POST /api/estimate` and of the empty view (`/ping`),
  measured in the same run on the real server, and their ratio.

    .venv/bin/python -m bench.estimate [--trips 100000] [--seconds 5] [--concurrency 8]
                                        [--database-url postgresql://…] [--batch-only]
                                        [--against REV [--rounds 3]]

Without --database-url it prepares a fresh SQLite file under bench/out/.

With --against, the batch is also run through the rules as they were at a git revision (their
four modules loaded from git beside today's), in alternating rounds in this one process, and
every answer of both is compared: `against` holds both rates per round and their ratio, and
the run stops if a single estimate differs. The machines are noisy; a side-by-side ratio holds
where absolute numbers drift.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import EMPTY_VIEW, ROOT, SERVER_ENV, hammer, prepare, print_json, ratio, serve

SEED = 20260504
API_TRIP = {
    "call_year": 2025,
    "origin": {"city": "Lund", "country": "SE"},
    "hosts": [
        {"name": "Universidade do Porto", "city": "Porto", "country": "PT", "kind": "university"}
    ],
    "activity": "job_shadowing",
    "start": "2026-05-04",
    "end": "2026-05-08",
    "green_travel": False,
    "travel_days": None,
    "virtual_part": None,
    "first_time": True,
    "today": "2026-03-01",
}


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update({**SERVER_ENV, **env})
    import django

    django.setup()


def generate(count: int, rng: random.Random) -> list[Any]:
    """Trips from Lund (now and then from elsewhere) to any city of the gazetteer."""
    from utsikt.grants.models import Place
    from utsikt.grants.values import ACTIVITIES, HOST_KINDS, MEALS, Host, Point, Trip

    places = [
        Point(p.name, p.country_id, p.latitude, p.longitude, p.name_sv)
        for p in Place.objects.only("name", "name_sv", "country_id", "latitude", "longitude")
    ]
    lund = next(p for p in places if p.city == "Lund" and p.country == "SE")
    kinds = [*["university"] * 6, *HOST_KINDS]  # mostly universities, every kind now and then
    trips = []
    for _ in range(count):
        today = datetime.date(2025, 6, 1) + datetime.timedelta(days=rng.randrange(700))
        start = today + datetime.timedelta(days=rng.randrange(-5, 200))
        destination = rng.choice(places)
        hosts = [Host("Host", rng.choice(kinds), destination)]
        if rng.random() < 0.1:
            hosts.append(Host("Second host", "university", rng.choice(places)))
        trips.append(
            Trip(
                call_year=rng.choice([2024, 2025, 2026]),
                origin=lund if rng.random() < 0.9 else rng.choice(places),
                hosts=tuple(hosts),
                activity=rng.choice(ACTIVITIES),
                start=start,
                end=start + datetime.timedelta(days=rng.choice([0, 1, 2, 3, 4, 6, 9, 13, 20])),
                today=today,
                green_travel=rng.random() < 0.3,
                travel_days=rng.choice([None, None, 0, 1, 2, 3, 4, 6, 8]),
                virtual_part=rng.random() < 0.2,
                first_time=rng.random() < 0.5,
                travel_sek=Decimal(rng.randrange(500, 9000)) if rng.random() < 0.3 else None,
                accommodation_sek=None,
                meals_provided=rng.choice(MEALS),
            )
        )
    return trips


def batch(count: int) -> dict[str, Any]:
    from utsikt.grants import estimates, rates

    rng = random.Random(SEED)
    trips = generate(count, rng)
    all_rates = {year: rates.for_call_year(year) for year in rates.call_years()}

    began = time.perf_counter()
    results = [estimates.estimate(trip, all_rates[trip.call_year]) for trip in trips]
    pure = time.perf_counter() - began

    began = time.perf_counter()
    for result in results:
        estimates.as_json(result)
    as_json = time.perf_counter() - began

    # The whole path from JSON, as the command and the API take it: cities looked up in the
    # database for every trip.
    from utsikt.grants.trips import InvalidTrip

    sample = [_as_input(trip) for trip in trips[: min(2000, count)]]
    refused = 0
    began = time.perf_counter()
    for data in sample:
        try:
            estimates.run(data)
        except InvalidTrip:
            refused += 1  # a city whose name leads to a namesake abroad; still timed
    from_json = time.perf_counter() - began

    return {
        "trips": count,
        "eligible_share": round(sum(r.eligible for r in results) / count, 3),
        "estimates_per_second": round(count / pure),
        "estimates_per_second_with_json": round(count / (pure + as_json)),
        "from_json_sample": len(sample),
        "from_json_per_second": round(len(sample) / from_json),
        "from_json_refused": refused,
    }


RULES = ("values", "calculation", "eligibility", "estimates")


def rules_at(revision: str) -> Any:
    """The `estimates` module as it was at a git revision, with the rules it imported then.

    The four modules are copied from git into a package of their own; the rest (vocabulary,
    formatting, translations) is today's, and the trips and rates are today's values, which
    the older rules read by the same names.
    """
    work = Path(tempfile.mkdtemp(prefix="rules-"))
    package = "rules_" + "".join(c for c in revision if c.isalnum())
    (work / package).mkdir()
    (work / package / "__init__.py").write_text("")
    for name in RULES:
        text = subprocess.run(
            ["git", "show", f"{revision}:utsikt/grants/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for other in RULES:
            text = text.replace(f"utsikt.grants.{other}", f"{package}.{other}")
            text = text.replace(
                f"from utsikt.grants import {other}", f"from {package} import {other}"
            )
        text = text.replace(
            "from utsikt.grants import calculation, eligibility",
            f"from {package} import calculation, eligibility",
        )
        (work / package / f"{name}.py").write_text(text)
    sys.path.insert(0, str(work))
    return importlib.import_module(f"{package}.estimates")


def against(revision: str, count: int, rounds: int) -> dict[str, Any]:
    """Then and now side by side: alternating rounds over the same trips, answers compared."""
    from utsikt.grants import estimates, rates

    then = rules_at(revision)
    trips = generate(count, random.Random(SEED))
    all_rates = {year: rates.for_call_year(year) for year in rates.call_years()}
    pairs = [(trip, all_rates[trip.call_year]) for trip in trips]
    speeds: dict[str, list[float]] = {"then": [], "now": []}
    for number in range(rounds):
        order = [("then", then), ("now", estimates)]
        if number % 2:
            order.reverse()  # neither always goes first
        for label, module in order:
            began = time.perf_counter()
            results = [module.estimate(trip, rate) for trip, rate in pairs]
            speeds[label].append(count / (time.perf_counter() - began))
            del results
    # Every answer compared after the timing, one trip at a time, so that neither side's
    # timing pays for keeping the other's answers.
    for position, (trip, rate) in enumerate(pairs):
        old = then.as_json(then.estimate(trip, rate))
        new = estimates.as_json(estimates.estimate(trip, rate))
        if old != new:
            raise SystemExit(f"trip {position} differs:\n{old}\n{new}")
    median = {label: statistics.median(values) for label, values in speeds.items()}
    return {
        "revision": revision,
        "trips": count,
        "rounds": rounds,
        "identical_answers": True,
        "then_estimates_per_second": [round(v) for v in speeds["then"]],
        "now_estimates_per_second": [round(v) for v in speeds["now"]],
        "then_median": round(median["then"]),
        "now_median": round(median["now"]),
        "now_to_then": round(median["now"] / median["then"], 2),
    }


def _as_input(trip: Any) -> dict[str, Any]:
    """The trip in the JSON form of the command and the API."""
    return {
        "call_year": trip.call_year,
        "origin": {"city": trip.origin.city, "country": trip.origin.country},
        "hosts": [
            {"name": h.name, "city": h.place.city, "country": h.place.country, "kind": h.kind}
            for h in trip.hosts
        ],
        "activity": trip.activity,
        "start": trip.start.isoformat(),
        "end": trip.end.isoformat(),
        "green_travel": trip.green_travel,
        "travel_days": trip.travel_days,
        "virtual_part": trip.virtual_part,
        "first_time": trip.first_time,
        "today": trip.today.isoformat(),
        "travel_sek": None if trip.travel_sek is None else str(trip.travel_sek),
        "meals_provided": trip.meals_provided,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trips", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--batch-only", action="store_true", help="measure the batch only, without the server"
    )
    parser.add_argument("--against", default="", help="a git revision to compare the batch with")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    url = args.database_url
    if not url:
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        database = Path(out / "estimate.sqlite3")
        url = f"sqlite:///{database}"
    env = {"DATABASE_URL": url}
    prepare(env)
    _setup_django(env)

    figures: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": url.split(":", 1)[0],
        "batch": batch(args.trips),
    }
    if args.against:
        figures["against"] = against(args.against, args.trips, args.rounds)
    if args.batch_only:
        print_json(figures)
        return
    load = {"seconds": args.seconds, "concurrency": args.concurrency}
    with serve(env, prepared=True) as base:
        check = _post(base)
        empty = hammer(base + EMPTY_VIEW, **load)
        api = hammer(
            base + "/api/estimate",
            method="POST",
            body=json.dumps(API_TRIP),
            headers={"Content-Type": "application/json"},
            **load,
        )
    figures["http"] = {
        "server": "granian WSGI, 1 worker, DEBUG off, full middleware",
        "load": load,
        "api_answer_total_eur": check["total_eur"],
        "empty_view": empty,
        "api_estimate": api,
        "api_to_empty_view": ratio(api, empty),
    }
    print_json(figures)


def _post(base: str) -> dict[str, Any]:
    """One request first: the answer must be right before its speed means anything."""
    import urllib.request

    request = urllib.request.Request(
        base + "/api/estimate",
        data=json.dumps(API_TRIP).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.load(response)
    assert answer["band"] == "2000-2999" and answer["travel_eur"] == 395, answer
    return answer


if __name__ == "__main__":
    main()
