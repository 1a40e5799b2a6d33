"""The offline data-build script reproduces the stored sea legs and their lines."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.io.tables import default_data_dir
from corridors.model.network import load

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_sea_legs.py"
GEOMETRY = default_data_dir() / "sea_lanes.geojson"


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )


def test_build_script_reproduces_stored_sea_legs() -> None:
    res = _check()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "sea-lane lines" in res.stdout


@pytest.mark.parametrize("damage", ["missing", "moved"])
def test_check_fails_when_the_geometry_is_stale(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("scenarios"))
    lines = data / "sea_lanes.geojson"
    if damage == "missing":
        lines.unlink()
    else:
        fc = json.loads(lines.read_text(encoding="utf-8"))
        fc["features"][0]["geometry"]["coordinates"][1][0] += 1.0
        lines.write_text(json.dumps(fc), encoding="utf-8")
    res = _check("--data", str(data))
    assert res.returncode == 1
    assert "sea_lanes.geojson: differs" in res.stderr


def test_every_sea_link_has_a_stored_line_from_its_from_port() -> None:
    assert GEOMETRY.stat().st_size < 2_000_000
    fc = json.loads(GEOMETRY.read_text(encoding="utf-8"))

    lines = {f["id"]: f["geometry"]["coordinates"] for f in fc["features"]}
    with (default_data_dir() / "links_sea.csv").open(encoding="utf-8") as fh:
        links = list(csv.DictReader(fh))
    assert {row["id"] for row in links} == set(lines)
    nodes = load().nodes
    for row in links:
        line = lines[row["id"]]
        for point, node in ((line[0], row["from"]), (line[-1], row["to"])):
            lon, lat = nodes.at[node, "lon"], nodes.at[node, "lat"]
            assert point == pytest.approx([lon, lat], abs=1e-4)
    suez, cape = lines["sea_shanghai_rotterdam_suez"], lines["sea_shanghai_rotterdam_cape"]
    assert len(suez) > 2
    assert len(cape) > 2
    assert min(lat for _, lat in cape) < -30 < min(lat for _, lat in suez)
