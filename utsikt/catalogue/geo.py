"""A map of Europe drawn from the gazetteer alone: no tiles, no external files, no script.

An equirectangular projection, its x axis shrunk by the cosine of 52° north so that Europe
keeps its familiar shape. The background is every city in the gazetteer as a faint dot, which
draws the coasts and the populated land well enough to find one's way.
"""

from __future__ import annotations

import math
from functools import lru_cache

from utsikt.grants.models import Place

WEST, EAST, SOUTH, NORTH = -25.0, 45.0, 34.0, 71.5
SCALE = 12.0
ASPECT = math.cos(math.radians(52))
WIDTH = round((EAST - WEST) * ASPECT * SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE)


def project(latitude: float, longitude: float) -> tuple[float, float] | None:
    """The point on the map, or None outside it (the Canaries, the French overseas regions)."""
    if not (WEST <= longitude <= EAST and SOUTH <= latitude <= NORTH):
        return None
    x = (longitude - WEST) * ASPECT * SCALE
    y = (NORTH - latitude) * SCALE
    return round(x, 1), round(y, 1)


def radius(count: int, largest: int) -> float:
    """Dots grow with the square root of the count, so their area tells the number."""
    return round(2.5 + 7.5 * math.sqrt(count / max(largest, 1)), 1)


@lru_cache(maxsize=1)
def background_svg() -> str:
    """The faint dots of every city, as a standalone SVG document (reference data: cached)."""
    points = []
    for latitude, longitude in Place.objects.values_list("latitude", "longitude").order_by():
        point = project(latitude, longitude)
        if point is not None:
            points.append(f"M{point[0]} {point[1]}h0")
    path = "".join(points)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef3f8"/>'
        f'<path d="{path}" stroke="#b7c3d0" stroke-width="2.2" stroke-linecap="round"/>'
        "</svg>"
    )
