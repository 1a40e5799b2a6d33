"""corridors: the trade and energy corridors linking China, Central Asia and Europe.

A multimodal, capacity-aware network built from sourced data, and the analyses that
answer what its users ask of it: which route, how long, at what cost, and what if a
country, a passage or a pipeline closes.

Examples
--------
>>> import corridors as cx
>>> net = cx.load()
>>> r = cx.route(net, "Chongqing", "Duisburg", scenario=cx.Scenario.from_flags(avoid=["RU", "BY"]))
>>> "RU" in r.countries
False
"""

from corridors.analyses.routing.search import resolve, route, route_alternatives
from corridors.errors import (
    CorridorsError,
    DataError,
    NoRouteError,
    Problem,
    ScenarioError,
    UnknownPlaceError,
)
from corridors.model.graph import Objective, compile_graph
from corridors.model.network import Network, load
from corridors.model.scenario import Scenario, apply_scenario, compose, load_scenario
from corridors.results.route import Leg, Range, Route, Stop

__all__ = [
    "CorridorsError",
    "DataError",
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
    "compile_graph",
    "compose",
    "load",
    "load_scenario",
    "resolve",
    "route",
    "route_alternatives",
]
__version__ = "0.1.0"
