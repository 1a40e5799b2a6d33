from __future__ import annotations

from pathlib import Path

import pytest

import corridors as cx


def test_closing_a_country_removes_its_nodes_and_crossing_links(tiny: cx.Network) -> None:
    out = cx.apply_scenario(tiny, cx.Scenario.from_flags(avoid=["RU"]))
    assert "c" not in out.nodes.index
    assert not {"bc", "cd", "ad_new"} & set(out.links.index)
    assert len(tiny.links) == 11  # the input is untouched


def test_passage_mode_link_node_closures(tiny: cx.Network) -> None:
    out = cx.apply_scenario(
        tiny,
        cx.Scenario(
            close={"passages": ("suez",), "modes": ("ferry",), "links": ("qd",), "nodes": ("b",)}
        ),
    )
    assert not {"pq", "fe", "qd", "ab", "bc", "bf"} & set(out.links.index)
    assert "b_gauge" not in set(out.transfers["id"])


def test_overrides_scale_and_set(tiny: cx.Network) -> None:
    s = cx.Scenario(
        override=(
            {"modes": ("rail",), "field": "time", "scale": 2.0},
            {"links": ("pq",), "field": "cost", "set": 1.0},
        )
    )
    out = cx.apply_scenario(tiny, s)
    assert out.links.at["ab", "time_low_h"] == 20.0
    assert out.links.at["pq", "cost_usd"] == 1.0
    r = cx.route(out, "Alpha", "Delta")
    assert r.time_h.low == pytest.approx(10 * 2 * 3 + 8)


def test_added_links_are_validated(tiny: cx.Network) -> None:
    good = {
        "id": "ce",
        "from": "c",
        "to": "e",
        "mode": "road",
        "length_km": 120,
        "countries": "RU;AZ",
        "status": "operating",
        "direction": "both",
        "sources": "hand",
    }
    out = cx.apply_scenario(tiny, cx.Scenario(add_links=(good,)))
    assert "ce" in out.links.index
    with pytest.raises(cx.DataError) as info:
        cx.apply_scenario(tiny, cx.Scenario(add_links=({**good, "length_km": -1},)))
    assert info.value.problems[0].column == "length_km"
    with pytest.raises(cx.ScenarioError, match="unknown field"):
        cx.apply_scenario(tiny, cx.Scenario(add_links=({**good, "colour": "red"},)))


def test_unknown_ids_are_errors(tiny: cx.Network) -> None:
    with pytest.raises(cx.ScenarioError, match="unknown links"):
        cx.apply_scenario(tiny, cx.Scenario(close={"links": ("nope",)}))


def test_compose_order_and_union(tiny: cx.Network) -> None:
    a = cx.Scenario(name="a", override=({"links": ("ab",), "field": "time", "set": 1.0},))
    b = cx.Scenario(name="b", override=({"links": ("ab",), "field": "time", "scale": 3.0},))
    assert cx.apply_scenario(tiny, cx.compose([a, b])).links.at["ab", "time_low_h"] == 3.0
    assert cx.apply_scenario(tiny, cx.compose([b, a])).links.at["ab", "time_low_h"] == 1.0


