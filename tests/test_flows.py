"""Flows engine: hand-solved networks, properties, bad input, the default dataset, the CLI."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence

import pandas as pd
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import corridors as cx
from corridors.analyses.flows.solve import FlowResult, max_flow, min_cost_flow, solve_flow
from corridors.cli.flow_cmd import flow_cmd
from corridors.geo import haversine_km
from corridors.model.network import from_frames

# (id, kind, capacity, unit[, country])
NodeSpec = tuple[str, str, float | None, str] | tuple[str, str, float | None, str, str]
# (id, from, to, mode, capacity, unit, direction)
LinkSpec = tuple[str, str, str, str, float | None, str, str]


def build(
    nodes: Sequence[NodeSpec],
    links: Sequence[LinkSpec],
    transfers: Sequence[tuple[str, str, str, str, float | None]] = (),
    mode_costs: Sequence[tuple[str, str, float]] = (),
    lengths: dict[str, float] | None = None,
) -> cx.Network:
    """A small network; node i sits at (40 + 0.3 i, 50 + 0.4 i), links run 1.5x great-circle."""
    pos = {n[0]: (40.0 + 0.3 * i, 50.0 + 0.4 * i) for i, n in enumerate(nodes)}
    country = {n[0]: (n[4] if len(n) == 5 else "KZ") for n in nodes}  # type: ignore[misc]
    node_df = pd.DataFrame(
        {
            "id": [n[0] for n in nodes],
            "name": [n[0].upper() for n in nodes],
            "kind": [n[1] for n in nodes],
            "country": [country[n[0]] for n in nodes],
            "lat": [pos[n[0]][0] for n in nodes],
            "lon": [pos[n[0]][1] for n in nodes],
            "capacity": [n[2] for n in nodes],
            "capacity_unit": [n[3] for n in nodes],
            "sources": ["s"] * len(nodes),
        }
    )
    rows = []
    for lid, a, b, mode, cap, unit, direction in links:
        gc = float(haversine_km(*pos[a], *pos[b]))
        rows.append(
            {
                "id": lid,
                "name": f"Link {lid}",
                "from": a,
                "to": b,
                "mode": mode,
                "length_km": (lengths or {}).get(lid, math.ceil(gc * 1.5 + 1)),
                "capacity": cap,
                "capacity_unit": unit if cap is not None else "",
                "countries": ";".join(dict.fromkeys([country[a], country[b]])),
                "status": "operating",
                "direction": direction,
                "sources": "s",
            }
        )
    frames = {
        "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2026]}),
        "commodities": pd.DataFrame(
            {
                "id": ["crude", "gas", "container"],
                "name": ["Crude", "Gas", "Containers"],
                "unit": ["Mt/yr", "bcm/yr", "TEU"],
                "modes": ["oil_pipeline;tanker;rail;sea", "gas_pipeline", "rail;road;sea;ferry"],
            }
        ),
        "nodes": node_df,
        "links": pd.DataFrame(rows),
    }
    if transfers:
        frames["transfers"] = pd.DataFrame(
            {
                "id": [t[0] for t in transfers],
                "node": [t[1] for t in transfers],
                "from_layer": [t[2] for t in transfers],
                "to_layer": [t[3] for t in transfers],
                "kind": ["terminal"] * len(transfers),
                "time_low_h": [1.0] * len(transfers),
                "time_high_h": [2.0] * len(transfers),
                "capacity": [t[4] for t in transfers],
                "capacity_unit": ["Mt/yr" if t[4] is not None else "" for t in transfers],
                "direction": ["forward"] * len(transfers),
                "sources": ["s"] * len(transfers),
            }
        )
    if mode_costs:
        frames["mode_costs"] = pd.DataFrame(
            {
                "mode": [m[0] for m in mode_costs],
                "commodity": [m[1] for m in mode_costs],
                "cost_usd_per_km": [m[2] for m in mode_costs],
                "sources": ["s"] * len(mode_costs),
            }
        )
    return from_frames(frames, "test")


def conservation(net: cx.Network, r: FlowResult) -> None:
    """Net outflow is the shipped supply at sources, minus the intake at sinks, 0 elsewhere."""
    balance: dict[str, float] = defaultdict(float)
    for row in r.links:
        assert row.flow > 0
        balance[row.from_id] += row.flow
        balance[row.to_id] -= row.flow
    for node, v in r.by_source.items():
        balance[node] -= v
    for node, v in r.by_sink.items():
        balance[node] += v
    for node, b in balance.items():
        assert abs(b) < 1e-6, (node, b)
    no_circulation(r)


def no_circulation(r: FlowResult) -> None:
    """Link flows decompose into source-to-sink paths only: their graph has no cycle."""
    out: dict[str, list[str]] = defaultdict(list)
    for row in r.links:
        out[row.from_id].append(row.to_id)
    state: dict[str, int] = {}

    def visit(v: str) -> None:
        state[v] = 1
        for w in out[v]:
            assert state.get(w) != 1, f"circulation through {w}"
            if w not in state:
                visit(w)
        state[v] = 2

    for v in list(out):
        if v not in state:
            visit(v)


def capacities_respected(r: FlowResult) -> None:
    for row in r.links:
        assert row.capacity is None or row.flow <= row.capacity + 1e-6


# A diamond with a cross link; max flow 12, min cut {fb, am, ab} (source-side minimal).
DIAMOND_NODES: list[NodeSpec] = [
    ("f", "field", 100.0, "bcm/yr"),
    ("a", "junction", None, ""),
    ("b", "junction", None, ""),
    ("m", "market", None, ""),
]
DIAMOND_LINKS: list[LinkSpec] = [
    ("fa", "f", "a", "gas_pipeline", 10.0, "bcm/yr", "forward"),
    ("fb", "f", "b", "gas_pipeline", 5.0, "bcm/yr", "forward"),
    ("am", "a", "m", "gas_pipeline", 4.0, "bcm/yr", "forward"),
    ("bm", "b", "m", "gas_pipeline", 8.0, "bcm/yr", "forward"),
    ("ab", "a", "b", "gas_pipeline", 3.0, "bcm/yr", "forward"),
]


@pytest.fixture(scope="module")
def diamond() -> cx.Network:
    return build(DIAMOND_NODES, DIAMOND_LINKS)


def test_diamond_max_flow_and_min_cut(diamond: cx.Network) -> None:
    r = max_flow(diamond, "gas", "f", "m")
    assert r.unit == "bcm/yr"
    assert r.delivered_total == pytest.approx(12.0)
    assert r.by_sink == {"m": pytest.approx(12.0)}
    assert r.by_source == {"f": pytest.approx(12.0)}
    assert {c.id for c in r.min_cut} == {"fb", "am", "ab"}
    assert sum(c.capacity for c in r.min_cut) == pytest.approx(r.delivered_total)
    assert r.sources[0].unused == pytest.approx(88.0)
    conservation(diamond, r)
    capacities_respected(r)


def test_min_cost_mode_delivers_the_max_flow_too(diamond: cx.Network) -> None:
    r = min_cost_flow(diamond, "gas", "f", "m")
    assert r.delivered_total == pytest.approx(12.0)
    assert r.cost_basis == "km"  # gas has no mode_costs here
    conservation(diamond, r)
    capacities_respected(r)


def test_supply_limit_is_a_cut_element() -> None:
    nodes = [("f", "field", 6.0, "bcm/yr"), *DIAMOND_NODES[1:]]
    net = build(nodes, DIAMOND_LINKS)
    r = max_flow(net, "gas", "f")
    assert r.delivered_total == pytest.approx(6.0)
    assert [(c.id, c.element) for c in r.min_cut] == [("f", "supply")]
    assert r.sources[0].unused == pytest.approx(0.0)


def test_market_capacity_bounds_intake() -> None:
    nodes = [*DIAMOND_NODES[:3], ("m", "market", 2.5, "bcm/yr")]
    r = max_flow(build(nodes, DIAMOND_LINKS), "gas", "f", "m")
    assert r.delivered_total == pytest.approx(2.5)
    assert [(c.id, c.element) for c in r.min_cut] == [("m", "intake")]


def test_capacities_convert_to_the_commodity_unit() -> None:
    net = build(
        [("f", "field", 50.0, "Mt/yr"), ("m", "market", None, "")],
        [("fm", "f", "m", "oil_pipeline", 200.0, "kbbl/day", "forward")],
    )
    r = max_flow(net, "crude", "f", "m")
    assert r.delivered_total == pytest.approx(cx_convert(200.0, "kbbl/day", "Mt/yr"))
    assert r.links[0].utilisation == pytest.approx(1.0)


def cx_convert(v: float, a: str, b: str) -> float:
    from corridors.units import convert

    return convert(v, a, b)


def test_a_both_way_link_can_be_used_backwards() -> None:
    net = build(
        [("f", "field", 7.0, "bcm/yr"), ("m", "market", None, "")],
        [("mf", "m", "f", "gas_pipeline", 5.0, "bcm/yr", "both")],
    )
    r = max_flow(net, "gas", "f", "m")
    assert r.delivered_total == pytest.approx(5.0)
    assert (r.links[0].from_id, r.links[0].to_id) == ("f", "m")
    # forward-only the other way round: nothing flows
    net2 = build(
        [("f", "field", 7.0, "bcm/yr"), ("m", "market", None, "")],
        [("mf", "m", "f", "gas_pipeline", 5.0, "bcm/yr", "forward")],
    )
    assert max_flow(net2, "gas", "f", "m").delivered_total == pytest.approx(0.0)


TERMINAL_NODES: list[NodeSpec] = [
    ("f", "field", 30.0, "Mt/yr"),
    ("t", "terminal", None, ""),
    ("m", "market", None, ""),
]
TERMINAL_LINKS: list[LinkSpec] = [
    ("ft", "f", "t", "oil_pipeline", 20.0, "Mt/yr", "forward"),
    ("tm", "t", "m", "tanker", None, "", "forward"),
]


def test_a_load_changes_layer_only_through_a_transfer() -> None:
    no_transfer = build(TERMINAL_NODES, TERMINAL_LINKS)
    assert max_flow(no_transfer, "crude", "f", "m").delivered_total == pytest.approx(0.0)
    net = build(
        TERMINAL_NODES, TERMINAL_LINKS, transfers=[("load", "t", "oil_pipeline", "tanker", 4.0)]
    )
    r = max_flow(net, "crude", "f", "m")
    assert r.delivered_total == pytest.approx(4.0)
    assert [(c.id, c.element) for c in r.min_cut] == [("load", "transfer")]
    assert r.uncapacitated == ["tm"]


def test_unbounded_flow_is_named() -> None:
    net = build(
        [("f", "field", None, ""), ("m", "market", None, "")],
        [("fm", "f", "m", "oil_pipeline", None, "", "forward")],
    )
    with pytest.raises(cx.CorridorsError, match=r"unbounded.*link fm"):
        max_flow(net, "crude", "f", "m")


def test_demand_bounds_and_unserved() -> None:
    net = build(DIAMOND_NODES, DIAMOND_LINKS)
    r = min_cost_flow(net, "gas", "f", "m", demand={"m": 20.0})
    assert r.delivered_total == pytest.approx(12.0)
    assert r.sinks[0].unserved == pytest.approx(8.0)
    r = min_cost_flow(net, "gas", "f", "m", demand={"M": 3.0})
    assert r.delivered_total == pytest.approx(3.0)
    assert r.sinks[0].unserved == pytest.approx(0.0)


def test_min_cost_prefers_the_cheaper_route() -> None:
    nodes: list[NodeSpec] = [("f", "field", 10.0, "Mt/yr"), ("m", "market", None, "")]
    links: list[LinkSpec] = [
        ("short", "f", "m", "oil_pipeline", 8.0, "Mt/yr", "forward"),
        ("long", "f", "m", "oil_pipeline", 8.0, "Mt/yr", "forward"),
    ]
    net = build(
        nodes,
        links,
        mode_costs=[("oil_pipeline", "crude", 0.02)],
        lengths={"short": 60, "long": 130},
    )
    r = min_cost_flow(net, "crude", "f", "m", demand={"m": 5.0})
    assert r.cost_basis == "USD/unit"
    assert {x.id: x.flow for x in r.links} == {"short": pytest.approx(5.0)}
    assert r.total_cost == pytest.approx(5.0 * 60 * 0.02)
    r = min_cost_flow(net, "crude", "f", "m")  # max flow 10: 8 short + 2 long
    flows = {x.id: x.flow for x in r.links}
    assert flows == {"short": pytest.approx(8.0), "long": pytest.approx(2.0)}


def test_country_codes_and_default_sinks() -> None:
    nodes: list[NodeSpec] = [
        ("f1", "field", 3.0, "bcm/yr", "TM"),
        ("f2", "field", 4.0, "bcm/yr", "TM"),
        ("oil", "field", 4.0, "Mt/yr", "TM"),
        ("m1", "market", None, "", "CN"),
        ("m2", "market", None, "", "TR"),
    ]
    links: list[LinkSpec] = [
        ("a", "f1", "m1", "gas_pipeline", None, "", "forward"),
        ("b", "f2", "m2", "gas_pipeline", None, "", "forward"),
    ]
    net = build(nodes, links)
    r = max_flow(net, "gas", "TM")  # the crude field is not a gas source
    assert r.delivered_total == pytest.approx(7.0)
    assert set(r.by_source) == {"f1", "f2"}
    assert set(r.by_sink) == {"m1", "m2"}
    r = max_flow(net, "gas", "tm", "CN")
    assert r.by_sink == {"m1": pytest.approx(3.0)}
    r = max_flow(net, "gas", "F1,f2", ["m2"])
    assert r.delivered_total == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda n: max_flow(n, "oil", "f", "m"), r"unknown commodity 'oil'"),
        (lambda n: max_flow(n, "gas", "a", "m"), r"'a' \(A, a junction\) has no supply"),
        (lambda n: max_flow(n, "gas", "nowhere", "m"), r"Unknown place 'nowhere'"),
        (lambda n: max_flow(n, "gas", "f", "nowhere"), r"Unknown place 'nowhere'"),
        (lambda n: max_flow(n, "gas", "DE", "m"), r"no field in DE supplies gas"),
        (lambda n: max_flow(n, "gas", "f", "DE"), r"no market node in DE"),
        (lambda n: max_flow(n, "crude", "f", "m"), r"'f' \(F\) supplies bcm/yr, not crude"),
        (lambda n: max_flow(n, "gas", [], "m"), r"no sources given"),
        (lambda n: max_flow(n, "gas", "f", "f"), r"both source and sink: f"),
        (lambda n: min_cost_flow(n, "gas", "f", "m", demand={"a": 1.0}), r"not among the sinks"),
        (lambda n: min_cost_flow(n, "gas", "f", "m", demand={"m": -1.0}), r"must be >= 0"),
        (lambda n: solve_flow(n, "gas", "f", "m", mode="fast"), r"unknown flow mode 'fast'"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_gives_clear_errors(
    diamond: cx.Network, call: Callable[[cx.Network], object], message: str
) -> None:
    with pytest.raises(cx.CorridorsError, match=message):
        call(diamond)


def test_zero_supply_field_is_refused() -> None:
    nodes = [("f", "field", 0.0, "bcm/yr"), *DIAMOND_NODES[1:]]
    with pytest.raises(cx.CorridorsError, match=r"has no supply \(capacity 0\)"):
        max_flow(build(nodes, DIAMOND_LINKS), "gas", "f")


def test_as_dict_is_json_ready(diamond: cx.Network) -> None:
    d = max_flow(diamond, "gas", "f", "m").as_dict()
    assert {"unit", "delivered_total", "sinks", "sources", "links", "min_cut", "binding"} <= set(d)
    keys = {"id", "name", "from", "to", "from_name", "to_name", "flow", "capacity", "utilisation"}
    assert keys | {"shadow_price"} <= set(d["links"][0])
    assert {"id", "name", "kind", "shadow_price"} <= set(d["min_cut"][0])
    json.dumps(d)


# ----------------------------------------------------------------------- properties


@st.composite
def flow_networks(draw: st.DrawFn) -> cx.Network:
    n = draw(st.integers(min_value=3, max_value=7))
    nodes: list[NodeSpec] = [
        ("n0", "field", draw(st.sampled_from([None, 5.0, 12.0, 40.0])), "bcm/yr")
    ]
    nodes += [(f"n{i}", "junction", None, "") for i in range(1, n - 1)]
    nodes.append((f"n{n - 1}", "market", None, ""))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            min_size=1,
            max_size=14,
        )
    )
    links: list[LinkSpec] = [
        (
            f"l{k}",
            f"n{i}",
            f"n{j}",
            "gas_pipeline",
            draw(st.sampled_from([1.0, 2.5, 4.0, 10.0])),
            "bcm/yr",
            draw(st.sampled_from(["both", "forward"])),
        )
        for k, (i, j) in enumerate(pairs)
    ]
    return build(nodes, links)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sink(net: cx.Network) -> str:
    return str(net.nodes.index[-1])


@SETTINGS
@given(flow_networks())
def test_max_flow_equals_min_cut_and_flows_are_feasible(net: cx.Network) -> None:
    r = max_flow(net, "gas", "n0", sink(net))
    assert sum(c.capacity for c in r.min_cut) == pytest.approx(r.delivered_total, abs=1e-6)
    conservation(net, r)
    capacities_respected(r)
    m = min_cost_flow(net, "gas", "n0", sink(net))
    assert m.delivered_total == pytest.approx(r.delivered_total, abs=1e-6)
    conservation(net, m)
    capacities_respected(m)


@SETTINGS
@given(flow_networks(), st.data())
def test_raising_a_capacity_never_lowers_max_flow(net: cx.Network, data: st.DataObject) -> None:
    link = data.draw(st.sampled_from(list(net.links.index)))
    factor = data.draw(st.sampled_from([1.5, 2.0, 10.0]))
    base = max_flow(net, "gas", "n0", sink(net)).delivered_total
    scen = cx.Scenario(override=({"links": (link,), "field": "capacity", "scale": factor},))
    assert max_flow(net, "gas", "n0", sink(net), scenario=scen).delivered_total >= base - 1e-6


@SETTINGS
@given(flow_networks(), st.data())
def test_closing_a_link_never_raises_max_flow(net: cx.Network, data: st.DataObject) -> None:
    link = data.draw(st.sampled_from(list(net.links.index)))
    base = max_flow(net, "gas", "n0", sink(net)).delivered_total
    scen = cx.Scenario(close={"links": (link,)})
    assert max_flow(net, "gas", "n0", sink(net), scenario=scen).delivered_total <= base + 1e-6


# ------------------------------------------------------------------- default dataset


def test_kazakh_crude_without_cpc_is_lower(default_net: cx.Network) -> None:
    base = max_flow(default_net, "crude", "KZ")
    no_cpc = max_flow(
        default_net,
        "crude",
        "KZ",
        scenario=cx.Scenario(close={"links": ("oil_cpc_atyrau_terminal",)}),
    )
    assert base.unit == "Mt/yr"
    assert no_cpc.delivered_total < base.delivered_total - 10
    assert "oil_cpc_atyrau_terminal" not in {x.id for x in no_cpc.links}
    for r in (base, no_cpc):
        conservation(default_net, r)
        capacities_respected(r)
        assert sum(c.capacity for c in r.min_cut) == pytest.approx(r.delivered_total, abs=1e-6)
    # flows stay on crude infrastructure, never on container railways or sea lanes
    modes = {x.mode for x in (*base.links, *no_cpc.links)}
    assert modes <= {"oil_pipeline", "tanker", "rail", "ferry"}
    rail = [x.id for x in no_cpc.links if x.mode in ("rail", "ferry")]
    assert all("crude" in default_net.links.at[lid, "commodities"] for lid in rail)


def test_default_gas_flows(default_net: cx.Network) -> None:
    r = min_cost_flow(default_net, "gas", "AZ")
    assert r.unit == "bcm/yr"
    assert 0 < r.delivered_total <= 27.0 + 1e-6  # Shah Deniz capacity
    conservation(default_net, r)
    capacities_respected(r)


# ------------------------------------------------------------------------------ CLI


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("flow")(flow_cmd)

    @app.command("noop")
    def noop() -> None:  # a second command keeps 'flow' a subcommand
        pass

    return app


def test_cli_json_and_table() -> None:
    runner = CliRunner()
    res = runner.invoke(cli(), ["flow", "--commodity", "gas", "--from", "AZ", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["unit"] == "bcm/yr"
    assert d["delivered_total"] > 0
    res = runner.invoke(
        cli(),
        ["flow", "--commodity", "crude", "--from", "KZ", "--to", "market_eu", "--mode", "mincost"],
    )
    assert res.exit_code == 0, res.output
    assert "Min cut" in res.output


def test_cli_capacity_ranges_bracket_the_point_solve() -> None:
    args = ["flow", "--commodity", "crude", "--from", "KZ", "--scenario", "cpc-suspension-2022"]
    res = CliRunner().invoke(cli(), [*args, "--capacity-ranges", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    spans = d["capacity_range"]
    # the point of the range solve is the answer printed (same year, same fleet split)
    assert spans["delivered"] == d["delivered_total"]
    assert spans["delivered_low"] <= spans["delivered"] <= spans["delivered_high"]
    assert {r["id"] for r in spans["ranges"]} >= {"oil_kcts_eskene_kuryk"}
    table = CliRunner().invoke(cli(), [*args, "--capacity-ranges"])
    assert "capacity ranges at their ends" in table.output


def test_cli_bad_source_raises_corridors_error() -> None:
    res = CliRunner().invoke(cli(), ["flow", "--commodity", "gas", "--from", "KZ"])
    assert isinstance(res.exception, cx.CorridorsError)
    assert "no field in KZ supplies gas" in str(res.exception)


# ------------------------------------------------------------- regressions (issue 8)


def test_zero_delivery_has_no_circulation_and_says_no_path(default_net: cx.Network) -> None:
    """Regression: 0 delivered yet 3,500 tU 'into RU' over links running backwards."""
    r = max_flow(default_net, "uranium", "KZ", "lanzhou")
    assert r.delivered_total == pytest.approx(0.0)
    assert r.links == []
    assert "Lanzhou" in r.no_path
    assert "uranium" in r.no_path
    gas = max_flow(default_net, "gas", "TM", "market_eu")
    assert gas.links == []
    assert "no path" in gas.no_path
    ok = max_flow(default_net, "crude", "KZ")
    assert ok.no_path == ""
    conservation(default_net, ok)


def test_crude_sinks_are_not_named_after_a_gas_hub(default_net: cx.Network) -> None:
    """Regression: crude sinks were labelled 'EU market (Central European Gas Hub ...)'."""
    r = max_flow(default_net, "crude", "KZ")
    assert r.sinks
    assert not any("gas" in s.name.lower() for s in r.sinks)


@pytest.mark.parametrize(
    ("sinks", "expected"),
    [
        ("EU", {"market_eu", "market_med"}),
        ("European Union", {"market_eu", "market_med"}),
        ("China", {"market_china"}),
        ("CN", {"market_china"}),
    ],
)
def test_countries_and_regions_as_sinks(
    default_net: cx.Network, sinks: str, expected: set[str]
) -> None:
    """Regression: '--to EU' and '--to China' failed with "Unknown place 'EU'"."""
    r = max_flow(default_net, "crude", "KZ", sinks)
    assert {s.id for s in r.sinks} == expected


def test_region_as_source_and_suggestions(default_net: cx.Network) -> None:
    r = max_flow(default_net, "crude", "Central Asia", "market_med")
    assert {s.country for s in r.sources} <= {"KZ", "TM", "UZ", "KG", "TJ"}
    assert r.delivered_total > 0
    with pytest.raises(cx.UnknownPlaceError, match="Europe"):
        max_flow(default_net, "crude", "KZ", "Eurpe")


def test_demand_limits_the_sinks(default_net: cx.Network) -> None:
    """Regression: a demand for China and the Med sent all 64.3 Mt to a market without one."""
    r = solve_flow(default_net, "crude", "KZ", demand={"market_china": 20, "market_med": 40})
    assert {s.id for s in r.sinks} == {"market_china", "market_med"}
    assert r.delivered_total <= 60 + 1e-6
    got = r.by_sink
    assert got["market_med"] == pytest.approx(40.0)
    r = solve_flow(
        default_net, "crude", "KZ", "market_china,market_world", demand={"market_china": 5}
    )
    assert r.by_sink["market_world"] == pytest.approx(0.0)
    assert r.by_sink["market_china"] == pytest.approx(5.0)


def test_shadow_prices_of_binding_capacities(diamond: cx.Network) -> None:
    r = max_flow(diamond, "gas", "f", "m")
    # one more unit on every min-cut element adds one unit per element chosen by the duals
    assert sum(c.shadow_price or 0.0 for c in r.min_cut) == pytest.approx(1.0 * len(r.min_cut))
    assert all(b.shadow_price >= 0 for b in r.binding)
    short = build([("f", "field", 6.0, "bcm/yr"), *DIAMOND_NODES[1:]], DIAMOND_LINKS)
    r = max_flow(short, "gas", "f", "m")
    assert [(b.id, b.shadow_price) for b in r.binding if b.element == "supply"] == [("f", 1.0)]
    assert all(x.shadow_price in (None, 0.0) for x in r.links)


def test_warm_resolve_matches_a_rebuilt_scenario(default_net: cx.Network) -> None:
    from corridors.analyses.flows.problem import Arc
    from corridors.analyses.flows.solve import flow_problem

    problem, _ = flow_problem(default_net, "crude", "KZ")
    problem.set_upper(problem.columns_of(Arc.LINK, "oil_cpc_atyrau_terminal"), 0.0)
    warm = problem.solve().total
    scen = cx.Scenario(close={"links": ("oil_cpc_atyrau_terminal",)})
    assert warm == pytest.approx(
        max_flow(default_net, "crude", "KZ", scenario=scen).delivered_total
    )


def test_min_cost_without_rates_prices_by_km_and_says_so(default_net: cx.Network) -> None:
    # every crude mode has a rate in the default data (rail and ferry since sources_crude_rates)
    assert min_cost_flow(default_net, "crude", "KZ").cost_basis == "USD/unit"
    costs = default_net.mode_costs
    without = costs[~((costs["commodity"] == "crude") & costs["mode"].isin(["rail", "ferry"]))]
    r = min_cost_flow(default_net.replace(mode_costs=without), "crude", "KZ")
    assert r.cost_basis == "km"
    assert "rail" in r.cost_note
    assert "ferry" in r.cost_note


def test_result_schema_and_features(diamond: cx.Network) -> None:
    r = max_flow(diamond, "gas", "f", "m")
    schema = FlowResult.json_schema()
    assert {"sinks", "sources", "links", "min_cut", "binding", "no_path"} <= set(
        schema["properties"]
    )
    feats = r.features()
    assert len(feats) == len(r.links)
    assert all(f["geometry"]["type"] == "LineString" for f in feats)
    first = feats[0]
    assert first["properties"]["from"] == r.links[0].from_id
    assert len(first["geometry"]["coordinates"]) >= 2


def test_cli_geojson(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "flow.geojson"
    res = CliRunner().invoke(
        cli(), ["flow", "--commodity", "crude", "--from", "KZ", "--to", "EU", "--geojson", str(out)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection"
    assert data["features"]
    assert {f["properties"]["id"] for f in data["features"]} >= {"oil_cpc_atyrau_terminal"}
    gpd = pytest.importorskip("geopandas")
    frame = gpd.read_file(out)
    assert len(frame) == len(data["features"])
    assert set(frame.geom_type) == {"LineString"}
