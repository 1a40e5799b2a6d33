"""Export routes and shortfall of a flow (the article's CPC question)."""

from __future__ import annotations

import json

import pytest

import corridors as cx
from conftest import run_cli
from corridors.analyses.flows.export_routes import export_summary, reference_exports
from corridors.analyses.flows.solve import max_flow


def test_cpc_suspension_export_routes_and_shortfall(default_net: cx.Network) -> None:
    scen = cx.load_scenario("cpc-suspension-2022")
    result = max_flow(default_net, "crude", ["KZ"], scenario=scen)
    found = reference_exports(default_net, "crude", {"KZ"}, result.unit)
    assert found is not None
    ref, note = found
    assert 60 < ref < 75  # Kazakh crude exports, 64-70 Mt/yr (demand table, sourced)
    assert "demand rows" in note
    s = export_summary(default_net, result, {"KZ"}, ref, reference_note=note)
    assert s.shortfall == pytest.approx(ref - result.delivered_total)
    assert s.routes["flow"].sum() == pytest.approx(result.delivered_total, rel=1e-6)
    assert set(s.routes["to_country"]) <= {"RU", "CN", "AZ"}
    assert "oil_cpc_atyrau_terminal" not in set(s.routes["id"])
    samara = s.routes.set_index("id").loc["oil_uas_atyrau_samara"]
    assert samara["utilisation"] == pytest.approx(1.0)


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
    assert {"unit", "delivered_total", "by_sink", "links", "min_cut", "unserved"} <= set(data)
