"""Typed results that every face (CLI, JSON, GeoJSON, web, report) renders the same way."""

from corridors.results.route import Leg, Range, Route, RouteSet, Stop, Totals

__all__ = ["Leg", "Range", "Route", "RouteSet", "Stop", "Totals"]
