"""Routing: the best route, genuinely different alternatives, corridor options."""

from corridors.analyses.routing.search import resolve, route, route_alternatives

__all__ = ["resolve", "route", "route_alternatives"]
