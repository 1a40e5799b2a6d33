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

__all__ = ["TimeDistribution"]

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
