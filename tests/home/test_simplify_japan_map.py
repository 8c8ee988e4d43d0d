"""manage.py simplify_japan_map: Natural Earth's admin-1 GeoJSON into the map's data file."""

import io
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from home import japan_map
from home.management.commands.simplify_japan_map import PREFECTURES_FIXTURE, simplified


def prefectures() -> list[dict]:
    return [record["fields"] for record in yaml.safe_load(PREFECTURES_FIXTURE.read_text(encoding="utf-8"))]


def natural_earth(tmp_path, *, iso=False, drop=None):
    """A Natural Earth-like admin-1 file: Japan's prefectures (the shapes of the vendored file, so with
    Natural Earth's attribute names), a finely drawn Gunma with an islet, and a feature of another country."""
    shapes = {
        feature["properties"]["code"]: feature["geometry"]
        for feature in json.loads(japan_map.DATA_FILE.read_text(encoding="utf-8"))["features"]
    }
    features = []
    for fields in prefectures():
        if fields["code"] == drop:
            continue
        properties = {
            "adm0_a3": "JPN",
            "name": fields["name_en"].replace("Hyogo", "Hyōgo"),
            "name_local": fields["name_ja"] if not iso else None,
            "iso_3166_2": f"JP-{fields['code']}" if iso else "JP-",
        }
        geometry = shapes[fields["code"]]
        if fields["code"] == "10":
            # A straight edge drawn with many points, and an islet of 0.0001 square degrees.
            edge = [[139.0 + step / 100, 36.0] for step in range(101)]
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [
                    [[*edge, [140.0, 37.0], [139.0, 37.0], [139.0, 36.0]]],
                    [[[138.5, 36.5], [138.51, 36.5], [138.51, 36.51], [138.5, 36.51], [138.5, 36.5]]],
                ],
            }
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    features.append(
        {
            "type": "Feature",
            "properties": {"adm0_a3": "KOR", "name": "Seoul", "iso_3166_2": "KR-11"},
            "geometry": {"type": "Polygon", "coordinates": [[[126, 37], [127, 37], [127, 38], [126, 37]]]},
        }
    )
    source = tmp_path / "ne_10m_admin_1_states_provinces.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return source


@pytest.mark.parametrize("iso", [False, True], ids=["by Japanese name", "by ISO 3166-2 code"])
def test_it_writes_japans_47_prefectures_simplified(tmp_path, iso):
    output = tmp_path / "japan.geojson"
    call_command(
        "simplify_japan_map", str(natural_earth(tmp_path, iso=iso)), output=output, stdout=io.StringIO()
    )
    data = json.loads(output.read_text(encoding="utf-8"))
    by_code = {feature["properties"]["code"]: feature["geometry"] for feature in data["features"]}
    assert list(by_code) == [f"{n:02}" for n in range(1, 48)]
    (gunma,) = by_code["10"]["coordinates"]  # the islet is dropped
    assert gunma == [[[139.0, 36.0], [140.0, 36.0], [140.0, 37.0], [139.0, 37.0], [139.0, 36.0]]]
    assert all(
        feature["properties"] == {"code": feature["properties"]["code"]} for feature in data["features"]
    )


def test_it_refuses_a_file_without_every_prefecture(tmp_path):
    with pytest.raises(CommandError, match="46 of Japan's 47"):
        call_command(
            "simplify_japan_map", str(natural_earth(tmp_path, drop="47")), output=tmp_path / "out.json"
        )


def test_it_refuses_a_prefecture_it_cannot_name(tmp_path):
    source = natural_earth(tmp_path)
    data = json.loads(source.read_text(encoding="utf-8"))
    data["features"][0]["properties"].update(name="Ezo", name_local="蝦夷")
    source.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="No prefecture matches 'Ezo'"):
        call_command("simplify_japan_map", str(source), output=tmp_path / "out.json")


def test_it_says_why_it_cannot_read_a_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("simplify_japan_map", str(tmp_path / "missing.geojson"), output=tmp_path / "out.json")


def test_douglas_peucker_keeps_the_corners_and_drops_what_lies_on_a_line():
    line = [(0, 0), (1, 0.001), (2, 0), (2, 1), (2.0005, 2), (2, 3)]
    assert simplified(line, 0.01) == [(0, 0), (2, 0), (2, 3)]
    assert simplified(line, 0.0001) == line
