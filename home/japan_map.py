"""The home page's map of Japan: the prefectures' shapes, the projection that places meetings on it, and
where each place's label goes.

The shapes are Natural Earth's first-order administrative divisions at 1:10m (public domain), simplified
into mapdata/japan.geojson by `manage.py simplify_japan_map`; mapdata/NOTICE.md says which version and
how. The page inlines the SVG: no tile server and no file from outside.

Projection: equirectangular, longitude scaled by cos(36°) so that central Japan keeps its shape.
Okinawa's main islands are drawn in an inset box in the Sea of Japan corner, as Japanese maps usually
do; islands outside both boxes (the Ogasawara and Daitō islands, Amami, Miyako and Yaeyama) are not.

Labels: each place is a dot where it is and a label (the link to its meeting) next to it, placed where it
covers no other label or dot, with a leader line when it had to move away. The labels are large enough
to be a 24 CSS px target when the map is drawn 328 px wide (a 360 px phone).
"""

import functools
import json
import math
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "mapdata" / "japan.geojson"

# The main map's box, in degrees, and its size in SVG units.
WEST, EAST, SOUTH, NORTH = 128.4, 146.0, 30.8, 45.6
SCALE = 40.0  # SVG units per degree of latitude
X_FACTOR = math.cos(math.radians(36))
WIDTH = round((EAST - WEST) * X_FACTOR * SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE)

# Okinawa's inset: its own box in degrees, drawn at twice the scale in the top-left corner.
OKINAWA = "47"
INSET_WEST, INSET_EAST, INSET_SOUTH, INSET_NORTH = 127.55, 128.4, 26.05, 26.9
INSET_ORIGIN = (8.0, 8.0)
INSET_ZOOM = 1.6

# Labels are links, so each must be a target of at least 24 CSS px (WCAG 2.2, 2.5.8) however wide the
# map is drawn. The page draws one set of labels for narrow screens, where the map is at least 328 px
# wide (a 360 px phone less the page's margins), and one for wide ones, where it is at least 560 px
# (the stylesheet's media query and the figure's width); the labels' height follows, in SVG units.
TARGET_PX = 24
LAYOUTS = {"narrow": 328, "wide": 560}


def label_height(narrowest_px: int) -> float:
    return math.ceil(TARGET_PX * WIDTH / narrowest_px)


DOT_RADIUS = 4.0
GAP = 6.0  # between labels, and between a label and a dot


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: "Box", margin: float = 0.0) -> bool:
        return not (
            self.x + self.width + margin <= other.x
            or other.x + other.width + margin <= self.x
            or self.y + self.height + margin <= other.y
            or other.y + other.height + margin <= self.y
        )

    def contains(self, point: Point, margin: float = 0.0) -> bool:
        return (
            self.x - margin <= point.x <= self.x + self.width + margin
            and self.y - margin <= point.y <= self.y + self.height + margin
        )

    def nearest(self, point: Point) -> Point:
        """The point of the box nearest to `point`: where a leader line from it meets the box."""
        return Point(
            min(max(point.x, self.x), self.x + self.width), min(max(point.y, self.y), self.y + self.height)
        )


def in_main_box(longitude: float, latitude: float) -> bool:
    return WEST <= longitude <= EAST and SOUTH <= latitude <= NORTH


def in_inset_box(longitude: float, latitude: float) -> bool:
    return INSET_WEST <= longitude <= INSET_EAST and INSET_SOUTH <= latitude <= INSET_NORTH


def project(longitude: float, latitude: float) -> Point:
    """Where a place in Japan's main islands falls on the map (SVG units, y downwards)."""
    return Point(
        x=round((longitude - WEST) * X_FACTOR * SCALE, 1),
        y=round((NORTH - latitude) * SCALE, 1),
    )


def project_inset(longitude: float, latitude: float) -> Point:
    return Point(
        x=round(INSET_ORIGIN[0] + (longitude - INSET_WEST) * X_FACTOR * SCALE * INSET_ZOOM, 1),
        y=round(INSET_ORIGIN[1] + (INSET_NORTH - latitude) * SCALE * INSET_ZOOM, 1),
    )


