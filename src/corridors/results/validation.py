"""The result of checking a data folder: every problem, or the tables' counts.

Examples
--------
>>> from corridors.errors import Problem
>>> r = ValidationReport.of("data", {"nodes": 2}, [Problem("links.csv", 3, "length_km", "-1", "x")])
>>> r.valid, r.problems[0].file, r.as_dict()["problems_total"]
(False, 'links.csv', 1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from pydantic import Field

from corridors.errors import Problem
from corridors.results.base import Num, Result

__all__ = ["LengthShare", "ProblemRow", "ValidationReport"]


class ProblemRow(Result):
    """One problem: file, row (the header is line 1; 0 for the whole file), column, value."""

    file: str
    row: int
    column: str
    value: str
    message: str


class LengthShare(Result):
    """Land links whose length is an estimate (great-circle distance times a detour factor)."""

    estimated: int
    land: int
    share: Num
    estimated_rail_road: int
    rail_road: int
    rail_road_share: Num
    connectors: int = 0
    """Land-mode links with no physical line (market sinks, aggregate feeders), not counted."""


class ValidationReport(Result):
    """What ``corridors data validate`` found in a folder of tables.

    Attributes
    ----------
    folder
        The folder checked.
    valid
        True when there is no problem.
    counts
        Rows per table (only when valid).
    problems
        Every problem found (file, row, column, value, message); the terminal shows the
        first :data:`corridors.errors.MAX_SHOWN` of them.
    problems_total
        How many problems there are.
    lengths
        The share of land links whose length is an estimate (only when valid).
    """

    kind: ClassVar[str] = "validation"

    folder: str
    valid: bool
    counts: dict[str, int] = Field(default_factory=dict)
    problems: list[ProblemRow] = Field(default_factory=list)
    problems_total: int = 0
    lengths: LengthShare | None = None

    @classmethod
    def of(
        cls,
        folder: str,
        counts: Mapping[str, int],
        problems: Sequence[Problem],
        lengths: LengthShare | None = None,
    ) -> ValidationReport:
        """A report from the validator's problems (a list of :class:`~corridors.errors.Problem`)."""
        rows = [
            ProblemRow(file=p.file, row=p.row, column=p.column, value=p.value, message=p.message)
            for p in problems
        ]
        return cls(
            folder=folder,
            valid=not rows,
            counts=dict(counts) if not rows else {},
            problems=rows,
            problems_total=len(rows),
            lengths=lengths if not rows else None,
        )
