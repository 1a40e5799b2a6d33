"""Routes of :func:`corridors.analyses.compare.comparison.compare`: each pair under both scenarios.

Each origin–destination pair is routed once per way of going (:data:`DEFAULT_CORRIDORS`),
under the scenario compared against ("before") and the scenario ("after"), each with the
corridor option's closures added. A row holds the totals of the two best routes (time
low/high, cost, distance; NaN without a route), their differences (after minus before),
the countries, modes and passages of each, and a status: ``unchanged`` (the same links),
``changed``, ``disappeared`` (no route after), ``appeared`` (no route before) or ``no
route``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from corridors.analyses.routing.options import CORRIDOR_OPTIONS, CorridorOption
from corridors.analyses.routing.search import resolve, route
from corridors.errors import NoRouteError
from corridors.model.network import Network
from corridors.model.scenario import Closures, Scenario, compose
from corridors.results.route import Route

#: China–Europe container pairs compared when the demand table has none (node ids of the
#: default dataset; pairs the network lacks are skipped).
DEFAULT_OD_PAIRS: tuple[tuple[str, str], ...] = (
    ("chongqing", "duisburg"),
    ("xian", "hamburg"),
    ("yiwu", "madrid"),
    ("shanghai", "rotterdam"),
    ("chengdu", "lodz"),
)

_OPTIONS = {o.key: o for o in CORRIDOR_OPTIONS}

#: The ways of going each pair is routed under: the best route on the whole network; the
#: best all-rail route without a ferry or sea leg (in practice the northern route through
#: Russia: without it the pair has none, and the route disappears); the Middle Corridor
#: option and the sea option of :mod:`corridors.analyses.routing.options` ("sea" closes the land
#: bridge out of China and the Bosporus but no sea passage, so that a closed Suez shows as
#: a longer voyage round the Cape).
DEFAULT_CORRIDORS: tuple[CorridorOption, ...] = (
    CorridorOption("best", "Best route (any corridor)", Scenario(name="best")),
    CorridorOption(
        "overland",
        "Overland, no ferry or sea leg (northern rail)",
        Scenario(name="overland", close=Closures(modes=("ferry", "sea"))),
    ),
    _OPTIONS["middle_corridor"],
    CorridorOption("sea", "Sea (any passage)", _OPTIONS["sea_suez"].scenario),
)

ROUTE_COLUMNS: tuple[str, ...] = (
    "origin",
    "destination",
    "corridor",
    "status",
    "time_low_h_before",
    "time_high_h_before",
    "time_low_h_after",
    "time_high_h_after",
    "delta_time_low_h",
    "delta_time_high_h",
    "delta_time_mean_h",
    "cost_usd_before",
    "cost_usd_after",
    "delta_cost_usd",
    "length_km_before",
    "length_km_after",
    "delta_length_km",
    "countries_before",
    "countries_after",
    "modes_before",
    "modes_after",
    "passages_before",
    "passages_after",
    "corridor_changed",
    "reason",
)


def od_pairs_of(net: Network) -> list[tuple[str, str]]:
    """The pairs :func:`compare` routes by default.

    The container pairs of the demand table (node ids, first-seen order) when it has
    any; else the :data:`DEFAULT_OD_PAIRS` whose both ends the network has.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> pairs = od_pairs_of(load())
    >>> ("chongqing", "duisburg") in pairs
    True
    """
    demand = net.demand
    if len(demand) and {"origin", "destination", "commodity"} <= set(demand.columns):
        rows = demand[demand["commodity"] == "container"]
        pairs = list(dict.fromkeys(zip(rows["origin"], rows["destination"], strict=True)))
        if pairs:
            return [(str(a), str(b)) for a, b in pairs]
    known = set(net.nodes.index)
    return [(a, b) for a, b in DEFAULT_OD_PAIRS if a in known and b in known]


def _best(
    net: Network, a: str, b: str, scenario: Scenario, objective: str
) -> tuple[Route | None, str]:
    try:
        return route(net, a, b, optimize=objective, scenario=scenario), ""
    except NoRouteError as exc:
        return None, str(exc)


def _totals(r: Route | None) -> dict[str, Any]:
    if r is None:
        nan = float("nan")
        return {
            "time_low_h": nan,
            "time_high_h": nan,
            "cost_usd": nan,
            "length_km": nan,
            "countries": (),
            "modes": (),
            "passages": (),
        }
    cost = r.cost_usd
    return {
        "time_low_h": r.time_h.low,
        "time_high_h": r.time_h.high,
        "cost_usd": float("nan") if cost is None else cost,
        "length_km": r.length_km,
        "countries": r.countries,
        "modes": r.modes,
        "passages": r.passages,
    }


def _status(before: Route | None, after: Route | None) -> str:
    if before is None:
        return "no route" if after is None else "appeared"
    if after is None:
        return "disappeared"
    return "unchanged" if before.link_ids == after.link_ids else "changed"


def _under(scenario: Scenario, option: CorridorOption) -> Scenario:
    return scenario if option.scenario.is_empty() else compose([scenario, option.scenario])


def route_rows(
    net: Network,
    pairs: Sequence[tuple[str, str]],
    scenario: Scenario,
    against: Scenario,
    objective: str,
    corridors: Sequence[CorridorOption],
) -> pd.DataFrame:
    """One row per pair and way of going, columns :data:`ROUTE_COLUMNS`."""
    rows: list[dict[str, Any]] = []
    names = net.nodes["name"].astype(str)
    ends = [(resolve(net, origin), resolve(net, destination)) for origin, destination in pairs]
    for (a, b), option in ((e, o) for e in ends for o in corridors):
        before, why_before = _best(net, a, b, _under(against, option), objective)
        after, why_after = _best(net, a, b, _under(scenario, option), objective)
        x, y = _totals(before), _totals(after)
        row: dict[str, Any] = {
            "origin": names[a],
            "destination": names[b],
            "corridor": option.key,
            "status": _status(before, after),
        }
        for metric in ("time_low_h", "time_high_h", "cost_usd", "length_km"):
            row[f"{metric}_before"] = x[metric]
            row[f"{metric}_after"] = y[metric]
        row["delta_time_low_h"] = y["time_low_h"] - x["time_low_h"]
        row["delta_time_high_h"] = y["time_high_h"] - x["time_high_h"]
        row["delta_time_mean_h"] = (row["delta_time_low_h"] + row["delta_time_high_h"]) / 2
        row["delta_cost_usd"] = y["cost_usd"] - x["cost_usd"]
        row["delta_length_km"] = y["length_km"] - x["length_km"]
        for metric in ("countries", "modes", "passages"):
            row[f"{metric}_before"] = x[metric]
            row[f"{metric}_after"] = y[metric]
        row["corridor_changed"] = (
            before is not None and after is not None and x["countries"] != y["countries"]
        )
        row["reason"] = why_after or why_before
        rows.append(row)
    return pd.DataFrame(rows, columns=list(ROUTE_COLUMNS))
