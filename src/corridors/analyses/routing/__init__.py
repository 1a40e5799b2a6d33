"""Routing: the best route, genuinely different alternatives, corridor options."""

from corridors.analyses.routing.search import resolve, route, route_alternatives, route_set

__all__ = ["resolve", "route", "route_alternatives", "route_set"]
