from __future__ import annotations

from pathlib import Path

import pytest

import corridors as cx


def test_closing_a_country_removes_its_nodes_and_crossing_links(tiny: cx.Network) -> None:
    out = cx.apply_scenario(tiny, cx.Scenario.from_flags(avoid=["RU"]))
    assert "c" not in out.nodes.index
    assert not {"bc", "cd", "ad_new"} & set(out.links.index)
    assert len(tiny.links) == 11  # the input is untouched


def test_passage_mode_link_node_closures(tiny: cx.Network) -> None:
    out = cx.apply_scenario(
        tiny,
        cx.Scenario(
            close={"passages": ("suez",), "modes": ("ferry",), "links": ("qd",), "nodes": ("b",)}
        ),
    )
    assert not {"pq", "fe", "qd", "ab", "bc", "bf"} & set(out.links.index)
    assert "b_gauge" not in set(out.transfers["id"])


def test_overrides_scale_and_set(tiny: cx.Network) -> None:
    s = cx.Scenario(
        override=(
            {"modes": ("rail",), "field": "time", "scale": 2.0},
            {"links": ("pq",), "field": "cost", "set": 1.0},
        )
    )
    out = cx.apply_scenario(tiny, s)
    assert out.links.at["ab", "time_low_h"] == 20.0
    assert out.links.at["pq", "cost_usd"] == 1.0
    r = cx.route(out, "Alpha", "Delta")
    assert r.time_h.low == pytest.approx(10 * 2 * 3 + 8)


def test_added_links_are_validated(tiny: cx.Network) -> None:
    good = {
        "id": "ce",
        "from": "c",
        "to": "e",
        "mode": "road",
        "length_km": 120,
        "countries": "RU;AZ",
        "status": "operating",
        "direction": "both",
        "sources": "hand",
    }
    out = cx.apply_scenario(tiny, cx.Scenario(add_links=(good,)))
    assert "ce" in out.links.index
    with pytest.raises(cx.DataError) as info:
        cx.apply_scenario(tiny, cx.Scenario(add_links=({**good, "length_km": -1},)))
    assert info.value.problems[0].column == "length_km"
    with pytest.raises(cx.ScenarioError, match="unknown field"):
        cx.apply_scenario(tiny, cx.Scenario(add_links=({**good, "colour": "red"},)))


def test_unknown_ids_are_errors(tiny: cx.Network) -> None:
    with pytest.raises(cx.ScenarioError, match="unknown links"):
        cx.apply_scenario(tiny, cx.Scenario(close={"links": ("nope",)}))


def test_compose_order_and_union(tiny: cx.Network) -> None:
    a = cx.Scenario(name="a", override=({"links": ("ab",), "field": "time", "set": 1.0},))
    b = cx.Scenario(name="b", override=({"links": ("ab",), "field": "time", "scale": 3.0},))
    assert cx.apply_scenario(tiny, cx.compose([a, b])).links.at["ab", "time_low_h"] == 3.0
    assert cx.apply_scenario(tiny, cx.compose([b, a])).links.at["ab", "time_low_h"] == 1.0


def test_yaml_errors_name_file_line_field(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("name: s\noverride:\n  - links: [ab]\n    field: speed\n    scale: 2\n")
    with pytest.raises(cx.ScenarioError) as info:
        cx.load_scenario(p)
    msg = str(info.value)
    assert str(p) in msg
    assert "override.0.field" in msg
    assert "line 4" in msg
    p.write_text("- just\n- a list\n")
    with pytest.raises(cx.ScenarioError, match="mapping"):
        cx.load_scenario(p)
    with pytest.raises(cx.ScenarioError, match="cannot read"):
        cx.load_scenario(tmp_path / "missing.yaml")


def test_scale_and_set_are_exclusive() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        cx.Scenario(override=({"field": "time", "scale": 2.0, "set": 1.0},))


def test_shipped_scenarios_load_and_apply(default_net: cx.Network) -> None:
    from corridors.model.scenario import shipped_scenarios

    names = set(shipped_scenarios())
    assert {
        "cpc-suspension-2022",
        "russia-closed",
        "eu-sanctions-ru-by",
        "red-sea-closed-2024",
    } <= names
    for name in names:
        s = cx.load_scenario(name)
        assert s.description
        cx.apply_scenario(default_net, s)


def test_cpc_suspension_lowers_kazakh_crude_exports(default_net: cx.Network) -> None:
    from corridors.analyses.flows.solve import max_flow

    base = max_flow(default_net, "crude", ["KZ"])
    cut = max_flow(default_net, "crude", ["KZ"], scenario=cx.load_scenario("cpc-suspension-2022"))
    assert cut.delivered_total < base.delivered_total


def test_transfer_and_node_overrides(tiny: cx.Network) -> None:
    # north route 38-44 h = ab 10 + dwell at b 2-4 + gauge change 6-10 + bc 10 + cd 10
    faster_gauge = cx.Scenario(
        override=({"target": "transfers", "transfers": ("b_gauge",), "field": "time", "set": 1.0},)
    )
    r = cx.route(tiny, "Alpha", "Delta", scenario=faster_gauge)
    assert (r.time_h.low, r.time_h.high) == pytest.approx((33.0, 35.0), abs=1e-6)
    no_dwell = cx.Scenario(
        override=({"target": "nodes", "nodes": ("b",), "field": "dwell", "set": 0.0},)
    )
    r = cx.route(tiny, "Alpha", "Delta", scenario=no_dwell)
    assert (r.time_h.low, r.time_h.high) == pytest.approx((36.0, 40.0), abs=1e-6)
    cheaper = cx.Scenario(
        override=({"target": "transfers", "nodes": ("b",), "field": "cost", "scale": 0.5},)
    )
    out = cx.apply_scenario(tiny, cheaper)
    assert out.transfers.set_index("id").at["b_gauge", "cost_usd"] == 50.0
    assert tiny.transfers.set_index("id").at["b_gauge", "cost_usd"] == 100.0


def test_override_field_and_selector_must_fit_the_target(tiny: cx.Network) -> None:
    with pytest.raises(ValueError, match="does not apply to nodes"):
        cx.Scenario(override=({"target": "nodes", "field": "headway", "set": 1.0},))
    with pytest.raises(ValueError, match="selector"):
        cx.Scenario(
            override=({"target": "transfers", "modes": ("rail",), "field": "time", "set": 1.0},)
        )
    with pytest.raises(cx.ScenarioError, match="unknown transfers"):
        cx.apply_scenario(
            tiny,
            cx.Scenario(
                override=(
                    {"target": "transfers", "transfers": ("nope",), "field": "time", "set": 1.0},
                )
            ),
        )
