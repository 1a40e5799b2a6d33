"""Kazakhstan's international road corridors (docs/kazakhstan-corridors.md) are in the network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import corridors as cx

DOC = Path(__file__).resolve().parents[1] / "docs" / "kazakhstan-corridors.md"

#: Road corridors documented in docs/kazakhstan-corridors.md: id -> (end, end).
ROAD_CORRIDORS = {
    "R1": ("khorgos", "orenburg"),
    "R2": ("almaty", "omsk"),
    "R3": ("almaty", "novosibirsk"),
    "R4": ("omsk", "urumqi"),
    "R5": ("astana", "chelyabinsk"),
    "R6": ("aktobe", "astrakhan"),
    "R7": ("atyrau", "samara"),
    "R8": ("astrakhan", "turkmenbashi"),
}
FEEDERS = {"F1": ("shymkent", "tashkent"), "F2": ("almaty", "bishkek")}

ROAD_ONLY = cx.Scenario.from_flags(avoid_modes=["rail", "sea", "ferry"])
ROW = re.compile(r"^\| (R\d+) \|.*?\| `(\w+)` – `(\w+)` \|", re.MULTILINE)


def _doc_rows() -> dict[str, tuple[str, str]]:
    return {m[1]: (m[2], m[3]) for m in ROW.finditer(DOC.read_text(encoding="utf-8"))}


def test_doc_table_matches_the_corridor_list() -> None:
    assert _doc_rows() == ROAD_CORRIDORS


@pytest.mark.parametrize("cid", sorted({**ROAD_CORRIDORS, **FEEDERS}))
def test_corridor_has_a_road_only_route(default_net: cx.Network, cid: str) -> None:
    a, b = {**ROAD_CORRIDORS, **FEEDERS}[cid]
    r = cx.route(default_net, a, b, scenario=ROAD_ONLY)
    assert r.legs
    assert {leg.mode for leg in r.legs} == {"road"}
    assert "KZ" in r.countries


def test_count_of_road_corridors_in_network_equals_documented(default_net: cx.Network) -> None:
    in_network = 0
    for a, b in ROAD_CORRIDORS.values():
        try:
            r = cx.route(default_net, a, b, scenario=ROAD_ONLY)
        except cx.NoRouteError:
            continue
        if r.legs and all(leg.mode == "road" for leg in r.legs):
            in_network += 1
    assert in_network == len(_doc_rows()) == 8
