"""How heavy the documents are: rendering and sealing the Mobility Agreement.

Prints JSON: p50/p95 time and peak memory to render the agreement (WeasyPrint, with its
signature page) and to seal it (pyHanko, PAdES), each also as a ratio to a one-line
document rendered in the same process, because these machines are noisy and ratios hold
where absolute numbers drift. Memory is measured twice: Python's own allocations
(tracemalloc) and the process's resident peak (VmHWM, reset before each run through
/proc/self/clear_refs), which includes the C libraries WeasyPrint draws with.

Rendering and sealing run in tasks: no request waits for either (see agreements.prepare
and agreements.sign, which queue them after commit).

    .venv/bin/python -m bench.documents [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.common import SERVER_ENV, print_json

CONTENT: dict[str, Any] = {
    "reference": "UTSIKT-42",
    "call_year": 2026,
    "activity": "Job shadowing",
    "staff": {
        "name": "Karin Lindqvist",
        "email": "karin.lindqvist@example.org",
        "position": "Librarian",
        "category": "Technical and administrative staff",
        "first_time": True,
    },
    "sending": {
        "name": "Lund University",
        "erasmus_code": "S  LUND01",
        "address": "Box 117, 221 00 Lund, Sweden (SE)",
        "faculty": "Faculties of Humanities and Theology",
        "department": "HT Libraries",
        "contact": "International Office HT",
        "contact_email": "international.ht@example.org",
    },
    "receiving": {
        "name": "University of Porto",
        "local_name": "Universidade do Porto",
        "erasmus_code": "P  PORTO02",
        "oid": "E10208598",
        "pic": "",
        "city": "Porto",
        "country": "Portugal",
        "country_code": "PT",
        "website": "https://www.up.pt/",
        "contact": "Ana Costa",
        "contact_email": "ana.costa@example.org",
    },
    "dates": {
        "start": "2027-05-03",
        "end": "2027-05-07",
        "days": 5,
        "travel_out": "2027-05-02",
        "travel_back": "2027-05-08",
    },
    "programme": {
        "language": "English",
        "language_level": "B2",
        "objectives": "Learn how the library runs its research data service. " * 8,
        "added_value": "We are starting the same service next year. " * 6,
        "activities": "Shadow the data librarians; take part in consultations. " * 10,
        "outcomes": "A plan for our own service, shared with colleagues. " * 6,
    },
    "virtual": {"start": "", "end": "", "format": "", "description": ""},
}


def _signatures() -> list[Any]:
    now = datetime.datetime(2027, 4, 1, 10, 0, tzinfo=datetime.UTC)
    return [
        SimpleNamespace(
            get_party_display=lambda label=label: label,
            name=name,
            position="Position",
            signed_at=now,
            get_method_display=lambda: "in Utsikt",
            email="someone@example.org",
        )
        for label, name in [
            ("Staff member", "Karin Lindqvist"),
            ("Sending institution", "Officer"),
            ("Receiving organisation", "Ana Costa"),
        ]
    ]


MEMORY_RUNS = 5


def _clear_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(work: Callable[[], Any], runs: int) -> dict[str, float]:
    """Time `runs` runs as they are; then measure memory in a few runs of its own, since
    tracing every allocation slows the work it traces."""
    work()  # warm up: fonts, templates, imports
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    python_peaks, rss_peaks = [], []
    for _run in range(MEMORY_RUNS):
        resettable = _clear_peak()
        before = _rss_kib()
        tracemalloc.start()
        work()
        python_peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
        tracemalloc.stop()
        if resettable:
            rss_peaks.append(max(0, _peak_rss_kib() - before))
    quantiles = statistics.quantiles(times, n=20)
    return {
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(quantiles[18] * 1000, 2),
        "python_peak_kib": round(max(python_peaks), 1),
        "rss_growth_peak_kib": float(max(rss_peaks)) if rss_peaks else -1.0,
    }


def _ratios(part: dict[str, float], whole: dict[str, float]) -> dict[str, float]:
    return {
        key: round(part[key] / whole[key], 2) if whole[key] > 0 else 0.0
        for key in ("p50_ms", "p95_ms", "python_peak_kib")
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    arguments = parser.parse_args()
    os.environ.update({**SERVER_ENV, "UTSIKT_ENV_FILE": "/dev/null"})
    import django

    django.setup()
    from utsikt.documents import sealing
    from utsikt.documents.rendering import html_to_pdf, render

    one_line_html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="documents/print.css"></head>'
        "<body><p>One line.</p></body></html>"
    )
    context = {
        "content": CONTENT,
        "version": SimpleNamespace(number=1),
        "signatures": _signatures(),
        "final": True,
        "verify_url": "https://utsikt.example.org/verify/",
    }
    agreement_pdf = render("documents/pdf/agreement.html", context)
    one_line = measure(lambda: html_to_pdf(one_line_html), arguments.runs)
    rendering = measure(lambda: render("documents/pdf/agreement.html", context), arguments.runs)
    sealing.seal(agreement_pdf, reason="warm-up")  # the key is made once per process
    seal = measure(lambda: sealing.seal(agreement_pdf, reason="bench"), arguments.runs)
    verify = measure(lambda: sealing.seal_is_intact(sealing.seal(agreement_pdf, reason="v")), 5)
    print_json(
        {
            "machine": platform.platform(),
            "runs": arguments.runs,
            "agreement_bytes": len(agreement_pdf),
            "one_line_document": one_line,
            "render_agreement": rendering,
            "seal_agreement": seal,
            "seal_and_check": verify,
            "render_vs_one_line": _ratios(rendering, one_line),
            "seal_vs_one_line": _ratios(seal, one_line),
        }
    )


if __name__ == "__main__":
    main()
