"""Strict calibration: time midpoints within 20%, the range check beside it, fitted rows."""

from __future__ import annotations

import pandas as pd
import pytest

import corridors as cx
from corridors.analyses.calibration.checks import TIME_TOLERANCE, calibrate
from corridors.errors import CorridorsError
from corridors.io.tables import default_data_dir, read_calibration


def _row(id_: str, low: float, high: float, fitted: str = "") -> dict[str, object]:
    return {
        "id": id_,
        "origin": "chongqing",
        "destination": "duisburg",
        "option": "rail_north",
        "metric": "time_days",
        "low": low,
        "high": high,
        "unit": "days",
        "source": "calib_chinadaily_2013",
        "fitted": fitted,
    }


def test_time_rows_are_checked_two_ways(default_net: cx.Network) -> None:
    base = calibrate(default_net, pd.DataFrame([_row("x", 1.0, 1.0)])).rows[0]
    assert base.model_low is not None
    assert base.model_high is not None
    mid = (base.model_low + base.model_high) / 2
    near = mid / (1 + TIME_TOLERANCE / 2)  # model midpoint 10% above: within
    far = mid / (1 + 2 * TIME_TOLERANCE)  # 40% above: off
    wide = (base.model_low - 1, base.model_high + 1)  # within by midpoint, not inside range
    rows = [_row("near", near, near), _row("far", far, far), _row("wide", *wide)]
    res = calibrate(default_net, pd.DataFrame(rows))
    by_id = {r.id: r for r in res.rows}
    assert by_id["near"].verdict == "within"
    assert by_id["near"].midpoint_ok
    assert by_id["near"].range_ok is True
    assert by_id["far"].verdict == "off"
    assert by_id["far"].midpoint_ok is False
    assert by_id["wide"].midpoint_ok is True
    assert by_id["wide"].range_ok is False
    assert base.verdict == "off"


def test_fitted_rows_are_shown_and_not_counted(default_net: cx.Network) -> None:
    base = calibrate(default_net, pd.DataFrame([_row("x", 1.0, 1.0)])).rows[0]
    assert base.model_low is not None
    assert base.model_high is not None
    mid = (base.model_low + base.model_high) / 2
    res = calibrate(
        default_net,
        pd.DataFrame([_row("check", mid, mid), _row("fit", 1.0, 1.0, fitted="yes")]),
    )
    assert [r.fitted for r in res.rows] == [False, True]
    assert (res.n_checked, res.n_checked_within, res.share_within) == (1, 1, 1.0)
    d = res.as_dict()
    assert d["n_checked"] == 1
    assert d["share_within"] == 1.0
    assert {"range_ok", "midpoint_ok", "fitted"} <= set(d["rows"][0])


def test_default_calibration_marks_the_figures_rates_were_derived_from() -> None:
    published = read_calibration(default_data_dir())
    fitted = set(published.loc[published["fitted"] == "yes", "id"])
    # the ERAI rate, the WCI 2023 sea rate and the liner port-call time come from these
    assert {"cal_cost_erai_2023", "cal_cost_sea_suez_2023", "cal_sha_rtm_suez_time"} <= fitted
    # and each year's sea rate index from that year's Shanghai-Rotterdam assessment
    index = cx.load().rate_index
    sea = index[index["mode"] == "sea"]
    fitted_rows = published[published["fitted"] == "yes"]
    for year in set(sea.loc[sea["sources"].map(len) == 1, "year"].astype(int)) - {2024}:
        mine = fitted_rows[
            (fitted_rows["year"] == str(year)) & fitted_rows["option"].str.startswith("sea")
        ]
        # (Genoa: the Asia-Mediterranean lane rate, section_times sea_asia_med_lane)
        assert [d for d in mine["destination"] if d != "genoa"] == ["rotterdam"], year
    # and each year's rail rate index from that year's ERAI (the Dostyk-Brest transit)
    for year in set(index.loc[index["mode"] == "rail", "year"].astype(int)):
        on_rail = fitted_rows["option"] == "rail_north"
        mine = fitted_rows[(fitted_rows["year"] == str(year)) & on_rail]
        pairs = list(zip(mine["origin"], mine["destination"], strict=True))
        assert set(pairs) == {("dostyk", "brest")}, year
    res = calibrate(cx.load(), published)
    assert res.n_checked == len(published) - len(fitted)
    costs_by_year = [r for r in res.rows if r.metric == "cost_usd" and not r.fitted]
    assert sum(r.id.startswith("cal_wci_") for r in costs_by_year) >= 8
    times = [r for r in res.rows if r.metric == "time_days"]
    assert all(r.range_ok is not None and r.midpoint_ok is not None for r in times)
    assert all(r.within == r.midpoint_ok for r in times)
    # at least 8 time rows by year of the Middle Corridor and rail (issue 11)
    assert sum(r.option == "trans_caspian" for r in times) >= 8


def test_rows_with_a_year_use_that_years_market_rates(default_net: cx.Network) -> None:
    from corridors.model.rates import rates_scenario

    row = {
        "id": "y",
        "origin": "shanghai",
        "destination": "rotterdam",
        "option": "sea_suez",
        "metric": "cost_usd",
        "low": 1.0,
        "high": 1.0,
        "unit": "USD/TEU",
        "source": "calib_drewry_wci_2024",
    }
    plain = calibrate(default_net, pd.DataFrame([row])).rows[0]
    in_2021 = calibrate(default_net, pd.DataFrame([{**row, "year": "2021"}])).rows[0]
    assert plain.model_low is not None
    assert in_2021.model_low is not None
    scale = float(default_net.rate_index.set_index("year").at[2021, "scale"])
    assert in_2021.model_low == pytest.approx(plain.model_low * scale, rel=1e-6)
    assert rates_scenario(default_net, 2021).override[0].countries == ("CN", "SG")
    with pytest.raises(CorridorsError, match="no market rates for 1999"):
        rates_scenario(default_net, 1999)


