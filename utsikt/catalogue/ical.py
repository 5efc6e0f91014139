"""iCalendar (RFC 5545) for opportunities, written by hand: one event per opportunity.

Events are all-day (DTSTART/DTEND as dates, DTEND the day after the last day) so calendars
show them on the right days whatever the time zone. Text is escaped and lines are folded at
75 octets as the RFC asks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from utsikt.catalogue.models import Opportunity

PRODUCT = "-//Utsikt//Erasmus+ staff training catalogue//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, continued with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def event(opportunity: Opportunity, url: str, host_name: str) -> list[str]:
    """The lines of one VEVENT; `url` is the opportunity's page, absolute. Only what has
    dates is an event (a draft without them is not)."""
    start, end = opportunity.start_date, opportunity.end_date
    if start is None or end is None:
        raise ValueError(f"opportunity {opportunity.pk} has no dates")
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    place = opportunity.place
    location = ", ".join(
        part for part in (host_name, place.name if place else "", opportunity.country.name) if part
    )
    description = opportunity.description
    if opportunity.deadline:
        description = f"{description}\n\nDeadline: {opportunity.deadline.isoformat()}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:opportunity-{opportunity.pk}@utsikt",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(start)}",
        f"DTEND;VALUE=DATE:{_date(end + datetime.timedelta(days=1))}",
        f"SUMMARY:{_escape(opportunity.title)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
    ]
    if opportunity.status == Opportunity.Status.CANCELLED:
        lines.append("STATUS:CANCELLED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[list[str]], name: str) -> str:
    """A whole VCALENDAR document with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for lines_of_event in events:
        lines.extend(lines_of_event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
