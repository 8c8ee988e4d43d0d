"""home.japan_map: the prefectures' shapes from the vendored data, the projection, the labels' layout."""

import json
import math
import re

from home import japan_map
from home.japan_map import Box, Point


def test_projection_keeps_places_in_their_order_and_box():
    sapporo = japan_map.project(141.35, 43.06)
    tokyo = japan_map.project(139.69, 35.69)
    nagasaki = japan_map.project(129.88, 32.75)
    assert sapporo.y < tokyo.y < nagasaki.y
    assert nagasaki.x < tokyo.x < sapporo.x
    for point in (sapporo, tokyo, nagasaki):
        assert 0 <= point.x <= japan_map.WIDTH and 0 <= point.y <= japan_map.HEIGHT
    assert japan_map.place(6.77, 51.23) is None  # Düsseldorf is not drawn
    naha = japan_map.place(127.68, 26.21)
    assert japan_map.inset_box().contains(naha), "Okinawa is drawn in its inset"


def bounds(path: str) -> Box:
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", path)]
    xs, ys = numbers[::2], numbers[1::2]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def test_every_prefecture_is_drawn_from_the_vendored_natural_earth_data():
    data = json.loads(japan_map.DATA_FILE.read_text(encoding="utf-8"))
    assert [feature["properties"]["code"] for feature in data["features"]] == [
        f"{n:02}" for n in range(1, 48)
    ]
    paths = japan_map.prefecture_paths()
    assert sorted(paths) == [f"{n:02}" for n in range(1, 48)]
    assert all(path.startswith("M") and path.endswith("Z") for path in paths.values())
    # Each place lies in its own prefecture's shape, so the data and the projection agree.
    for code, (longitude, latitude) in {
        "10": (139.00, 36.32),  # Takasaki, Gunma
        "01": (141.35, 43.06),  # Sapporo, Hokkaido
        "42": (129.88, 32.75),  # Nagasaki
        "37": (134.04, 34.34),  # Takamatsu, Kagawa
    }.items():
        assert bounds(paths[code]).contains(japan_map.project(longitude, latitude)), code
    assert japan_map.inset_box().contains(Point(bounds(paths["47"]).x, bounds(paths["47"]).y))
    # Islands are drawn: Sado (Niigata) and Awaji (Hyogo) are rings of their own.
    assert paths["15"].count("M") > 1 and paths["28"].count("M") > 1


def test_labels_keep_to_the_sea_where_they_can():
    sea = Box(150, 120, 60, 40)  # the Sea of Japan, west of Tohoku
    land = japan_map.project(138.0, 36.0)  # Nagano, in the middle of Honshu
    assert japan_map.land_share(sea) == 0
    assert japan_map.land_share(Box(land.x - 20, land.y - 10, 40, 20)) == 1


def test_a_label_is_as_wide_as_its_text():
    height = japan_map.label_height(328)
    assert japan_map.label_width("高崎市", height) > japan_map.label_width("Abc", height)
    assert japan_map.label_width("Karuizawa", height) > japan_map.label_width("Mito", height)


def crowd() -> list[Point]:
    """Seven places in central Honshu, as close as the presidency's."""
    return [
        japan_map.project(longitude, latitude)
        for longitude, latitude in [
            (139.00, 36.32),
            (138.60, 36.35),
            (139.70, 36.72),
            (140.47, 36.37),
            (139.04, 37.92),
            (137.21, 36.70),
            (136.66, 36.56),
        ]
    ]


def test_crowded_labels_are_laid_out_without_covering_each_other_or_a_dot():
    dots = crowd()
    for narrowest in japan_map.LAYOUTS.values():
        height = japan_map.label_height(narrowest)
        labels = japan_map.place_labels(
            dots, [japan_map.label_width("Karuizawa", height)] * len(dots), height
        )
        assert [label.dot for label in labels] == dots
        for index, label in enumerate(labels):
            assert label.box.height == height
            assert not any(label.box.overlaps(other.box) for other in labels[index + 1 :])
            assert not any(label.box.contains(dot) for dot in dots)
            assert not label.box.overlaps(japan_map.inset_box())
            if label.leader is None:
                assert (
                    math.dist(
                        (label.dot.x, label.dot.y),
                        (label.box.nearest(label.dot).x, label.box.nearest(label.dot).y),
                    )
                    < 12
                )
            else:
                assert label.leader == label.box.nearest(label.dot)
        assert any(label.leader for label in labels), "a crowd needs leader lines"
        # The same places always get the same layout.
        assert (
            japan_map.place_labels(dots, [japan_map.label_width("Karuizawa", height)] * len(dots), height)
            == labels
        )


def test_more_labels_than_the_map_holds_go_by_their_dots_at_once():
    dots = [japan_map.project(139.0 + 0.01 * n, 36.3) for n in range(japan_map.MANY_PLACES + 1)]
    labels = japan_map.place_labels(dots, [200.0] * len(dots), 60)
    assert [label.box.x for label in labels] == [dot.x + japan_map.GAP + japan_map.DOT_RADIUS for dot in dots]
    assert all(label.leader is None and label.box.height == 60 for label in labels)


def test_segment_and_box_geometry():
    box = Box(10, 10, 10, 10)
    assert japan_map.segment_meets_box(Point(0, 15), Point(30, 15), box)
    assert not japan_map.segment_meets_box(Point(0, 0), Point(30, 5), box)
    assert japan_map.segment_meets_box(Point(0, 0), Point(30, 5), box, margin=6)
    assert japan_map.segments_cross(Point(0, 0), Point(10, 10), Point(0, 10), Point(10, 0))
    assert not japan_map.segments_cross(Point(0, 0), Point(10, 0), Point(0, 5), Point(10, 5))
    assert box.nearest(Point(0, 0)) == Point(10, 10)
    assert box.nearest(Point(15, 30)) == Point(15, 20)
