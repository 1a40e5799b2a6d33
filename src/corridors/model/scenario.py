"""Scenarios: closures, overrides and additions, applied as a pure ``Network -> Network``.

The scenario model (what a scenario file holds) is :mod:`corridors.model.scenario_model`,
re-exported here. Applying a scenario never mutates the network it is given.

Conventions (``docs/data.md``): closing a country removes every node in it and every link
that crosses it; closing a sea passage removes every link that uses it; closing a node
removes its links and transfers.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from corridors.errors import MAX_SHOWN, DataError, ScenarioError, shorten
from corridors.io.scenario_files import shipped_scenarios
from corridors.model.lru import ENV_SCENARIO_MB, SCENARIO_CACHE_MB, ByteLRU, budget_bytes
from corridors.model.network import Network, derive_link_columns
from corridors.model.scenario_model import (
    Closures,
    Override,
    Scenario,
    compose,
    load_scenario,
    scenario_from_mapping,
)
from corridors.model.schema import TABLES, table_schema
from corridors.model.validate import validate_tables

__all__ = [
    "Closures",
    "Override",
    "Scenario",
    "apply_scenario",
    "compose",
    "load_scenario",
    "scenario_from_mapping",
    "shipped_scenarios",
]


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
    asked = set(wanted)
    if not asked:
        return
    values = known.to_numpy(dtype=object) if isinstance(known, pd.Index | pd.Series) else known
    names = [str(k) for k in values]
    unknown = sorted(asked - set(names))
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
        cached on ``net`` (least recently used dropped first beyond
        ``$CORRIDORS_SCENARIO_CACHE_MB``, default 512 MB), so applying the same scenario
        twice costs nothing.

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
    store = _scenario_store(net)
    cached: Network | None = store.get(key)
    if cached is not None:
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
    store.put(key, result)
    return result


def _scenario_store(net: Network) -> ByteLRU[tuple[str, str], Network]:
    """The scenario networks built from ``net``, least recently used dropped first (lru)."""
    store: ByteLRU[tuple[str, str], Network] | None = net.cache.get("scenarios")
    if store is None:
        store = net.cache["scenarios"] = ByteLRU(budget_bytes(ENV_SCENARIO_MB, SCENARIO_CACHE_MB))
    return store
