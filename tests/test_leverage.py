import json

import geopandas as gpd
import pytest
from typer.testing import CliRunner

import corridors as cx
from corridors.analyses.leverage import leverage
from corridors.cli.app import app
from corridors.model.prices import load_prices, price_per_flow_unit
from corridors.model.scenario import load_scenario

runner = CliRunner()


@pytest.fixture(scope="module")
def kz_crude() -> dict[str, object]:
    r = leverage(
        cx.load(), "crude", exporters=["KZ"], scenario=load_scenario("kazakh-caspian-oil-route")
    )
    return {row.transit: row for row in r.rows}


def test_russia_holds_most_kazakh_crude(kz_crude: dict) -> None:
    ru = kz_crude["RU"]
    assert ru.exports == pytest.approx(70.493, rel=1e-3)  # the 2023 partner rows
    assert 0.8 < ru.crossing_share <= 1.0
    assert 0.5 < ru.lost_share < ru.crossing_share
    price, _, year = price_per_flow_unit(load_prices(), "crude", 2023)
    assert year == 2023
    assert ru.value_at_risk_usd == pytest.approx(ru.lost * price)


def test_caspian_route_cuts_russias_leverage(kz_crude: dict) -> None:
    ru = kz_crude["RU"]
    assert ru.after is not None
    assert ru.after.lost < ru.lost
    assert ru.after.value_at_risk_usd < ru.value_at_risk_usd


def test_cli_leverage_prints_russia_and_change() -> None:
    res = runner.invoke(
        app,
        [
            "leverage",
            "--exporter",
            "KZ",
            "--commodity",
            "crude",
            "--scenario",
            "kazakh-caspian-oil-route",
        ],
    )
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if "│ RU " in x)
    assert "%" in line
    assert "-" in line.split("│")[-2]
    assert "CN 19%" in res.output


