"""Capacity-aware flows of crude, gas and uranium: max flow, least-cost flow, min cut."""

from corridors.analyses.flows.solve import (
    CutElement,
    FlowResult,
    flow,
    flow_links,
    flow_problem,
    flow_unit,
    max_flow,
    min_cost_flow,
    solve_flow,
)

__all__ = [
    "CutElement",
    "FlowResult",
    "flow",
    "flow_links",
    "flow_problem",
    "flow_unit",
    "max_flow",
    "min_cost_flow",
    "solve_flow",
]
