"""Capacity-constrained assignment of demand to routes, with route and transit shares."""

from corridors.analyses.assignment.solve import (
    Assignment,
    assign,
    compare_published,
    published_shares,
)

__all__ = ["Assignment", "assign", "compare_published", "published_shares"]
