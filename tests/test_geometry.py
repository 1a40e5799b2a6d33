"""Link geometry: stored sea-lane lines read with the network, used by routes and exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import corridors as cx
from corridors.io.export import network_features
from corridors.model.geometry import link_line, node_point

LANE = {
    "type": "Feature",
    "id": "pq_cape",
    "geometry": {"type": "LineString", "coordinates": [[0, -1], [1.5, -20], [3, -1]]},
}


def _write(folder: Path, features: list[object]) -> None:
    fc = {"type": "FeatureCollection", "features": features}
    (folder / "sea_lanes.geojson").write_text(json.dumps(fc), encoding="utf-8")


def test_stored_line_is_used_oriented_and_routed(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    _write(folder, [LANE])
    net = cx.load(folder)
    assert link_line(net, "pq_cape") == [(0.0, -1.0), (1.5, -20.0), (3.0, -1.0)]
    assert link_line(net, "pq_cape", start="q") == [(3.0, -1.0), (1.5, -20.0), (0.0, -1.0)]
    assert link_line(net, "pq") == [node_point(net, "p"), node_point(net, "q")]
    r = cx.route(
        net,
        "Alpha",
        "Delta",
        scenario=cx.Scenario.from_flags(avoid=["KZ"], avoid_passages=["suez"]),
    )
    sea = next(leg for leg in r.legs if leg.mode == "sea")
    assert sea.geometry.coordinates == [(0.0, -1.0), (1.5, -20.0), (3.0, -1.0)]
    lines = {
        f["properties"]["id"]: f["geometry"]["coordinates"]
        for f in network_features(net)["features"]
        if f["properties"]["feature"] == "link"
    }
    assert lines["pq_cape"] == [[0.0, -1.0], [1.5, -20.0], [3.0, -1.0]]
    assert len(lines["pq"]) == 2


def test_a_line_whose_ends_are_not_the_links_is_not_used(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    moved = json.loads(json.dumps(LANE))
    moved["geometry"]["coordinates"][0] = [5, 5]
    _write(folder, [moved])
    net = cx.load(folder)
    assert len(link_line(net, "pq_cape")) == 2
    # a scenario that adds a link draws it straight
    added = cx.Scenario(
        add_links=(
            {
                "id": "new",
                "from": "a",
                "to": "d",
                "mode": "road",
                "length_km": 400,
                "countries": "CN;DE",
                "sources": "hand",
                "status": "operating",
                "direction": "both",
            },
        )
    )
    assert link_line(cx.apply_scenario(net, added), "new") == [(0.0, 0.0), (3.0, 0.0)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "cannot read as GeoJSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (json.dumps({"features": [{"id": "x", "geometry": {"type": "Point"}}]}), "LineString"),
        (
            json.dumps(
                {
                    "features": [
                        {"id": "x", "geometry": {"type": "LineString", "coordinates": [[0, 0]]}}
                    ]
                }
            ),
            "at least two points",
        ),
        (
            json.dumps(
                {
                    "features": [
                        {
                            "id": "x",
                            "geometry": {"type": "LineString", "coordinates": [[0, 0], [0, 99]]},
                        }
                    ]
                }
            ),
            "outside",
        ),
    ],
)
def test_bad_geometry_files_are_named(
    tiny_copy: Callable[[], Path], text: str, message: str
) -> None:
    folder = tiny_copy()
    (folder / "sea_lanes.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(cx.DataError) as info:
        cx.load(folder)
    assert [p.file for p in info.value.problems] == ["sea_lanes.geojson"]
    assert message in str(info.value)


def test_default_export_draws_sea_lanes_apart(default_net: cx.Network) -> None:
    lines = {
        f["properties"]["id"]: f["geometry"]["coordinates"]
        for f in network_features(default_net)["features"]
        if f["properties"]["feature"] == "link"
    }
    suez, cape = lines["sea_shanghai_rotterdam_suez"], lines["sea_shanghai_rotterdam_cape"]
    assert len(suez) > 2
    assert suez != cape
    assert min(lat for _, lat in cape) < -30
