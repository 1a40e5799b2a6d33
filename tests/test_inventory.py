"""The corridor inventory: a country's border-crossing links by mode, beside published counts."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import corridors as cx
from conftest import run_cli
from corridors.errors import CorridorsError, DataError
from corridors.model.network import from_frames

# ----------------------------------------------------------------------------- hand-built


def _hand_built() -> cx.Network:
    """Known crossings of KZ: rail CN-KZ, road KZ-RU (planned), a gas pipeline RU-KZ-RU
    with no node in KZ, a domestic rail link, an air link from a KZ airport, and an air
    link CN-DE that lists KZ and RU as overflown."""
    nodes = pd.DataFrame(
        {
            "id": ["cn_a", "kz_b", "kz_c", "ru_d", "ru_e", "kz_air", "cn_air", "de_air"],
            "name": ["A", "B", "C", "D", "E", "KZ airport", "CN airport", "DE airport"],
            "kind": ["city", "border", "city", "city", "city", "hub", "hub", "hub"],
            "country": ["CN", "KZ", "KZ", "RU", "RU", "KZ", "CN", "DE"],
            "lat": [44.0, 45.0, 46.0, 52.0, 53.0, 51.0, 40.0, 50.0],
            "lon": [80.0, 82.0, 84.0, 60.0, 62.0, 71.0, 116.0, 8.0],
            "sources": ["s"] * 8,
        }
    )
    link_rows = [
        # id, from, to, mode, gauge, km, countries, status, capacity, unit
        ("cn_kz_rail", "cn_a", "kz_b", "rail", "1435", 300, "CN;KZ", "operating", 14, "trains/day"),
        ("kz_dom_rail", "kz_b", "kz_c", "rail", "1520", 300, "KZ", "operating", None, ""),
        ("kz_ru_road", "kz_c", "ru_d", "road", "", 3000, "KZ;RU", "planned", None, ""),
        ("ru_kz_ru_gas", "ru_d", "ru_e", "gas_pipeline", "", 400, "RU;KZ;RU", "operating", 25, "bcm/yr"),
        ("kz_de_air", "kz_air", "de_air", "air", "", 5000, "KZ;DE", "operating", None, ""),
        ("cn_de_air", "cn_air", "de_air", "air", "", 8000, "CN;KZ;RU;DE", "operating", None, ""),
    ]  # fmt: skip
    links = pd.DataFrame(
        {
            "id": [r[0] for r in link_rows],
            "name": [r[0].replace("_", " ") for r in link_rows],
            "from": [r[1] for r in link_rows],
            "to": [r[2] for r in link_rows],
            "mode": [r[3] for r in link_rows],
            "gauge_mm": [r[4] for r in link_rows],
            "length_km": [float(r[5]) for r in link_rows],
            "time_low_h": [r[5] / 40 for r in link_rows],
            "time_high_h": [r[5] / 30 for r in link_rows],
            "countries": [r[6] for r in link_rows],
            "status": [r[7] for r in link_rows],
            "capacity": [r[8] for r in link_rows],
            "capacity_unit": [r[9] for r in link_rows],
            "direction": ["both"] * len(link_rows),
            "sources": ["s"] * len(link_rows),
        }
    )
    published = pd.DataFrame(
        {
            "id": ["kz_air_x", "kz_rail_x", "cn_rail_x"],
            "country": ["KZ", "KZ", "CN"],
            "item": ["air_corridors", "railways", "railways"],
            "count": [7, 2, 9],
            "qualifier": ["at_least", "", ""],
            "year": [2022, 2020, 2020],
            "sources": ["s", "s", "s"],
        }
    )
    frames = {
        "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["P"], "year": [2024]}),
        "commodities": pd.DataFrame(
            {"id": ["container"], "name": ["C"], "unit": ["TEU"], "modes": ["rail;road;air"]}
        ),
        "nodes": nodes,
        "links": links,
        "published_counts": published,
    }
    return from_frames(frames, label="hand-built")


def test_hand_built_crossings_by_mode_with_roles_and_neighbours() -> None:
    inv = cx.inventory(_hand_built(), "kz")
    assert inv.country == "KZ"
    ids = [x.link_id for x in inv.links]
    assert ids == ["cn_kz_rail", "kz_ru_road", "ru_kz_ru_gas", "cn_de_air", "kz_de_air"]
    link = {x.link_id: x for x in inv.links}
    assert link["cn_kz_rail"].neighbours == ("CN",)
    assert (link["cn_kz_rail"].capacity, link["cn_kz_rail"].capacity_unit) == (14, "trains/day")
    assert (link["ru_kz_ru_gas"].role, link["ru_kz_ru_gas"].neighbours) == ("transit", ("RU",))
    assert (link["cn_de_air"].role, link["cn_de_air"].neighbours) == ("overflight", ("CN", "RU"))
    assert link["kz_de_air"].role == "end"
    assert link["kz_ru_road"].status == "planned"
    modes = {m.mode: m for m in inv.modes}
    assert list(modes) == ["rail", "road", "gas_pipeline", "air"]
    assert (modes["rail"].crossings, modes["rail"].domestic) == (1, 1)
    assert (modes["road"].crossings, modes["road"].operating) == (1, 0)
    assert modes["road"].by_status == {"planned": 1}
    assert (modes["air"].crossings, modes["air"].overflights) == (2, 1)
    assert modes["air"].neighbours == ("CN", "DE", "RU")
    assert inv.overflight_recorded
    assert not any("overflight" in n for n in inv.not_modelled)


def test_hand_built_published_counts_beside_the_model() -> None:
    inv = cx.inventory(_hand_built(), "KZ")
    assert [p.id for p in inv.published] == ["kz_rail_x", "kz_air_x"]  # railways before air
    rail, air = inv.published
    assert (rail.count, rail.modes, rail.modelled) == (2, ("rail",), 1)
    assert (air.count, air.qualifier, air.modelled, air.modelled_operating) == (7, "at_least", 2, 2)
    assert "overflying KZ" in air.modelled_what
    assert air.source_labels == ("P (2024)",)
    assert cx.inventory(_hand_built(), "CN").published[0].id == "cn_rail_x"


def test_tiny_network_transit_link_and_no_published_counts(tiny: cx.Network) -> None:
    inv = cx.inventory(tiny, "KZ")
    link = {x.link_id: x for x in inv.links}
    assert set(link) == {"ab", "bc", "fe", "ad_new"}
    assert (link["ad_new"].role, link["ad_new"].neighbours) == ("transit", ("CN", "RU"))
    modes = {m.mode: m for m in inv.modes}
    assert (modes["rail"].crossings, modes["rail"].operating, modes["rail"].domestic) == (3, 2, 1)
    assert modes["sea"].crossings == 0
    assert inv.published == ()
    assert "air: the network has no air links" in inv.not_modelled


@pytest.mark.parametrize(
    ("code", "words"),
    [("XX", "unknown country 'XX'"), ("JP", "no node or link of the network lies in JP"),
     ("kaz", "unknown country 'kaz'")],
)  # fmt: skip
def test_bad_country_is_a_clear_error(tiny: cx.Network, code: str, words: str) -> None:
    with pytest.raises(CorridorsError, match=words) as exc:
        cx.inventory(tiny, code)
    assert "\n" not in str(exc.value)


# ----------------------------------------------------------------------------- the table


def test_published_counts_are_a_validated_table(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    (folder / "published_counts.csv").write_text(
        "id,country,item,count,qualifier,year,sources,note\n"
        "ok,KZ,railways,5,,2025,hand,\n"
        "ok,KZ,air_lanes,72,,2022,hand,\n"
        "c,KZ,roads,6.5,nearly,2022,nowhere,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as exc:
        cx.load(folder)
    found = {(p.file, p.row, p.column) for p in exc.value.problems}
    assert {
        ("published_counts.csv", 3, "id"),
        ("published_counts.csv", 3, "item"),
        ("published_counts.csv", 4, "count"),
        ("published_counts.csv", 4, "qualifier"),
        ("published_counts.csv", 4, "sources"),
    } <= found


def test_every_published_count_cites_a_known_source(default_net: cx.Network) -> None:
    pub = default_net.published_counts
    assert len(pub) > 0
    assert all(len(s) > 0 and set(s) <= set(default_net.sources.index) for s in pub["sources"])


# ----------------------------------------------------------------------------- default data


def test_default_dataset_kz_shows_the_seed_72_beside_the_modelled_air_links(
    default_net: cx.Network,
) -> None:
    inv = cx.inventory(default_net, "KZ")
    links = default_net.links
    airports = set(default_net.nodes.index[default_net.nodes["country"] == "KZ"])
    air = links[
        (links["mode"] == "air") & (links["from"].isin(airports) | links["to"].isin(airports))
    ]
    modes = {m.mode: m for m in inv.modes}
    assert modes["air"].crossings == len(air) > 0
    assert modes["air"].overflights == 0
    assert not inv.overflight_recorded
    seed = next(p for p in inv.published if p.id == "kz_seed_2022_air")
    assert (seed.item, seed.count, seed.year) == ("air_corridors", 72, 2022)
    assert seed.sources == ("north_seed_francis_2022",)
    assert seed.modelled == len(air)
    assert "airport pairs" in seed.modelled_what
    tokayev = next(p for p in inv.published if p.id == "kz_tokayev_2025_total")
    assert (tokayev.count, tokayev.sources) == (11, ("north_menafn_2025",))
    assert tokayev.modelled == modes["rail"].crossings + modes["road"].crossings
    assert any("overflight" in n and "not modelled" in n for n in inv.not_modelled)
    rail = {x.link_id: x for x in inv.links if x.mode == "rail"}
    assert rail["alashankou_dostyk_rail"].neighbours == ("CN",)
    assert {"CN", "RU"} <= set(modes["rail"].neighbours)
    assert {"oil_pipeline", "gas_pipeline", "ferry"} <= {m.mode for m in inv.modes if m.crossings}


def test_default_dataset_json_shape(default_net: cx.Network) -> None:
    data = cx.inventory(default_net, "KZ").as_dict()
    assert set(data) == {
        "country", "country_name", "links", "modes", "published", "overflight_recorded",
        "not_modelled",
    }  # fmt: skip
    assert set(data["links"][0]) >= {"link_id", "name", "mode", "neighbours", "capacity", "status"}
    assert set(data["modes"][0]) >= {"mode", "crossings", "operating", "by_status", "neighbours"}
    assert set(data["published"][0]) >= {"item", "count", "year", "sources", "modelled"}
    json.dumps(data)
    assert "properties" in cx.Inventory.json_schema()


def test_frame_holds_links_and_published_rows(default_net: cx.Network) -> None:
    inv = cx.inventory(default_net, "KZ")
    frame = inv.to_frame()
    assert (frame["section"] == "link").sum() == len(inv.links)
    assert (frame["section"] == "published").sum() == len(inv.published)
    seed = frame[frame["id"] == "kz_seed_2022_air"].iloc[0]
    assert (seed["count"], seed["name"], seed["mode"]) == (72, "air_corridors", "air")


# ----------------------------------------------------------------------------- command line


def test_cli_inventory_end_to_end() -> None:
    table = run_cli("data", "inventory", "--country", "KZ")
    assert table.returncode == 0, table.stderr
    text = table.stdout
    assert "Kazakhstan (KZ)" in text
    assert "at least 72" in text
    assert "air corridors" in text
    assert "air links touching KZ airports" in text
    assert "Not modelled" in text
    assert "overflight" in text
    assert "alashankou_dostyk_rail" in text
    as_json = run_cli("data", "inventory", "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["country"] == "KZ"
    assert any(p["id"] == "kz_seed_2022_air" and p["count"] == 72 for p in data["published"])
    as_csv = run_cli("data", "inventory", "--country", "kz", "--csv")
    assert as_csv.returncode == 0, as_csv.stderr
    frame = pd.read_csv(io.StringIO(as_csv.stdout))
    assert set(frame["section"]) == {"link", "published"}
    assert len(frame[frame["section"] == "link"]) == len(data["links"])


@pytest.mark.parametrize(
    ("args", "words"),
    [(("--country", "XX"), "unknown country 'XX'"),
     (("--country", "JP"), "no node or link of the network lies in JP"),
     (("--json", "--csv"), "give at most one of --json and --csv")],
)  # fmt: skip
def test_cli_bad_input_is_one_line_without_traceback(args: tuple[str, ...], words: str) -> None:
    r = run_cli("data", "inventory", *args)
    assert r.returncode == 1
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    assert words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
