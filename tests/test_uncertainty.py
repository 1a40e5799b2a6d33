"""Monte Carlo of door-to-door time: distributions, disruption events, on-time odds."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace as Ns

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridors as cx
from conftest import run_cli
from corridors.analyses.routing.search import route
from corridors.analyses.uncertainty import (
    StepTimes,
    event_draws,
    on_time_probability,
    route_steps,
    sample_route_hours,
    time_distribution,
)
from corridors.analyses.uncertainty.capacity import capacity_ranges, flow_range
from corridors.analyses.uncertainty.sampling import pert, pert_mean, stream
from corridors.errors import CorridorsError, DataError
from corridors.model.disruptions import Disruption, load_disruptions
from corridors.model.scenario import Closures, Scenario, compose
from corridors.results.uncertainty import CapacityBound

DRAWS = 10_000
MIDDLE = Scenario.from_flags(avoid=["RU", "BY", "IR"])
CASPIAN = (
    "mid_ferry_aktau_baku_alat",
    "mid_ferry_kuryk_baku_alat",
    "mid_ferry_turkmenbashi_baku_alat",
)


@pytest.fixture(scope="module")
def events(default_net: cx.Network) -> tuple[Disruption, ...]:
    return load_disruptions(net=default_net)


@pytest.fixture(scope="module")
def chongqing_duisburg(default_net: cx.Network) -> cx.Route:
    return route(default_net, "Chongqing", "Duisburg")


@pytest.fixture(scope="module")
def middle(default_net: cx.Network) -> cx.Route:
    r = route(default_net, "Chongqing", "Duisburg", scenario=MIDDLE)
    assert any(_link(leg) in CASPIAN for leg in r.legs)
    return r


def _link(leg: object) -> str:
    """Link id of a leg under either naming (``link_id`` in the pydantic results)."""
    return str(getattr(leg, "link_id", None) or getattr(leg, "link", ""))


def _node(stop: object) -> str:
    return str(getattr(stop, "node_id", None) or getattr(stop, "node", ""))


def _median_tolerance(hours: np.ndarray, n: int) -> float:
    """4 standard errors of the difference of two medians of ``n`` draws, in days.

    The sample median's standard error is ``1 / (2 f(m) sqrt(n))`` with ``f(m)`` the
    density at the median, estimated from the draws as ``0.1 / (q55 - q45)``.
    """
    q45, q55 = np.percentile(hours / 24.0, [45.0, 55.0])
    density = 0.1 / max(q55 - q45, 1e-9)
    return 4.0 * math.sqrt(2.0) / (2.0 * density * math.sqrt(n))


def test_p50_inside_the_range_without_disruptions(chongqing_duisburg: cx.Route) -> None:
    d = time_distribution(chongqing_duisburg, draws=DRAWS, seed=0)
    days = chongqing_duisburg.time_h.scaled(1 / 24)
    assert days.low < d.p10 < d.p50 < d.p90 < days.high
    assert d.low is not None
    assert d.high is not None
    assert d.low <= days.low + 1e-9
    assert days.high <= d.high + 1e-9
    # PERT on every range with the mode in the middle: the mean is the mid-range
    assert d.mean == pytest.approx((days.low + days.high) / 2, abs=0.05)


def test_p50_converges_two_seeds_agree(chongqing_duisburg: cx.Route) -> None:
    a = sample_route_hours(chongqing_duisburg, draws=DRAWS, seed=1)
    b = sample_route_hours(chongqing_duisburg, draws=DRAWS, seed=2)
    tol = _median_tolerance(np.concatenate([a, b]), DRAWS)
    assert 0 < tol < 0.2  # days: 10,000 draws pin the median to a few hours
    assert abs(np.median(a) - np.median(b)) / 24.0 < tol
    assert not np.array_equal(a, b)


def test_same_seed_same_draws(middle: cx.Route, events: tuple[Disruption, ...]) -> None:
    a = time_distribution(middle, events, draws=2_000, seed=7)
    b = time_distribution(middle, events, draws=2_000, seed=7)
    assert np.array_equal(a.hours, b.hours)
    assert a.as_dict() == b.as_dict()
    assert a.as_dict()["seed"] == 7
    assert a.as_dict()["draws"] == 2_000


def test_disruptions_only_add_time(middle: cx.Route, events: tuple[Disruption, ...]) -> None:
    calm = sample_route_hours(middle, draws=DRAWS, seed=3)
    rough = sample_route_hours(middle, events, draws=DRAWS, seed=3)
    assert (rough >= calm).all()
    assert (rough > calm).mean() > 0.05  # the storm and the border queues do happen
    d = time_distribution(middle, events, draws=DRAWS, seed=3)
    assert set(d.events) == {"caspian_storm", "kz_cn_border_congestion"}


def test_closing_a_caspian_crossing_never_raises_the_on_time_odds(
    default_net: cx.Network, middle: cx.Route, events: tuple[Disruption, ...]
) -> None:
    used = next(_link(leg) for leg in middle.legs if _link(leg) in CASPIAN)
    closed = compose([MIDDLE, Scenario(name="no-ferry", close=Closures(links=(used,)))])
    detour = route(default_net, "Chongqing", "Duisburg", scenario=closed)
    assert used not in {_link(leg) for leg in detour.legs}
    before = time_distribution(middle, events, draws=DRAWS, seed=0)
    after = time_distribution(detour, events, draws=DRAWS, seed=0)
    # two estimated shares of 10,000 draws: 3 standard errors of their difference
    tol = 3.0 * math.sqrt(2 * 0.25 / DRAWS)
    promises = np.arange(14.0, 45.0, 0.5)
    diffs = [after.prob_within(p) - before.prob_within(p) for p in promises]
    assert max(diffs) <= tol
    assert min(diffs) < -0.1  # the detour is slower: some promise is clearly worse


def test_one_storm_closes_every_caspian_crossing(events: tuple[Disruption, ...]) -> None:
    storm = next(e for e in events if e.id == "caspian_storm")
    ferry = Ns(mode="ferry", time_h=Ns(low=28.0, high=32.0), wait_h=12.0, passages=())
    rail = Ns(mode="rail", time_h=Ns(low=5.0, high=6.0), wait_h=0.0, passages=())
    two = route_steps(
        [
            Ns(link=CASPIAN[0], from_id="aktau", to_id="baku_alat", **vars(ferry)),
            Ns(link="x", from_id="baku_alat", to_id="turkmenbashi", **vars(rail)),
            Ns(link=CASPIAN[2], from_id="turkmenbashi", to_id="baku_alat", **vars(ferry)),
        ]
    )
    (draw,) = event_draws(two, [storm], draws=DRAWS, seed=0)
    assert draw.site == "caspian_storm"
    assert draw.steps == (0, 2)
    independent = Disruption(**{**_fields(storm), "shared": False})
    a, b = event_draws(two, [independent], draws=DRAWS, seed=0)
    assert {a.site, b.site} == {CASPIAN[0], CASPIAN[2]}
    assert abs(np.corrcoef(a.hit, b.hit)[0, 1]) < 0.05  # independent sites
    # two routes over different Caspian ferries meet the same storms in the same draws
    aktau = route_steps([Ns(link=CASPIAN[0], from_id="aktau", to_id="b", **vars(ferry))])
    kuryk = route_steps([Ns(link=CASPIAN[1], from_id="kuryk", to_id="b", **vars(rail))])
    (hit_a,) = event_draws(aktau, [storm], draws=DRAWS, seed=0)
    (hit_k,) = event_draws(kuryk, [storm], draws=DRAWS, seed=0)
    assert hit_k.probability < hit_a.probability
    assert (hit_k.hit <= hit_a.hit).all()
    assert hit_k.hit.sum() > 0
    assert np.array_equal(hit_a.delay_h[hit_k.hit], hit_k.delay_h[hit_k.hit])


def _fields(e: Disruption) -> dict[str, object]:
    return {f: getattr(e, f) for f in Disruption.__slots__}


def test_either_naming_of_the_result_classes_gives_the_same_draws(
    chongqing_duisburg: cx.Route,
) -> None:
    old, new = [], []
    for s in chongqing_duisburg.steps:
        if hasattr(s, "mode"):
            common = {k: getattr(s, k) for k in ("from_id", "to_id", "mode", "wait_h", "passages")}
            old.append(Ns(link=_link(s), time_h=s.time_h, **common))
            new.append(Ns(link_id=_link(s), time_h=s.time_h, **common))
        else:
            old.append(Ns(node=_node(s), kind=s.kind, time_h=s.time_h))
            new.append(Ns(node_id=_node(s), kind=s.kind, time_h=s.time_h))
    a = sample_route_hours(chongqing_duisburg, draws=500, seed=4)
    assert np.array_equal(a, sample_route_hours(old, draws=500, seed=4))
    assert np.array_equal(a, sample_route_hours(new, draws=500, seed=4))


def test_on_time_probability_and_errors(chongqing_duisburg: cx.Route) -> None:
    d = time_distribution(chongqing_duisburg, draws=DRAWS, seed=0)
    assert on_time_probability(chongqing_duisburg, d.p50, draws=DRAWS) == pytest.approx(0.5)
    assert d.prob_within(d.low or 0.0) == 0.0
    assert d.prob_within(d.high or 0.0) == 1.0
    with pytest.raises(CorridorsError, match="draws"):
        time_distribution(chongqing_duisburg, draws=0)
    with pytest.raises(CorridorsError, match="no legs or stops"):
        time_distribution([])


def test_symmetric_pert_draws_follow_beta_3_3() -> None:
    n = 20_000
    x = np.sort(pert(stream(11, "k"), 0.0, 1.0, n))
    exact = x**3 * (10 - 15 * x + 6 * x**2)  # CDF of Beta(3, 3)
    ks = np.max(np.abs(exact - np.arange(1, n + 1) / n))
    assert ks < 1.63 / math.sqrt(n)  # Kolmogorov-Smirnov, 1% level
    moded = pert(stream(11, "m"), 0.0, 10.0, n, mode=2.0)
    se = moded.std() / math.sqrt(n)
    assert abs(moded.mean() - pert_mean(0.0, 10.0, 2.0)) < 4 * se


ranges = st.tuples(
    st.floats(0.0, 500.0), st.floats(0.0, 200.0), st.sampled_from([0.0, 0.0, 12.0, 168.0])
)


@settings(max_examples=40, deadline=None)
@given(st.lists(ranges, min_size=1, max_size=12), st.integers(0, 2**32 - 1))
def test_draws_stay_inside_the_ranges(parts: list[tuple[float, float, float]], seed: int) -> None:
    steps = [
        StepTimes(f"link:l{i}:a", "leg", f"l{i}", lo, lo + width, headway_h=head)
        for i, (lo, width, head) in enumerate(parts)
    ]
    hours = sample_route_hours(steps, draws=400, seed=seed)
    low = sum(lo for lo, _, _ in parts)
    high = sum(lo + width + head for lo, width, head in parts)
    assert (hours >= low - 1e-6).all()
    assert (hours <= high + 1e-6).all()
    d = time_distribution(steps, draws=400, seed=seed)
    assert d.p10 <= d.p50 <= d.p90
    assert d.prob_within(d.p10) <= d.prob_within(d.p50) <= d.prob_within(d.p90)


def test_disruption_table_reports_every_problem(tmp_path: Path, default_net: cx.Network) -> None:
    (tmp_path / "disruptions.csv").write_text(
        "id,name,applies_to,targets,shared,days_per_year,episode_days,delay_low_h,"
        "delay_mode_h,delay_high_h,sources,estimate,note\n"
        "a,A,node,atlantis,yes,10,2,48,,24,nosuch,,\n"
        "b,B,canal,suez,maybe,x,0,0,,24,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_disruptions(tmp_path, net=default_net)
    text = str(err.value)
    for needle in ("is above", "must be one of", "not a number", "episode_days"):
        assert needle in text
    (tmp_path / "disruptions.csv").write_text(
        "id,name,applies_to,targets,shared,days_per_year,episode_days,delay_low_h,"
        "delay_mode_h,delay_high_h,sources,estimate,note\n"
        "a,A,node,atlantis,yes,10,2,0,,24,nosuch,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_disruptions(tmp_path, net=default_net)
    assert "unknown node id" in str(err.value)
    assert "unknown source id" in str(err.value)
    assert load_disruptions(tmp_path / "nothing-here") == ()


def test_route_promise_prints_the_on_time_probability() -> None:
    done = run_cli("route", "Chongqing", "Duisburg", "--promise", "20")
    assert done.returncode == 0, done.stderr
    assert "on time with probability 0." in done.stdout


def test_route_json_carries_seeded_percentiles() -> None:
    first = run_cli("route", "Chongqing", "Duisburg", "--json")
    again = run_cli("route", "Chongqing", "Duisburg", "--json")
    assert first.returncode == 0, first.stderr
    days = json.loads(first.stdout)["routes"][0]["totals"]["time_days"]
    assert days["low"] <= days["p50"] <= days["high"]
    assert days["p10"] <= days["p50"] <= days["p90"]
    assert first.stdout == again.stdout


def test_api_route_percentiles_are_opt_in(default_net: cx.Network) -> None:
    plain = cx.route(default_net, "Chongqing", "Duisburg")
    assert set(plain.as_dict()["totals"]["time_days"]) == {"low", "high"}
    drawn = cx.route(default_net, "Chongqing", "Duisburg", percentiles=True)
    t = drawn.totals.time_days
    assert t.p10 is not None
    assert t.p50 is not None
    assert t.p90 is not None
    assert t.low <= t.p50 <= t.high
    assert t.p10 <= t.p50 <= t.p90
    assert drawn.link_ids == plain.link_ids


# ---------------------------------------------------------------- uncertain capacities


def _one_pipe() -> cx.Network:
    """A gas field (12 bcm/yr) and one 30 mcm/day pipeline to a market."""
    import pandas as pd

    from corridors.model.network import from_frames

    return from_frames(
        {
            "sources": pd.DataFrame(
                {"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2024]}
            ),
            "commodities": pd.DataFrame(
                {"id": ["gas"], "name": ["Gas"], "unit": ["bcm/yr"], "modes": ["gas_pipeline"]}
            ),
            "nodes": pd.DataFrame(
                {
                    "id": ["f", "m"],
                    "name": ["Field", "Market"],
                    "kind": ["field", "market"],
                    "country": ["TM", "CN"],
                    "lat": [38.0, 40.0],
                    "lon": [62.0, 75.0],
                    "capacity": [12.0, None],
                    "capacity_unit": ["bcm/yr", ""],
                    "sources": ["s", "s"],
                }
            ),
            "links": pd.DataFrame(
                {
                    "id": ["fm"],
                    "from": ["f"],
                    "to": ["m"],
                    "mode": ["gas_pipeline"],
                    "length_km": [1500.0],
                    "capacity": [30.0],
                    "capacity_unit": ["mcm/day"],
                    "countries": ["TM;UZ;KZ;CN"],
                    "status": ["operating"],
                    "direction": ["forward"],
                    "sources": ["s"],
                }
            ),
        }
    )


@settings(max_examples=15, deadline=None)
@given(
    low=st.floats(0.0, 60.0, allow_nan=False),
    extra=st.floats(0.0, 60.0, allow_nan=False),
)
def test_delivered_at_low_capacities_never_exceeds_high(low: float, extra: float) -> None:
    bound = CapacityBound(target="links", id="fm", low=low, high=low + extra, unit="mcm/day")
    r = flow_range(_one_pipe(), "gas", "TM", "Market", bounds=[bound])
    assert r.delivered_low <= r.delivered_high + 1e-9
    assert r.delivered_low == pytest.approx(min(12.0, low * 0.365), abs=1e-6)
    assert r.delivered_high == pytest.approx(min(12.0, (low + extra) * 0.365), abs=1e-6)


def test_capacity_range_binds_where_the_pipe_does() -> None:
    bound = CapacityBound(target="links", id="fm", low=5.0, high=40.0, unit="mcm/day")
    r = flow_range(_one_pipe(), "gas", "TM", "Market", bounds=[bound])
    assert r.delivered_low < r.delivered < r.delivered_high
    assert r.delivered == pytest.approx(10.95)
    assert r.binding_point_only == ()
    assert r.as_dict()["ranges"][0]["id"] == "fm"


def test_default_capacity_ranges_keep_the_order(default_net: cx.Network) -> None:
    bounds = capacity_ranges(default_net)
    assert {b.id for b in bounds} >= {"oil_druzhba_samara_unecha", "altynkol_gauge"}
    for scen in (None, cx.load_scenario("cpc-suspension-2022")):
        r = flow_range(default_net, "crude", "KZ", scenario=scen, bounds=bounds)
        assert r.delivered_low <= r.delivered <= r.delivered_high
        assert r.shortfall_low_caps is not None
        assert r.shortfall_high_caps is not None
        assert r.shortfall_high_caps <= r.shortfall_low_caps
        # binding capacities held as points (the fields' supplies as it is, the UAS line
        # with CPC closed) are named, so the narrow range is not read as certainty
        assert ("tengiz" if scen is None else "oil_uas_atyrau_samara") in r.binding_point_only


def test_capacity_range_table_reports_every_problem(
    tmp_path: Path, default_net: cx.Network
) -> None:
    (tmp_path / "capacity_ranges.csv").write_text(
        "target,id,low,high,unit,sources,note\n"
        "links,nosuch,1,2,Mt/yr,energy_gem_cpc,\n"
        "links,oil_btc,70,60,Mt/yr,energy_gem_btc,\n"
        "links,oil_btc,50,60,bcm/yr,nosuch_source,\n"
        "roads,oil_btc,1,2,Mt/yr,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        capacity_ranges(default_net, tmp_path)
    text = str(err.value)
    for expected in ("unknown link id", "high is below low", "capacity_unit", "unknown source"):
        assert expected in text
    assert "expected one of links" in text
    assert capacity_ranges(default_net, tmp_path / "nothing-here") == ()
