"""A simplified outline of Japan for the home page's map, and the projection that places meetings on it.

The outline is drawn by this project from approximate coordinates of well-known capes, bays and cities
(a few dozen points per island); it is deliberately coarse, labelled "simplified" on the page, and no
map data of any other party was copied. It is dedicated to the public domain (CC0 1.0) like the rest of
static/README.md says. No tile server and no external file: the page inlines the SVG.

Projection: equirectangular, longitude scaled by cos(36°) so that central Japan keeps its shape;
Okinawa is drawn in an inset box in the Sea of Japan corner, as Japanese maps usually do.
"""

import math
from dataclasses import dataclass

# The main map's box, in degrees, and its size in SVG units.
WEST, EAST, SOUTH, NORTH = 128.6, 146.2, 30.6, 45.8
SCALE = 40.0  # SVG units per degree of latitude
X_FACTOR = math.cos(math.radians(36))
WIDTH = round((EAST - WEST) * X_FACTOR * SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE)

# Okinawa's inset: its own box in degrees, drawn at the same scale in the top-left corner.
INSET_WEST, INSET_EAST, INSET_SOUTH, INSET_NORTH = 127.4, 128.6, 25.9, 27.0
INSET_ORIGIN = (12.0, 12.0)

# (longitude, latitude) rings, clockwise from the north. Approximate, simplified.
ISLANDS: dict[str, list[tuple[float, float]]] = {
    "hokkaido": [
        (141.9, 45.5),
        (142.6, 45.0),
        (143.4, 44.4),
        (144.3, 44.0),
        (145.3, 44.3),
        (145.0, 43.7),
        (145.6, 43.4),
        (145.2, 43.2),
        (144.4, 42.95),
        (143.6, 42.6),
        (143.3, 42.0),
        (142.5, 42.3),
        (141.6, 42.6),
        (141.0, 42.3),
        (140.7, 41.8),
        (140.2, 41.4),
        (140.0, 41.9),
        (139.8, 42.3),
        (140.3, 42.8),
        (140.4, 43.3),
        (141.3, 43.2),
        (141.6, 43.9),
        (141.7, 44.6),
        (141.7, 45.4),
    ],
    "honshu": [
        (140.9, 41.5),
        (141.45, 41.4),
        (141.5, 40.5),
        (142.0, 39.6),
        (141.6, 38.8),
        (141.5, 38.3),
        (141.0, 38.1),
        (141.0, 37.0),
        (140.6, 36.3),
        (140.85, 35.7),
        (140.4, 35.2),
        (139.9, 34.9),
        (139.8, 35.3),
        (139.7, 35.2),
        (139.3, 35.3),
        (139.1, 35.1),
        (138.85, 34.6),
        (138.7, 35.1),
        (138.2, 34.6),
        (137.7, 34.65),
        (137.0, 34.58),
        (136.85, 35.05),
        (136.6, 34.6),
        (136.9, 34.3),
        (136.3, 33.9),
        (135.77, 33.43),
        (135.1, 33.9),
        (135.1, 34.3),
        (135.4, 34.65),
        (135.1, 34.7),
        (134.7, 34.75),
        (134.2, 34.62),
        (133.9, 34.5),
        (133.4, 34.42),
        (132.45, 34.3),
        (131.6, 33.95),
        (130.9, 33.95),
        (131.0, 34.3),
        (131.4, 34.45),
        (132.1, 34.9),
        (132.7, 35.4),
        (133.25, 35.55),
        (134.2, 35.55),
        (135.2, 35.77),
        (136.0, 35.7),
        (136.1, 36.2),
        (136.6, 36.6),
        (136.7, 37.1),
        (137.3, 37.5),
        (137.0, 37.0),
        (137.2, 36.8),
        (137.9, 37.05),
        (138.6, 37.4),
        (139.0, 37.9),
        (139.6, 38.6),
        (140.05, 39.7),
        (139.7, 39.95),
        (140.0, 40.6),
        (140.35, 41.25),
        (140.75, 40.85),
        (141.2, 41.2),
    ],
    "shikoku": [
        (134.6, 34.2),
        (134.75, 33.85),
        (134.2, 33.25),
        (133.55, 33.45),
        (133.0, 32.75),
        (132.5, 32.9),
        (132.0, 33.35),
        (132.7, 33.85),
        (133.2, 33.95),
        (133.6, 34.3),
        (134.05, 34.42),
    ],
    "kyushu": [
        (130.95, 33.95),
        (131.2, 33.6),
        (131.7, 33.6),
        (131.6, 33.25),
        (131.9, 32.9),
        (131.7, 32.5),
        (131.45, 31.9),
        (131.35, 31.35),
        (130.9, 31.4),
        (130.65, 31.0),
        (130.7, 31.55),
        (130.5, 31.2),
        (130.2, 31.3),
        (130.2, 32.0),
        (130.4, 32.2),
        (130.6, 32.6),
        (130.2, 32.6),
        (130.35, 32.85),
        (129.75, 32.7),
        (129.6, 33.1),
        (129.5, 33.35),
        (130.0, 33.45),
        (130.4, 33.6),
    ],
    "okinawa": [
        (128.3, 26.87),
        (128.1, 26.6),
        (127.95, 26.4),
        (127.8, 26.15),
        (127.65, 26.08),
        (127.7, 26.45),
        (127.85, 26.6),
        (127.9, 26.7),
    ],
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def in_main_box(longitude: float, latitude: float) -> bool:
    return WEST <= longitude <= EAST and SOUTH <= latitude <= NORTH


def project(longitude: float, latitude: float) -> Point:
    """Where a place in Japan's main islands falls on the map (SVG units, y downwards)."""
    return Point(
        x=round((longitude - WEST) * X_FACTOR * SCALE, 1),
        y=round((NORTH - latitude) * SCALE, 1),
    )


def project_inset(longitude: float, latitude: float) -> Point:
    return Point(
        x=round(INSET_ORIGIN[0] + (longitude - INSET_WEST) * X_FACTOR * SCALE * 2, 1),
        y=round(INSET_ORIGIN[1] + (INSET_NORTH - latitude) * SCALE * 2, 1),
    )


def inset_box() -> tuple[float, float, float, float]:
    """The inset's frame: x, y, width, height (Okinawa is drawn at twice the main scale)."""
    corner = project_inset(INSET_EAST, INSET_SOUTH)
    return (*INSET_ORIGIN, corner.x - INSET_ORIGIN[0], corner.y - INSET_ORIGIN[1])


def outline_paths() -> list[str]:
    """SVG path data, one closed ring per island."""
    paths = []
    for name, ring in ISLANDS.items():
        to_point = project_inset if name == "okinawa" else project
        points = [to_point(lon, lat) for lon, lat in ring]
        paths.append("M" + " L".join(f"{p.x},{p.y}" for p in points) + " Z")
    return paths


MARKER_RADIUS = 13.0


def spread(points: list[Point], *, radius: float = MARKER_RADIUS, rounds: int = 60) -> list[Point]:
    """Move markers that would overlap (Takasaki and Karuizawa are 13 units apart) just far enough apart
    to be told from each other and clicked; each keeps a leader line to its true place on the page."""
    placed = [[p.x, p.y] for p in points]
    gap = 2 * radius + 2
    for _round in range(rounds):
        moved = False
        for i in range(len(placed)):
            for j in range(i + 1, len(placed)):
                dx = placed[j][0] - placed[i][0]
                dy = placed[j][1] - placed[i][1]
                distance = math.hypot(dx, dy)
                if distance >= gap:
                    continue
                if distance == 0:
                    # Two meetings in the same city: fan them out sideways.
                    dx, dy, distance = 1.0, 0.0, 1.0
                push = (gap - distance) / 2
                ux, uy = dx / distance, dy / distance
                placed[i][0] -= ux * push
                placed[i][1] -= uy * push
                placed[j][0] += ux * push
                placed[j][1] += uy * push
                moved = True
        if not moved:
            break
    return [Point(round(x, 1), round(y, 1)) for x, y in placed]
