"""Routing on the hand-checked tiny network (tests/data/tiny): every figure is worked out
on paper in the comments."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

import corridors as cx
import corridors.analyses.routing
import corridors.results
from conftest import TINY, run_cli
from corridors.analyses.routing.options import named_options

S = cx.Scenario.from_flags


def test_best_route_by_time_is_the_northern_rail(tiny: cx.Network) -> None:
    r = cx.route(tiny, "Alpha", "Delta")
    # ab 10 + at b: dwell 2-4 + gauge change 6-10 + bc 10 + cd 10 = 38-44 h
    assert r.link_ids == ("ab", "bc", "cd")
    assert (r.time_h.low, r.time_h.high) == pytest.approx((38.0, 44.0), abs=1e-6)
    assert r.length_km == pytest.approx(360.0)
    assert r.cost_usd == pytest.approx(120 + 100 + 120 + 120)
    assert r.countries == ("CN", "KZ", "RU", "BY", "PL", "DE")
    assert [(t.node_name, t.kind, t.from_layer, t.to_layer) for t in r.transfers] == [
        ("Bravo Border", "gauge_change", "rail_1435", "rail_1520")
    ]


def test_avoiding_russia_takes_the_ferry_with_half_headway_wait(tiny: cx.Network) -> None:
    r = cx.route(tiny, "Alpha", "Delta", scenario=S(avoid=["RU"]))
    # ab 10 + b 8-14 + bf 5 + f port 4-8 + ferry 10-14 + wait 12 + e port 4-8 + ed 20 = 73-91 h
    assert r.link_ids == ("ab", "bf", "fe", "ed")
    assert (r.time_h.low, r.time_h.high) == pytest.approx((73.0, 91.0), abs=1e-6)
    ferry = r.legs[2]
    assert ferry.mode == "ferry"
    assert ferry.wait_h == pytest.approx(12.0)
    assert "RU" not in r.countries
    assert r.countries == ("CN", "KZ", "AZ", "GE", "TR", "DE")


def test_sea_via_suez_then_cape(tiny: cx.Network) -> None:
    sea = cx.route(tiny, "Alpha", "Delta", scenario=S(avoid=["RU"], avoid_modes=["ferry"]))
    # ap 3 + p 10-14 + pq 100-120 + q 10-14 + qd 2 = 125-153 h
    assert sea.link_ids == ("ap", "pq", "qd")
    assert (sea.time_h.low, sea.time_h.high) == pytest.approx((125.0, 153.0), abs=1e-6)
    assert sea.passages == ("suez",)
    cape = cx.route(
        tiny,
        "Alpha",
        "Delta",
        scenario=S(avoid=["RU"], avoid_modes=["ferry"], avoid_passages=["suez"]),
    )
    assert cape.passages == ("cape",)
    assert (cape.time_h.low, cape.time_h.high) == pytest.approx((225.0, 253.0), abs=1e-6)


def test_optimise_cost_and_distance(tiny: cx.Network) -> None:
    # cost: north 460, middle 120+100+200+50+240+50+160 = 920, sea 120+80+40+80+360 = 680
    r = cx.route(tiny, "Alpha", "Delta", optimize="cost", scenario=S(avoid=["RU"]))
    assert r.cost_usd == pytest.approx(680.0)
    assert r.link_ids == ("ap", "pq", "qd")
    d = cx.route(tiny, "Alpha", "Delta", optimize="distance", scenario=S(avoid=["RU"]))
    # middle 600 km < sea 640 km
    assert d.length_km == pytest.approx(600.0)


def test_time_derived_from_mode_speed_when_link_has_none(tiny: cx.Network) -> None:
    opened = cx.apply_scenario(tiny, cx.Scenario(open_links=("ad_new",)))
    r = cx.route(opened, "Alpha", "Delta")
    assert r.link_ids == ("ad_new",)
    # 340 km at 40-60 km/h
    assert (r.time_h.low, r.time_h.high) == pytest.approx((340 / 60, 340 / 40))
    assert r.legs[0].time_source == "mode_speed"


def test_planned_links_are_off_by_default(tiny: cx.Network) -> None:
    assert "ad_new" not in cx.route(tiny, "Alpha", "Delta").link_ids


def test_via(tiny: cx.Network) -> None:
    # through Papa Port and back on the same track (a port's dwell is charged to ships
    # only), then the northern rail: 3 + 3 + 38-44 h
    r = cx.route(tiny, "Alpha", "Delta", via=["Papa Port"])
    assert r.link_ids == ("ap", "ap", "ab", "bc", "cd")
    assert (r.time_h.low, r.time_h.high) == pytest.approx((44.0, 50.0), abs=1e-6)
    assert r.legs[-1].to_id == "d"
    assert r.via == ("p",)


def test_via_pays_the_transfer_at_the_via_node(tiny: cx.Network) -> None:
    # regression: the route used to end at Quebec Port and start again there on the road,
    # dropping the sea -> road handling (10-14 h, USD 80):
    # ap 3 + p 10-14 + pq 100-120 + q 10-14 + qd 2 = 125-153 h (not 115-139 h)
    r = cx.route(tiny, "Alpha", "Delta", via=["Quebec Port"])
    assert r.link_ids == ("ap", "pq", "qd")
    assert (r.time_h.low, r.time_h.high) == pytest.approx((125.0, 153.0), abs=1e-6)
    assert r.cost_usd == pytest.approx(680.0)
    at_q = [s for s in r.stops if s.node_id == "q"]
    assert [(s.kind, s.from_layer, s.to_layer, s.after_leg) for s in at_q] == [
        ("port_handling", "sea", "road", 1)
    ]


def test_via_pays_the_dwell_at_a_border(tiny: cx.Network) -> None:
    # regression: via Bravo Border lost its dwell + gauge change (8-14 h)
    direct = cx.route(tiny, "Alpha", "Delta")
    via = cx.route(tiny, "Alpha", "Delta", via=["Bravo"])
    assert via.link_ids == direct.link_ids
    assert (via.time_h.low, via.time_h.high) == pytest.approx((38.0, 44.0), abs=1e-6)
    assert via.cost_usd == pytest.approx(direct.cost_usd)


def test_via_errors(tiny: cx.Network) -> None:
    with pytest.raises(cx.CorridorsError, match="repeats"):
        cx.route(tiny, "Alpha", "Delta", via=["Alpha"])
    with pytest.raises(cx.NoRouteError, match="itself closed"):
        cx.route(tiny, "Alpha", "Delta", via=["Charlie"], scenario=S(avoid=["RU"]))
    # without ships, Quebec Port is reached only by road from Delta, where no transfer
    # leads from the rail to the road
    with pytest.raises(cx.NoRouteError, match="uses sea"):
        cx.route(tiny, "Alpha", "Delta", via=["Quebec Port"], scenario=S(avoid_modes=["sea"]))


def consistent_layers(r: cx.Route) -> bool:
    """Consecutive legs share a layer, or a transfer at the joining node changes it."""
    for i, (x, y) in enumerate(zip(r.legs[:-1], r.legs[1:], strict=True)):
        if x.layer == y.layer:
            continue
        moves = [(s.from_layer, s.to_layer) for s in r.transfers if s.after_leg == i]
        if moves != [(x.layer, y.layer)] or x.to_id != y.from_id:
            return False
    return True


def test_via_on_the_default_network(default_net: cx.Network) -> None:
    # regressions (issues 8 and 14): the via node's dwell, transfer and layer were lost
    direct = cx.route(default_net, "Chongqing", "Duisburg")
    via = cx.route(default_net, "Chongqing", "Duisburg", via=["Malaszewicze"])
    assert via.link_ids == direct.link_ids
    assert (via.time_h.low, via.time_h.high) == pytest.approx(
        (direct.time_h.low, direct.time_h.high)
    )
    assert any(s.node_name.startswith("Ma") and s.node_id == via.via[0] for s in via.stops)

    direct = cx.route(default_net, "Erzurum", "Uralsk")
    via = cx.route(default_net, "Erzurum", "Uralsk", via=["Beineu"])
    assert consistent_layers(via)
    assert via.time_h.mean >= direct.time_h.mean - 1e-6
    assert via.length_km > 9_000  # not the 2,943 km jump from rail to road at Beineu

    direct = cx.route(default_net, "Lianyungang", "Minsk", optimize="cost")
    via = cx.route(default_net, "Lianyungang", "Minsk", optimize="cost", via=["Gdansk"])
    assert via.cost_usd is not None
    assert direct.cost_usd is not None
    assert via.cost_usd >= direct.cost_usd - 1e-6
    assert any(s.node_id == via.via[0] and s.kind == "port_handling" for s in via.stops)


def test_no_route_names_the_cutting_closures(tiny: cx.Network) -> None:
    with pytest.raises(cx.NoRouteError) as info:
        cx.route(tiny, "Alpha", "Delta", scenario=S(avoid=["KZ"], avoid_passages=["suez", "cape"]))
    message = str(info.value)
    assert "every route crosses KZ or passes the suez passage or passes the cape passage" in message
    assert len(info.value.cutting) == 3


def test_no_route_when_closures_only_cut_together(tiny: cx.Network) -> None:
    # KZ closed leaves sea; closing both sea passages as well is needed.
    with pytest.raises(cx.NoRouteError, match="every route"):
        cx.route(tiny, "Alpha", "Delta", scenario=S(avoid=["KZ"], avoid_modes=["sea"]))


def test_closed_endpoint(tiny: cx.Network) -> None:
    with pytest.raises(cx.NoRouteError, match="itself closed"):
        cx.route(tiny, "Alpha", "Delta", scenario=S(avoid=["DE"]))


def test_same_place(tiny: cx.Network) -> None:
    with pytest.raises(cx.CorridorsError, match="same place"):
        cx.route(tiny, "Alpha", "alfa")


def test_alternatives_are_distinct_and_ordered(tiny: cx.Network) -> None:
    routes = cx.route_alternatives(tiny, "Alpha", "Delta", k=3)
    assert [r.link_ids for r in routes] == [
        ("ab", "bc", "cd"),
        ("ab", "bf", "fe", "ed"),
        ("ap", "pq", "qd"),
    ]
    means = [(r.time_h.low + r.time_h.high) / 2 for r in routes]
    assert means == sorted(means)


def test_alternatives_differ_in_substance(default_net: cx.Network) -> None:
    # regression: --alternatives 20 returned sea routes to neighbouring ports (different
    # link ids, the same water) and a hub call on the direct lane as "different" routes
    from corridors.analyses.routing.overlap import footprint, route_overlap
    from corridors.analyses.routing.search import TWIN_TOLERANCE

    routes = cx.route_alternatives(default_net, "Chongqing", "Duisburg", k=20)
    assert len(routes) >= 8
    shapes = [footprint(r) for r in routes]
    for i, j in combinations(range(len(routes)), 2):
        a, b = routes[i], routes[j]
        assert route_overlap(shapes[i], shapes[j]) <= 0.8, (i, j)
        same = (a.countries, a.passages, a.modes) == (b.countries, b.passages, b.modes)
        near_km = abs(a.length_km - b.length_km) <= TWIN_TOLERANCE * a.length_km
        near_h = abs(a.time_h.mean - b.time_h.mean) <= TWIN_TOLERANCE * a.time_h.mean
        assert not (same and (near_km or near_h)), (i, j)
    sea = [r for r in routes if "sea" in r.modes and set(r.passages) >= {"suez", "dover"}]
    assert len({r.passages for r in sea}) == len(sea)  # one per sea corridor here
    for r in routes:
        places = [leg.from_id for leg in r.legs]
        assert len(set(places)) == len(places)  # no detour through a place twice


def test_alternatives_fewer_when_network_has_fewer(tiny: cx.Network) -> None:
    routes = cx.route_alternatives(tiny, "Alpha", "Delta", k=5, scenario=S(avoid=["KZ"]))
    assert [r.passages for r in routes] == [("suez",), ("cape",)]


def test_totals_equal_the_sum_of_legs_and_stops(tiny: cx.Network) -> None:
    r = cx.route(tiny, "Alpha", "Delta", scenario=S(avoid=["RU"]))
    d = r.as_dict()
    legs = sum(leg["time_h"]["low"] for leg in d["legs"]) + sum(
        s["time_h"]["low"] for s in d["stops"]
    )
    assert d["totals"]["time_h"]["low"] == pytest.approx(legs)
    assert d["totals"]["time_days"]["low"] == pytest.approx(legs / 24, abs=0.05)
    assert d["transfers"][0]["kind"] == "gauge_change"


def test_graph_is_compiled_once_and_reused(tiny: cx.Network) -> None:
    g1 = cx.compile_graph(tiny, "container", "time")
    cx.route(tiny, "Alpha", "Delta")
    assert cx.compile_graph(tiny, "container", "time") is g1
    s = S(avoid=["RU"])
    assert cx.apply_scenario(tiny, s) is cx.apply_scenario(tiny, s)


def test_unknown_commodity(tiny: cx.Network) -> None:
    with pytest.raises(cx.CorridorsError, match="unknown commodity"):
        cx.route(tiny, "Alpha", "Delta", commodity="bananas")


def test_generalized_cost_trades_money_against_time(tiny: cx.Network) -> None:
    # avoiding RU: middle 920 USD, 82 h mean; sea 680 USD, 139 h mean.
    # generalized = cost + v/24 * hours: sea wins at v = 24 USD/day, the middle at v = 240.
    avoid = S(avoid=["RU"])
    cheap_time = cx.route(
        tiny, "Alpha", "Delta", optimize="generalized", scenario=avoid, value_of_time=24
    )
    assert cheap_time.modes == ("rail", "sea", "road")
    dear_time = cx.route(
        tiny, "Alpha", "Delta", optimize="generalized", scenario=avoid, value_of_time=240
    )
    assert "ferry" in dear_time.modes
    with pytest.raises(cx.CorridorsError, match="value of time"):
        cx.route(tiny, "Alpha", "Delta", optimize="generalized")  # tiny data has none


def test_route_results_carry_coordinates_and_geometry(default_net: cx.Network) -> None:
    r = cx.route(default_net, "Shanghai", "Hamburg", optimize="cost")
    sea = [leg for leg in r.legs if leg.mode == "sea"]
    assert sea
    for leg in r.legs:
        line = leg.geometry.coordinates
        assert (line[0], line[-1]) == (leg.from_lonlat, leg.to_lonlat)
    assert all(len(leg.geometry.coordinates) > 2 for leg in sea)  # searoute, not straight
    data = r.as_dict()
    assert data["legs"][0]["from_id"] == "shanghai"
    assert data["legs"][0]["from_name"] == r.origin_name
    assert data["totals"]["length_km"] == pytest.approx(r.length_km, rel=1e-5)
    # a leg travelled against its link's direction is drawn from where it starts
    back = cx.route(default_net, "Hamburg", "Shanghai", optimize="cost")
    leg = next(leg for leg in back.legs if leg.mode == "sea")
    assert leg.geometry.coordinates[0] == leg.from_lonlat
    assert leg.passages[0] in ("dover", "kiel", "gibraltar")


def test_route_set_json_schema_and_features(tiny: cx.Network) -> None:
    rs = cx.analyses.routing.route_set(tiny, "Alpha", "Delta", k=3)
    schema = cx.results.RouteSet.json_schema()
    assert {"origin_id", "origin_name", "routes"} <= set(schema["properties"])
    route_schema = schema["$defs"]["Route"]["properties"]
    assert {"totals", "countries", "passages", "transfers", "legs"} <= set(route_schema)
    leg_schema = schema["$defs"]["Leg"]["properties"]
    assert {"from_id", "from_name", "from_lonlat", "geometry"} <= set(leg_schema)
    data = rs.as_dict()
    assert set(data) == set(schema["properties"])
    assert set(data["routes"][0]) == set(route_schema)
    feats = rs.features()
    legs = [f for f in feats if f["properties"]["feature"] == "leg"]
    assert len(legs) == sum(len(r.legs) for r in rs.routes)
    assert {f["properties"]["route"] for f in feats} == {1, 2, 3}
    assert all(f["geometry"]["type"] == "LineString" for f in legs)
    stops = [f for f in feats if f["properties"]["feature"] == "stop"]
    assert stops
    assert all(f["geometry"]["type"] == "Point" for f in stops)
    with pytest.raises(cx.CorridorsError, match="cannot be combined"):
        cx.analyses.routing.route_set(tiny, "Alpha", "Delta", k=2, via=["Bravo"])


def test_cli_route_geojson_opens_in_geopandas(tmp_path: Path) -> None:
    gpd = pytest.importorskip("geopandas")
    out = tmp_path / "routes.geojson"
    res = run_cli(
        "route", "Shanghai", "Hamburg", "--optimize", "cost", "--json", "--geojson", str(out)
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    sea = [leg for leg in data["routes"][0]["legs"] if leg["mode"] == "sea"]
    assert sea
    assert all(len(leg["geometry"]["coordinates"]) > 2 for leg in sea)
    frame = gpd.read_file(out)
    legs = frame[frame["feature"] == "leg"]
    assert len(legs) == len(data["routes"][0]["legs"])
    assert set(legs.geom_type) == {"LineString"}
    assert [p.name for p in tmp_path.iterdir()] == ["routes.geojson"]  # no temp file left
    bad = run_cli("route", "Shanghai", "Hamburg", "--geojson", str(tmp_path))
    assert bad.returncode == 1
    assert "it is a folder" in bad.stderr


def test_alternatives_json_has_the_same_shape(tiny: cx.Network) -> None:
    one = run_cli("route", "Alpha", "Delta", "--data", str(TINY), "--json")
    many = run_cli("route", "Alpha", "Delta", "--data", str(TINY), "--json", "--alternatives", "3")
    a, b = json.loads(one.stdout), json.loads(many.stdout)
    assert set(a) == set(b)
    assert (len(a["routes"]), len(b["routes"])) == (1, 3)
    assert a["routes"][0] == b["routes"][0]


# ------------------------------------------------------------ section times (issue 11)


def test_eu_rail_sections_run_at_their_published_speed(default_net: cx.Network) -> None:
    r = cx.route(default_net, "Malaszewicze", "Duisburg")
    assert r.countries == ("PL", "DE")
    assert {leg.time_source for leg in r.legs} == {"section:eu_rail_1435"}
    # 350-400 km/day (Forbes 2017): about 3.2-3.6 days for the ~1,270 km, not 1.3-1.9
    assert r.time_h.low / 24 >= 3.0
    assert r.time_h.high / 24 <= 4.0
    for leg in r.legs:
        assert leg.length_km / leg.time_h.high == pytest.approx(14.6, rel=1e-3)


def test_links_crossing_a_non_eu_country_keep_the_mode_speed(default_net: cx.Network) -> None:
    links = default_net.links
    crossing = links[(links["mode"] == "rail") & links["countries"].map(lambda c: "BY" in c)]
    assert not crossing.empty
    assert not crossing["time_source"].str.startswith("section:").any()


def test_sea_links_carry_the_port_calls_of_a_typical_service(default_net: cx.Network) -> None:
    sea = default_net.links[default_net.links["mode"] == "sea"]
    assert sea["time_source"].str.endswith("+sea_liner_calls").all()
    per_1000 = sea["service_h"] / sea["length_km"] * 1000
    assert per_1000.to_numpy() == pytest.approx(9.78)
    opt = {o.key: o for o in named_options(default_net)}["sea_suez"]
    r = cx.route(default_net, "Shanghai", "Hamburg", scenario=opt.scenario)
    # port to port 30-35 days as commonly published (31-35 Shanghai-Hamburg), not 25-32
    assert 30 <= r.time_h.mean / 24 <= 38


def test_malaszewicze_congestion_of_2021_adds_its_published_dwell(default_net: cx.Network) -> None:
    base = cx.route(default_net, "Chongqing", "Duisburg")
    jam = cx.route(
        default_net,
        "Chongqing",
        "Duisburg",
        scenario=cx.load_scenario("malaszewicze-congestion-2021"),
    )
    stop = next(s for s in jam.stops if s.node_id == "malaszewicze")
    assert (stop.time_h.low, stop.time_h.high) == (240.0, 240.0)
    assert jam.time_h.low >= base.time_h.low + (240.0 - 48.0) - 1e-6


def test_red_sea_closure_raises_asia_europe_sea_rates_by_the_published_amount(
    default_net: cx.Network,
) -> None:
    sea = {o.key: o for o in named_options(default_net)}["sea"].scenario
    red_sea = cx.load_scenario("red-sea-closed-2024")
    before = cx.route(default_net, "Shanghai", "Rotterdam", optimize="cost", scenario=sea)
    after = cx.route(
        default_net,
        "Shanghai",
        "Rotterdam",
        optimize="cost",
        scenario=cx.compose([sea, red_sea]),
    )
    assert "cape" in after.passages
    assert before.cost_usd is not None
    assert after.cost_usd is not None
    # Drewry WCI Shanghai-Rotterdam 4,406 USD/FEU (Jan 2024) = 2,203 USD/TEU, within 5%
    assert after.cost_usd == pytest.approx(2203, rel=0.05)
    assert after.cost_usd > 2.5 * before.cost_usd
