"""Vectorised Monte Carlo of door-to-door time: P10/P50/P90 days and on-time odds.

Each draw is one trip: every step's time is drawn from its distribution
(:mod:`.sampling`: PERT on the sourced range, uniform ferry wait), every disruption event
that can hit the route is drawn at its sites (:mod:`.events`), and the trip's time is the
sum. All draws of a component are one numpy call; 10,000 draws of a 48-step route take
tens of milliseconds (``benchmarks/bench_uncertainty.py``).

Reproducible: the same ``seed`` gives the same draws; each component has its own stream
(keyed by the step or the event site), so a step common to two routes is drawn alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridors.analyses.uncertainty.events import EventDraw, event_draws
from corridors.analyses.uncertainty.sampling import pert, stream, uniform_wait
from corridors.analyses.uncertainty.steps import RouteLike, StepTimes, route_steps
from corridors.errors import CorridorsError
from corridors.model.disruptions import Disruption
from corridors.results.route import Route
from corridors.results.uncertainty import TimeDistribution

__all__ = [
    "on_time_probability",
    "route_with_percentiles",
    "sample_route_hours",
    "sample_step_hours",
    "time_distribution",
]


def _check(draws: int, seed: int) -> None:
    if draws < 1:
        raise CorridorsError(f"draws must be at least 1 (got {draws})")
    if seed < 0:
        raise CorridorsError(f"seed must be a non-negative integer (got {seed})")


def sample_step_hours(steps: Sequence[StepTimes], *, draws: int, seed: int) -> NDArray[np.float64]:
    """Hours of every step in every draw, without disruptions: shape ``(draws, steps)``.

    Examples
    --------
    >>> from corridors.analyses.uncertainty.steps import StepTimes
    >>> steps = [StepTimes("link:ab:a", "leg", "ab", 10.0, 14.0, headway_h=24.0),
    ...          StepTimes("dwell:b", "dwell", "b", 0.0, 30.0)]
    >>> h = sample_step_hours(steps, draws=1000, seed=0)
    >>> h.shape, bool((h[:, 1] <= 30).all()), bool((h[:, 0] <= 38).all())
    ((1000, 2), True, True)
    """
    _check(draws, seed)
    out = np.empty((draws, len(steps)))
    for j, step in enumerate(steps):
        out[:, j] = pert(stream(seed, f"time:{step.key}"), step.low_h, step.high_h, draws)
        if step.headway_h > 0:
            out[:, j] += uniform_wait(stream(seed, f"wait:{step.key}"), step.headway_h, draws)
    return out


def _draw(
    route: RouteLike | Iterable[Any], disruptions: Sequence[Disruption], draws: int, seed: int
) -> tuple[tuple[StepTimes, ...], NDArray[np.float64], list[EventDraw]]:
    steps = route_steps(route)
    if not steps:
        raise CorridorsError("the route has no legs or stops to draw")
    hours = sample_step_hours(steps, draws=draws, seed=seed)
    return steps, hours, event_draws(steps, disruptions, draws=draws, seed=seed)


def sample_route_hours(
    route: RouteLike | Iterable[Any],
    disruptions: Sequence[Disruption] = (),
    *,
    draws: int = 10_000,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Door-to-door hours of ``draws`` trips along ``route`` (steps plus event delays)."""
    _, hours, events = _draw(route, disruptions, draws, seed)
    total: NDArray[np.float64] = hours.sum(axis=1)
    for e in events:
        total += e.delay_h
    return total


def time_distribution(
    route: RouteLike | Iterable[Any],
    disruptions: Sequence[Disruption] = (),
    *,
    draws: int = 10_000,
    seed: int = 0,
) -> TimeDistribution:
    """P10/P50/P90 door-to-door days of a route, by Monte Carlo.

    Parameters
    ----------
    route
        A :class:`~corridors.results.route.Route` (or any object with ``steps`` or
        ``legs`` and ``stops``, or an iterable of legs and stops).
    disruptions
        Events that may delay the trip (:func:`corridors.model.disruptions.load_disruptions`);
        empty: only the spread of the sourced ranges.
    draws
        Number of trips drawn.
    seed
        Seed of the draws (same seed, same result).

    Returns
    -------
    TimeDistribution
        Percentiles, mean, the deterministic range, the events met; ``prob_within(days)``.

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.analyses.routing.search import route
    >>> r = route(cx.load(), "Chongqing", "Duisburg")
    >>> d = time_distribution(r, seed=0)
    >>> bool(d.low < d.p10 < d.p50 < d.p90 < d.high), d.draws
    (True, 10000)
    """
    steps, hours, events = _draw(route, disruptions, draws, seed)
    total = hours.sum(axis=1)
    for e in events:
        total += e.delay_h
    low = sum(s.low_h for s in steps)
    high = sum(s.high_h + s.headway_h for s in steps)
    met = tuple(dict.fromkeys(e.event for e in events))
    return TimeDistribution.from_hours(total, seed=seed, low_h=low, high_h=high, events=met)


def on_time_probability(
    route: RouteLike | Iterable[Any],
    promise_days: float,
    disruptions: Sequence[Disruption] = (),
    *,
    draws: int = 10_000,
    seed: int = 0,
) -> float:
    """Probability of arriving within ``promise_days`` (share of the draws).

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.analyses.routing.search import route
    >>> r = route(cx.load(), "Chongqing", "Duisburg")
    >>> on_time_probability(r, 10.0), on_time_probability(r, 30.0)
    (0.0, 1.0)
    """
    return time_distribution(route, disruptions, draws=draws, seed=seed).prob_within(promise_days)


def route_with_percentiles(
    route: Route,
    disruptions: Sequence[Disruption] = (),
    *,
    draws: int = 10_000,
    seed: int = 0,
) -> Route:
    """A copy of ``route`` whose ``totals.time_days`` carries P10/P50/P90 (seeded draws).

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.analyses.routing.search import route
    >>> r = route_with_percentiles(route(cx.load(), "Chongqing", "Duisburg"), seed=0)
    >>> t = r.as_dict()["totals"]["time_days"]
    >>> t["low"] <= t["p10"] <= t["p50"] <= t["p90"] <= t["high"]
    True
    """
    d = time_distribution(route, disruptions, draws=draws, seed=seed)
    return route.with_time_percentiles(d.p10, d.p50, d.p90)
