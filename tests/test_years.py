"""The network as of a year, the bound beside the dispatch and the actuals, shared fleets."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from corridors.analyses.flows.dated import flow_at_year, year_demand
from corridors.cli.app import app
from corridors.errors import CorridorsError, DataError
from corridors.io.dated_files import read_dated_values, read_shared, read_year_tables
from corridors.model.network import Network, load
from corridors.model.scenario import compose, load_scenario
from corridors.model.years import at_year, check_dated, dated_for
from corridors.results.flow import FlowResult


@pytest.fixture(scope="module")
def net() -> Network:
    return load()


def _cap(n: Network, link: str) -> float:
    return float(n.links.at[link, "capacity"])


def test_cpc_and_tap_capacities_differ_between_2022_and_2026(net: Network) -> None:
    y22, y26 = at_year(net, 2022), at_year(net, 2026)
    assert _cap(y22, "oil_cpc_tengiz_atyrau") == 67.0
    assert _cap(y26, "oil_cpc_tengiz_atyrau") == 72.5
    # Russian shippers' 6.5 Mt of 2022 share the 67; from 2024 the Kazakh section's 72.5 is free
    assert float(y22.links.at["oil_cpc_atyrau_terminal", "occupied"]) == 6.5
    assert _cap(y22, "oil_cpc_atyrau_terminal") == pytest.approx(67.0 - 6.5)
    assert _cap(y26, "oil_cpc_atyrau_terminal") == 72.5
    assert float(y22.nodes.at["cpc_terminal", "capacity"]) == 67.0
    assert float(y26.nodes.at["cpc_terminal", "capacity"]) == 81.5
    assert _cap(y22, "gas_tap") == 10.0
    assert _cap(y26, "gas_tap") == pytest.approx(11.2)


def test_every_dated_value_cites_known_sources(net: Network) -> None:
    dated = read_dated_values()
    check_dated(dated, net)
    for ref in ("oil_cpc_atyrau_terminal", "gas_tap", "cpc_terminal"):
        rows = dated[dated["ref"] == ref]
        assert len(rows) >= 2
        assert all(s in net.sources.index for c in rows["sources"] for s in c.split(";"))


def test_check_dated_names_bad_rows(net: Network) -> None:
    bad = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "table": ["links", "links", "nodes"],
            "ref": ["no_such_link", "gas_tap", "tengiz"],
            "field": ["capacity", "capacity", "status"],
            "year": [2020, 2020, 2020],
            "value": ["1", "2", "x"],
            "sources": ["energy_gem_tap", "not_a_source", "energy_gem_tap"],
        }
    )
    with pytest.raises(DataError) as err:
        check_dated(bad, net)
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(2, "ref"), (3, "sources"), (4, "field")}


def test_dated_for_takes_the_latest_row_not_after_the_year() -> None:
    d = pd.DataFrame(
        {
            "table": ["links"] * 3,
            "ref": ["x", "x", "y"],
            "field": ["capacity"] * 3,
            "year": [2024, 2018, 2030],
            "value": ["72.5", "67", "5"],
        }
    )
    assert dated_for(d, 2020)["value"].tolist() == ["67"]
    assert dated_for(d, 2025)["value"].tolist() == ["72.5"]
    assert sorted(dated_for(d, 2031)["value"]) == ["5", "72.5"]


def test_links_exist_by_start_year_and_dated_status(net: Network) -> None:
    assert at_year(net, 2017).links.at["gas_tap", "status"] == "planned"
    assert at_year(net, 2021).links.at["gas_nordstream_1", "status"] == "operating"
    assert at_year(net, 2022).links.at["gas_nordstream_1", "status"] == "suspended"
    assert at_year(net, 2024).links.at["gas_ua_soyuz", "status"] == "operating"
    assert at_year(net, 2025).links.at["gas_ua_soyuz", "status"] == "suspended"


def test_background_transit_occupies_the_china_pipeline(net: Network) -> None:
    y = at_year(net, 2022)
    assert float(y.links.at["oil_kcp_atasu_alashankou", "occupied"]) == pytest.approx(9.98)
    assert _cap(y, "oil_kcp_atasu_alashankou") == pytest.approx(20 - 9.98)


def test_demand_by_year_resolves_the_russian_gas_mismatch(net: Network) -> None:
    d21 = at_year(net, 2021).demand.set_index("id").loc["de_gas_ru_eu"]
    d23 = at_year(net, 2023).demand.set_index("id").loc["de_gas_ru_eu"]
    assert (d21["amount"], int(d21["year"])) == (140.0, 2021)
    assert (d23["amount"], int(d23["year"])) == (24.0, 2023)
    supply_year = int(net.nodes.at["russia_gas_supply", "capacity_year"])
    assert int(d23["year"]) == supply_year


def test_at_year_leaves_the_network_untouched(net: Network) -> None:
    before = net.links["capacity"].copy()
    at_year(net, 2026)
    pd.testing.assert_series_equal(net.links["capacity"], before)
    with pytest.raises(CorridorsError):
        at_year(net, 1800)


def test_scenario_years_compose_to_the_latest() -> None:
    a, b = load_scenario("russia-closed"), load_scenario("sgc-2027")
    assert (a.year, b.year) == (2022, 2027)
    assert compose([a, b]).year == 2027


def test_year_demand_takes_the_latest_year_not_after(net: Network) -> None:
    d22, y22 = year_demand(net, "crude", {"KZ"}, 2022)
    d23, y23 = year_demand(net, "crude", {"KZ"}, 2030)
    assert (y22, y23) == (2022, 2023)
    assert sum(d23.values()) == pytest.approx(70.5, abs=0.05)
    assert d22 != d23


def test_russia_closed_2023_bound_dispatch_and_actuals(net: Network) -> None:
    r = flow_at_year(
        net,
        "crude",
        "KZ",
        year=2023,
        scenario=load_scenario("russia-closed"),
        tables=read_year_tables(),
    )
    assert r.basis == "bound"
    assert r.dispatch is not None
    assert r.dispatch.delivered_total <= r.delivered_total + 1e-9
    china = {s.id: s for s in r.dispatch.sinks}["market_china"]
    assert china.delivered <= (china.demand or 0) + 1e-9
    actual = {a.id: a for a in r.actuals}
    assert actual["act_kz_crude_china_2023"].published == pytest.approx(1.209)
    assert actual["act_kz_crude_btc_2023"].published == pytest.approx(1.392)
    assert all(a.year == 2023 for a in r.actuals)
    assert not any("RU" in net.links.at[x.id, "countries"] for x in r.links)


def test_the_ferry_fleet_is_shared_with_containers(net: Network) -> None:
    scen = load_scenario("russia-closed")
    first = flow_at_year(net, "crude", "KZ", year=2025, scenario=scen, tables=read_year_tables())
    crude_first = flow_at_year(
        net, "crude", "KZ", year=2025, scenario=scen, priority="crude", tables=read_year_tables()
    )
    fleet = first.fleets[0]
    shared = read_shared().set_index("commodity")
    per_mt = float(shared.at["crude", "per_unit"])
    per_teu = float(shared.at["container", "per_unit"])
    assert fleet.competing_slots == pytest.approx(fleet.competing * per_teu)
    assert fleet.commodity_slots + fleet.competing_slots <= fleet.capacity + 1e-6
    ferried = {x.id: x.flow for x in first.links}["rail_crude_alat_yard"]
    assert ferried == pytest.approx((fleet.capacity - fleet.competing_slots) / per_mt)
    assert crude_first.delivered_total > first.delivered_total
    cf = crude_first.fleets[0]
    assert cf.commodity_slots + cf.competing_slots <= cf.capacity + 1e-6
    assert cf.competing_carried < fleet.competing_carried


def _json(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


def _link_capacity(data: dict[str, object], link: str) -> float:
    rows = data["links"]
    assert isinstance(rows, list)
    return float(next(r["capacity"] for r in rows if r["id"] == link))


def test_cli_year_changes_cpc_and_tap() -> None:
    c22 = _json("flow", "--commodity", "crude", "--from", "KZ", "--year", "2022")
    c26 = _json("flow", "--commodity", "crude", "--from", "KZ", "--year", "2026")
    assert _link_capacity(c22, "oil_cpc_tengiz_atyrau") == 67.0
    assert _link_capacity(c26, "oil_cpc_tengiz_atyrau") == 72.5
    g22 = _json("flow", "--commodity", "gas", "--from", "AZ", "--to", "market_eu", "--year", "2022")
    g26 = _json("flow", "--commodity", "gas", "--from", "AZ", "--to", "market_eu", "--year", "2026")
    assert _link_capacity(g22, "gas_tap") == 10.0
    assert _link_capacity(g26, "gas_tap") == pytest.approx(11.2)
    assert (c22["year"], c22["basis"]) == (2022, "bound")


def test_cli_scenario_year_applies_without_year_option() -> None:
    data = _json("flow", "--commodity", "crude", "--from", "KZ", "--scenario", "russia-closed")
    assert data["year"] == 2022
    assert data["dispatch"] is not None
    plain = _json("flow", "--commodity", "crude", "--from", "KZ")
    assert plain["year"] is None
    assert plain["basis"] == "bound"


def test_keep_off_russia_routes_the_most_possible_around_it(net: Network) -> None:
    from corridors.analyses.flows.solve import flow

    y = at_year(net, 2023)
    kept = flow(y, "crude", "KZ", keep_off="RU")
    plain = flow(y, "crude", "KZ")
    closed = flow(y, "crude", "KZ", scenario=load_scenario("russia-closed"))
    assert kept.delivered_total == pytest.approx(plain.delivered_total)

    def across(r: FlowResult) -> float:
        return sum(
            x.flow
            for x in r.links
            if "RU" in y.links.at[x.id, "countries"]
            or "RU" in {y.nodes.at[x.from_id, "country"], y.nodes.at[x.to_id, "country"]}
        )

    off = sum(x.flow for x in (kept.exports.routes if kept.exports else []) if x.to_country != "RU")
    assert off == pytest.approx(closed.delivered_total, abs=1e-6)
    assert across(kept) <= across(plain) + 1e-9
    assert kept.keep_off == "RU"


def test_done_when_command_prints_bound_dispatch_actuals_and_fleet() -> None:
    args = ["flow", "--commodity", "crude", "--from", "KZ", "--scenario", "russia-closed"]
    result = CliRunner().invoke(app, [*args, "--year", "2023"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    for text in (
        "Capacity bound as of 2023",
        "Modelled dispatch as of 2023",
        "Published actuals 2023",
    ):
        assert text in out
    assert "Kazakhstan-China pipeline (Kazakh crude)" in out
    assert "Shared fleets" in out
    assert "21,200 TEU" in out


def test_russian_gas_to_uzbekistan_occupies_central_asia_center_from_2024(net: Network) -> None:
    assert _cap(at_year(net, 2023), "gas_cac_north") == 60.2
    y = at_year(net, 2024)
    assert float(y.links.at["gas_cac_north", "occupied"]) == 3.0
    assert _cap(y, "gas_cac_south") == pytest.approx(57.2)


def test_every_shipped_scenario_names_its_year() -> None:
    from corridors.model.scenario import shipped_scenarios

    for name in shipped_scenarios():
        s = load_scenario(name)
        assert s.year is not None, name
        assert int(s.date[:4]) <= s.year, name


def _rows(data: dict[str, object]) -> list[dict[str, object]]:
    rows = data["rows"]
    assert isinstance(rows, list)
    return rows


def test_criticality_year_changes_the_network_and_the_losses() -> None:
    args = ["criticality", "--commodity", "crude", "--engine", "capacitated", "--top", "0"]
    c22 = _json(*args, "--year", "2022")
    c26 = _json(*args, "--year", "2026")
    assert (c22["scenario"], c26["scenario"]) == ("default @ 2022", "default @ 2026")

    def lost(data: dict[str, object], element: str) -> float:
        return float(str(next(r["lost"] for r in _rows(data) if r["element"] == element)))

    # CPC Tengiz-Atyrau is 67 Mt/yr in 2022 and 72.5 from 2024: its loss differs between the years
    assert lost(c22, "oil_cpc_tengiz_atyrau") != pytest.approx(lost(c26, "oil_cpc_tengiz_atyrau"))
    # a scenario's year: applies when --year is not given
    scen = _json(*args, "--scenario", "cpc-suspension-2022")
    assert scen["scenario"] == "default @ 2022 + cpc-suspension-2022"


def test_leverage_year_changes_russias_hold_on_kazakh_crude() -> None:
    args = ["leverage", "--commodity", "crude", "--exporter", "KZ"]

    def ru(data: dict[str, object]) -> float:
        return float(str(next(r["lost_share"] for r in _rows(data) if r["transit"] == "RU")))

    l22, l26 = _json(*args, "--year", "2022"), _json(*args, "--year", "2026")
    assert ru(l22) != pytest.approx(ru(l26), abs=1e-3)
    # the scenario's year: (2022) is the default year, so it equals --year 2022 with the scenario
    s = _json(*args, "--scenario", "russia-closed")
    s22 = _json(*args, "--scenario", "russia-closed", "--year", "2022")
    assert ru(s) == pytest.approx(ru(s22))
    assert ru(s) != pytest.approx(ru(_json(*args, "--scenario", "russia-closed", "--year", "2026")))


def test_scp_has_a_sourced_year_table_and_did_not_change_from_2022_to_2026(net: Network) -> None:
    """SCP's capacity by year, each row sourced: 7.41 bcm/yr from 2006, +16 (SCPX) from 2018.

    No change after 2018 is reported (SGC, bp Georgia, the Energy Community: SCPFX is a next
    phase), so 2022 and 2026 give the same SCP capacity while CPC and TAP differ.
    """
    dated = read_dated_values()
    table = dated[dated["ref"].isin(["gas_scp", "gas_scpx"]) & (dated["field"] == "capacity")]
    years = zip(table["ref"], table["year"].astype(int), table["value"].astype(float), strict=True)
    assert sorted(years) == [
        ("gas_scp", 2006, 7.41),
        ("gas_scpx", 2018, 16.0),
    ]
    for cell in table["sources"]:
        assert "energy_sgc_scp" in cell.split(";")
        assert all(s in net.sources.index for s in cell.split(";"))
    y22, y26 = at_year(net, 2022), at_year(net, 2026)
    for link in ("gas_scp", "gas_scpx"):
        assert _cap(y22, link) == _cap(y26, link)
    assert _cap(y22, "gas_scp") + _cap(y22, "gas_scpx") == pytest.approx(23.41)
    assert at_year(net, 2017).links.at["gas_scpx", "status"] == "planned"


def test_aktau_baku_tankers_carry_the_contracted_volume_by_year(net: Network) -> None:
    """The Aktau-Baku tankers: 1.5 Mt/yr (2022 agreement), 2.2 from 2024; Aktau loading 7.5 from 2023."""
    assert pd.isna(net.links.at["tk_aktau_sangachal", "capacity"])
    y23, y24 = at_year(net, 2023), at_year(net, 2024)
    assert _cap(at_year(net, 2022), "tk_aktau_sangachal") == 1.5
    assert _cap(y23, "tk_aktau_sangachal") == 1.5
    assert _cap(y24, "tk_aktau_sangachal") == 2.2
    assert y24.links.at["tk_aktau_sangachal", "capacity_unit"] == "Mt/yr"
    load = y23.transfers.set_index("id").at["tf_aktau_rail_tanker", "capacity"]
    assert float(load) == 7.5
    closed = load_scenario("russia-closed")
    r = flow_at_year(net, "crude", "KZ", year=2023, scenario=closed, tables=read_year_tables())
    baku = next(x for x in r.links if x.id == "tk_aktau_sangachal")
    assert baku.flow == pytest.approx(1.5)
    # the bound's Aktau-Baku is now the published 1.39 Mt's order, not Aktau's loading capacity
    actual = {a.id: a for a in r.actuals}["act_kz_crude_btc_2023"]
    assert actual.bound == pytest.approx(1.5)
