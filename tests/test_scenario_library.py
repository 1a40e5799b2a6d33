"""Scenario library: schema export and docs in sync, metadata, error classes, composition."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import corridors as cx
from conftest import run_cli as cli
from corridors.model.scenario import Scenario, shipped_scenarios
from corridors.model.scenario_schema import (
    EXAMPLE_YAML,
    REQUIRED_METADATA,
    metadata_problems,
    scenario_docs_markdown,
    scenario_json_schema,
)

DOCS = Path(__file__).parents[1] / "docs" / "scenarios.md"


# ------------------------------------------------------------------- schema and docs


def test_docs_scenarios_md_is_generated_from_the_model() -> None:
    assert DOCS.read_text(encoding="utf-8") == scenario_docs_markdown(), (
        "docs/scenarios.md is out of date: run "
        "`corridors scenarios schema --markdown > docs/scenarios.md`"
    )


def test_json_schema_matches_the_model() -> None:
    schema = scenario_json_schema()
    assert set(schema["properties"]) == set(Scenario.model_fields)
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Override"]["required"] == ["field"]
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name


def test_schema_command_prints_json_and_markdown() -> None:
    res = cli("scenarios", "schema")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == json.loads(json.dumps(scenario_json_schema()))
    res = cli("scenarios", "schema", "--markdown")
    assert res.returncode == 0, res.stderr
    assert res.stdout == scenario_docs_markdown()


def test_the_documented_example_loads_and_applies(tmp_path: Path, default_net: cx.Network) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(EXAMPLE_YAML, encoding="utf-8")
    s = cx.load_scenario(path)
    assert metadata_problems(s) == []
    out = cx.apply_scenario(default_net, s)
    base = default_net.links.at["mid_ferry_aktau_baku_alat", "capacity"]
    assert out.links.at["mid_ferry_aktau_baku_alat", "capacity"] == pytest.approx(2 * base)


# -------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_every_shipped_scenario_has_its_metadata(name: str, default_net: cx.Network) -> None:
    s = cx.load_scenario(name)
    assert s.name == name
    assert metadata_problems(s) == [], name
    cx.apply_scenario(default_net, s)  # every id it names exists


def test_metadata_problems_name_each_gap() -> None:
    assert REQUIRED_METADATA == ("title", "date", "description", "sources")
    problems = metadata_problems(Scenario(name="x"))
    assert [p.split(":")[0] for p in problems] == ["title", "date", "description", "sources"]
    s = Scenario(name="x", title="t", date="2024-13-01", description="a\n\nb", sources=("s",))
    assert metadata_problems(s) == [
        "date: not YYYY, YYYY-MM or YYYY-MM-DD: 2024-13-01",
        "description: more than one paragraph",
    ]
    short = s.model_copy(update={"date": "2024", "description": "too short"})
    assert metadata_problems(short) == ["description: shorter than 100 characters (9)"]


def test_middle_corridor_upgrade_changes_the_caspian_feeder(default_net: cx.Network) -> None:
    s = cx.load_scenario("middle-corridor-upgrade")
    assert len(s.sources) >= 3
    out = cx.apply_scenario(default_net, s)
    link = out.links.loc["mid_ferry_aktau_baku_alat"]
    assert link["capacity"] == 215000
    assert link["headway_h"] == 12
    assert default_net.links.at["mid_ferry_aktau_baku_alat", "headway_h"] == 24  # untouched


# ---------------------------------------------------------------------- error classes


def load_text(tmp_path: Path, text: str) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cx.ScenarioError) as info:
        cx.load_scenario(path)
    msg = str(info.value)
    assert str(path) in msg
    return msg


def test_unknown_field_names_field_and_line(tmp_path: Path) -> None:
    msg = load_text(tmp_path, "name: s\nclose:\n  countries: [RU]\n  rivers: [volga]\n")
    assert "close.rivers" in msg
    assert "line 4" in msg
    assert "Extra inputs are not permitted" in msg
    msg = load_text(tmp_path, "name: s\ncolour: red\n")
    assert "colour" in msg
    assert "line 2" in msg


def test_bad_type_names_field_value_and_line(tmp_path: Path) -> None:
    text = "name: s\noverride:\n  - links: [ab]\n    field: time\n    scale: fast\n"
    msg = load_text(tmp_path, text)
    assert "override.0.scale = 'fast'" in msg
    assert "line 5" in msg
    msg = load_text(tmp_path, "name: s\noverride:\n  - field: time\n    scale: -2\n")
    assert "greater than 0" in msg


def test_bad_country_codes(tmp_path: Path) -> None:
    msg = load_text(tmp_path, "name: s\nclose:\n  countries: [RU, XX]\n")
    assert "not ISO 3166-1 alpha-2 country codes: XX" in msg
    assert "line 3" in msg
    msg = load_text(
        tmp_path, "name: s\noverride:\n  - countries: [ZZ]\n    field: time\n    scale: 2\n"
    )
    assert "ZZ" in msg
    with pytest.raises(cx.ScenarioError, match="QQ"):
        Scenario.from_flags(avoid=["QQ"])


def test_scale_and_set_together_or_neither(tmp_path: Path) -> None:
    text = "name: s\noverride:\n  - links: [ab]\n    field: time\n    scale: 2\n    set: 1\n"
    msg = load_text(tmp_path, text)
    assert "exactly one of 'scale' and 'set'" in msg
    assert "line 3" in msg
    msg = load_text(tmp_path, "name: s\noverride:\n  - links: [ab]\n    field: time\n")
    assert "exactly one" in msg


@pytest.mark.parametrize(
    ("scenario", "kind"),
    [
        (Scenario(close={"links": ("nope",)}), "links"),
        (Scenario(open_links=("nope",)), "links"),
        (Scenario(override=({"links": ("nope",), "field": "time", "scale": 2.0},)), "links"),
        (Scenario(close={"nodes": ("nope",)}), "nodes"),
        (Scenario(close={"passages": ("nope",)}), "passages"),
    ],
)
def test_unknown_ids_fail_on_apply(tiny: cx.Network, scenario: Scenario, kind: str) -> None:
    with pytest.raises(cx.ScenarioError, match=f"unknown {kind}: nope"):
        cx.apply_scenario(tiny, scenario)


def test_errors_reach_the_cli_as_messages(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nclose:\n  countries: [XX]\n", encoding="utf-8")
    res = cli(
        "route",
        "Alpha",
        "Delta",
        "--data",
        str(Path(__file__).parent / "data" / "tiny"),
        "--scenario",
        str(path),
    )
    assert res.returncode == 1
    assert "XX" in res.stderr
    assert "Traceback" not in res.stderr


# ------------------------------------------------------------------------ composition


def test_composition_order_of_files(tmp_path: Path, tiny: cx.Network) -> None:
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(
        yaml.safe_dump(
            {
                "name": "a",
                "sources": ["A"],
                "close": {"countries": ["RU"]},
                "override": [{"links": ["fe"], "field": "time", "set": 1.0}],
            }
        ),
        encoding="utf-8",
    )
    b.write_text(
        yaml.safe_dump(
            {
                "name": "b",
                "sources": ["B"],
                "close": {"countries": ["RU", "BY"], "passages": ["suez"]},
                "override": [{"links": ["fe"], "field": "time", "scale": 4.0}],
            }
        ),
        encoding="utf-8",
    )
    ab = cx.compose([cx.load_scenario(a), cx.load_scenario(b)])
    ba = cx.compose([cx.load_scenario(b), cx.load_scenario(a)])
    assert ab.name == "a + b"
    assert ab.sources == ("A", "B")
    assert ab.close.countries == ("RU", "BY")  # united, first-seen order
    assert ab.close.passages == ("suez",)
    assert cx.apply_scenario(tiny, ab).links.at["fe", "time_low_h"] == 4.0  # set, then scale
    assert cx.apply_scenario(tiny, ba).links.at["fe", "time_low_h"] == 1.0  # scale, then set
    assert cx.compose([]).is_empty()
    assert cx.compose([ab]) is ab
