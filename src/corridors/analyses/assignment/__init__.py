"""Capacity-constrained assignment of demand to routes, with route and transit shares."""

from corridors.analyses.assignment.solve import Assignment, assign, compare_published

__all__ = ["Assignment", "assign", "compare_published"]
