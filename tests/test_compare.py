"""Scenario comparison: hand-checked deltas on the tiny network, energy, CLI, a property."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

import corridors as cx
from conftest import TINY
from corridors.analyses.compare.comparison import (
    DEFAULT_CORRIDORS,
    DEFAULT_OD_PAIRS,
    compare,
    od_pairs_of,
)
from corridors.cli.compare_cmd import compare_tables
from test_flows import DIAMOND_LINKS, DIAMOND_NODES, build
from test_properties import SETTINGS, networks

BEST = DEFAULT_CORRIDORS[:1]
ALPHA_DELTA = [("Alpha", "Delta")]


def best_row(c: object) -> pd.Series:
    routes = c.routes  # type: ignore[attr-defined]
    return routes[routes["corridor"] == "best"].iloc[0]


def test_closing_russia_on_the_tiny_network(tiny: cx.Network) -> None:
    # north: 10+10+10 running + 6-10 gauge change + 2-4 Bravo dwell = 38-44 h, 460 USD, 360 km
    # middle: A-B 10, gauge 6-10, B-F 5, port 4-8, ferry 10-14 + wait 12, port 4-8, E-D 20,
    # Bravo dwell 2-4 = 73-91 h; cost 120+100+200+50+240+50+160 = 920 USD; 600 km
    c = compare(tiny, cx.Scenario.from_flags(avoid=["RU"]), od_pairs=ALPHA_DELTA, corridors=BEST)
    r = best_row(c)
    assert (r["time_low_h_before"], r["time_high_h_before"]) == (38.0, 44.0)
    assert (r["time_low_h_after"], r["time_high_h_after"]) == (73.0, 91.0)
    assert (r["delta_time_low_h"], r["delta_time_high_h"]) == (35.0, 47.0)
    assert r["delta_time_mean_h"] == 41.0
    assert r["delta_cost_usd"] == pytest.approx(920 - 460)
    assert r["delta_length_km"] == pytest.approx(600 - 360)
    assert r["status"] == "changed"
    assert r["corridor_changed"]
    assert r["countries_before"] == ("CN", "KZ", "RU", "BY", "PL", "DE")
    assert r["countries_after"] == ("CN", "KZ", "AZ", "GE", "TR", "DE")
    assert r["modes_after"] == ("rail", "ferry")
    assert c.against.name == "baseline"
    assert c.delivered.empty  # the tiny network has no fields
    assert any("crude" in n for n in c.notes)


def test_against_another_scenario(tiny: cx.Network) -> None:
    ru = cx.Scenario.from_flags(avoid=["RU"])
    ferry = cx.Scenario.from_flags(avoid=["RU"], avoid_modes=["ferry"])
    c = compare(tiny, ferry, against=ru, od_pairs=ALPHA_DELTA, corridors=BEST)
    r = best_row(c)
    assert r["time_low_h_before"] == 73.0  # the middle corridor under 'ru'
    assert r["passages_after"] == ("suez",)  # the sea route when ferries stop
    assert r["time_low_h_after"] == 3 + 10 + 100 + 10 + 2


def test_routes_that_disappear_and_appear(tiny: cx.Network) -> None:
    cut = cx.Scenario(
        close={"countries": ("RU",), "modes": ("ferry",), "passages": ("suez", "cape")}
    )
    c = compare(tiny, cut, od_pairs=ALPHA_DELTA, corridors=BEST)
    assert c.disappeared == [("Alpha", "Delta", "best")]
    r = best_row(c)
    assert math.isnan(r["time_low_h_after"])
    assert "no route" in r["reason"]
    # the overland corridor (no ferry or sea leg) disappears once Russia closes
    c = compare(tiny, cx.Scenario.from_flags(avoid=["RU"]), od_pairs=ALPHA_DELTA)
    assert ("Alpha", "Delta", "overland") in c.disappeared
    assert set(c.routes["corridor"]) == {"best", "overland", "middle_corridor", "sea"}
    # a planned line opened where every operating link out of Alpha is closed
    isolated = cx.Scenario(close={"links": ("ab", "ap")})
    opened = cx.Scenario(close={"links": ("ab", "ap")}, open_links=("ad_new",))
    c = compare(tiny, opened, against=isolated, od_pairs=ALPHA_DELTA, corridors=BEST)
    assert c.appeared == [("Alpha", "Delta", "best")]


def test_unknown_places_and_ids_raise(tiny: cx.Network) -> None:
    with pytest.raises(cx.UnknownPlaceError):
        compare(tiny, cx.Scenario(), od_pairs=[("Alpha", "Atlantis")])
    with pytest.raises(cx.ScenarioError, match="unknown links"):
        compare(tiny, cx.Scenario(close={"links": ("nope",)}), od_pairs=ALPHA_DELTA)


def test_default_pairs(tiny: cx.Network, default_net: cx.Network) -> None:
    assert od_pairs_of(tiny) == []  # none of the default China-Europe nodes
    pairs = od_pairs_of(default_net)
    assert pairs
    known = set(default_net.nodes.index)
    assert all(a in known and b in known for a, b in pairs)


def test_energy_deltas_bottlenecks_and_exporters() -> None:
    # the diamond of test_flows: max flow 12, min cut {fb, am, ab}. With 'fa' cut to 5,
    # a gets 5 (am 4, ab 1) and b gets 5 + 1: 10 delivered, min cut {fa, fb}
    net = build(DIAMOND_NODES, DIAMOND_LINKS)
    narrow = cx.Scenario(override=({"links": ("fa",), "field": "capacity", "set": 5.0},))
    c = compare(net, narrow, od_pairs=[], commodities=("gas",))
    total = c.delivered_total.iloc[0]
    assert (total["before"], total["after"], total["delta"]) == pytest.approx((12.0, 10.0, -2.0))
    assert c.delivered.set_index("market").loc["M", "after"] == pytest.approx(10.0)
    change = dict(zip(c.bottlenecks["id"], c.bottlenecks["change"], strict=True))
    assert change == {"fa": "new", "am": "relieved", "ab": "relieved"}
    kz = c.exporters.set_index("country").loc["KZ"]
    assert (kz["before"], kz["after"], kz["delta_pct"]) == pytest.approx((12.0, 10.0, -100 / 6))
    # closing the only market's country: nothing delivered after, noted
    c = compare(net, cx.Scenario(close={"links": ("am", "bm")}), od_pairs=[], commodities=("gas",))
    assert c.delivered_total.iloc[0]["after"] == 0.0


def test_default_dataset_sanctions(default_net: cx.Network) -> None:
    c = compare(default_net, cx.load_scenario("eu-sanctions-ru-by"), od_pairs=DEFAULT_OD_PAIRS)
    assert (c.routes["status"] != "appeared").all()
    best = c.routes[c.routes["corridor"] == "best"]
    assert (best["delta_time_mean_h"].dropna() >= -1e-9).all()
    assert set(c.routes.loc[c.routes["corridor"] == "overland", "status"]) == {"disappeared"}
    assert not any("RU" in cs for cs in c.routes["countries_after"])
    gas = c.exporters[(c.exporters["commodity"] == "gas") & (c.exporters["country"] == "RU")]
    assert gas.iloc[0]["after"] == 0.0
    assert c.exporters.iloc[0]["delta"] <= c.exporters["delta"].min() + 1e-9  # largest loss first


def test_red_sea_lengthens_the_sea_option(default_net: cx.Network) -> None:
    scen = cx.load_scenario("red-sea-closed-2024")
    c = compare(default_net, scen, od_pairs=DEFAULT_OD_PAIRS, commodities=())
    sea = c.routes[c.routes["corridor"] == "sea"]
    assert (sea["delta_length_km"] > 1000).all()
    assert all("cape" in p for p in sea["passages_after"])
    assert all("suez" not in p for p in sea["passages_after"])


def test_as_dict_and_frame_are_plain(tiny: cx.Network) -> None:
    c = compare(tiny, cx.load_scenario("eu-sanctions-ru-by"), od_pairs=ALPHA_DELTA)
    d = json.loads(json.dumps(c.as_dict()))
    assert d["scenario"]["sources"]
    assert {r["corridor"] for r in d["routes"]} == {"best", "overland", "middle_corridor", "sea"}
    frame = c.to_frame()
    assert list(frame.columns[:5]) == ["section", "commodity", "item", "metric", "unit"]
    assert set(frame["section"]) == {"route"}


def test_terminal_tables_show_the_sources(tiny: cx.Network) -> None:
    scen = cx.load_scenario("eu-sanctions-ru-by")
    c = compare(tiny, scen, od_pairs=ALPHA_DELTA)
    buf = io.StringIO()
    console = Console(file=buf, width=160)
    for item in compare_tables(c):
        console.print(item)
    text = buf.getvalue()
    assert scen.title in text
    assert "2022/576" in text
    assert "disappeared" in text


# ------------------------------------------------------------------------------ CLI

APP = (
    "import sys, typer\n"
    "from corridors.cli.compare_cmd import compare_cmd\n"
    "app = typer.Typer()\n"
    "app.command('compare')(compare_cmd)\n"
    "app.command('noop')(lambda: None)\n"
    "app()\n"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", APP, "compare", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin"},
    )


def test_cli_json_and_csv() -> None:
    common = ["red-sea-closed-2024", "--data", str(TINY), "--od", "Alpha:Delta"]
    res = run(*common, "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["scenario"]["name"] == "red-sea-closed-2024"
    sea = next(r for r in data["routes"] if r["corridor"] == "sea")
    assert sea["passages_before"] == ["suez"]
    assert sea["passages_after"] == ["cape"]
    assert sea["delta_time_low_h"] == 100.0  # 200 h round the Cape instead of 100 h via Suez
    res = run(*common, "--csv", "--against", "eu-sanctions-ru-by")
    assert res.returncode == 0, res.stderr
    frame = pd.read_csv(io.StringIO(res.stdout))
    rows = frame[(frame["item"] == "Alpha → Delta (best)") & (frame["metric"] == "time_low_h")]
    assert float(rows.iloc[0]["before"]) == 73.0  # the middle corridor, Russia closed
    assert float(rows.iloc[0]["after"]) == 38.0  # the northern route, Red Sea closed instead
    res = run(*common)
    assert res.returncode == 0, res.stderr
    assert "UNCTAD" in res.stdout
    assert "Alpha → Delta" in res.stdout


# --------------------------------------------------------------------------- property


@SETTINGS
@given(networks(), st.data())
def test_a_closure_never_lowers_any_pairs_cost(net: cx.Network, data: st.DataObject) -> None:
    link = data.draw(st.sampled_from(list(net.links.index)))
    mode = data.draw(st.sampled_from(["road", "rail"]))
    for scen in (cx.Scenario(close={"links": (link,)}), cx.Scenario(close={"modes": (mode,)})):
        c = compare(
            net,
            scen,
            od_pairs=[("n0", "n1"), ("n1", "n2")],
            objective="cost",
            corridors=BEST,
            commodities=(),
        )
        assert "appeared" not in set(c.routes["status"])
        both = c.routes.dropna(subset=["delta_cost_usd"])
        assert (both["delta_cost_usd"] >= -1e-6).all()
