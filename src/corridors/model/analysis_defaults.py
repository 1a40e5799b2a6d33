"""Dataset facts the analyses use by default, as data (``analysis_defaults.yaml``).

Named corridor options (each a set of closures), the pairs the demo and the comparison
route, the energy commodities and supply countries the comparison follows and the market
segment of the published overland shares are facts about a dataset, not engine code. They
live in the dataset folder beside the tables, are typed here by pydantic models and are
checked against the tables when the network loads (:func:`check_defaults`): every
problem names the file, the line, the field and the value, like a table problem.

A network without the file has ``defaults = None``; an analysis that needs one of these
facts then asks for it as an argument (:func:`missing`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corridors.errors import CorridorsError, Problem
from corridors.io.defaults_file import DEFAULTS_FILE, DefaultsText, Loc
from corridors.model.validate import is_country

__all__ = [
    "AnalysisDefaults",
    "AssignmentDefaults",
    "CompareDefaults",
    "CorridorOptionSpec",
    "DemoDefaults",
    "OptionClosures",
    "check_defaults",
    "missing",
]

Mode = Literal["rail", "road", "sea", "ferry", "oil_pipeline", "gas_pipeline", "tanker", "air"]
Pair = tuple[str, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionClosures(_Strict):
    """What an option closes (as a scenario's ``close``): country codes and ids."""

    countries: tuple[str, ...] = Field(default=(), description="ISO alpha-2 codes closed.")
    nodes: tuple[str, ...] = Field(default=(), description="Node ids closed.")
    links: tuple[str, ...] = Field(default=(), description="Link ids closed.")
    passages: tuple[str, ...] = Field(default=(), description="Sea passage ids closed.")
    modes: tuple[Mode, ...] = Field(default=(), description="Modes closed.")


class CorridorOptionSpec(_Strict):
    """A named way of going: a key, a label and closures."""

    key: str = Field(pattern=r"^[a-z0-9_]+$", description="Option id (lowercase, digits, _).")
    label: str = Field(min_length=1, description="What the option is, for tables.")
    close: OptionClosures = Field(default=OptionClosures(), description="What it closes.")


class DemoDefaults(_Strict):
    """``corridors demo``: pairs routed under options, and a sourced note."""

    pairs: tuple[Pair, ...] = Field(min_length=1, description="[origin, destination] node ids.")
    options: tuple[str, ...] = Field(min_length=1, description="Corridor option keys.")
    note: str = Field(default="", description="A line printed under the tables.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids of the note.")


class CompareDefaults(_Strict):
    """``corridors compare``: ways of going, default pairs, energy followed."""

    options: tuple[str, ...] = Field(min_length=1, description="Corridor option keys.")
    pairs: tuple[Pair, ...] = Field(
        default=(), description="Pairs routed when the demand table has no container rows."
    )
    energy_commodities: tuple[str, ...] = Field(
        default=(), description="Commodity ids whose maximum flows are compared."
    )
    supply_countries: tuple[str, ...] = Field(
        default=(), description="Countries (ISO alpha-2) whose fields supply those flows."
    )


class AssignmentDefaults(_Strict):
    """``corridors assign``: the segment whose overland shares meet the published ones."""

    overland_segment: str = Field(min_length=1, description="A demand.segment value.")


class AnalysisDefaults(_Strict):
    """Everything ``analysis_defaults.yaml`` holds (each section optional).

    Examples
    --------
    >>> d = AnalysisDefaults.model_validate(
    ...     {"corridor_options": [{"key": "north", "label": "North",
    ...                            "close": {"modes": ["ferry"]}}]})
    >>> d.option("north").close.modes
    ('ferry',)
    """

    corridor_options: tuple[CorridorOptionSpec, ...] = Field(
        default=(), description="Named ways of going."
    )
    demo: DemoDefaults | None = None
    compare: CompareDefaults | None = None
    assignment: AssignmentDefaults | None = None

    def option(self, key: str) -> CorridorOptionSpec:
        """The option ``key``.

        Raises
        ------
        CorridorsError
            If there is none, listing the known keys.
        """
        for o in self.corridor_options:
            if o.key == key:
                return o
        known = ", ".join(o.key for o in self.corridor_options) or "none"
        raise CorridorsError(f"unknown corridor option {key!r} (known: {known})")


def missing(section: str, argument: str) -> CorridorsError:
    """The error of an analysis that needs a default the network does not have.

    Examples
    --------
    >>> print(missing("compare.options", "corridors"))
    the network has no compare.options in analysis_defaults.yaml: pass corridors= explicitly
    """
    return CorridorsError(
        f"the network has no {section} in {DEFAULTS_FILE}: pass {argument}= explicitly"
    )


# ----------------------------------------------------------------------------- checks


class _Found:
    """Collects problems, each at the line of its field."""

    def __init__(self, text: DefaultsText) -> None:
        self.text = text
        self.problems: list[Problem] = []

    def add(self, loc: Loc, value: Any, message: str) -> None:
        field = ".".join(str(p) for p in loc)
        shown = "" if isinstance(value, dict | list) else str(value)
        self.problems.append(Problem(self.text.file, self.text.line(loc), field, shown, message))

    def ids(self, loc: Loc, values: Iterable[str], known: Iterable[str], what: str) -> None:
        allowed = frozenset(known)
        for i, v in enumerate(values):
            if v not in allowed:
                self.add((*loc, i), v, f"unknown {what}")

    def countries(self, loc: Loc, values: Iterable[str]) -> None:
        for i, v in enumerate(values):
            if not is_country(v):
                self.add((*loc, i), v, "not an ISO 3166-1 alpha-2 country code")


def _ids(df: pd.DataFrame, column: str = "id") -> frozenset[str]:
    return frozenset(df[column].astype(str)) if column in df else frozenset()


def _check_refs(d: AnalysisDefaults, tables: dict[str, pd.DataFrame], found: _Found) -> None:
    nodes, keys = _ids(tables["nodes"]), [o.key for o in d.corridor_options]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            found.add(("corridor_options", i, "key"), key, "duplicate corridor option key")
    for i, o in enumerate(d.corridor_options):
        at: Loc = ("corridor_options", i, "close")
        found.countries((*at, "countries"), o.close.countries)
        found.ids((*at, "nodes"), o.close.nodes, nodes, "node id")
        found.ids((*at, "links"), o.close.links, _ids(tables["links"]), "link id")
        found.ids((*at, "passages"), o.close.passages, _ids(tables["passages"]), "passage id")
    for name, section in (("demo", d.demo), ("compare", d.compare)):
        if section is None:
            continue
        found.ids((name, "options"), section.options, keys, "corridor option key")
        for i, pair in enumerate(section.pairs):
            found.ids((name, "pairs", i), pair, nodes, "node id")
    if d.demo is not None:
        found.ids(("demo", "sources"), d.demo.sources, _ids(tables["sources"]), "source id")
    if d.compare is not None:
        found.countries(("compare", "supply_countries"), d.compare.supply_countries)
        found.ids(
            ("compare", "energy_commodities"),
            d.compare.energy_commodities,
            _ids(tables["commodities"]),
            "commodity id",
        )
    demand = tables["demand"]
    segments = {str(s) for s in demand["segment"] if str(s)} if "segment" in demand else set()
    if d.assignment is not None and segments and d.assignment.overland_segment not in segments:
        found.add(
            ("assignment", "overland_segment"),
            d.assignment.overland_segment,
            f"no demand row has this segment (segments: {', '.join(sorted(segments))})",
        )


def check_defaults(
    text: DefaultsText, tables: dict[str, pd.DataFrame]
) -> tuple[AnalysisDefaults | None, list[Problem]]:
    """Type ``analysis_defaults.yaml`` and check its ids against the validated tables.

    Parameters
    ----------
    text
        The file as read by :func:`corridors.io.defaults_file.read_defaults_file`.
    tables
        The typed tables of the same folder.

    Returns
    -------
    defaults, problems
        The defaults (``None`` when a field has the wrong shape) and every problem, each
        with the file, line, field path and value.

    Examples
    --------
    >>> from corridors.io.defaults_file import DefaultsText
    >>> empty = pd.DataFrame({"id": []})
    >>> tables = {t: empty for t in ("nodes", "links", "passages", "sources", "commodities")}
    >>> tables["demand"] = pd.DataFrame()
    >>> text = DefaultsText("analysis_defaults.yaml",
    ...     {"corridor_options": [{"key": "x", "label": "X", "close": {"passages": ["suez"]}}],
    ...      "demo": {"pairs": [["a", "b"]], "optionz": []}},
    ...     {(): 1, ("demo",): 4})
    >>> for p in check_defaults(text, tables)[1]:
    ...     print(p)
    analysis_defaults.yaml:4: demo.options='': Field required
    analysis_defaults.yaml:4: demo.optionz='': Extra inputs are not permitted
    >>> d, problems = check_defaults(DefaultsText("analysis_defaults.yaml",
    ...     {"corridor_options": [{"key": "x", "label": "X", "close": {"passages": ["suez"]}}]}),
    ...     tables)
    >>> [str(p) for p in problems]
    ["analysis_defaults.yaml: corridor_options.0.close.passages.0='suez': unknown passage id"]
    """
    found = _Found(text)
    try:
        defaults = AnalysisDefaults.model_validate(text.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, int | str))
            found.add(loc, err.get("input", ""), err["msg"])
        return None, found.problems
    _check_refs(defaults, tables, found)
    return (None if found.problems else defaults), found.problems
