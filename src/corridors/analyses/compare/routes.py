"""Routes of :func:`corridors.analyses.compare.comparison.compare`: each pair under both scenarios.

Each origin–destination pair is routed once per way of going (the network's
``compare.options`` in ``analysis_defaults.yaml``: best route, overland, Middle Corridor,
sea), under the scenario compared against ("before") and the scenario ("after"), each
with the corridor option's closures added. A :class:`RouteChange` keeps the two best
routes, their totals (time low/high, cost, distance; None without a route), their
differences (after minus before), and a status: ``unchanged`` (the same links),
``changed``, ``disappeared`` (no route after), ``appeared`` (no route before) or ``no
route``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corridors.analyses.routing.options import CorridorOption, named_options
from corridors.analyses.routing.search import resolve, route
from corridors.errors import NoRouteError
from corridors.model.analysis_defaults import missing
from corridors.model.geometry import link_line
from corridors.model.network import Network
from corridors.model.scenario import Scenario, compose
from corridors.results.base import LineString
from corridors.results.compare import RouteChange, RouteStatus, leg_key
from corridors.results.route import Route

__all__ = ["compare_options", "leg_lines", "od_pairs_of", "route_changes"]


def compare_options(net: Network) -> tuple[CorridorOption, ...]:
    """The ways of going :func:`compare` routes each pair under (``compare.options``).

    Raises
    ------
    CorridorsError
        If the network has no such defaults (then pass ``corridors=``).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> [o.key for o in compare_options(load())]
    ['best', 'overland', 'middle_corridor', 'sea']
    """
    section = net.defaults.compare if net.defaults is not None else None
    if section is None:
        raise missing("compare.options", "corridors")
    return named_options(net, section.options)


def od_pairs_of(net: Network, commodity: str = "container") -> list[tuple[str, str]]:
    """The pairs :func:`compare` routes by default.

    The pairs of the demand table's ``commodity`` rows (node ids, first-seen order) when
    it has any; else the network's ``compare.pairs`` (``analysis_defaults.yaml``).

    Raises
    ------
    CorridorsError
        If the demand table has no such rows and the network names no pairs.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> pairs = od_pairs_of(load())
    >>> ("chongqing", "duisburg") in pairs
    True
    """
    demand = net.demand
    if len(demand) and {"origin", "destination", "commodity"} <= set(demand.columns):
        rows = demand[demand["commodity"] == commodity]
        pairs = list(dict.fromkeys(zip(rows["origin"], rows["destination"], strict=True)))
        if pairs:
            return [(str(a), str(b)) for a, b in pairs]
    section = net.defaults.compare if net.defaults is not None else None
    if section is None or not section.pairs:
        raise missing("compare.pairs", "od_pairs")
    return [(a, b) for a, b in section.pairs]


def _best(
    net: Network, a: str, b: str, scenario: Scenario, objective: str
) -> tuple[Route | None, str]:
    try:
        return route(net, a, b, optimize=objective, scenario=scenario), ""
    except NoRouteError as exc:
        return None, str(exc)


def _totals(r: Route | None) -> dict[str, Any]:
    if r is None:
        return {
            "time_low_h": None,
            "time_high_h": None,
            "cost_usd": None,
            "length_km": None,
            "countries": (),
            "modes": (),
            "passages": (),
        }
    return {
        "time_low_h": r.time_h.low,
        "time_high_h": r.time_h.high,
        "cost_usd": r.cost_usd,
        "length_km": r.length_km,
        "countries": r.countries,
        "modes": r.modes,
        "passages": r.passages,
    }


def _status(before: Route | None, after: Route | None) -> RouteStatus:
    if before is None:
        return "no route" if after is None else "appeared"
    if after is None:
        return "disappeared"
    return "unchanged" if before.link_ids == after.link_ids else "changed"


def _under(scenario: Scenario, option: CorridorOption) -> Scenario:
    return scenario if option.scenario.is_empty() else compose([scenario, option.scenario])


def _minus(y: float | None, x: float | None) -> float | None:
    return None if x is None or y is None else y - x


def _change(
    ends: tuple[str, str, str, str],
    option: CorridorOption,
    routes: tuple[Route | None, Route | None],
    reason: str,
) -> RouteChange:
    before, after = routes
    x, y = _totals(before), _totals(after)
    d_low = _minus(y["time_low_h"], x["time_low_h"])
    d_high = _minus(y["time_high_h"], x["time_high_h"])
    row: dict[str, Any] = {f"{k}_before": x[k] for k in x} | {f"{k}_after": y[k] for k in y}
    return RouteChange(
        origin=ends[0],
        origin_name=ends[1],
        destination=ends[2],
        destination_name=ends[3],
        corridor=option.key,
        corridor_label=option.label,
        status=_status(before, after),
        delta_time_low_h=d_low,
        delta_time_high_h=d_high,
        delta_time_mean_h=None if d_low is None or d_high is None else (d_low + d_high) / 2,
        delta_cost_usd=_minus(y["cost_usd"], x["cost_usd"]),
        delta_length_km=_minus(y["length_km"], x["length_km"]),
        corridor_changed=before is not None
        and after is not None
        and x["countries"] != y["countries"],
        reason=reason,
        before=before,
        after=after,
        **row,
    )


def route_changes(
    net: Network,
    pairs: Sequence[tuple[str, str]],
    scenario: Scenario,
    against: Scenario,
    objective: str,
    corridors: Sequence[CorridorOption],
) -> tuple[RouteChange, ...]:
    """One :class:`RouteChange` per pair and way of going, pairs in order."""
    out: list[RouteChange] = []
    names = net.nodes["name"].astype(str)
    for origin, destination in pairs:
        a, b = resolve(net, origin), resolve(net, destination)
        ends = (a, str(names[a]), b, str(names[b]))
        for option in corridors:
            before, why_before = _best(net, a, b, _under(against, option), objective)
            after, why_after = _best(net, a, b, _under(scenario, option), objective)
            out.append(_change(ends, option, (before, after), why_after or why_before))
    return tuple(out)


def leg_lines(
    nets: tuple[Network, Network], changes: Sequence[RouteChange]
) -> dict[str, LineString]:
    """The line of every leg of the kept routes, by :func:`leg_key`, oriented as travelled.

    ``nets`` are the networks before and after (a scenario may add links and nodes).
    """
    lines: dict[str, LineString] = {}
    for row in changes:
        for net, r in zip(nets, (row.before, row.after), strict=True):
            if r is None:
                continue
            for link, leg in zip(r.link_ids, r.legs, strict=True):
                key = leg_key(link, leg.from_id)
                if key not in lines and link in net.links.index:
                    lines[key] = LineString(coordinates=link_line(net, link, start=leg.from_id))
    return lines
