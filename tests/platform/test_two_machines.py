"""Two web processes behind nginx share everything that matters: the database, Redis (sessions,
caches, revisions) and S3 (documents). Select with `-m platform`; skipped only when nginx or
Redis is missing (scripts/system-deps.sh installs nginx)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.platform.machines import (
    REVISION_SECONDS,
    Browser,
    Site,
    missing_services,
    one_request,
    two_machines,
)
from utsikt.core.pdf import blank as blank_pdf

why_not = missing_services()
pytestmark = [
    pytest.mark.platform,
    pytest.mark.skipif(why_not is not None, reason=why_not or ""),
]

SET_UP = """
import json
from utsikt.catalogue.models import Opportunity
from utsikt.catalogue import curation
from utsikt.mobility.models import Application
draft = Opportunity.objects.filter(status="draft").order_by("pk").first()
if draft is None:
    draft = Opportunity.objects.filter(status="published").order_by("pk").first()
    curation.unpublish(opportunity=draft, by=None)
    draft.refresh_from_db()
draft.title_sv = draft.title_en = "Gnistrandekvasarverkstad"
curation.save_opportunity(opportunity=draft, by=None)
application = Application.objects.get(applicant__email="sara.holm@example.org")
print(json.dumps({"slug": draft.slug, "pk": draft.pk, "application": application.pk}))
"""


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with two_machines(2) as running:
        yield running


@pytest.fixture(scope="module")
def demo(site: Site) -> dict[str, object]:
    return dict(json.loads(site.shell(SET_UP).splitlines()[-1]))


def test_nginx_balances_over_both_web_processes(site: Site) -> None:
    seen = {Browser().get(site.balanced + "/ping")[1]["x-upstream"] for _ in range(8)}
    assert len(seen) == 2


def test_each_process_is_healthy_with_redis_and_s3(site: Site) -> None:
    for base in site.direct:
        body: dict[str, object] = {}
        for _ in range(50):  # the worker's first heartbeat may be on its way
            status, _headers, content = Browser().get(base + "/health/")
            body = json.loads(content)
            if status == 200:
                break
            time.sleep(0.2)
        assert body["status"] == "ok", body
        checks = body["checks"]
        assert isinstance(checks, dict)
        assert checks["cache"]["backend"] == "RedisCache"
        assert checks["storage"]["backend"] == "S3Storage"


def test_a_document_written_through_one_process_is_read_through_the_other(
    site: Site, demo: dict[str, object]
) -> None:
    first, second = site.direct
    officer = Browser()
    officer.log_in(first, "ahmed.karimi@example.org")
    application = demo["application"]
    status, _headers, _body = officer.post(f"{first}/mobility/{application}/send_agreement/", {})
    assert status == 302
    pdf = blank_pdf()  # a real PDF: the upload is checked by its content
    status, _headers, _body = officer.post(
        f"{first}/mobility/{application}/record_signed_agreement/",
        {},
        files={"pdf": ("signed.pdf", "application/pdf", pdf)},
    )
    assert status == 302
    # Stored in the bucket, not on one machine's disk ...
    assert any(key.endswith(f"agreement-{application}.pdf") for key in site.s3_objects())
    # ... and served by the other process, to the same session.
    status, headers, body = officer.get(f"{second}/mobility/{application}/agreement.pdf")
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert body == pdf


def test_a_log_out_on_one_process_is_a_log_out_on_both(site: Site) -> None:
    first, second = site.direct
    person = Browser()
    person.log_in(first, "maja.lindqvist@example.org")
    assert person.get(f"{first}/my/")[0] == 200
    assert person.get(f"{second}/my/")[0] == 200
    session = person.cookie("sessionid")

    status, _headers, _body = person.post(f"{second}/logout/", {})
    assert status == 302

    # The old session cookie, sent again by someone who kept it, opens nothing anywhere.
    stale = Browser()
    for base in (first, second):
        status, headers, _body = stale.request(
            f"{base}/my/", headers={"Cookie": f"sessionid={session}"}
        )
        assert status == 302 and "/login/" in headers["location"], base


def test_a_published_opportunity_appears_on_both_once_the_revision_changes(
    site: Site, demo: dict[str, object]
) -> None:
    """Both processes, each with the search page cached, show a publication made by a third.

    The documented bound (UTSIKT_REVISION_SECONDS, 1 s here) is not asserted: on a busy
    machine the first search after a write took seconds on each server (and the loop below
    asks them one after the other), so the test waits up to half a minute and records the
    times in its message."""
    first, second = site.direct
    search = "/catalogue/?q=Gnistrandekvasarverkstad"
    link = f"/catalogue/opportunities/{demo['slug']}/"
    # Both processes have the search page cached, without it.
    for base in (first, second, first, second):
        assert link not in Browser().get(base + search)[2].decode()

    # Published by a third process (the office's command line, as it were).
    site.shell(
        "from utsikt.catalogue.models import Opportunity; from utsikt.catalogue import curation;"
        f" curation.publish(opportunity=Opportunity.objects.get(pk={demo['pk']}), by=None)"
    )
    published = time.monotonic()
    shown: dict[str, float] = {}
    while len(shown) < 2 and time.monotonic() - published < REVISION_SECONDS + 30:
        for base in (first, second):
            if base not in shown and link in Browser().get(base + search)[2].decode():
                shown[base] = time.monotonic() - published
        time.sleep(0.05)
    assert set(shown) == {first, second}, shown
    assert one_request(site.balanced + link) == 200
