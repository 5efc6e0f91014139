"""iCalendar files and feeds follow RFC 5545: all-day events, escaped text, folded lines."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from utsikt.catalogue import ical
from utsikt.catalogue.models import Opportunity

MakeOpportunity = Callable[..., Opportunity]


def test_an_opportunity_downloads_as_an_all_day_event(
    make_opportunity: MakeOpportunity, client: Client
) -> None:
    week = make_opportunity(
        title_en="Week; with, special\\characters",
        description_en="Line one\nLine two " + "long " * 40,
        slug="week",
    )
    response = client.get(reverse("catalogue:opportunity_ics", kwargs={"slug": "week"}))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="week.ics"'
    assert f"DTSTART;VALUE=DATE:{week.start_date:%Y%m%d}" in body
    day_after = week.end_date.toordinal() + 1
    assert f"DTEND;VALUE=DATE:{type(week.end_date).fromordinal(day_after):%Y%m%d}" in body
    assert "SUMMARY:Week\\; with\\, special\\\\characters" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")


def test_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "åäö€" * 40
    folded = ical._fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_cancelled_opportunity_says_so_in_calendars(make_opportunity: MakeOpportunity) -> None:
    week = make_opportunity(status=Opportunity.Status.CANCELLED)
    assert "STATUS:CANCELLED" in ical.event(week, "https://example.org/", "Host")