def place(longitude: float, latitude: float) -> Point | None:
    """Where a place falls on the map, in the main box or Okinawa's inset; None if on neither."""
    if in_main_box(longitude, latitude):
        return project(longitude, latitude)
    if in_inset_box(longitude, latitude):
        return project_inset(longitude, latitude)
    return None


def inset_box() -> Box:
    """Okinawa's inset frame."""
    corner = project_inset(INSET_EAST, INSET_SOUTH)
    return Box(*INSET_ORIGIN, corner.x - INSET_ORIGIN[0], corner.y - INSET_ORIGIN[1])


@functools.cache
def prefecture_paths() -> dict[str, str]:
    """SVG path data of each prefecture by its JIS X 0401 code, the islands in the map's boxes only.

    Read and projected once per process: the shapes change only with a new data file."""
    collection = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    paths = {}
    for feature in collection["features"]:
        code = feature["properties"]["code"]
        inside = in_inset_box if code == OKINAWA else in_main_box
        to_point = project_inset if code == OKINAWA else project
        rings = []
        for polygon in feature["geometry"]["coordinates"]:
            ring = polygon[0][:-1]
            if not any(inside(lon, lat) for lon, lat in ring):
                continue
            points = [to_point(lon, lat) for lon, lat in ring]
            rings.append("M" + "L".join(f"{p.x:g},{p.y:g}" for p in points) + "Z")
        paths[code] = "".join(rings)
    return paths


def label_width(text: str, height: float) -> float:
    """A label's width, from its text: a full-width character takes 1 em, any other about 0.62 em."""
    font_size, padding = label_font_size(height), height * 0.3
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62 for c in text)
    return math.ceil(ems * font_size + 2 * padding)


def label_font_size(height: float) -> float:
    return round(height * 0.52, 1)


CELL = 6.0  # the land mask's resolution, in SVG units


@functools.cache
def land_mask() -> tuple[tuple[int, ...], ...]:
    """Which cells of a CELL-unit grid over the map are land (their centre is), as a summed-area table:
    entry [row][column] counts the land cells above and left of that corner, so that a box's land is
    four look-ups.

    Scanlines: on each row of cells, the crossings of every ring's edges with the row's centre line,
    paired in order, bound the land."""
    rings = []
    for path in prefecture_paths().values():
        for ring in path.split("Z"):
            if ring:
                rings.append([tuple(map(float, pair.split(","))) for pair in ring[1:].split("L")])
    columns, rows = math.ceil(WIDTH / CELL), math.ceil(HEIGHT / CELL)
    land = [[0] * columns for _ in range(rows)]
    for row in range(rows):
        y = (row + 0.5) * CELL
        for ring in rings:
            crossings = sorted(
                x1 + (y - y1) * (x2 - x1) / (y2 - y1)
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False)
                if (y1 <= y < y2) or (y2 <= y < y1)
            )
            for start, end in zip(crossings[::2], crossings[1::2], strict=False):
                for column in range(max(0, round(start / CELL)), min(columns, round(end / CELL))):
                    land[row][column] = 1
    table = [[0] * (columns + 1) for _ in range(rows + 1)]
    for row in range(rows):
        for column in range(columns):
            table[row + 1][column + 1] = (
                land[row][column] + table[row][column + 1] + table[row + 1][column] - table[row][column]
            )
    return tuple(tuple(line) for line in table)


