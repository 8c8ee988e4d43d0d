"""Make the home page's map data from Natural Earth's first-order administrative divisions.

    manage.py simplify_japan_map ne_10m_admin_1_states_provinces.geojson

reads Natural Earth's "Admin 1 – States, Provinces" at 1:10m (GeoJSON, the whole world or Japan alone),
keeps Japan's 47 prefectures, drops islets smaller than --min-area, simplifies every ring
(Douglas–Peucker, --tolerance degrees), rounds to three decimals and writes home/mapdata/japan.geojson,
the file the map is drawn from (home/japan_map.py). Nothing is fetched: the source is a file you give.
See home/mapdata/NOTICE.md for the source of the committed file.
"""

import json
import math
import re
import unicodedata
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.japan_map import DATA_FILE

PREFECTURES_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "01_prefectures.yaml"
ISO_CODE = re.compile(r"^JP-(\d\d)$")


def folded(name: str) -> str:
    """A name without accents or case: Hyōgo and Hyogo match."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def prefecture_codes() -> dict[str, str]:
    """JIS X 0401 code by Japanese name (群馬県) and by folded English name (gunma), from the fixtures."""
    codes = {}
    for record in yaml.safe_load(PREFECTURES_FIXTURE.read_text(encoding="utf-8")):
        fields = record["fields"]
        codes[fields["name_ja"]] = fields["code"]
        codes[folded(fields["name_en"])] = fields["code"]
    return codes


def perpendicular_distance(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplified(points: list, tolerance: float) -> list:
    """Douglas–Peucker: the fewest of the points that keep the line within `tolerance` of them all."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            d = perpendicular_distance(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_area(ring: list) -> float:
    """The area a ring encloses, in square degrees (shoelace formula)."""
    return (
        abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False))) / 2
    )


def polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise CommandError(f"Unexpected geometry {geometry['type']}.")


class Command(BaseCommand):
    help = "Write home/mapdata/japan.geojson from Natural Earth's admin-1 (states, provinces) GeoJSON."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="Natural Earth admin-1 GeoJSON (world or Japan)")
        parser.add_argument("--output", type=Path, default=DATA_FILE)
        parser.add_argument("--tolerance", type=float, default=0.012, help="degrees (0.012° is about 1 km)")
        parser.add_argument("--min-area", type=float, default=0.002, help="square degrees (about 20 km²)")

    def handle(self, *args, source, output, tolerance, min_area, **options):
        try:
            collection = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {source}: {error}") from error
        codes = prefecture_codes()
        features = {}
        for feature in collection.get("features", []):
            properties = {key.lower(): value for key, value in feature["properties"].items()}
            if properties.get("adm0_a3") != "JPN":
                continue
            iso = ISO_CODE.match(properties.get("iso_3166_2") or "")
            code = (
                iso.group(1)
                if iso
                else codes.get(properties.get("name_local") or "")
                or codes.get(folded(properties.get("name") or ""))
            )
            if code is None:
                raise CommandError(f"No prefecture matches {properties.get('name')!r}.")
            shapes = []
            for polygon in polygons(feature["geometry"]):
                # The outer ring only: at this scale no prefecture has a hole worth drawing.
                outer = [tuple(point[:2]) for point in polygon[0][:-1]]
                if ring_area(outer) < min_area:
                    continue
                ring = simplified([*outer, outer[0]], tolerance)[:-1]
                if len(ring) >= 3:
                    shapes.append([[[round(x, 3), round(y, 3)] for x, y in [*ring, ring[0]]]])
            features[code] = {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": {"type": "MultiPolygon", "coordinates": shapes},
            }
        if len(features) != 47:
            raise CommandError(f"Found {len(features)} of Japan's 47 prefectures in {source}.")
        output.write_text(
            json.dumps(
                {"type": "FeatureCollection", "features": [features[code] for code in sorted(features)]},
                separators=(",", ":"),
            )
            + "\n",
            encoding="utf-8",
        )
        points = sum(
            len(ring) for f in features.values() for shape in f["geometry"]["coordinates"] for ring in shape
        )
        self.stdout.write(f"Wrote {output}: 47 prefectures, {points} points.")
