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