def test_yaml_errors_name_file_line_field(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("name: s\noverride:\n  - links: [ab]\n    field: speed\n    scale: 2\n")
    with pytest.raises(cx.ScenarioError) as info:
        cx.load_scenario(p)
    msg = str(info.value)
    assert str(p) in msg
    assert "override.0.field" in msg
    assert "line 4" in msg
    p.write_text("- just\n- a list\n")
    with pytest.raises(cx.ScenarioError, match="mapping"):
        cx.load_scenario(p)
    with pytest.raises(cx.ScenarioError, match="cannot read"):
        cx.load_scenario(tmp_path / "missing.yaml")


def test_scale_and_set_are_exclusive() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        cx.Scenario(override=({"field": "time", "scale": 2.0, "set": 1.0},))


def test_shipped_scenarios_load_and_apply(default_net: cx.Network) -> None:
    from corridors.model.scenario import shipped_scenarios

    names = set(shipped_scenarios())
    assert {
        "cpc-suspension-2022",
        "russia-closed",
        "eu-sanctions-ru-by",
        "red-sea-closed-2024",
    } <= names
    for name in names:
        s = cx.load_scenario(name)
        assert s.description
        cx.apply_scenario(default_net, s)


def test_cpc_suspension_lowers_kazakh_crude_exports(default_net: cx.Network) -> None:
    from corridors.analyses.flows.solve import max_flow

    base = max_flow(default_net, "crude", ["KZ"])
    cut = max_flow(default_net, "crude", ["KZ"], scenario=cx.load_scenario("cpc-suspension-2022"))
    assert cut.delivered_total < base.delivered_total


def test_transfer_and_node_overrides(tiny: cx.Network) -> None:
    # north route 38-44 h = ab 10 + dwell at b 2-4 + gauge change 6-10 + bc 10 + cd 10
    faster_gauge = cx.Scenario(
        override=({"target": "transfers", "transfers": ("b_gauge",), "field": "time", "set": 1.0},)
    )
    r = cx.route(tiny, "Alpha", "Delta", scenario=faster_gauge)
    assert (r.time_h.low, r.time_h.high) == pytest.approx((33.0, 35.0), abs=1e-6)
    no_dwell = cx.Scenario(
        override=({"target": "nodes", "nodes": ("b",), "field": "dwell", "set": 0.0},)
    )
    r = cx.route(tiny, "Alpha", "Delta", scenario=no_dwell)
    assert (r.time_h.low, r.time_h.high) == pytest.approx((36.0, 40.0), abs=1e-6)
    cheaper = cx.Scenario(
        override=({"target": "transfers", "nodes": ("b",), "field": "cost", "scale": 0.5},)
    )
    out = cx.apply_scenario(tiny, cheaper)
    assert out.transfers.set_index("id").at["b_gauge", "cost_usd"] == 50.0
    assert tiny.transfers.set_index("id").at["b_gauge", "cost_usd"] == 100.0


def test_override_field_and_selector_must_fit_the_target(tiny: cx.Network) -> None:
    with pytest.raises(ValueError, match="does not apply to nodes"):
        cx.Scenario(override=({"target": "nodes", "field": "headway", "set": 1.0},))
    with pytest.raises(ValueError, match="selector"):
        cx.Scenario(
            override=({"target": "transfers", "modes": ("rail",), "field": "time", "set": 1.0},)
        )
    with pytest.raises(cx.ScenarioError, match="unknown transfers"):
        cx.apply_scenario(
            tiny,
            cx.Scenario(
                override=(
                    {"target": "transfers", "transfers": ("nope",), "field": "time", "set": 1.0},
                )
            ),
        )


# --- issue 14: scenario files bounded and typed at the door ---


def _laughs(levels: int) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for name in "bcdefghij"[: levels - 1]:
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    return text


@pytest.mark.parametrize("levels", [5, 9])
def test_billion_laughs_fails_fast_with_a_short_message(tmp_path: Path, levels: int) -> None:
    import time

    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(levels))
    start = time.perf_counter()
    with pytest.raises(cx.ScenarioError, match="aliases expand to more than") as info:
        cx.load_scenario(path)
    assert time.perf_counter() - start < 5
    assert len(str(info.value)) < 300


@pytest.mark.parametrize("kind", ["fifo", "dir", "dev_zero"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    import os

    path = tmp_path / "s.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    else:
        path = Path("/dev/zero")
    with pytest.raises(cx.ScenarioError, match="not a regular file"):
        cx.load_scenario(path)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("name: Bük\n".encode("latin-1"), "byte 0xfc on line 1"),
        ("name: x\n".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02\x03", "binary"),
        (b"name: " + b"x" * 300_000, "larger than"),
    ],
)
def test_encoding_and_size_are_checked(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(data)
    with pytest.raises(cx.ScenarioError, match=words):
        cx.load_scenario(path)


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbfclose:\n  passages: [suez]\n")
    assert cx.load_scenario(path).close.passages == ("suez",)


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("close: " + "[" * 10_000 + "]" * 10_000 + "\n")
    with pytest.raises(cx.ScenarioError, match="nested deeper than"):
        cx.load_scenario(path)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("close:\n  passages: [suez]\nclose:\n  countries: [RU]\n")
    with pytest.raises(
        cx.ScenarioError, match=r"dup.yaml:3: key 'close' given twice \(lines 1 and 3\)"
    ):
        cx.load_scenario(path)


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ("scale: .inf", "finite number"),
        ("scale: .nan", "finite number"),
        ("scale: true", "valid number"),
        ("set: .inf", "finite number"),
        ("scale: 1.0e+300", "less than or equal"),
    ],
)
def test_override_numbers_are_strict_and_finite(tmp_path: Path, override: str, words: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"override:\n  - field: time\n    {override}\n")
    with pytest.raises(cx.ScenarioError, match=words) as info:
        cx.load_scenario(path)
    assert "line 3" in str(info.value)


def test_add_links_with_an_infinite_length_is_refused(tiny: cx.Network, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "add_links:\n  - {id: ce, from: c, to: e, mode: road, length_km: .inf,\n"
        "     countries: RU;AZ, status: operating, direction: both, sources: hand}\n"
    )
    with pytest.raises(cx.DataError) as info:
        cx.apply_scenario(tiny, cx.load_scenario(path))
    [p] = info.value.problems
    assert (p.column, p.value) == ("length_km", "inf")
    assert "finite" in p.message


def test_unknown_passage_is_named_with_suggestions(tiny: cx.Network) -> None:
    with pytest.raises(cx.ScenarioError, match=r"unknown passages: suezz \(did you mean suez\?\)"):
        cx.apply_scenario(tiny, cx.Scenario.from_flags(avoid_passages=["suezz"]))
