"""Scenarios: closures, overrides and additions, applied as a pure ``Network -> Network``.

A scenario is data (a pydantic model, loadable from YAML). "Avoid Russia" is a scenario,
not a special case: the CLI flags ``--avoid``, ``--avoid-passage`` and ``--avoid-mode``
build one. Applying it never mutates the network it is given.

Conventions (``docs/data.md``): closing a country removes every node in it and every link
that crosses it; closing a sea passage removes every link that uses it; closing a node
removes its links and transfers.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, cast

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corridors.errors import MAX_SHOWN, DataError, ScenarioError, shorten
from corridors.io.scenario_files import read_scenario, shipped_scenarios, yaml_line
from corridors.model.network import Network, derive_link_columns
from corridors.model.schema import TABLES, table_schema
from corridors.model.validate import is_country, validate_tables

__all__ = [
    "Closures",
    "Override",
    "Scenario",
    "apply_scenario",
    "compose",
    "load_scenario",
    "shipped_scenarios",
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

    return Scenario(
        name=" + ".join(s.name for s in scenarios),
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


def _as_text(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """A typed table back as text, so that validation can run over it with additions."""
    out = pd.DataFrame(index=range(len(df)))
    for spec in table_schema(table):
        col = df[spec.name].tolist() if spec.name in df else [""] * len(df)
        out[spec.name] = [_cell(v) for v in col]
    out["_file"] = df["_file"].tolist() if "_file" in df else ""
    out["_row"] = df["_row"].tolist() if "_row" in df else 0
    return out


def _cell(value: object) -> str:
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return "" if value != value else repr(value)
    return "" if value is None else str(value)


def _rows_as_text(rows: Sequence[dict[str, Any]], table: str, label: str) -> pd.DataFrame:
    names = {c.name for c in table_schema(table)}
    for i, row in enumerate(rows, start=1):
        unknown = set(row) - names
        if unknown:
            raise ScenarioError(f"{label} #{i}: unknown field(s) {', '.join(sorted(unknown))}")
    df = pd.DataFrame([{k: _cell(v) for k, v in row.items()} for row in rows])
    df = _as_text(df, table)
    df["_file"] = label
    df["_row"] = range(1, len(rows) + 1)
    return df


def _with_additions(net: Network, scenario: Scenario) -> Network:
    raw = {
        t: _as_text(getattr(net, t).reset_index(drop=True), t)
        for t in TABLES
        if t not in ("nodes", "links")
    }
    label = f"scenario {scenario.name}"
    raw["nodes"] = pd.concat(
        [
            _as_text(net.nodes, "nodes"),
            _rows_as_text(scenario.add_nodes, "nodes", f"{label}: add_nodes"),
        ],
        ignore_index=True,
    )
    raw["links"] = _rows_as_text(scenario.add_links, "links", f"{label}: add_links")
    tables, problems = validate_tables(raw)
    clash = set(tables["links"]["id"]) & set(net.links.index)
    if problems or clash:
        if clash:
            raise ScenarioError(
                f"{label}: add_links reuse existing link ids: {', '.join(sorted(clash))}"
            )
        raise DataError(problems)
    added = (
        derive_link_columns(tables["links"], net.modes, net.section_times)
        .set_index("id", drop=False)
        .rename_axis(None)
    )
    return net.replace(nodes=tables["nodes"], links=pd.concat([net.links, added]))


def _check_ids(kind: str, wanted: Iterable[str], known: Iterable[str], scenario: Scenario) -> None:
    names = [str(k) for k in known]
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        parts = []
        for name in unknown[:MAX_SHOWN]:
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            parts.append(f"{shorten(name)}{hint}")
        more = f" and {len(unknown) - MAX_SHOWN} more" if len(unknown) > MAX_SHOWN else ""
        raise ScenarioError(
            f"scenario {shorten(scenario.name)!r}: unknown {kind}: {', '.join(parts)}{more}"
        )


def _scaled_or_set(
    frame: pd.DataFrame, pick: pd.Series, cols: list[str], ov: Override
) -> pd.DataFrame:
    out = frame.copy()
    for col in cols:
        if ov.scale is not None:
            out.loc[pick, col] = out.loc[pick, col] * ov.scale
        else:
            out.loc[pick, col] = ov.set
    return out


def _override(links: pd.DataFrame, ov: Override) -> pd.DataFrame:
    pick = pd.Series(True, index=links.index)
    if ov.links:
        pick &= links.index.isin(ov.links)
    if ov.modes:
        pick &= links["mode"].isin(ov.modes)
    if ov.nodes:
        pick &= links["from"].isin(ov.nodes) | links["to"].isin(ov.nodes)
    if ov.countries:
        wanted = set(ov.countries)
        pick &= links["countries"].map(lambda cs: bool(wanted & set(cs)))
    if ov.field == "cost" and ov.set is not None:
        out = _scaled_or_set(links, pick, ["cost_usd"], ov)
        out.loc[pick, "cost_scale"] = 1.0
        return out
    cols = {
        "time": ["time_low_h", "time_high_h"],
        "capacity": ["capacity"],
        "cost": ["cost_scale"],
        "headway": ["headway_h"],
    }[ov.field]
    out = _scaled_or_set(links, pick, cols, ov)
    if ov.field == "time":
        out.loc[pick, "time_source"] = "scenario"
    return out


def _override_transfers(transfers: pd.DataFrame, ov: Override) -> pd.DataFrame:
    pick = pd.Series(True, index=transfers.index)
    if ov.transfers:
        pick &= transfers["id"].isin(ov.transfers)
    if ov.nodes:
        pick &= transfers["node"].isin(ov.nodes)
    cols = {"time": ["time_low_h", "time_high_h"], "cost": ["cost_usd"], "capacity": ["capacity"]}
    return _scaled_or_set(transfers, pick, cols[ov.field], ov)


def _override_nodes(nodes: pd.DataFrame, ov: Override) -> pd.DataFrame:
    pick = pd.Series(True, index=nodes.index)
    if ov.nodes:
        pick &= nodes.index.isin(ov.nodes)
    if ov.countries:
        pick &= nodes["country"].isin(ov.countries)
    cols = {"dwell": ["dwell_low_h", "dwell_high_h"], "capacity": ["capacity"]}
    return _scaled_or_set(nodes, pick, cols[ov.field], ov)


def apply_scenario(net: Network, scenario: Scenario) -> Network:
    """Apply a scenario: a new network, the given one untouched.

    Parameters
    ----------
    net
        A validated network.
    scenario
        What to close, open, add and override.

    Returns
    -------
    Network
        The changed network (the same object when the scenario is empty). Results are
        cached on ``net``, so applying the same scenario twice costs nothing.

    Raises
    ------
    ScenarioError
        If the scenario names links, nodes or passages the network does not have.
    DataError
        If added nodes or links fail validation.
    """
    if scenario.is_empty():
        return net
    key = ("scenario", scenario.model_dump_json())
    if key in net.cache:
        cached: Network = net.cache[key]
        return cached
    out = _with_additions(net, scenario) if scenario.add_links or scenario.add_nodes else net
    links, nodes, transfers = out.links, out.nodes, out.transfers
    overridden = [x for ov in scenario.override for x in ov.links]
    _check_ids(
        "links", [*scenario.open_links, *scenario.close.links, *overridden], links.index, scenario
    )
    over_nodes = [x for ov in scenario.override for x in ov.nodes]
    _check_ids("nodes", [*scenario.close.nodes, *over_nodes], nodes.index, scenario)
    over_transfers = [x for ov in scenario.override for x in ov.transfers]
    _check_ids("transfers", over_transfers, transfers["id"], scenario)
    _check_ids("passages", scenario.close.passages, out.passages.index, scenario)
    if scenario.open_links:
        links = links.copy()
        links.loc[list(scenario.open_links), "status"] = "operating"
    close = scenario.close
    gone_nodes = set(close.nodes) | set(nodes.index[nodes["country"].isin(close.countries)])
    countries, passages = set(close.countries), set(close.passages)
    keep = (
        ~links.index.isin(close.links)
        & ~links["mode"].isin(close.modes)
        & ~links["from"].isin(gone_nodes)
        & ~links["to"].isin(gone_nodes)
        & ~links["countries"].map(lambda cs: bool(countries & set(cs)))
        & ~links["passages"].map(lambda ps: bool(passages & set(ps)))
    )
    links = links[keep]
    for ov in scenario.override:
        if ov.target == "transfers":
            transfers = _override_transfers(transfers, ov)
        elif ov.target == "nodes":
            nodes = _override_nodes(nodes, ov)
        else:
            links = _override(links, ov)
    result = out.replace(
        nodes=nodes[~nodes.index.isin(gone_nodes)],
        links=links,
        transfers=transfers[~transfers["node"].isin(gone_nodes)].reset_index(drop=True),
        label=f"{net.label} + {scenario.name}",
    )
    net.cache[key] = result
    return result
