"""Export routes and shortfall of a flow (the article's CPC question)."""

from __future__ import annotations

import json

import pytest

import corridors as cx
from conftest import run_cli
from corridors.analyses.flows.export_routes import reference_exports
from corridors.analyses.flows.solve import flow


def test_cpc_suspension_export_routes_and_shortfall(default_net: cx.Network) -> None:
    scen = cx.load_scenario("cpc-suspension-2022")
    result = flow(default_net, "crude", ["KZ"], scenario=scen)
    found = reference_exports(default_net, "crude", {"KZ"}, result.unit)
    assert found is not None
    ref, _year, note = found
    assert 60 < ref < 75  # Kazakh crude exports, 64-70 Mt/yr (demand table, sourced)
    assert "demand rows" in note
    s = result.exports
    assert s is not None
    assert s.shortfall == pytest.approx(s.reference - result.delivered_total)
    assert sum(r.flow for r in s.routes) == pytest.approx(result.delivered_total, rel=1e-6)
    assert {r.to_country for r in s.routes} <= {"RU", "CN", "AZ"}
    assert "oil_cpc_atyrau_terminal" not in {r.id for r in s.routes}
    samara = next(r for r in s.routes if r.id == "oil_uas_atyrau_samara")
    assert samara.utilisation == pytest.approx(1.0)


def test_reference_is_of_the_supply_year(default_net: cx.Network) -> None:
    """Regression: the shortfall set 2022 supply against 2023 exports (6.19 Mt/yr)."""
    s = flow(default_net, "crude", "KZ").exports
    assert s is not None
    assert s.supply_years == [2022]
    assert s.reference_year == 2022
    assert s.shortfall == pytest.approx(0.0, abs=0.1)  # 64.3 delivered vs 64.26 exported
    latest = reference_exports(default_net, "crude", {"KZ"}, "Mt/yr")
    assert latest is not None
    assert latest[1] == 2023


def test_flow_cli_json_has_exports() -> None:
    res = run_cli(
        "flow",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--scenario",
        "cpc-suspension-2022",
        "--json",
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["exports"]["shortfall"] > 0
    assert {"unit", "delivered_total", "sinks", "links", "min_cut", "binding"} <= set(data)
    assert data["exports"]["reference_year"] == 2022


# --- issue 14: every write atomic, umask kept, folders and devices refused ---

import errno  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from conftest import TINY  # noqa: E402
from corridors.cli.app import app  # noqa: E402
from corridors.errors import CorridorsError  # noqa: E402
from corridors.io.atomic import atomic_write_file  # noqa: E402
from corridors.io.export import export_network  # noqa: E402


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_csv_export_failing_part_way_leaves_nothing(
    tiny: cx.Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pd.DataFrame.to_csv
    calls = []

    def flaky(self: pd.DataFrame, path: Path, **kw: object) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, path, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    with pytest.raises(CorridorsError, match="no space left"):
        export_network(tiny, tmp_path / "out", "csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_csv_export_replaces_a_previous_export_as_one(tiny: cx.Network, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_network(tiny, out, "csv")
    (out / "nodes.csv").write_text("stale")
    written = export_network(tiny, out, "csv")
    assert [p.name for p in written] == ["nodes.csv", "links.csv", "transfers.csv", "sources.csv"]
    assert (out / "nodes.csv").read_text().startswith("id,name")
    assert _leftovers(tmp_path) == []
    (out / "mine.txt").write_text("keep")
    with pytest.raises(CorridorsError, match="holds other files"):
        export_network(tiny, out, "csv")
    assert (out / "mine.txt").read_text() == "keep"


def test_files_keep_the_umask(tiny: cx.Network, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        [geo] = export_network(tiny, tmp_path / "net", "geojson")
        csvs = export_network(tiny, tmp_path / "tables", "csv")
    finally:
        os.umask(old)
    assert geo.stat().st_mode & 0o777 == 0o644
    assert {p.stat().st_mode & 0o777 for p in csvs} == {0o644}
    assert (tmp_path / "tables").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_a_folder_or_device_is_refused_as_a_file_target(
    tiny: cx.Network, tmp_path: Path, fmt: str
) -> None:
    (tmp_path / "existing_dir").mkdir()
    with pytest.raises(CorridorsError, match="is a folder"):
        export_network(tiny, tmp_path / "existing_dir", fmt)
    with pytest.raises(CorridorsError, match="not a regular file"):
        export_network(tiny, Path("/dev/full"), fmt)
    assert not Path(f"/dev/full.{fmt}").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing_dir"]


def test_empty_out_is_refused() -> None:
    res = CliRunner().invoke(app, ["data", "export", "--out", "", "--data", str(TINY)])
    assert res.exit_code == 2
    assert "--out" in res.output


def test_interrupt_during_a_write_leaves_no_temporary(tmp_path: Path) -> None:
    def write(p: Path) -> None:
        p.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write_file(tmp_path / "a.geojson", write)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_temporaries_of_a_killed_process_are_cleaned(tiny: cx.Network, tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    (tmp_path / f".net.geojson.{pid}.abc.tmp").write_text("half")
    (tmp_path / f".tables.{pid}.abc.tmp").mkdir()
    export_network(tiny, tmp_path / "net", "geojson")
    export_network(tiny, tmp_path / "tables", "csv")
    assert _leftovers(tmp_path) == []


def test_full_disk_gives_a_message_for_geojson_and_gpkg(
    tiny: cx.Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geopandas as gpd
    from pyogrio.errors import DataSourceError

    def full(*args: object, **kw: object) -> None:
        raise DataSourceError("sqlite3_exec(CREATE TABLE ...) failed: database or disk is full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", full)
    with pytest.raises(CorridorsError, match="disk is full"):
        export_network(tiny, tmp_path / "net", "gpkg")

    def enospc(self: Path, *args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", enospc)
    with pytest.raises(CorridorsError, match="no space left"):
        export_network(tiny, tmp_path / "net", "geojson")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
