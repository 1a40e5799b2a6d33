"""The validated network: the central contract every analysis reads.

A :class:`Network` holds the typed tables of one dataset (nodes, links, transfers, modes,
mode costs, commodities, passages, sources). It is immutable by convention: scenarios
build a new one (:func:`corridors.model.scenario.apply_scenario`). Graphs compiled from it
are cached on it, keyed by commodity and objective, and reused across queries.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from corridors.errors import DataError
from corridors.io import network_cache
from corridors.io.defaults_file import read_defaults_file
from corridors.io.geometry import LinkLines, read_link_lines
from corridors.io.tables import default_data_dir, read_table_files
from corridors.model.analysis_defaults import AnalysisDefaults, check_defaults
from corridors.model.schema import TABLES, table_schema
from corridors.model.sections import apply_section_times
from corridors.model.validate import link_layer, validate_tables

__all__ = ["Network", "derive_link_columns", "from_frames", "load"]


@dataclass(eq=False)
class Network:
    """A validated multimodal network.

    Attributes
    ----------
    nodes
        One row per node, indexed by node id.
    links
        One row per link (``id``, ``from``, ``to``, ``mode``, ``layer``, ``length_km``,
        ``time_low_h``, ``time_high_h``, ``countries`` (tuple), ``passages`` (tuple), ...),
        indexed by link id. ``time_source`` says whether the time is the link's own
        (``link``) or derived from the mode's speed (``mode_speed``).
    published_shares
        Published route and transit shares (``published_shares.csv``) that the assignment
        sets its shares against.
    published_counts
        Published counts of a country's corridors (``published_counts.csv``: railways,
        roads, air corridors ...) that the corridor inventory sets beside the links.
    defaults
        The dataset's analysis defaults (``analysis_defaults.yaml``: corridor options,
        default pairs, supply countries ...), or None when the folder has none.
    transfers, modes, mode_costs, commodities, passages, sources, demand, regions
        The other tables of the schema (demand: amounts per year between nodes; regions:
        named groups of countries such as the EU, indexed by id).
    section_times, rate_index
        Published section speeds and service times (applied to ``links`` when loaded), and
        market rates by year as multiples of the ``mode_costs`` reference year
        (:func:`corridors.model.rates.rates_scenario`).
    label
        Where the network came from, and the scenarios applied to it.
    link_geometry
        Stored lines of links (link id -> ``(lon, lat)`` points from the link's ``from``
        node): the searoute lines of sea links. Links without one are straight segments.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    transfers: pd.DataFrame
    modes: pd.DataFrame
    mode_costs: pd.DataFrame
    commodities: pd.DataFrame
    passages: pd.DataFrame
    sources: pd.DataFrame
    demand: pd.DataFrame = field(default_factory=pd.DataFrame)
    published_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    published_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    defaults: AnalysisDefaults | None = None
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    section_times: pd.DataFrame = field(default_factory=pd.DataFrame)
    rate_index: pd.DataFrame = field(default_factory=pd.DataFrame)
    label: str = "default"
    link_geometry: LinkLines = field(default_factory=dict, repr=False)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def fingerprint(self) -> str:
        """A short hash of the tables' content, stable across runs."""
        if "fingerprint" not in self.cache:
            h = hashlib.sha256()
            for df in (self.nodes, self.links, self.transfers, self.modes, self.mode_costs):
                h.update(
                    pd.util.hash_pandas_object(df.astype(str), index=True).to_numpy().tobytes()
                )
            self.cache["fingerprint"] = h.hexdigest()[:16]
        return str(self.cache["fingerprint"])

    def replace(
        self, **tables: pd.DataFrame | str | AnalysisDefaults | LinkLines | None
    ) -> Network:
        """A new network with some tables (or the label) replaced and an empty cache."""
        current = {
            name: getattr(self, name)
            for name in (
                "nodes",
                "links",
                "transfers",
                "modes",
                "mode_costs",
                "commodities",
                "passages",
                "sources",
                "demand",
                "published_shares",
                "published_counts",
                "defaults",
                "regions",
                "section_times",
                "rate_index",
                "label",
                "link_geometry",
            )
        }
        current.update(tables)
        return Network(**current)

    def countries(self) -> frozenset[str]:
        """Every country code that a node or link of the network lies in."""
        linked = {c for cs in self.links["countries"] for c in cs}
        return frozenset(set(self.nodes["country"]) | linked)


