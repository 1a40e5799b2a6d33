"""Errors a user can cause, each carrying what is needed for a clear message.

Faces catch :class:`CorridorsError` and print its message; nothing a user types or
writes in a data file should end in a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CorridorsError",
    "DataError",
    "NoRouteError",
    "Problem",
    "ScenarioError",
    "UnknownPlaceError",
    "shorten",
]

#: Problems listed in full in one message; the rest are counted.
MAX_SHOWN = 50


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out.

    Examples
    --------
    >>> shorten("a" * 100, 10)
    'aaaaaaaaaa... (90 more characters)'
    >>> shorten("suez")
    'suez'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


class CorridorsError(Exception):
    """Base class of every error caused by input (data, scenario, names, options)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a data table.

    Parameters
    ----------
    file
        File name (or a label such as ``scenario:added_links``) the problem is in.
    row
        Line number in the file (the header is line 1); 0 when the problem concerns the
        whole file or a column.
    column
        Column name, or ``""``.
    value
        The offending value as written.
    message
        What is wrong.

    Examples
    --------
    >>> str(Problem("links.csv", 7, "length_km", "-3", "must be >= 0"))
    "links.csv:7: length_km='-3': must be >= 0"
    """

    file: str
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        what = f" {self.column}={shorten(self.value)!r}:" if self.column else ""
        return f"{where}:{what} {self.message}"


class DataError(CorridorsError):
    """The tables of a network failed validation; holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = f"{len(problems)} problem(s) in the network tables"
        lines = [str(p) for p in problems[:MAX_SHOWN]]
        more = [f"... and {len(problems) - MAX_SHOWN} more"] if len(problems) > MAX_SHOWN else []
        super().__init__("\n".join([head, *lines, *more]))


class ScenarioError(CorridorsError):
    """A scenario file or option is invalid (names the file, field and value)."""


class UnknownPlaceError(CorridorsError):
    """A place name matches no node; carries close matches for a 'did you mean' list."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown place {name!r}.{hint}")


class NoRouteError(CorridorsError):
    """No route exists; the message names the constraint that cut the network."""

    def __init__(self, message: str, cutting: list[str] | None = None) -> None:
        self.cutting = cutting or []
        super().__init__(message)