def land_share(box: "Box") -> float:
    """How much of a box lies over land, from 0 to 1."""
    table = land_mask()
    rows, columns = len(table) - 1, len(table[0]) - 1
    left, right = max(0, int(box.x // CELL)), min(columns, math.ceil((box.x + box.width) / CELL))
    top, bottom = max(0, int(box.y // CELL)), min(rows, math.ceil((box.y + box.height) / CELL))
    cells = (right - left) * (bottom - top)
    if cells <= 0:
        return 0.0
    return (table[bottom][right] - table[top][right] - table[bottom][left] + table[top][left]) / cells


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segment ab crosses segment cd (touching at an end does not count)."""

    def side(p: Point, q: Point, r: Point) -> float:
        return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def segment_meets_box(a: Point, b: Point, box: "Box", margin: float = 0.0) -> bool:
    """Whether segment ab passes through a box grown by `margin` (Liang–Barsky clipping)."""
    dx, dy = b.x - a.x, b.y - a.y
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, a.x - (box.x - margin)),
        (dx, box.x + box.width + margin - a.x),
        (-dy, a.y - (box.y - margin)),
        (dy, box.y + box.height + margin - a.y),
    ):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
    return True


# Where a label may go around its dot: in 16 directions, at growing distances; (dx, dy) is the direction
# in which the label's near edge or corner lies from the dot.
DIRECTIONS = [
    (round(math.cos(math.radians(angle)), 3), round(-math.sin(math.radians(angle)), 3))
    for angle in range(0, 360, 15)
]
DISTANCES = [GAP + DOT_RADIUS, 24, 40, 60, 85, 110, 140, 170, 200, 240, 280]
# What a label over land costs, against the length of its leader line: a label fully over land is as
# bad as one 90 units away over the sea.
LAND_COST = 90.0
CROSSING_COST = 150.0  # a leader crossing another leader, or passing over another place's dot
THROUGH_COST = 400.0  # a leader passing through another label


def label_box(
    dot: Point, width: float, height: float, direction: tuple[float, float], distance: float
) -> Box:
    """The box whose edge or corner nearest the dot lies `distance` from it in `direction`."""
    dx, dy = direction
    x = dot.x + distance * dx - width * (0.5 - 0.5 * math.copysign(min(1.0, abs(dx) * 2.5), dx))
    y = dot.y + distance * dy - height * (0.5 - 0.5 * math.copysign(min(1.0, abs(dy) * 2.5), dy))
    return Box(round(x, 1), round(y, 1), width, height)


@dataclass(frozen=True)
class Label:
    dot: Point
    box: Box
    leader: Point | None  # where the leader line meets the label; None when it sits by its dot


SHUFFLED_ORDERS = 12
IMPROVING_ROUNDS = 2
MANY_PLACES = 30


@dataclass(frozen=True)
class Candidate:
    """A place for a label, and what it costs by itself: how far from its dot, how much over land, how
    many other dots its leader passes over."""

    box: Box
    end: Point  # where the leader line meets the box
    leader: bool
    cost: float


def candidates(dot: Point, dots: tuple[Point, ...], width: float, height: float) -> list[Candidate]:
    """Every place for a dot's label inside the map, off Okinawa's inset and covering no dot, cheapest
    first."""
    inset = inset_box()
    found = []
    for distance in DISTANCES:
        for direction in DIRECTIONS:
            box = label_box(dot, width, height, direction, distance)
            if box.x < 0 or box.y < 0 or box.x + box.width > WIDTH or box.y + box.height > HEIGHT:
                continue
            if box.overlaps(inset, GAP) or any(box.contains(other, DOT_RADIUS + GAP / 2) for other in dots):
                continue
            end = box.nearest(dot)
            leader = math.dist((end.x, end.y), (dot.x, dot.y)) > GAP + DOT_RADIUS + 1
            cost = distance + LAND_COST * land_share(box)
            if leader:
                cost += CROSSING_COST * sum(
                    1
                    for other in dots
                    if other != dot and segment_meets_box(dot, end, Box(other.x, other.y, 0, 0), DOT_RADIUS)
                )
            found.append(Candidate(box=box, end=end, leader=leader, cost=cost))
    return sorted(found, key=lambda candidate: candidate.cost)


def cost_among(dot: Point, candidate: Candidate, others: list[Label]) -> float | None:
    """What a candidate costs beside the labels already placed; None if it covers one of them."""
    if any(candidate.box.overlaps(other.box, GAP) for other in others):
        return None
    cost = candidate.cost
    for other in others:
        if other.leader and segment_meets_box(other.dot, other.leader, candidate.box, GAP / 2):
            cost += THROUGH_COST
        if candidate.leader:
            if segment_meets_box(dot, candidate.end, other.box, GAP / 2):
                cost += THROUGH_COST
            if other.leader and segments_cross(dot, candidate.end, other.dot, other.leader):
                cost += CROSSING_COST
    return cost


def cheapest(dot: Point, options: list[Candidate], others: list[Label], width: float, height: float):
    """The cheapest of a dot's candidates beside the other labels, and its cost. Candidates come cheapest
    first and only add costs, so the search stops at the first one that costs more by itself than the
    best so far."""
    best, best_cost = None, math.inf
    for candidate in options:
        if candidate.cost >= best_cost:
            break
        cost = cost_among(dot, candidate, others)
        if cost is not None and cost < best_cost:
            best, best_cost = candidate, cost
    if best is None:
        # Nowhere free (more places than the map holds): by the dot, over whatever is there.
        box = label_box(dot, width, height, (1, 0), GAP + DOT_RADIUS)
        return Label(dot=dot, box=box, leader=None), NOWHERE_COST
    return Label(dot=dot, box=best.box, leader=best.end if best.leader else None), best_cost


# What a label that found no free place costs: more than any free place.
NOWHERE_COST = 10_000.0


def place_labels(dots: list[Point], widths: list[float], height: float) -> list[Label]:
    """A box for each dot's label, inside the map, covering no other label nor dot nor Okinawa's inset:
    the layout with the shortest leader lines, the least land under the labels, and the fewest leaders
    crossing each other or passing through a label or over a dot.

    Greedy, in several orders (the most crowded dots first, west to east, north to south, their reverses,
    and shuffled ones), each layout then improved by moving one label at a time to its best place among
    the others; the cheapest wins. Cached: the same places give the same layout."""
    return list(_place_labels(tuple(dots), tuple(widths), height))


@functools.lru_cache(maxsize=16)
def _place_labels(dots: tuple[Point, ...], widths: tuple[float, ...], height: float) -> tuple[Label, ...]:
    if len(dots) > MANY_PLACES:
        # More than a map of this size can label apart, and the search grows with the square of the
        # places: each label by its dot.
        return tuple(
            Label(dot=dot, box=label_box(dot, width, height, (1, 0), GAP + DOT_RADIUS), leader=None)
            for dot, width in zip(dots, widths, strict=True)
        )
    options = [candidates(dot, dots, width, height) for dot, width in zip(dots, widths, strict=True)]

    def neighbours(index: int) -> int:
        return sum(1 for other in dots if math.dist((dots[index].x, dots[index].y), (other.x, other.y)) < 90)

    indexes = range(len(dots))
    orders = [
        sorted(indexes, key=lambda i: (-neighbours(i), dots[i].y, dots[i].x)),
        sorted(indexes, key=lambda i: (dots[i].x, dots[i].y)),
        sorted(indexes, key=lambda i: (dots[i].y, dots[i].x)),
    ]
    orders += [order[::-1] for order in orders]
    shuffler = random.Random(len(dots))  # seeded: the same places always give the same layout
    orders += [shuffler.sample(list(indexes), len(dots)) for _ in range(SHUFFLED_ORDERS)]

    best, best_cost = None, math.inf
    for order in orders:
        labels: dict[int, Label] = {}
        costs: dict[int, float] = {}
        for index in order:
            labels[index], costs[index] = cheapest(
                dots[index], options[index], list(labels.values()), widths[index], height
            )
        for _round in range(IMPROVING_ROUNDS):
            for index in order:
                others = [label for other, label in labels.items() if other != index]
                labels[index], costs[index] = cheapest(
                    dots[index], options[index], others, widths[index], height
                )
        # Each label's cost counted its crossings with the labels placed before it: count the whole.
        total = sum(
            cost_among(dots[index], _as_candidate(labels[index], options[index]), _others(labels, index)) or 0
            for index in indexes
        ) + NOWHERE_COST * sum(1 for cost in costs.values() if cost >= NOWHERE_COST)
        if total < best_cost:
            best, best_cost = labels, total
    return tuple(best[index] for index in indexes)


def _others(labels: dict[int, Label], index: int) -> list[Label]:
    return [label for other, label in labels.items() if other != index]


def _as_candidate(label: Label, options: list[Candidate]) -> Candidate:
    for candidate in options:
        if candidate.box == label.box:
            return candidate
    return Candidate(box=label.box, end=label.box.nearest(label.dot), leader=False, cost=NOWHERE_COST)
