"""Time uncertainty: distributions per time component, disruption events, Monte Carlo.

See docs/uncertainty.md for the choices (PERT on the sourced ranges, uniform ferry waits,
events with sourced frequencies and durations, shared draws where delays are correlated).
"""

from corridors.analyses.uncertainty.events import EventDraw, event_draws, hit_probability
from corridors.analyses.uncertainty.montecarlo import (
    on_time_probability,
    route_with_percentiles,
    sample_route_hours,
    sample_step_hours,
    time_distribution,
)
from corridors.analyses.uncertainty.steps import StepTimes, route_steps

__all__ = [
    "EventDraw",
    "StepTimes",
    "event_draws",
    "hit_probability",
    "on_time_probability",
    "route_steps",
    "route_with_percentiles",
    "sample_route_hours",
    "sample_step_hours",
    "time_distribution",
]