def test_cli_leverage_json_shape(tmp_path) -> None:
    res = runner.invoke(app, ["leverage", "--exporter", "KZ", "--commodity", "crude", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    keys = {"exporter", "transit", "commodity", "unit", "exports", "crossing_share", "lost_share",
            "lost", "extra_cost_per_unit", "value_at_risk_usd"}  # fmt: skip
    assert keys <= set(data["rows"][0])


def test_cli_criticality_nodes_geojson(tmp_path) -> None:
    path = tmp_path / "nodes.geojson"
    res = runner.invoke(
        app,
        [
            "criticality",
            "--commodity",
            "container",
            "--elements",
            "nodes",
            "--geojson",
            str(path),
            "--top",
            "3",
        ],
    )
    assert res.exit_code == 0, res.output
    layer = gpd.read_file(path)
    assert len(layer) > 100
    assert {"lost", "rank", "impact"} <= set(layer.columns)
    res = runner.invoke(app, ["criticality", "--elements", "transfers", "--json", "--top", "2"])
    data = json.loads(res.output)
    assert set(data) >= {"commodity", "unit", "engine", "rows"}
    assert len(data["rows"]) == 2


def test_cli_capacitated_and_png(tmp_path) -> None:
    res = runner.invoke(
        app,
        [
            "criticality",
            "--commodity",
            "crude",
            "--engine",
            "capacitated",
            "--elements",
            "countries",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)["rows"]
    ranked = [r["element"] for r in rows]
    assert "RU" in ranked[:3]
    assert rows[ranked.index("RU")]["lost"] > 10
    png = tmp_path / "heat.png"
    res = runner.invoke(
        app, ["leverage", "--commodity", "crude", "--exporter", "KZ", "--png", str(png)]
    )
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:4] == b"\x89PNG"


def _route_usd(net: cx.Network, *links: str) -> float:
    from corridors.model.costs import link_unit_costs

    return float(link_unit_costs(net, net.links.loc[list(links)], "crude").sum())


def test_russia_row_prices_the_rerouted_kazakh_crude(kz_crude: dict) -> None:
    """Rail, ferry and tanker crude rates (mode_costs) price the bypass of Russia.

    Caspian tankers take their lane's rate (``caspian_tanker_lane`` in section_times, carried
    by the links' ``cost_scale``, which ``link_unit_costs`` applies), Black Sea and
    Mediterranean tankers the plain mode_costs rate.

    Closing RU moves Tengiz crude off CPC onto rail to Aktau, then tanker to Sangachal and BTC,
    or the rail ferry to Alat and rail to Batumi or Kulevi (with the scenario also KCTS from
    Eskene). Per rerouted tonne the extra cost lies between the cheapest and the dearest such
    bypass, each minus CPC to the same market.
    """
    net = cx.load()
    cpc = ("oil_cpc_tengiz_atyrau", "oil_cpc_atyrau_terminal")
    ferry = ("rail_crude_tengiz_aktau", "mid_ferry_aktau_baku_alat", "rail_crude_alat_yard")
    btc = ("rail_crude_tengiz_aktau", "tk_aktau_sangachal", "oil_btc")
    kcts = ("oil_kcts_eskene_kuryk", "tk_kcts_kuryk_sangachal", "oil_btc")
    cpc_med = _route_usd(net, *cpc, "tk_cpc_terminal_med")
    extra = [
        _route_usd(net, *btc, "tk_ceyhan_med") - cpc_med,
        _route_usd(net, *btc, "tk_ceyhan_world") - _route_usd(net, *cpc, "tk_cpc_terminal_world"),
        _route_usd(net, *ferry, "rail_crude_baku_batumi", "tk_batumi_med") - cpc_med,
        _route_usd(net, *ferry, "rail_crude_baku_kulevi", "tk_kulevi_med") - cpc_med,
        _route_usd(net, *kcts, "tk_ceyhan_med")
        - _route_usd(net, "oil_eskene_atyrau", "oil_cpc_atyrau_terminal", "tk_cpc_terminal_med"),
    ]
    lo, hi = min(extra), max(extra)
    assert 20 < lo < hi < 45  # USD per tonne: 23.3 (BTC to the Suez gateway) to 39.7 (Kulevi)
    ru = kz_crude["RU"]
    assert ru.rerouted > 0
    assert ru.extra_cost_per_unit is not None
    assert lo <= ru.extra_cost_per_unit <= hi
    assert ru.after is not None
    assert ru.after.extra_cost_per_unit is not None
    assert lo <= ru.after.extra_cost_per_unit <= hi


CASPIAN_TANKERS = {"tk_aktau_sangachal", "tk_aktau_makhachkala", "tk_kcts_kuryk_sangachal"}


def test_caspian_tanker_lane_prices_only_the_caspian_tankers() -> None:
    """The Caspian lane row scales the Caspian tanker links and no other tanker link.

    Rates are read from the tables: mode_costs (tanker, crude) and the lane row's
    cost_scale, which follows from the published 10.00-11.00 USD/t upper-limit tariffs over
    the 468 km Aktau-Sangachal haul.
    """
    from corridors.model.costs import link_unit_costs

    net = cx.load()
    rates = net.mode_costs.set_index(["mode", "commodity"])["cost_usd_per_km"]
    base = float(rates.loc[("tanker", "crude")])
    lane = net.section_times.set_index("id").loc["caspian_tanker_lane"]
    scale = float(lane["cost_scale"])
    length = float(net.links.at["tk_aktau_sangachal", "length_km"])
    assert scale == pytest.approx((10.00 + 11.00) / 2 / (length * base), abs=0.01)
    tankers = net.links[net.links["mode"] == "tanker"]
    per_km = link_unit_costs(net, tankers, "crude") / tankers["length_km"].to_numpy(dtype=float)
    scaled = {i for i, r in zip(tankers.index, per_km, strict=True) if r != pytest.approx(base)}
    assert scaled == CASPIAN_TANKERS
    for link, rate in zip(tankers.index, per_km, strict=True):
        want = base * scale if link in CASPIAN_TANKERS else base
        assert rate == pytest.approx(want), link
    for link in ("tk_novorossiysk_med", "tk_supsa_med", "tk_ceyhan_med", "tk_cpc_terminal_world"):
        assert link in tankers.index
        assert float(tankers.at[link, "cost_scale"]) == 1.0
    assert float(link_unit_costs(net, net.links.loc[["tk_aktau_sangachal"]], "crude")[0]) == (
        pytest.approx(10.5, abs=0.05)
    )
