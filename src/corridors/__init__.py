"""corridors: the trade and energy corridors linking China, Central Asia and Europe.

A multimodal, capacity-aware network built from sourced data, and the analyses that
answer what its users ask of it: which route, how long, at what cost, and what if a
country, a passage or a pipeline closes.

Importing the package is cheap: every name below is imported on first use (a module
``__getattr__``), so a script that only routes never imports the LP solvers.

Examples
--------
>>> import corridors as cx
>>> net = cx.load()
>>> r = cx.route(net, "Chongqing", "Duisburg", scenario=cx.Scenario.from_flags(avoid=["RU", "BY"]))
>>> "RU" in r.countries
False
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from corridors.errors import (
    CorridorsError,
    DataError,
    NoRouteError,
    Problem,
    ScenarioError,
    UnknownPlaceError,
)

if TYPE_CHECKING:
    from corridors.analyses.flows.solve import FlowResult
    from corridors.analyses.routing.search import resolve
    from corridors.api import (
        assign,
        calibrate,
        compare,
        criticality,
        flow,
        inventory,
        leverage,
        load,
        route,
        route_alternatives,
    )
    from corridors.model.graph import Objective, compile_graph
    from corridors.model.network import Network
    from corridors.model.scenario import Scenario, apply_scenario, compose, load_scenario
    from corridors.results.assignment import Assignment
    from corridors.results.calibration import Calibration
    from corridors.results.compare import Comparison
    from corridors.results.inventory import Inventory
    from corridors.results.route import Leg, Range, Route, Stop

__version__ = "0.1.0"

#: Where each lazily imported name lives.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "assign",
            "calibrate",
            "compare",
            "criticality",
            "flow",
            "inventory",
            "leverage",
            "load",
            "route",
            "route_alternatives",
        ),
        "corridors.api",
    ),
    "Assignment": "corridors.results.assignment",
    "Calibration": "corridors.results.calibration",
    "Comparison": "corridors.results.compare",
    "Inventory": "corridors.results.inventory",
    "FlowResult": "corridors.analyses.flows.solve",
    "resolve": "corridors.analyses.routing.search",
    "Objective": "corridors.model.graph",
    "compile_graph": "corridors.model.graph",
    "Network": "corridors.model.network",
    **dict.fromkeys(
        ("Scenario", "apply_scenario", "compose", "load_scenario"), "corridors.model.scenario"
    ),
    **dict.fromkeys(("Leg", "Range", "Route", "Stop"), "corridors.results.route"),
}

__all__ = [
    "Assignment",
    "Calibration",
    "Comparison",
    "CorridorsError",
    "DataError",
    "FlowResult",
    "Inventory",
    "Leg",
    "Network",
    "NoRouteError",
    "Objective",
    "Problem",
    "Range",
    "Route",
    "Scenario",
    "ScenarioError",
    "Stop",
    "UnknownPlaceError",
    "apply_scenario",
    "assign",
    "calibrate",
    "compare",
    "compile_graph",
    "compose",
    "criticality",
    "flow",
    "inventory",
    "leverage",
    "load",
    "load_scenario",
    "resolve",
    "route",
    "route_alternatives",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and keep it on the package."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridors' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
