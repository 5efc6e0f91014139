"""A small map of where an office is, drawn from the gazetteer: no tiles, no external files.

The same idea as the catalogue's map of Europe (catalogue/geo.py), at the scale of a region:
the towns around the office as labelled dots, the office as a marker. A street map is one
click away for those who want it, through the address itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from utsikt.grants.models import Place

WIDTH, HEIGHT = 320, 220
SPAN_LATITUDE = 0.5  # degrees from the office to the top and bottom edges
TOWNS = 6


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    name: str
    anchor: str


@dataclass(frozen=True)
class OfficeMap:
    width: int
    height: int
    office_x: float
    office_y: float
    towns: list[Dot]


def _span(x: float, name: str, anchor: str) -> tuple[float, float]:
    width = 7.0 * len(name) + 10
    return (x - width, x) if anchor == "end" else (x, x + width)


def _overlap(placed: Dot, x: float, y: float, name: str, anchor: str) -> bool:
    if abs(placed.y - y) >= 15:
        return False
    left, right = _span(placed.x, placed.name, placed.anchor)
    new_left, new_right = _span(x, name, anchor)
    return new_left < right and left < new_right


def office_map(latitude: float, longitude: float) -> OfficeMap:
    """The office and the largest towns around it, projected onto a WIDTH × HEIGHT box."""
    aspect = math.cos(math.radians(latitude))
    scale = HEIGHT / (2 * SPAN_LATITUDE)
    span_longitude = WIDTH / 2 / scale / aspect

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (
            round(WIDTH / 2 + (lon - longitude) * aspect * scale, 1),
            round(HEIGHT / 2 - (lat - latitude) * scale, 1),
        )

    nearby = Place.objects.filter(
        latitude__range=(latitude - SPAN_LATITUDE * 0.9, latitude + SPAN_LATITUDE * 0.9),
        longitude__range=(longitude - span_longitude * 0.8, longitude + span_longitude * 0.8),
    ).order_by("-population")[: TOWNS * 3]
    towns: list[Dot] = []
    for place in nearby:
        x, y = project(place.latitude, place.longitude)
        name = place.display_name
        anchor = "end" if x > WIDTH * 0.6 else "start"
        # A town whose label would overlap a larger one's is left out (Frederiksberg is
        # inside Copenhagen at this scale).
        if len(towns) < TOWNS and not any(_overlap(t, x, y, name, anchor) for t in towns):
            towns.append(Dot(x=x, y=y, name=name, anchor=anchor))
    office_x, office_y = project(latitude, longitude)
    return OfficeMap(WIDTH, HEIGHT, office_x, office_y, towns)
