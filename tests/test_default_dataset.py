"""Stored expected answers on the default (Eurasia) dataset: the issue's acceptance checks."""

from __future__ import annotations

import itertools

import pytest

import corridors as cx
from corridors.analyses.calibration.checks import calibrate
from corridors.io.tables import default_data_dir, read_calibration

S = cx.Scenario.from_flags

CHINA = [
    "Chongqing",
    "Chengdu",
    "Xi'an",
    "Zhengzhou",
    "Wuhan",
    "Yiwu",
    "Urumqi",
    "Harbin",
    "Changsha",
    "Hefei",
    "Suzhou",
    "Shanghai",
    "Ningbo",
    "Shenzhen",
    "Qingdao",
    "Tianjin",
    "Lianyungang",
]
EUROPE = [
    "Duisburg",
    "Hamburg",
    "Łódź",
    "Małaszewicze",
    "Warsaw",
    "Lyon",
    "Madrid",
    "London",
    "Milan",
    "Budapest",
    "Vienna",
    "Istanbul",
    "Rotterdam",
    "Antwerp",
    "Gdańsk",
    "Piraeus",
    "Constanța",
    "Genoa",
]
OTHER = [
    "Dostyk",
    "Druzhba",
    "Alashankou",
    "Khorgos",
    "Altynkol",
    "Erenhot",
    "Zamyn-Uud",
    "Manzhouli",
    "Zabaikalsk",
    "Brest",
    "Aktau",
    "Kuryk",
    "Baku",
    "Turkmenbashi",
    "Poti",
    "Batumi",
    "Akhalkalaki",
    "Kars",
    "Xian",
    "Malaszewicze",
    "Lodz",
    "Kaliningrad",
]


def test_default_dataset_validates_with_every_number_sourced(default_net: cx.Network) -> None:
    assert len(default_net.links) > 300
    assert default_net.links["sources"].map(len).gt(0).mean() > 0.5


@pytest.mark.parametrize("name", CHINA + EUROPE + OTHER)
def test_every_listed_place_resolves(default_net: cx.Network, name: str) -> None:
    assert cx.resolve(default_net, name)


def test_chongqing_duisburg_northern_rail(default_net: cx.Network) -> None:
    r = cx.route(default_net, "Chongqing", "Duisburg")
    assert [c for c in r.countries if c in ("KZ", "RU", "BY", "PL", "DE")] == [
        "KZ",
        "RU",
        "BY",
        "PL",
        "DE",
    ]
    assert r.countries[0] == "CN"
    assert r.countries[-1] == "DE"
    gauge = [t for t in r.transfers if t.kind == "gauge_change"]
    assert len(gauge) == 2
    assert {gauge[0].from_layer, gauge[0].to_layer} == {"rail_1435", "rail_1520"}
    # published: 11,179 km, 13-16 days (calibration.csv)
    assert 10_000 < r.length_km < 12_300
    assert r.time_h.low / 24 <= 16 <= r.time_h.high / 24


def test_avoiding_russia_and_belarus_gives_the_middle_corridor(default_net: cx.Network) -> None:
    southern = cx.route(default_net, "Chongqing", "Duisburg", scenario=S(avoid=["RU", "BY"]))
    assert not {"RU", "BY"} & set(southern.countries)
    assert {"KZ", "TR"} <= set(southern.countries)
    # With published track lengths the Trans-Caspian route and the overland one via
    # Turkmenistan and Iran are a near tie in time (within 1%): avoiding Iran as well
    # gives the Trans-Caspian Middle Corridor.
    r = cx.route(default_net, "Chongqing", "Duisburg", scenario=S(avoid=["RU", "BY", "IR"]))
    assert {"KZ", "AZ", "GE", "TR"} <= set(r.countries)
    mid, mid_southern = r.time_h.low + r.time_h.high, southern.time_h.low + southern.time_h.high
    assert abs(mid - mid_southern) / mid < 0.01
    ferries = [leg for leg in r.legs if leg.mode == "ferry"]
    assert ferries
    assert {ferries[0].countries[0], ferries[0].countries[-1]} == {"KZ", "AZ"}


