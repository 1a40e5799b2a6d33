"""The CLI end to end, in a subprocess, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import TINY
from conftest import run_cli as run


def test_route_json_on_tiny_network() -> None:
    res = run("route", "Alpha", "Delta", "--data", str(TINY), "--json")
    assert res.returncode == 0, res.stderr
    top = json.loads(res.stdout)  # one shape with or without --alternatives: a route set
    assert (top["origin_id"], top["destination_name"], len(top["routes"])) == ("a", "Delta", 1)
    data = top["routes"][0]
    assert data["countries"] == ["CN", "KZ", "RU", "BY", "PL", "DE"]
    assert data["totals"]["time_h"] == {"low": 38.0, "high": 44.0}
    assert data["transfers"][0]["kind"] == "gauge_change"
    assert {"from_id", "from_name", "to_id", "to_name", "from_lonlat", "to_lonlat", "mode"} <= set(
        data["legs"][0]
    )
    assert {"countries", "length_km", "time_h", "cost_usd", "sources", "geometry"} <= set(
        data["legs"][0]
    )


def test_route_avoid_flags_and_alternatives_json() -> None:
    res = run(
        "route",
        "Alpha",
        "Delta",
        "--data",
        str(TINY),
        "--avoid",
        "RU",
        "--alternatives",
        "3",
        "--json",
    )
    assert res.returncode == 0, res.stderr
    routes = json.loads(res.stdout)["routes"]
    assert len(routes) == 3  # middle corridor, sea via Suez, sea via the Cape
    assert all("RU" not in r["countries"] for r in routes)


def test_table_output_in_days() -> None:
    res = run("route", "Alpha", "Delta", "--data", str(TINY))
    assert res.returncode == 0
    assert "1.6–1.8" in res.stdout
    assert "gauge change" in res.stdout


def test_unknown_place_is_a_message_not_a_traceback() -> None:
    res = run("route", "Charly", "Delta", "--data", str(TINY))
    assert res.returncode == 1
    assert "Did you mean: Charlie" in res.stderr
    assert "Traceback" not in res.stderr


def test_no_route_message() -> None:
    res = run(
        "route",
        "Alpha",
        "Delta",
        "--data",
        str(TINY),
        "--avoid",
        "KZ",
        "--avoid-passage",
        "suez,cape",
    )
    assert res.returncode == 1
    assert "every route crosses KZ" in res.stderr


def test_bad_country_code_and_bad_scenario(tmp_path: Path) -> None:
    res = run("route", "Alpha", "Delta", "--data", str(TINY), "--avoid", "XX")
    assert res.returncode == 1
    assert "XX" in res.stderr
    assert "Traceback" not in res.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nclose:\n  countries: [RU]\n  modes: [zeppelin]\n")
    res = run("route", "Alpha", "Delta", "--data", str(TINY), "--scenario", str(bad))
    assert res.returncode == 1
    assert "close.modes.0" in res.stderr
    assert "line 4" in res.stderr


def test_validate_reports_problems_with_file_row_column(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "net"
    shutil.copytree(TINY, folder)
    links = folder / "links.csv"
    links.write_text(
        links.read_text().replace("ab,A-B rail,a,b,rail,1435,120", "ab,A-B rail,a,b,rail,1435,-5")
    )
    res = run("data", "validate", str(folder))
    assert res.returncode == 1
    assert "links.csv" in res.stderr
    assert "length_km" in res.stderr
    ok = run("data", "validate", str(TINY))
    assert ok.returncode == 0
    assert "valid" in ok.stdout
    assert "land-link lengths estimated from great-circle distance: 0 of 8 (0%)" in ok.stdout


def test_export_geojson_and_csv(tmp_path: Path) -> None:
    res = run(
        "data",
        "export",
        "--format",
        "geojson",
        "--out",
        str(tmp_path / "net.geojson"),
        "--data",
        str(TINY),
    )
    assert res.returncode == 0, res.stderr
    fc = json.loads((tmp_path / "net.geojson").read_text())
    assert len(fc["features"]) == 8 + 11
    res = run(
        "data", "export", "--format", "csv", "--out", str(tmp_path / "csv"), "--data", str(TINY)
    )
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "csv" / "links.csv").read_text().startswith("id,name,from,to")


def test_export_gpkg(tmp_path: Path) -> None:
    res = run(
        "data",
        "export",
        "--format",
        "gpkg",
        "--out",
        str(tmp_path / "net.gpkg"),
        "--data",
        str(TINY),
    )
    assert res.returncode == 0, res.stderr
    import pyogrio

    layers = {name for name, _ in pyogrio.list_layers(tmp_path / "net.gpkg")}
    assert layers == {"nodes", "links"}


def test_demo_runs_on_default_dataset() -> None:
    res = run("demo")
    assert res.returncode == 0, res.stderr
    assert "Chongqing → Duisburg" in res.stdout
    assert "Sea via the Cape" in res.stdout


def test_unwritable_export_and_empty_data_folder(tmp_path: Path) -> None:
    res = run("data", "export", "--out", "/proc/nope/net.geojson", "--data", str(TINY))
    assert res.returncode == 1
    assert "cannot write" in res.stderr
    assert "Traceback" not in res.stderr
    res = run("route", "Alpha", "Delta", "--data", str(tmp_path))
    assert res.returncode == 1
    assert "no nodes.csv" in res.stderr


def test_calibrate_json_is_the_calibration_result() -> None:
    res = run("data", "calibrate", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    rows = {r["id"]: r for r in data["rows"]}
    row = rows["cal_yuxinou_len"]
    assert row["verdict"] == "within"
    assert row["tolerance"] == "within 10% of the published figure"
    assert row["countries"][0] == "CN"
    assert row["source"] == "calib_chinadaily_2013"
    assert row["diff"] == pytest.approx(row["model_low"] - row["published_low"], rel=1e-5)
    assert {r["verdict"] for r in data["rows"]} <= {"within", "off"}
    assert data["km_tolerance"] == 0.1
    from corridors.results.calibration import Calibration

    assert set(Calibration.json_schema()["properties"]) == set(data)
