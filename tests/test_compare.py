"""Scenario comparison: hand-checked deltas on the tiny network, energy, CLI, a property."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

import corridors as cx
from conftest import TINY
from corridors.analyses.compare.comparison import compare, od_pairs_of
from corridors.analyses.routing.options import CorridorOption
from corridors.cli.compare_cmd import compare_tables
from corridors.results.compare import Comparison
from test_flows import DIAMOND_LINKS, DIAMOND_NODES, build
from test_properties import SETTINGS, networks

BEST = (CorridorOption("best", "Best route", cx.Scenario(name="best")),)
ALPHA_DELTA = [("Alpha", "Delta")]
#: China-Europe pairs of the default dataset (its compare.pairs)
CHINA_EUROPE = [
    ("chongqing", "duisburg"),
    ("xian", "hamburg"),
    ("yiwu", "madrid"),
    ("shanghai", "rotterdam"),
    ("chengdu", "lodz"),
]


def best_row(c: Comparison) -> pd.Series:
    routes = c.routes_frame()
    return routes[routes["corridor"] == "best"].iloc[0]


def routes_of(c: Comparison) -> pd.DataFrame:
    return c.routes_frame()


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
    assert not c.delivered  # the tiny network has no fields
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
    assert r["time_low_h_after"] is None
    assert c.routes[0].before is not None
    assert c.routes[0].after is None
    assert "no route" in r["reason"]
    # the overland corridor (no ferry or sea leg) disappears once Russia closes
    c = compare(tiny, cx.Scenario.from_flags(avoid=["RU"]), od_pairs=ALPHA_DELTA)
    assert ("Alpha", "Delta", "overland") in c.disappeared
    assert {r.corridor for r in c.routes} == {"best", "overland", "middle_corridor", "sea"}
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
    assert od_pairs_of(tiny) == [("a", "d")]  # the tiny network's compare.pairs
    pairs = od_pairs_of(default_net)
    assert pairs
    known = set(default_net.nodes.index)
    assert all(a in known and b in known for a, b in pairs)


def test_energy_deltas_bottlenecks_and_exporters() -> None:
    # the diamond of test_flows: max flow 12, min cut {fb, am, ab}. With 'fa' cut to 5,
    # a gets 5 (am 4, ab 1) and b gets 5 + 1: 10 delivered, min cut {fa, fb}
    net = build(DIAMOND_NODES, DIAMOND_LINKS)
    narrow = cx.Scenario(override=({"links": ("fa",), "field": "capacity", "set": 5.0},))
    c = compare(net, narrow, od_pairs=[], commodities=("gas",), supply_countries=("KZ",))
    total = c.delivered_total_frame().iloc[0]
    assert (total["before"], total["after"], total["delta"]) == pytest.approx((12.0, 10.0, -2.0))
    assert c.delivered_frame().set_index("market").loc["M", "after"] == pytest.approx(10.0)
    change = {b.id: b.change for b in c.bottlenecks}
    assert change == {"fa": "new", "am": "relieved", "ab": "relieved"}
    kz = c.exporters_frame().set_index("country").loc["KZ"]
    assert (kz["before"], kz["after"], kz["delta_pct"]) == pytest.approx((12.0, 10.0, -100 / 6))
    # closing the only market's country: nothing delivered after, noted
    cut = cx.Scenario(close={"links": ("am", "bm")})
    c = compare(net, cut, od_pairs=[], commodities=("gas",), supply_countries=("KZ",))
    assert c.delivered_total[0].after == 0.0


def test_default_dataset_sanctions(default_net: cx.Network) -> None:
    c = compare(
        default_net, cx.load_scenario("eu-sanctions-ru-by"), od_pairs=CHINA_EUROPE, assignment=False
    )
    routes = c.routes_frame()
    assert (routes["status"] != "appeared").all()
    best = routes[routes["corridor"] == "best"]
    assert (best["delta_time_mean_h"].dropna() >= -1e-9).all()
    assert set(routes.loc[routes["corridor"] == "overland", "status"]) == {"disappeared"}
    assert not any("RU" in cs for cs in routes["countries_after"])
    exporters = c.exporters_frame()
    gas = exporters[(exporters["commodity"] == "gas") & (exporters["country"] == "RU")]
    assert gas.iloc[0]["after"] == 0.0
    assert exporters.iloc[0]["delta"] <= exporters["delta"].min() + 1e-9  # largest loss first


def test_red_sea_lengthens_the_sea_option(default_net: cx.Network) -> None:
    scen = cx.load_scenario("red-sea-closed-2024")
    c = compare(default_net, scen, od_pairs=CHINA_EUROPE, commodities=(), assignment=False)
    sea = c.routes_frame()[c.routes_frame()["corridor"] == "sea"]
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
        assert "appeared" not in {r.status for r in c.routes}
        both = c.routes_frame().dropna(subset=["delta_cost_usd"])
        assert (both["delta_cost_usd"] >= -1e-6).all()


# ------------------------------------------------------- faults of issue 8 (regressions)


def test_cli_composes_several_scenarios_like_route() -> None:
    # two scenarios as arguments, and the same as --scenario plus --avoid: one composition
    common = ["--data", str(TINY), "--od", "Alpha:Delta", "--json"]
    res = run("red-sea-closed-2024", "eu-sanctions-ru-by", *common)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["scenario"]["name"] == "red-sea-closed-2024 + eu-sanctions-ru-by"
    best = next(r for r in data["routes"] if r["corridor"] == "best")
    # Russia and the Red Sea closed: the middle corridor (rail + ferry), 73-91 h
    assert best["countries_after"] == ["CN", "KZ", "AZ", "GE", "TR", "DE"]
    assert (best["time_low_h_after"], best["time_high_h_after"]) == (73.0, 91.0)
    res = run("--scenario", "red-sea-closed-2024", "--avoid", "RU", *common)
    assert res.returncode == 0, res.stderr
    flags = json.loads(res.stdout)
    same = next(r for r in flags["routes"] if r["corridor"] == "best")
    assert same["countries_after"] == best["countries_after"]
    assert flags["scenario"]["name"] == "red-sea-closed-2024 + avoid RU"
    # --against composes too
    res = run(
        "eu-sanctions-ru-by", "--against", "baseline", "--against", "red-sea-closed-2024", *common
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["against"]["name"] == "red-sea-closed-2024"
    res = run("--data", str(TINY))
    assert res.returncode == 1
    assert "give a scenario" in res.stderr


def with_demand(folder: Path, amount: float) -> Path:
    """The tiny network with the north line capped at 1,000 TEU/yr and Alpha-Delta demand."""
    links = pd.read_csv(folder / "links.csv", dtype=str, keep_default_na=False)
    links.loc[links["id"] == "cd", ["capacity", "capacity_unit"]] = ["1000", "TEU/yr"]
    links.loc[links["id"].isin(["fe", "pq", "pq_cape"]), ["capacity", "capacity_unit"]] = [
        "0",
        "TEU/yr",
    ]
    links.to_csv(folder / "links.csv", index=False)
    pd.DataFrame(
        {
            "id": ["d1"],
            "origin": ["a"],
            "destination": ["d"],
            "commodity": ["container"],
            "amount": [amount],
            "unit": ["TEU/yr"],
            "year": [2023],
            "sources": ["hand"],
        }
    ).to_csv(folder / "demand.csv", index=False)
    return folder


def test_a_capacity_only_scenario_shows_its_effect(tiny_copy: Callable[[], Path]) -> None:
    # 1,500 TEU/yr Alpha -> Delta, only the north line open to them at 1,000 TEU/yr: 500
    # unserved. Doubling its capacity changes no best route but serves everything.
    net = cx.load(with_demand(tiny_copy(), 1500.0))
    more = cx.Scenario(
        name="more", override=({"links": ("cd",), "field": "capacity", "set": 2000.0},)
    )
    c = compare(net, more, commodities=())
    assert {r.status for r in c.routes if r.corridor == "best"} == {"unchanged"}
    a = c.assignment
    assert a is not None
    assert (a.unserved_before, a.unserved_after, a.delta_unserved) == pytest.approx(
        (500.0, 0.0, -500.0)
    )
    assert (a.assigned_before, a.assigned_after) == pytest.approx((1000.0, 1500.0))
    assert c.assignment_before is not None
    assert c.assignment_after is not None
    assert c.assignment_after.routes[0].volume == pytest.approx(1500.0)
    text = io.StringIO()
    console = Console(file=text, width=160)
    for item in compare_tables(c):
        console.print(item)
    assert "Demand assigned under capacities" in text.getvalue()
    assert "-500" in text.getvalue()
    rows = c.to_frame()
    unserved = rows[(rows["section"] == "assignment") & (rows["metric"] == "unserved")]
    assert float(unserved.iloc[0]["delta"]) == pytest.approx(-500.0)


def test_middle_corridor_upgrade_under_sanctions_serves_400k_teu_more(
    default_net: cx.Network,
) -> None:
    sanctions = cx.load_scenario("eu-sanctions-ru-by")
    upgrade = cx.compose([sanctions, cx.load_scenario("middle-corridor-upgrade")])
    c = compare(default_net, upgrade, against=sanctions, od_pairs=[], commodities=())
    assert c.assignment is not None
    # stored: 1,075,080 TEU/yr unserved under sanctions, 675,080 with the upgrade
    assert c.assignment.delta_unserved == pytest.approx(-400_000.0, abs=1.0)
    assert c.assignment.delta_assigned == pytest.approx(400_000.0, abs=1.0)
    overland = {s.key: s.delta for s in c.assignment.shares if s.metric == "overland_share"}
    assert overland["AZ"] > 0.2  # the Caspian crossing carries more of the overland demand


def test_routes_before_and_after_are_kept_and_drawn(tiny: cx.Network) -> None:
    c = compare(tiny, cx.Scenario.from_flags(avoid=["RU"]), od_pairs=ALPHA_DELTA, corridors=BEST)
    row = c.routes[0]
    assert isinstance(row.before, cx.Route)
    assert isinstance(row.after, cx.Route)
    assert row.before.countries == ("CN", "KZ", "RU", "BY", "PL", "DE")
    assert row.after.modes == ("rail", "ferry")
    d = json.loads(c.to_json())
    assert [leg["link_id"] for leg in d["routes"][0]["before"]["legs"]] == ["ab", "bc", "cd"]
    assert "lines" not in d
    features = c.features()
    sides = [f["properties"]["side"] for f in features]
    assert sides == ["before"] * len(row.before.legs) + ["after"] * len(row.after.legs)
    first = features[0]
    assert first["geometry"]["type"] == "LineString"
    assert first["geometry"]["coordinates"][0] == [0.0, 0.0]  # Alpha (lon 0, lat 0)
    assert first["properties"]["link"] == "ab"
    # a leg travelled against its link's direction starts at the node it leaves
    back = compare(
        tiny, cx.Scenario.from_flags(avoid=["RU"]), od_pairs=[("Delta", "Alpha")], corridors=BEST
    )
    assert back.features()[0]["geometry"]["coordinates"][0] == [3.0, 0.0]  # Delta
    schema = Comparison.json_schema()
    assert {"routes", "assignment", "delivered", "exporters", "notes"} <= set(schema["properties"])
    assert "lines" not in schema["properties"]


def test_cli_geojson_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "cmp.geojson"
    res = run(
        "red-sea-closed-2024", "--data", str(TINY), "--od", "Alpha:Delta", "--geojson", str(out)
    )
    assert res.returncode == 0, res.stderr
    fc = json.loads(out.read_text())
    assert fc["type"] == "FeatureCollection"
    sea = [f for f in fc["features"] if f["properties"]["corridor"] == "sea"]
    assert {f["properties"]["side"] for f in sea} == {"before", "after"}
    after = [f["properties"]["link"] for f in sea if f["properties"]["side"] == "after"]
    assert "pq_cape" in after
    assert [p.name for p in tmp_path.iterdir()] == ["cmp.geojson"]  # no temporary file left
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600
    import geopandas as gpd

    frame = gpd.read_file(out)
    assert len(frame) == len(fc["features"])
    res = run(
        "red-sea-closed-2024",
        "--data",
        str(TINY),
        "--od",
        "Alpha:Delta",
        "--geojson",
        "/proc/nope/x.geojson",
    )
    assert res.returncode == 1
    assert "cannot write" in res.stderr