def _layers(mode: pd.Series, gauge: pd.Series) -> list[str]:
    """:func:`~corridors.model.validate.link_layer` of every link, by distinct gauge."""
    modes = mode.astype(str).to_numpy(dtype=object)
    gauges = gauge.astype(float).to_numpy()
    out = modes.copy()
    rail = (modes == "rail") & ~np.isnan(gauges)
    for value in np.unique(gauges[rail]):
        out[rail & (gauges == value)] = link_layer("rail", float(value))
    return list(out)


def derive_link_columns(
    links: pd.DataFrame, modes: pd.DataFrame, sections: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add ``layer`` and fill missing running times from the mode's speed range.

    A link without its own time runs at the mode's commercial speed: the high speed gives
    the low time and the low speed the high time; a matching ``section_times`` row gives
    its own speeds and service times (:func:`corridors.model.sections.apply_section_times`).
    ``time_source`` records which applied.

    Parameters
    ----------
    links
        Typed links table.
    modes
        Typed modes table (``mode``, ``speed_low_kmh``, ``speed_high_kmh``).
    sections
        Typed ``section_times`` table, or None.

    Returns
    -------
    pandas.DataFrame
        A copy of ``links`` with ``layer``, ``time_source`` and times filled where the
        mode has a speed.
    """
    out = links.copy()
    out["layer"] = _layers(out["mode"], out["gauge_mm"])
    speeds = (
        modes.set_index("mode")
        if len(modes)
        else pd.DataFrame(columns=["speed_low_kmh", "speed_high_kmh"])
    )
    own = out["time_low_h"].notna() & out["time_high_h"].notna()
    low_speed = out["mode"].map(speeds["speed_low_kmh"]).astype(float)
    high_speed = out["mode"].map(speeds["speed_high_kmh"]).astype(float)
    out["time_low_h"] = np.where(own, out["time_low_h"], out["length_km"] / high_speed)
    out["time_high_h"] = np.where(own, out["time_high_h"], out["length_km"] / low_speed)
    out["time_source"] = np.where(own, "link", "mode_speed")
    out = apply_section_times(out, sections)
    if "cost_scale" not in out:
        out["cost_scale"] = 1.0
    return out


def _assemble(
    tables: dict[str, pd.DataFrame], label: str, defaults: AnalysisDefaults | None = None
) -> Network:
    links = derive_link_columns(tables["links"], tables["modes"], tables["section_times"])
    links = links.set_index("id", drop=False)
    links.index.name = None
    return Network(
        nodes=tables["nodes"],
        links=links,
        transfers=tables["transfers"].reset_index(drop=True),
        modes=tables["modes"].reset_index(drop=True),
        mode_costs=tables["mode_costs"].reset_index(drop=True),
        commodities=tables["commodities"].set_index("id", drop=False).rename_axis(None),
        passages=tables["passages"].set_index("id", drop=False).rename_axis(None),
        sources=tables["sources"].set_index("id", drop=False).rename_axis(None),
        demand=tables["demand"].reset_index(drop=True),
        published_shares=tables["published_shares"].reset_index(drop=True),
        published_counts=tables["published_counts"].reset_index(drop=True),
        defaults=defaults,
        regions=tables["regions"].set_index("id", drop=False).rename_axis(None),
        section_times=tables["section_times"].reset_index(drop=True),
        rate_index=tables["rate_index"].reset_index(drop=True),
        label=label,
    )


class _Loader(Protocol):
    def __call__(self, path: str | Path | None = None) -> Network: ...


def _cached_on_disk(build: _Loader) -> _Loader:
    """Serve ``build(path)`` from the disk cache of validated networks while its files are unchanged.

    The key (:func:`corridors.io.network_cache.network_key`) fingerprints every file of the
    folder; a network that fails validation raises and is never stored; the stored copy
    keeps every field but the ``cache`` of compiled graphs.
    """

    @functools.wraps(build)
    def load(path: str | Path | None = None) -> Network:
        folder = Path(path) if path is not None else default_data_dir()
        store = network_cache.cache_dir() if folder.is_dir() else None
        if store is None:
            return build(path)
        label = "default" if path is None else str(folder)
        key = network_cache.network_key(folder, label=label)
        cached = network_cache.read_entry(key, store)
        if isinstance(cached, Network):
            return cached
        net = build(path)
        entry = copy.copy(net)
        entry.cache = {}
        network_cache.write_entry(key, entry, store)
        return net

    return load


@_cached_on_disk
def load(path: str | Path | None = None) -> Network:
    """Load and validate a network from a folder of CSV tables.

    Parameters
    ----------
    path
        Folder of tables in the layout of ``docs/data.md``; ``None`` loads the embedded
        default dataset (Eurasia).

    Returns
    -------
    Network
        The validated network.

    Raises
    ------
    DataError
        Listing every problem found, each with file, row, column and value.

    Notes
    -----
    A validated network is kept in a disk cache (:mod:`corridors.io.network_cache`)
    keyed by a fingerprint of every file of the folder, so a second load of unchanged
    tables skips reading and validation; ``CORRIDORS_NO_CACHE=1`` turns it off.

    Examples
    --------
    >>> net = load()
    >>> "duisburg" in net.nodes.index
    True
    """
    folder = Path(path) if path is not None else default_data_dir()
    raw, problems = read_table_files(folder)
    tables, problems = validate_tables(raw, problems)
    text, more = read_defaults_file(folder)
    defaults, checked = check_defaults(text, tables) if text is not None else (None, [])
    lines, line_problems = read_link_lines(folder)
    problems = [*problems, *more, *checked, *line_problems]
    if problems:
        raise DataError(problems)
    net = _assemble(tables, "default" if path is None else str(folder), defaults)
    net.link_geometry = lines
    return net


def _text(value: object) -> str:
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def from_frames(frames: dict[str, pd.DataFrame], label: str = "frames") -> Network:
    """Build and validate a network from in-memory tables (same columns as the CSV files).

    Missing tables are empty; missing optional columns are empty. Problems name the table
    as the file and the 1-based row + 1 (as if the header were line 1).

    Raises
    ------
    DataError
        Listing every problem found.

    Examples
    --------
    >>> import pandas as pd
    >>> frames = {
    ...     "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2024]}),
    ...     "commodities": pd.DataFrame({"id": ["container"], "name": ["Containers"],
    ...                                  "unit": ["TEU"], "modes": ["road"]}),
    ...     "nodes": pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["city", "city"],
    ...                            "country": ["DE", "PL"], "lat": [52.0, 52.0], "lon": [13.0, 21.0],
    ...                            "sources": ["s", "s"]}),
    ...     "links": pd.DataFrame({"id": ["ab"], "from": ["a"], "to": ["b"], "mode": ["road"],
    ...                            "length_km": [600.0], "time_low_h": [8.0], "time_high_h": [10.0],
    ...                            "countries": ["DE;PL"], "status": ["operating"],
    ...                            "direction": ["both"], "sources": ["s"]}),
    ... }
    >>> from_frames(frames).links.loc["ab", "layer"]
    'road'
    """
    raw: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        cols = [c.name for c in table_schema(table)]
        given = frames.get(table, pd.DataFrame(columns=cols))
        text = pd.DataFrame(
            {c: [_text(v) for v in given[c]] if c in given else [""] * len(given) for c in cols}
        )
        text["_file"] = table
        text["_row"] = range(2, len(given) + 2)
        raw[table] = text
    tables, problems = validate_tables(raw)
    if problems:
        raise DataError(problems)
    return _assemble(tables, label)
