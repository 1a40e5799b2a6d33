"""Door-to-door time as a distribution: P10/P50/P90 days and the odds of a promise.

:class:`TimeDistribution` is what :func:`corridors.analyses.uncertainty.time_distribution`
returns. Its JSON form (``as_dict()``) holds the percentiles, the mean, the draw count and
the seed; the draws themselves stay on the object (not serialised) so that
:meth:`TimeDistribution.prob_within` answers any promise without drawing again.

Examples
--------
>>> import numpy as np
>>> d = TimeDistribution.from_hours(np.array([240.0, 264.0, 288.0, 312.0]), seed=0)
>>> d.p50, d.draws
(11.5, 4)
>>> d.prob_within(12.0)
0.75
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import PrivateAttr

from corridors.results.base import Num, Result

__all__ = ["CapacityBound", "FlowRange", "LeverageRange", "LeverageSpan", "TimeDistribution"]

HOURS_PER_DAY = 24.0


class TimeDistribution(Result):
    """Door-to-door days of one route over Monte Carlo draws.

    Attributes
    ----------
    p10, p50, p90
        Percentiles of the door-to-door time, days.
    mean
        Mean time, days.
    low, high
        The deterministic range the draws start from (sum of lows, sum of highs), days,
        before disruptions.
    draws, seed
        Number of draws and the seed that reproduces them.
    events
        Ids of the disruption events that can hit the route.
    """

    kind: ClassVar[str] = "time_distribution"

    p10: Num
    p50: Num
    p90: Num
    mean: Num
    low: Num | None = None
    high: Num | None = None
    draws: int
    seed: int
    events: tuple[str, ...] = ()
    _hours: NDArray[np.float64] = PrivateAttr(default_factory=lambda: np.zeros(0))

    @classmethod
    def from_hours(
        cls,
        hours: NDArray[np.float64],
        *,
        seed: int,
        low_h: float | None = None,
        high_h: float | None = None,
        events: tuple[str, ...] = (),
    ) -> TimeDistribution:
        """Summarise draws of door-to-door hours (percentiles by linear interpolation)."""
        days = np.asarray(hours, dtype=float) / HOURS_PER_DAY
        p10, p50, p90 = np.percentile(days, [10.0, 50.0, 90.0])
        out = cls(
            p10=float(p10),
            p50=float(p50),
            p90=float(p90),
            mean=float(days.mean()),
            low=None if low_h is None else low_h / HOURS_PER_DAY,
            high=None if high_h is None else high_h / HOURS_PER_DAY,
            draws=int(days.size),
            seed=seed,
            events=events,
        )
        out._hours = np.sort(np.asarray(hours, dtype=float))
        return out

    @property
    def hours(self) -> NDArray[np.float64]:
        """The draws, hours, sorted (a read-only view)."""
        view = self._hours.view()
        view.flags.writeable = False
        return view

    def prob_within(self, days: float) -> float:
        """Share of draws arriving within ``days`` (the on-time probability of a promise).

        Examples
        --------
        >>> import numpy as np
        >>> TimeDistribution.from_hours(np.array([24.0, 48.0]), seed=1).prob_within(1.5)
        0.5
        """
        if self._hours.size == 0:
            return float("nan")
        within = np.searchsorted(self._hours, days * HOURS_PER_DAY, side="right")
        return float(within) / float(self._hours.size)


class CapacityBound(Result):
    """A sourced capacity range of one link, node or transfer (``capacity_ranges.csv``)."""

    kind: ClassVar[str] = "capacity_bound"

    target: str
    id: str
    low: Num
    high: Num
    unit: str
    sources: tuple[str, ...] = ()
    note: str = ""


class FlowRange(Result):
    """Delivered volume and shortfall with every ranged capacity at its low and high end.

    Attributes
    ----------
    delivered, delivered_low, delivered_high
        Total delivered at the point capacities, at the low ends, at the high ends.
    shortfall, shortfall_low_caps, shortfall_high_caps
        Shortfall against the reference exports at the same three (null without one);
        the low capacities give the larger shortfall.
    ranges
        The capacity ranges applied.
    binding_point_only
        Elements binding in the point solve whose capacity is a point in the data (no
        range): the spread reported leaves their uncertainty out.

    Examples
    --------
    >>> r = FlowRange(commodity="crude", scenario="baseline", unit="Mt/yr", delivered=2.0,
    ...               delivered_low=1.0, delivered_high=2.5)
    >>> r.as_dict()["delivered_high"], r.spread
    (2.5, 1.5)
    """

    kind: ClassVar[str] = "flow_range"

    commodity: str
    scenario: str
    unit: str
    delivered: Num
    delivered_low: Num
    delivered_high: Num
    shortfall: Num | None = None
    shortfall_low_caps: Num | None = None
    shortfall_high_caps: Num | None = None
    ranges: tuple[CapacityBound, ...] = ()
    binding_point_only: tuple[str, ...] = ()

    @property
    def spread(self) -> float:
        """Delivered at the high ends minus delivered at the low ends."""
        return self.delivered_high - self.delivered_low


class LeverageSpan(Result):
    """Volume lost with ``transit`` closed, at the point, low and high capacities."""

    kind: ClassVar[str] = "leverage_span"

    exporter: str
    transit: str
    unit: str
    exports: Num
    lost: Num
    lost_low_caps: Num
    lost_high_caps: Num
    value_at_risk_usd: Num


class LeverageRange(Result):
    """Leverage rows (point order: largest value at risk first) with their capacity spread."""

    kind: ClassVar[str] = "leverage_range"

    commodity: str
    scenario: str
    rows: tuple[LeverageSpan, ...] = ()
    ranges: tuple[CapacityBound, ...] = ()
