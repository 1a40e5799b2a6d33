"""Render the time distribution of a route for ``corridors route --promise DAYS``.

Calls :func:`corridors.analyses.uncertainty.time_distribution` with the disruption events
of the data folder and turns the result into one line of text; no computing of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from corridors.model.network import Network
    from corridors.results.route import RouteSet

__all__ = ["PromiseOpt", "on_time_line", "with_percentiles"]

PromiseOpt = Annotated[
    float | None,
    typer.Option(
        "--promise",
        min=0.0,
        help="Promised door-to-door days: print the probability of arriving within them "
        "(Monte Carlo over the time ranges and sourced disruptions, 10,000 seeded draws).",
    ),
]


def on_time_line(
    net: Network,
    route: Any,
    promise_days: float,
    *,
    data: Path | None = None,
    draws: int = 10_000,
    seed: int = 0,
) -> str:
    """``on time with probability 0.72`` and the P10/P50/P90 days it comes from.

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.analyses.routing.search import route
    >>> net = cx.load()
    >>> on_time_line(net, route(net, "Chongqing", "Duisburg"), 40).split(" (")[0]
    'on time with probability 1.00'
    """
    from corridors.analyses.uncertainty import time_distribution
    from corridors.model.disruptions import load_disruptions

    events = load_disruptions(data, net=net)
    d = time_distribution(route, events, draws=draws, seed=seed)
    met = ", ".join(d.events) or "none"
    return (
        f"on time with probability {d.prob_within(promise_days):.2f}"
        f" (promise {promise_days:g} days; P10/P50/P90 {d.p10:.1f}/{d.p50:.1f}/{d.p90:.1f}"
        f" days; {d.draws:,} draws, seed {d.seed}; disruptions: {met})"
    )


def with_percentiles(
    net: Network, routes: RouteSet, *, data: Path | None = None, seed: int = 0
) -> RouteSet:
    """The routes of ``routes`` with P10/P50/P90 days in their totals (``route --json``).

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.analyses.routing.search import route_set
    >>> net = cx.load()
    >>> rs = with_percentiles(net, route_set(net, "Chongqing", "Duisburg"))
    >>> sorted(rs.as_dict()["routes"][0]["totals"]["time_days"])
    ['high', 'low', 'p10', 'p50', 'p90']
    """
    from corridors.analyses.uncertainty import route_with_percentiles
    from corridors.model.disruptions import load_disruptions
    from corridors.results.route import RouteSet

    events = load_disruptions(data, net=net)
    drawn = tuple(route_with_percentiles(r, events, seed=seed) for r in routes.routes)
    return RouteSet.of(drawn)