def test_lane_rate_prices_genoa_above_rotterdam_per_box() -> None:
    # WCI quotes Shanghai-Genoa at or above Shanghai-Rotterdam although the voyage is
    # shorter: the Asia-Mediterranean lane row of section_times prices it per lane
    net = cx.load()
    links = net.links
    genoa = links.loc["sea_shanghai_genoa_suez"]
    rtm = links.loc["sea_shanghai_rotterdam_suez"]
    assert genoa["cost_scale"] > 1.4
    assert rtm["cost_scale"] == 1.0
    assert links.loc["sea_piraeus_genoa", "cost_scale"] == 1.0  # a feeder, not the lane
    rate = float(
        net.mode_costs.set_index(["mode", "commodity"]).loc[("sea", "container"), "cost_usd_per_km"]
    )
    assert genoa["length_km"] * rate * genoa["cost_scale"] > rtm["length_km"] * rate


def test_dated_rows_apply_to_their_years_only() -> None:
    from corridors.model.rates import dated_network, dated_years

    net = cx.load()
    assert 2013 in dated_years(net)
    assert 2023 not in dated_years(net)
    early = dated_network(net, 2013)
    assert dated_network(net, 2023) is net
    node = early.nodes.set_index("id").loc["malaszewicze"]
    assert (node["dwell_low_h"], node["dwell_high_h"]) == (0.0, 24.0)
    assert net.nodes.set_index("id").loc["malaszewicze", "dwell_high_h"] == 120.0
    link = "berlin_duisburg_rail"
    assert early.links.loc[link, "time_high_h"] < net.links.loc[link, "time_high_h"]
    assert str(early.links.loc[link, "time_source"]).startswith("section:pl_de_rail_1435")
    # links outside Poland and Germany keep the undated EU speed
    other = net.links[net.links["time_source"].astype(str) == "section:eu_rail_1435"]
    outside = [i for i, cs in other["countries"].items() if not set(cs) <= {"PL", "DE"}]
    assert outside
    assert early.links.loc[outside[0], "time_high_h"] == net.links.loc[outside[0], "time_high_h"]


def test_a_dated_port_wait_goes_onto_the_ports_ferry_transfers() -> None:
    from corridors.model.rates import dated_network

    net = cx.load()
    in_2022 = dated_network(net, 2022)
    before = net.transfers.set_index("id")
    after = in_2022.transfers.set_index("id")
    # Government of Kazakhstan: the Kazakh section took 12 days in 2022, 6 in early 2023
    for tid in ("mid_tr_kuryk_port", "mid_tr_aktau_port"):
        assert after.loc[tid, "time_low_h"] == before.loc[tid, "time_low_h"] + 144.0
        assert after.loc[tid, "time_high_h"] == before.loc[tid, "time_high_h"] + 144.0
    # the oil tanker transfers at the same ports are not the ferry queue
    assert (
        after.loc["tf_aktau_rail_tanker", "time_low_h"]
        == before.loc["tf_aktau_rail_tanker", "time_low_h"]
    )
    # CAREC rail border times by year on the borders priced with the 2022 average
    node = dated_network(net, 2019).nodes.set_index("id").loc["boyuk_kasik"]
    assert (node["dwell_low_h"], node["dwell_high_h"]) == (10.0, 20.6)


def test_a_row_can_count_the_landing_and_close_nodes(default_net: cx.Network) -> None:
    row = {
        "id": "x",
        "origin": "xian",
        "destination": "constanta",
        "option": "trans_caspian_black_sea",
        "metric": "time_days",
        "low": 31.0,
        "high": 34.0,
        "unit": "days",
        "source": "calib_navis_2025",
    }
    quay = calibrate(default_net, pd.DataFrame([row])).rows[0]
    landed = calibrate(default_net, pd.DataFrame([{**row, "ends": "landed"}])).rows[0]
    assert quay.model_low is not None
    assert landed.model_low is not None
    # Constanta's handling off the ship (port_constanta_sea_rail_1435: 72-96 h)
    assert landed.model_low - quay.model_low == pytest.approx(3.0)
    poti = {**row, "destination": "poti", "option": "trans_caspian", "year": "2022"}
    free = calibrate(default_net, pd.DataFrame([poti])).rows[0]
    shut = calibrate(default_net, pd.DataFrame([{**poti, "close": "turkmenbashi"}])).rows[0]
    assert "TM" in free.countries
    assert "TM" not in shut.countries


def test_docs_calibration_md_is_generated_from_the_data() -> None:
    """docs/calibration.md is what ``corridors data calibrate --markdown`` prints."""
    from pathlib import Path

    from corridors.analyses.calibration.checks import calibrate
    from corridors.cli import render
    from corridors.io.tables import default_data_dir, read_calibration
    from corridors.model.network import load

    net = load()
    result = calibrate(net, read_calibration(default_data_dir()))
    docs = Path(__file__).parents[1] / "docs" / "calibration.md"
    assert docs.read_text(encoding="utf-8") == render.calibration_markdown(result, net.sources), (
        "docs/calibration.md is out of date: run "
        "`corridors data calibrate --markdown > docs/calibration.md`"
    )
