"""Dataset facts as data: analysis_defaults.yaml is loaded with the network and validated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import corridors as cx
from conftest import run_cli
from corridors.analyses.compare.comparison import compare
from corridors.analyses.routing.options import corridor_options, named_options
from corridors.model.analysis_defaults import AnalysisDefaults


def test_default_dataset_defaults(default_net: cx.Network) -> None:
    d = default_net.defaults
    assert isinstance(d, AnalysisDefaults)
    assert d.compare is not None
    assert d.compare.supply_countries == ("KZ", "AZ", "TM", "RU")
    assert d.assignment is not None
    assert d.assignment.overland_segment == "china-europe"
    keys = [o.key for o in named_options(default_net)]
    assert {"rail_north", "middle_corridor", "sea_suez", "sea_cape", "best", "sea"} <= set(keys)
    cape = named_options(default_net, ["sea_cape"])[0]
    assert {"suez", "babalmandab"} <= set(cape.scenario.close.passages)


def test_bad_defaults_file_names_file_line_field(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    (folder / "analysis_defaults.yaml").write_text(
        "corridor_options:\n"
        "  - key: north\n"
        "    label: North\n"
        "    close: {passages: [suezz], countries: [XX]}\n"
        "demo:\n"
        "  pairs: [[a, atlantis]]\n"
        "  options: [north, nowhere]\n"
        "compare:\n"
        "  options: [north]\n"
        "  colour: red\n"
    )
    with pytest.raises(cx.DataError) as err:
        cx.load(folder)
    found = {(p.file, p.row, p.column, p.value) for p in err.value.problems}
    assert found == {
        ("analysis_defaults.yaml", 10, "compare.colour", "red"),
    }  # a wrong shape stops before the ids are checked
    (folder / "analysis_defaults.yaml").write_text(
        (folder / "analysis_defaults.yaml").read_text().replace("  colour: red\n", "")
    )
    with pytest.raises(cx.DataError) as err:
        cx.load(folder)
    found = {(p.row, p.column, p.value, p.message) for p in err.value.problems}
    assert found == {
        (4, "corridor_options.0.close.passages.0", "suezz", "unknown passage id"),
        (4, "corridor_options.0.close.countries.0", "XX", "not an ISO 3166-1 alpha-2 country code"),
        (6, "demo.pairs.0.1", "atlantis", "unknown node id"),
        (7, "demo.options.1", "nowhere", "unknown corridor option key"),
    }
    # the same through the CLI: a problems table, not a traceback
    res = run_cli("route", "Alpha", "Delta", "--data", str(folder))
    assert res.returncode == 1
    assert "analysis_defaults.yaml" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_network_without_defaults_asks_for_arguments(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    (folder / "analysis_defaults.yaml").unlink()
    net = cx.load(folder)
    assert net.defaults is None
    with pytest.raises(cx.CorridorsError, match=r"no compare.options .* pass corridors="):
        compare(net, cx.Scenario.from_flags(avoid=["RU"]), od_pairs=[("a", "d")])
    with pytest.raises(cx.CorridorsError, match=r"no demo.options .* pass options="):
        corridor_options(net, "Alpha", "Delta")
    # with explicit arguments the analyses run
    c = compare(
        net,
        cx.Scenario.from_flags(avoid=["RU"]),
        od_pairs=[("a", "d")],
        corridors=named_options(cx.load(), ["best"]),
        commodities=(),
    )
    assert c.routes[0].status == "changed"
    res = run_cli("demo", "--data", str(folder))
    assert res.returncode == 1
    assert "no demo section in analysis_defaults.yaml" in res.stderr


def test_demo_pairs_come_from_the_data(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    path = folder / "analysis_defaults.yaml"
    path.write_text(
        path.read_text().replace(
            "    - [a, d]\n  options: [rail", "    - [c, q]\n  options: [rail", 1
        )
    )
    res = run_cli("demo", "--data", str(folder))
    assert res.returncode == 0, res.stderr
    assert "Charlie → Quebec Port" in res.stdout
    assert "Alpha → Delta" not in res.stdout