def test_suez_closed_goes_round_the_cape(default_net: cx.Network) -> None:
    # By time, rail from Shanghai beats any sea route; by cost, or by sea alone, Suez
    # closed means the Cape.
    for kwargs in (
        {"optimize": "cost"},
        {"scenario": S(avoid_passages=["suez"], avoid_modes=["rail", "road"])},
    ):
        scen = kwargs.pop("scenario", S(avoid_passages=["suez"]))
        r = cx.route(default_net, "Shanghai", "Hamburg", scenario=scen, **kwargs)
        assert "cape" in r.passages
        assert "suez" not in r.passages
    fastest = cx.route(default_net, "Shanghai", "Hamburg", scenario=S(avoid_passages=["suez"]))
    assert fastest.modes == ("rail",)


def test_alternatives_give_distinct_corridors(default_net: cx.Network) -> None:
    routes = cx.route_alternatives(default_net, "Chongqing", "Duisburg", k=3)
    assert len(routes) == 3
    assert len({r.link_ids for r in routes}) == 3
    # genuinely different corridors first: no two routes share countries, passages and modes
    assert len({(r.countries, r.passages, r.modes) for r in routes}) == 3


CHINA_ENDS = CHINA
EUROPE_ENDS = EUROPE  # spelled with diacritics: they resolve like the ASCII forms


@pytest.mark.parametrize("avoid", [[], ["RU", "BY"]])
def test_every_china_europe_pair_has_a_route(default_net: cx.Network, avoid: list[str]) -> None:
    missing = []
    for a, b in itertools.product(CHINA_ENDS, EUROPE_ENDS):
        try:
            cx.route(default_net, a, b, scenario=S(avoid=avoid))
        except cx.NoRouteError as exc:
            missing.append(f"{a}-{b}: {exc}")
    assert not missing


def test_calibration_covers_fifteen_figures_and_most_match() -> None:
    published = read_calibration(default_data_dir())
    assert len(published) >= 15
    calibration = calibrate(cx.load(), published)
    result = calibration.frame()
    assert (result["error"] == "").all()
    # Strict rule (issue 11): a time's model midpoint within 20% of the published one,
    # fitted rows not counted; the target is 85% (71 of 82 pass at this writing):
    # the misses are listed with their reasons in docs/calibration.md.
    assert calibration.share_within >= 0.85
    off = result[~result["within"]]
    # every figure the model misses carries a one-line explanation
    assert (off["explanation"].str.len() > 20).all(), list(off["id"][off["explanation"] == ""])


def test_most_rail_and_road_lengths_are_published(default_net: cx.Network) -> None:
    from corridors.model.coverage import estimated_length_share

    cov = estimated_length_share(default_net.links)
    assert cov.land > cov.rail_road > 150
    # 158 of 187 rail and road lengths were great-circle estimates before published line
    # lengths were read in (issue 11: below 20% of land links); keep them from creeping back.
    assert cov.share < 0.2
    assert cov.rail_road_share < 0.2


def test_connectors_are_only_links_with_no_physical_line(default_net: cx.Network) -> None:
    """A link counted as a connector touches a market sink or an aggregate supply, or is
    a move of a few km inside a port area: it cannot hide an estimated physical line."""
    from corridors.model.coverage import LAND_MODES, is_connector

    nodes = default_net.nodes.set_index("id")
    links = default_net.links
    connectors = links[links["mode"].isin(LAND_MODES) & links["estimate"].map(is_connector)]
    assert len(connectors) >= 10
    for _, link in connectors.iterrows():
        ends = nodes.loc[[link["from"], link["to"]]]
        sink = (ends["kind"] == "market").any()
        aggregate = ends["name"].str.contains("aggregate", case=False).any()
        assert sink or aggregate or float(link["length_km"]) < 10, link["id"]
