"""The schema of the network tables, kept as data in ``data/schema.csv``.

Each row names a table's column with its type, unit, whether it is required and what it
means. Parsing, validation, the docs and the exporters all read this one table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["TABLES", "ColumnSpec", "table_schema"]

#: Tables in load order (a table may reference the ones before it).
TABLES: tuple[str, ...] = (
    "sources",
    "commodities",
    "passages",
    "modes",
    "mode_costs",
    "nodes",
    "links",
    "transfers",
    "demand",
    "published_shares",
    "published_counts",
    "regions",
    "section_times",
    "rate_index",
)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of one table.

    Attributes
    ----------
    table, name
        Where the column is.
    type
        ``id``, ``str``, ``float``, ``int``, ``country``, ``unit``, ``layer``,
        ``list`` or ``list:<kind>``, ``enum:a|b|c`` or ``ref:<table>``.
    unit
        Physical unit of a number (``km``, ``h``, ...), or ``""``.
    required
        Whether every row must give a value.
    description
        What the column means.
    minimum, maximum
        Physical range of a number, in ``unit`` (``None``: no bound); every number must
        also be finite.
    exclusive_min
        Whether ``minimum`` itself is refused (schema.csv writes ``>0`` for "above 0").
    """

    table: str
    name: str
    type: str
    unit: str
    required: bool
    description: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_min: bool = False

    @property
    def is_number(self) -> bool:
        """Whether the column holds a number (float or int).

        Examples
        --------
        >>> ColumnSpec("links", "length_km", "float", "km", True, "").is_number
        True
        """
        return self.type in {"float", "int"} or self.name == "gauge_mm"

    @property
    def bounds_text(self) -> str:
        """The range as text, with the unit (``""`` when unbounded).

        Examples
        --------
        >>> table_schema("modes")[1].bounds_text
        '> 0 and <= 200 km/h'
        """
        parts = []
        if self.minimum is not None:
            parts.append(f"{'>' if self.exclusive_min else '>='} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        return " and ".join(parts) + (f" {self.unit}" if parts and self.unit else "")

    @property
    def choices(self) -> tuple[str, ...]:
        """Allowed values of an ``enum:`` column, else ``()``."""
        return tuple(self.type[5:].split("|")) if self.type.startswith("enum:") else ()


def _bound(text: str | None) -> float | None:
    """A bound written in schema.csv (``""`` or missing: none; ``>0``: above 0)."""
    text = (text or "").lstrip(">").strip()
    return float(text) if text else None


@cache
def _all_specs() -> dict[str, tuple[ColumnSpec, ...]]:
    text = resources.files("corridors").joinpath("data/schema.csv").read_text("utf-8")
    out: dict[str, list[ColumnSpec]] = {t: [] for t in TABLES}
    for row in csv.DictReader(text.splitlines()):
        spec = ColumnSpec(
            table=row["table"],
            name=row["column"],
            type=row["type"],
            unit=row["unit"],
            required=row["required"] == "yes",
            description=row["description"],
            minimum=_bound(row.get("min")),
            maximum=_bound(row.get("max")),
            exclusive_min=(row.get("min") or "").startswith(">"),
        )
        out.setdefault(spec.table, []).append(spec)
    return {t: tuple(cols) for t, cols in out.items()}


def table_schema(table: str) -> tuple[ColumnSpec, ...]:
    """Columns of ``table`` in schema order.

    Examples
    --------
    >>> [c.name for c in table_schema("passages")][:3]
    ['id', 'name', 'lat']
    """
    return _all_specs()[table]
