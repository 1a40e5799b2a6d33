"""The scenario model: closures, overrides and additions as data (pydantic), and loading.

A scenario is data (a pydantic model, loadable from YAML). "Avoid Russia" is a scenario,
not a special case: the CLI flags ``--avoid``, ``--avoid-passage`` and ``--avoid-mode``
build one. :mod:`corridors.model.scenario` applies it to a network and re-exports
everything here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corridors.errors import MAX_SHOWN, ScenarioError, shorten
from corridors.io.scenario_files import read_scenario, yaml_line
from corridors.model.validate import is_country

__all__ = [
    "Closures",
    "Override",
    "Scenario",
    "compose",
    "load_scenario",
    "scenario_from_mapping",
]

Mode = Literal["rail", "road", "sea", "ferry", "oil_pipeline", "gas_pipeline", "tanker", "air"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _iso_codes(value: tuple[str, ...]) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in value)
    bad = [c for c in codes if not is_country(c)]
    if bad:
        raise ValueError(f"not ISO 3166-1 alpha-2 country codes: {', '.join(bad)}")
    return codes


class Closures(_Strict):
    """What a scenario closes. Countries are ISO alpha-2 codes; the rest are ids."""

    countries: tuple[str, ...] = Field(
        default=(),
        description="Countries closed (ISO 3166-1 alpha-2): their nodes and every link "
        "crossing them are removed.",
    )
    nodes: tuple[str, ...] = Field(
        default=(), description="Node ids closed: the nodes, their links and transfers."
    )
    links: tuple[str, ...] = Field(default=(), description="Link ids closed.")
    passages: tuple[str, ...] = Field(
        default=(),
        description="Sea passage ids closed (suez, babalmandab, bosporus ...): every link "
        "using one is removed.",
    )
    modes: tuple[Mode, ...] = Field(
        default=(), description="Modes closed: every link of the mode is removed."
    )

    @field_validator("countries")
    @classmethod
    def _iso(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _iso_codes(value)

    def items(self) -> list[tuple[str, str]]:
        """Every closed thing as ``(kind, id)``, in a stable order."""
        return [
            (k, v)
            for k in ("countries", "nodes", "links", "passages", "modes")
            for v in getattr(self, k)
        ]

    def is_empty(self) -> bool:
        """Whether nothing is closed."""
        return not self.items()


#: Largest factor an override may scale by.
MAX_SCALE = 1e4
#: Largest value an override may set (hours, USD or a capacity in its own unit).
MAX_SET = 1e10

#: Fields an override may change, per target table.
OVERRIDE_FIELDS: dict[str, frozenset[str]] = {
    "links": frozenset({"time", "cost", "capacity", "headway"}),
    "transfers": frozenset({"time", "cost", "capacity"}),
    "nodes": frozenset({"dwell", "capacity"}),
}


_SELECTORS: dict[str, frozenset[str]] = {
    "links": frozenset({"links", "modes", "countries", "nodes"}),
    "transfers": frozenset({"transfers", "nodes"}),
    "nodes": frozenset({"nodes", "countries"}),
}


class Override(_Strict):
    """Scale or set one field of the links, transfers or nodes a selector picks.

    The selectors combine with AND; an empty selector picks every row of the target.
    """

    target: Literal["links", "transfers", "nodes"] = Field(
        default="links",
        description="Which table the override changes: links (default), transfers (gauge "
        "changes, port handling) or nodes (border and port dwell, handling capacity).",
    )
    links: tuple[str, ...] = Field(default=(), description="Selector: these link ids only.")
    transfers: tuple[str, ...] = Field(
        default=(), description="Selector (target transfers): these transfer ids only."
    )
    nodes: tuple[str, ...] = Field(
        default=(),
        description="Selector: these node ids (target nodes), transfers at these nodes "
        "(target transfers), or links with an end at these nodes (target links).",
    )
    modes: tuple[Mode, ...] = Field(default=(), description="Selector: links of these modes.")
    countries: tuple[str, ...] = Field(
        default=(), description="Selector: links crossing any of these countries (ISO alpha-2)."
    )
    field: Literal["time", "cost", "capacity", "headway", "dwell"] = Field(
        description="What to change: time (both times, low and high, of links or "
        "transfers), cost (USD per unit; on links scale multiplies the derived cost), "
        "capacity (in the row's own capacity_unit), headway (links: hours between "
        "sailings or departures; the expected wait is half of it) or dwell (nodes: both "
        "dwell times)."
    )
    scale: float | None = Field(
        default=None,
        gt=0,
        le=MAX_SCALE,
        strict=True,
        description=f"Multiply the field by this factor (> 0, at most {MAX_SCALE:g}).",
    )
    set: float | None = Field(
        default=None,
        ge=0,
        le=MAX_SET,
        strict=True,
        description=f"Set the field to this value (a finite number, at most {MAX_SET:g}).",
    )

    @field_validator("countries")
    @classmethod
    def _iso(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _iso_codes(value)

    @model_validator(mode="after")
    def _one_of(self) -> Override:
        if (self.scale is None) == (self.set is None):
            raise ValueError("give exactly one of 'scale' and 'set'")
        allowed = OVERRIDE_FIELDS[self.target]
        if self.field not in allowed:
            raise ValueError(
                f"field {self.field!r} does not apply to {self.target} "
                f"(allowed: {', '.join(sorted(allowed))})"
            )
        misplaced = [
            name
            for name, value in (
                ("links", self.links),
                ("modes", self.modes),
                ("countries", self.countries),
                ("transfers", self.transfers),
            )
            if value and name not in _SELECTORS[self.target]
        ]
        if misplaced:
            raise ValueError(f"selector(s) {', '.join(misplaced)} do not apply to {self.target}")
        return self


class Scenario(_Strict):
    """A what-if: closures, links opened or added, and overrides.

    Examples
    --------
    >>> s = Scenario.from_flags(avoid=["RU", "BY"], avoid_passages=["suez"])
    >>> s.close.countries, s.close.passages
    (('RU', 'BY'), ('suez',))
    """

    name: str = Field(
        default="custom", description="Short id (a shipped scenario's file name without .yaml)."
    )
    title: str = Field(default="", description="One-line title.")
    description: str = Field(
        default="",
        description="What happened or is announced, and what the scenario changes (one paragraph).",
    )
    date: str = Field(
        default="",
        description="Date the scenario refers to (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD).",
    )
    year: int | None = Field(
        default=None,
        ge=1950,
        le=2100,
        strict=True,
        description="Year whose network the scenario applies to (capacities, demand and "
        "background flows of that year, links by start year and status); `--year` "
        "overrides it. Composed scenarios take the latest.",
    )
    sources: tuple[str, ...] = Field(
        default=(), description="Publications behind the scenario, one per item."
    )
    close: Closures = Field(default=Closures(), description="What is closed (see below).")
    open_links: tuple[str, ...] = Field(
        default=(),
        description="Link ids set to operating (planned or suspended links brought into use).",
    )
    override: tuple[Override, ...] = Field(
        default=(), description="Changes to link times, costs or capacities, in order."
    )
    add_nodes: tuple[dict[str, Any], ...] = Field(
        default=(), description="Nodes added: rows of the nodes table (columns of schema.csv)."
    )
    add_links: tuple[dict[str, Any], ...] = Field(
        default=(), description="Links added: rows of the links table (columns of schema.csv)."
    )

    @classmethod
    def from_flags(
        cls,
        *,
        avoid: Iterable[str] = (),
        avoid_passages: Iterable[str] = (),
        avoid_modes: Iterable[str] = (),
    ) -> Scenario:
        """Build the scenario that ``--avoid``, ``--avoid-passage`` and ``--avoid-mode`` mean."""
        avoid, avoid_passages, avoid_modes = list(avoid), list(avoid_passages), list(avoid_modes)
        parts = [f"avoid {','.join(x)}" for x in (avoid, avoid_passages, avoid_modes) if x]
        try:
            return cls(
                name="; ".join(parts) or "baseline",
                close=Closures(
                    countries=tuple(avoid),
                    passages=tuple(p.lower() for p in avoid_passages),
                    modes=cast(Any, tuple(m.lower() for m in avoid_modes)),
                ),
            )
        except ValidationError as exc:
            raise ScenarioError(_explain(exc, "command-line flags")) from None

    def is_empty(self) -> bool:
        """Whether applying it changes nothing."""
        return (
            self.close.is_empty()
            and not self.open_links
            and not self.override
            and not self.add_nodes
            and not self.add_links
        )

    def without(self, kind: str, value: str) -> Scenario:
        """The same scenario with one closure lifted (used to explain 'no route')."""
        kept = tuple(v for v in getattr(self.close, kind) if v != value)
        return self.model_copy(update={"close": self.close.model_copy(update={kind: kept})})


def compose(scenarios: Sequence[Scenario]) -> Scenario:
    """One scenario doing what all of ``scenarios`` do, applied in the given order.

    Closures are united; opened and added links, and overrides, are applied in order
    (a later override acts on the result of an earlier one).

    Examples
    --------
    >>> a = Scenario.from_flags(avoid=["RU"])
    >>> b = Scenario.from_flags(avoid_passages=["suez"])
    >>> c = compose([a, b])
    >>> c.close.countries, c.close.passages
    (('RU',), ('suez',))
    """
    if len(scenarios) == 1:
        return scenarios[0]
    if not scenarios:
        return Scenario(name="baseline")

    def union(kind: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for s in scenarios for v in getattr(s.close, kind)))

    years = [s.year for s in scenarios if s.year is not None]
    return Scenario(
        name=" + ".join(s.name for s in scenarios),
        year=max(years) if years else None,
        description=" ".join(s.description for s in scenarios if s.description),
        sources=tuple(x for s in scenarios for x in s.sources),
        close=Closures.model_validate(
            {k: union(k) for k in ("countries", "nodes", "links", "passages", "modes")}
        ),
        open_links=tuple(x for s in scenarios for x in s.open_links),
        override=tuple(x for s in scenarios for x in s.override),
        add_nodes=tuple(x for s in scenarios for x in s.add_nodes),
        add_links=tuple(x for s in scenarios for x in s.add_links),
    )


def _explain(exc: ValidationError, where: str, text: str | None = None) -> str:
    lines = [f"invalid scenario in {where}:"]
    for err in exc.errors():
        loc = [p for p in err["loc"] if isinstance(p, int | str)]
        field = ".".join(str(p) for p in loc) or "(top level)"
        at = f" (line {yaml_line(text, loc)})" if text is not None else ""
        value = err.get("input")
        shown = f" = {shorten(repr(value))}" if not isinstance(value, dict | list) else ""
        lines.append(f"  {field}{shown}{at}: {err['msg']}")
        if len(lines) > MAX_SHOWN:
            lines.append(f"  ... and {len(exc.errors()) - MAX_SHOWN} more")
            break
    return "\n".join(lines)


def scenario_from_mapping(data: Any, path: Path, text: str | None = None) -> Scenario:
    """Build a scenario from a parsed YAML mapping (``path`` names it in errors).

    Raises
    ------
    ScenarioError
        If ``data`` is not a mapping or a field is invalid (naming file, line, field and
        value).
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a YAML mapping (name:, close:, ...)")
    data.setdefault("name", path.stem)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_explain(exc, str(path), text)) from None


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a scenario from a YAML file, or a shipped one by name.

    Reading is :func:`corridors.io.scenario_files.read_scenario` (bounded, safe loader).

    Raises
    ------
    ScenarioError
        If the file cannot be read or parsed, or a field is invalid (naming file, line,
        field and value).
    """
    data, text, path = read_scenario(name_or_path)
    return scenario_from_mapping(data, path, text)
