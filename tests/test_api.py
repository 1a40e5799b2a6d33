"""The Python API: the package's functions, and the README's Python API section as written."""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import corridors as cx
from corridors import api
from corridors.analyses.routing.search import route as route_analysis
from corridors.io.tables import default_data_dir, read_calibration

README = Path(__file__).parents[1] / "README.md"
CALLS = ("load", "route", "route_alternatives", "flow", "assign", "compare", "calibrate")


def readme_python_api_blocks() -> list[str]:
    """The ``python`` code blocks of the README's "Python API" section."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Python API\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert match, "the README has no '## Python API' section"
    return re.findall(r"^```python\n(.*?)^```", match.group(1), flags=re.S | re.M)


def test_the_readme_python_api_section_shows_every_call() -> None:
    code = "\n".join(readme_python_api_blocks())
    for name in CALLS:
        assert f"cx.{name}(" in code, f"the README's Python API section does not show cx.{name}"


def test_the_readme_python_api_section_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = readme_python_api_blocks()
    assert blocks
    namespace: dict[str, object] = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    printed = capsys.readouterr().out
    assert "Did you mean" in printed


def test_every_api_function_is_exported_typed_and_documented() -> None:
    for name in CALLS:
        fn = getattr(cx, name)
        assert fn is getattr(api, name)
        assert name in cx.__all__
        sig = inspect.signature(fn)
        assert sig.return_annotation is not inspect.Signature.empty, name
        assert all(p.annotation is not inspect.Parameter.empty for p in sig.parameters.values())
        assert fn.__doc__, name
        assert "Examples\n    --------\n    >>>" in fn.__doc__, name


def test_options_are_keyword_only() -> None:
    kinds = inspect.signature(cx.route).parameters
    assert kinds["commodity"].kind is inspect.Parameter.KEYWORD_ONLY
    with pytest.raises(TypeError):
        cx.route(cx.load(), "Chongqing", "Duisburg", "container")  # type: ignore[misc]


def test_route_forwards_to_the_routing_analysis(default_net: cx.Network) -> None:
    scen = cx.Scenario.from_flags(avoid=["RU", "BY"])
    got = cx.route(default_net, "Chongqing", "Duisburg", scenario=scen, optimize="cost")
    want = route_analysis(default_net, "Chongqing", "Duisburg", scenario=scen, optimize="cost")
    assert got.as_dict() == want.as_dict()
    assert got.objective == "cost"


def recorder(monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> dict[str, Any]:
    """Replace an analysis function by one that records what it was called with."""
    seen: dict[str, Any] = {}

    def record(*args: Any, **kwargs: Any) -> str:
        seen.update(args=args, kwargs=kwargs)
        return "result"

    monkeypatch.setattr(importlib.import_module(module), name, record)
    return seen


def test_flow_forwards_every_option(monkeypatch: pytest.MonkeyPatch, tiny: cx.Network) -> None:
    seen = recorder(monkeypatch, "corridors.analyses.flows.solve", "flow")
    scen = cx.Scenario.from_flags(avoid=["RU"])
    got = cx.flow(
        tiny, "crude", ["a"], "d", mode="mincost", demand={"d": 5.0}, scenario=scen, reference=7.0
    )
    assert got == "result"
    assert seen["args"] == (tiny, "crude", ["a"], "d")
    assert seen["kwargs"] == {
        "mode": "mincost",
        "demand": {"d": 5.0},
        "scenario": scen,
        "reference": 7.0,
    }


def test_assign_forwards_every_option(monkeypatch: pytest.MonkeyPatch, tiny: cx.Network) -> None:
    seen = recorder(monkeypatch, "corridors.analyses.assignment.solve", "assign")
    demand = pd.DataFrame({"origin": ["a"], "destination": ["d"], "amount": [1.0]})
    cx.assign(tiny, "crude", demand=demand)
    assert seen["args"] == (tiny, "crude")
    assert seen["kwargs"] == {"scenario": None, "demand": demand}


def test_compare_forwards_every_option(monkeypatch: pytest.MonkeyPatch, tiny: cx.Network) -> None:
    seen = recorder(monkeypatch, "corridors.analyses.compare.comparison", "compare")
    after, before = cx.Scenario.from_flags(avoid=["RU"]), cx.Scenario.from_flags(avoid=["KZ"])
    cx.compare(tiny, after, against=before, od_pairs=[("a", "d")], objective="cost")
    assert seen["args"] == (tiny, after)
    assert seen["kwargs"] == {
        "against": before,
        "od_pairs": [("a", "d")],
        "markets": None,
        "objective": "cost",
        "commodities": None,
        "assignment": True,
    }
    cx.compare(tiny, after, commodities=["gas"], assignment=False)
    assert seen["kwargs"]["commodities"] == ["gas"]
    assert seen["kwargs"]["assignment"] is False


def test_assign_and_compare_run_on_the_default_network(default_net: cx.Network) -> None:
    demand = pd.DataFrame({"origin": ["Chongqing"], "destination": ["Duisburg"], "amount": [1e3]})
    assert cx.assign(default_net, demand=demand).demand_total == pytest.approx(1e3)
    c = cx.compare(
        default_net,
        cx.Scenario.from_flags(avoid=["RU"]),
        od_pairs=[("Chongqing", "Duisburg")],
        commodities=[],
        objective="distance",
        assignment=False,
    )
    assert c.objective == "distance"
    assert c.delivered == ()


def test_calibrate_reads_the_networks_own_table(default_net: cx.Network) -> None:
    cal = cx.calibrate(default_net)
    assert [r.id for r in cal.rows] == list(read_calibration(default_data_dir())["id"])
    after = cx.apply_scenario(default_net, cx.Scenario.from_flags(avoid_modes=["road"]))
    assert len(cx.calibrate(after).rows) == len(cal.rows)


def test_calibrate_reads_the_folder_the_network_came_from(
    tiny_copy: Callable[[], Path],
) -> None:
    folder = tiny_copy()
    (folder / "calibration.csv").write_text(
        "id,origin,destination,option,metric,low,high,unit,source,note,explanation\n"
        "ad,Alpha,Delta,rail_north,length_km,350,370,km,hand,,\n",
        encoding="utf-8",
    )
    (row,) = cx.calibrate(cx.load(folder)).rows
    assert row.id == "ad"
    assert row.within


def test_calibrate_without_a_table_says_so(tiny_copy: Callable[[], Path]) -> None:
    folder = tiny_copy()
    with pytest.raises(cx.DataError, match="no calibration table"):
        cx.calibrate(cx.load(folder))
    other = folder.parent / "other"
    shutil.copytree(folder, other)
    shutil.copy(default_data_dir() / "calibration.csv", other / "calibration.csv")
    assert len(cx.calibrate(cx.load(folder), data=other).rows) > 0


def test_calibrate_of_a_network_from_frames_needs_a_table(tiny: cx.Network) -> None:
    frames = tiny.replace(label="frames")
    with pytest.raises(cx.DataError, match="not loaded from a folder"):
        cx.calibrate(frames)
    published = pd.DataFrame(
        [
            {
                "id": "ad",
                "origin": "Alpha",
                "destination": "Delta",
                "option": "rail_north",
                "metric": "length_km",
                "low": 350.0,
                "high": 370.0,
                "source": "hand",
            }
        ]
    )
    assert [r.id for r in cx.calibrate(frames, published).rows] == ["ad"]
