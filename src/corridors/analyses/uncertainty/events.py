r"""Disruption events as probabilistic delays on the steps they name.

An event (a row of ``disruptions.csv``, :class:`corridors.model.disruptions.Disruption`)
hits *sites*: with ``shared`` one site made of every matching step of the route (one
storm closes every Caspian crossing at once, so a trip meets it once, and two routes over
different Caspian ferries meet it in the same draws); otherwise one site per target.

**Probability per trip.** Episodes start as a Poisson process at
:math:`\lambda = D / d` a year (``days_per_year`` :math:`D`, ``episode_days`` :math:`d`).
A trip exposed for :math:`w` hours to a site meets an episode if one is under way when it
arrives, or if one starts while it is there; the expected number met is
:math:`\lambda (d + w) = \frac{D}{365} (1 + \frac{w}{24 d})`, so

.. math:: p = 1 - \exp\left(-\frac{D}{365}\left(1 + \frac{w}{24\,d}\right)\right),

the closed share of the time plus the exposure term (frequency x exposure). ``w`` is the
mean time of the site's steps (a leg's running time and mean ferry wait, a stop's time).

**Delay.** A trip that meets the event loses a PERT draw on
``[delay_low_h, delay_high_h]`` (mode where the table gives one; see
:mod:`.sampling`), charged to the site's first step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridors.analyses.uncertainty.sampling import pert, stream
from corridors.analyses.uncertainty.steps import StepTimes
from corridors.model.disruptions import Disruption

__all__ = ["EventDraw", "event_draws", "event_sites", "hit_probability"]

HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True)
class EventDraw:
    """The draws of one event at one site of a route.

    Attributes
    ----------
    event, site
        Event id and site key (the event id itself when shared, else the target id).
    steps
        Positions of the route's steps at the site; the delay is charged to the first.
    probability
        Chance per trip of meeting the event.
    hit
        Per draw: whether the trip met it.
    delay_h
        Per draw: hours lost (0 where not hit).
    """

    event: str
    site: str
    steps: tuple[int, ...]
    probability: float
    hit: NDArray[np.bool_]
    delay_h: NDArray[np.float64]


def hit_probability(event: Disruption, exposure_h: float) -> float:
    """Chance that a trip exposed ``exposure_h`` hours meets the event.

    Examples
    --------
    >>> from corridors.model.disruptions import Disruption
    >>> e = Disruption("e", "E", "node", ("x",), False, 36.5, 5.0, 0.0, None, 24.0)
    >>> round(hit_probability(e, 0.0), 4), round(hit_probability(e, 120.0), 4)
    (0.0952, 0.1813)
    """
    rate = event.closed_share * (1.0 + exposure_h / (HOURS_PER_DAY * event.episode_days))
    return float(-np.expm1(-rate))


def _matches(event: Disruption, step: StepTimes) -> tuple[str, ...]:
    """Targets of ``event`` that ``step`` meets."""
    targets = event.targets
    if event.applies_to == "link":
        return (step.element,) if step.kind == "leg" and step.element in targets else ()
    if event.applies_to == "passage":
        return tuple(p for p in step.passages if p in targets)
    if step.kind != "leg":
        return (step.element,) if step.element in targets else ()
    return ()


def event_sites(
    event: Disruption, steps: Sequence[StepTimes]
) -> dict[str, tuple[tuple[int, ...], float]]:
    """Sites of ``event`` on a route: site key -> (step positions, exposure hours).

    A node target the route reaches without stopping there (no dwell, no transfer) is met
    on the leg that arrives at it, with no exposure of its own.
    """
    found: dict[str, list[int]] = {}
    for i, step in enumerate(steps):
        for target in _matches(event, step):
            found.setdefault(event.id if event.shared else target, []).append(i)
    if event.applies_to == "node":
        stopped = {steps[i].element for idx in found.values() for i in idx}
        for i, step in enumerate(steps):
            end = step.nodes[-1] if step.kind == "leg" else ""
            if end in event.targets and end not in stopped:
                found.setdefault(event.id if event.shared else end, []).append(i)
                stopped.add(end)
    out: dict[str, tuple[tuple[int, ...], float]] = {}
    for site, idx in found.items():
        exposure = sum(steps[i].mean_h for i in idx if _matches(event, steps[i]))
        out[site] = (tuple(sorted(idx)), exposure)
    return out


def event_draws(
    steps: Sequence[StepTimes], events: Sequence[Disruption], *, draws: int, seed: int
) -> list[EventDraw]:
    """Occurrence and delay of every event at every site of a route, ``draws`` times.

    Each site draws from the stream ``event:<id>:<site>``: a shared event's draws do not
    depend on which of its targets a route uses.
    """
    out: list[EventDraw] = []
    for event in events:
        for site, (idx, exposure) in event_sites(event, steps).items():
            p = hit_probability(event, exposure)
            rng = stream(seed, f"event:{event.id}:{site}")
            hit = rng.random(draws) < p
            size = pert(rng, event.delay_low_h, event.delay_high_h, draws, event.delay_mode_h)
            out.append(EventDraw(event.id, site, idx, p, hit, np.where(hit, size, 0.0)))
    return out
