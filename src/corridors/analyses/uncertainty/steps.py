"""What the Monte Carlo reads from a route: one :class:`StepTimes` per leg or stop.

The route results are being moved to pydantic models (``Leg.link`` becomes ``link_id``,
``Stop.node`` becomes ``node_id``); :func:`route_steps` reads either naming, so the
analysis depends only on the small protocol below, not on one version of the classes.

A leg's ``time_h`` includes the expected ferry wait (half the headway, ``wait_h``); here
it is split back into the running time (``time_h - wait_h`` at both ends) and the wait,
whose headway is ``2 * wait_h``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

__all__ = ["RouteLike", "StepTimes", "route_steps", "step_times"]


class _RangeLike(Protocol):
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...


class RouteLike(Protocol):
    """A route: its steps in order (legs and stops), or its legs and stops."""

    @property
    def legs(self) -> Sequence[Any]:
        """Links travelled, in order."""

    @property
    def stops(self) -> Sequence[Any]:
        """Dwells and transfers, in order."""

    @property
    def steps(self) -> Sequence[Any]:
        """Legs and stops interleaved, in travel order (may be empty)."""


@dataclass(frozen=True, slots=True)
class StepTimes:
    """The time parts of one step that the Monte Carlo draws.

    Attributes
    ----------
    key
        Stable id of the step (``link:<id>:<from>`` or ``<kind>:<node>``): it seeds the
        step's own random stream, so the same step in two routes gets the same draws.
    kind
        ``leg`` for a link travelled, else the stop's kind (``dwell``, ``gauge_change`` ...).
    element
        Link id (legs) or node id (stops).
    low_h, high_h
        Running time (legs, without the ferry wait) or stop time, hours.
    headway_h
        Time between departures (0 when the link has no headway).
    mode
        Leg mode (``""`` for stops).
    nodes
        Node ids the step touches (a leg's ends, a stop's node).
    passages
        Sea passages the leg uses.
    """

    key: str
    kind: str
    element: str
    low_h: float
    high_h: float
    headway_h: float = 0.0
    mode: str = ""
    nodes: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()

    @property
    def mean_h(self) -> float:
        """Mean time of the step with its mean ferry wait (half the headway)."""
        return (self.low_h + self.high_h) / 2.0 + self.headway_h / 2.0


def _id(obj: Any, new: str, old: str) -> str:
    value = getattr(obj, new, None) or getattr(obj, old, None)
    return str(value) if value is not None else ""


def step_times(step: Any) -> StepTimes:
    """One leg or stop as :class:`StepTimes` (either naming of the result classes).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> leg = NS(link_id="ferry_ab", from_id="a", to_id="b", mode="ferry",
    ...          time_h=NS(low=22.0, high=26.0), wait_h=12.0, passages=())
    >>> s = step_times(leg)
    >>> s.kind, s.low_h, s.high_h, s.headway_h
    ('leg', 10.0, 14.0, 24.0)
    >>> step_times(NS(node="b", kind="dwell", time_h=NS(low=1.0, high=2.0))).key
    'dwell:b'
    """
    if isinstance(step, StepTimes):
        return step
    time: _RangeLike = step.time_h
    if hasattr(step, "mode"):
        link = _id(step, "link_id", "link")
        wait = float(getattr(step, "wait_h", 0.0) or 0.0)
        a, b = str(step.from_id), str(step.to_id)
        return StepTimes(
            key=f"link:{link}:{a}",
            kind="leg",
            element=link,
            low_h=max(float(time.low) - wait, 0.0),
            high_h=max(float(time.high) - wait, 0.0),
            headway_h=2.0 * wait,
            mode=str(step.mode),
            nodes=(a, b),
            passages=tuple(getattr(step, "passages", ()) or ()),
        )
    node = _id(step, "node_id", "node")
    kind = str(step.kind)
    return StepTimes(
        key=f"{kind}:{node}",
        kind=kind,
        element=node,
        low_h=float(time.low),
        high_h=float(time.high),
        nodes=(node,),
    )


def route_steps(route: RouteLike | Iterable[Any]) -> tuple[StepTimes, ...]:
    """The steps of a route in order (``route.steps``, else its legs then its stops).

    A plain iterable of legs and stops is accepted too. Repeated keys (a step met twice)
    get a ``#n`` suffix so that each keeps its own random stream.
    """
    items: Iterable[Any]
    if hasattr(route, "legs"):
        legs, stops = getattr(route, "legs", ()), getattr(route, "stops", ())
        items = tuple(getattr(route, "steps", ()) or ()) or (*legs, *stops)
    else:
        items = route
    out: list[StepTimes] = []
    seen: dict[str, int] = {}
    for item in items:
        s = step_times(item)
        n = seen.get(s.key, 0)
        seen[s.key] = n + 1
        if n:
            s = replace(s, key=f"{s.key}#{n}")
        out.append(s)
    return tuple(out)
