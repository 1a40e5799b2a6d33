"""The ends of a flow: sources, sinks and demand from the names users type.

Names resolve as :func:`corridors.model.places.resolve_group` reads them: a node (id, name
or alias), an ISO country code or English country name, or a region of the ``regions``
table (``EU``, ``Central Asia``). A **source** is a field (``kind = field``) named as a
node, or every field of a country or region that supplies the commodity: one with a
capacity in a unit of the commodity's dimension, or without a capacity but reached by a
usable link. A **sink** is any node named as a node, or every market node of a country or
region that the commodity's links reach (all of its markets, which then get 0, when none is
reached). Without sinks: the nodes named in the demand when one is given, else every market
node the links reach. **Demand** is a volume wanted per sink, summed when a sink is named
twice; with a demand given, a sink it does not name receives nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from corridors.errors import CorridorsError
from corridors.model.costs import capacity_in
from corridors.model.network import Network
from corridors.model.places import PlaceGroup, resolve_group, resolve_place

__all__ = ["Ends", "as_list", "flow_ends", "supplies"]


def as_list(names: str | Sequence[str] | None) -> list[str]:
    """Names from a list or a comma-separated string, stripped, empty ones dropped.

    Examples
    --------
    >>> as_list(" KZ, tengiz ,,"), as_list(None)
    (['KZ', 'tengiz'], [])
    """
    if names is None:
        return []
    if isinstance(names, str):
        names = names.split(",")
    return [n.strip() for n in names if n.strip()]


@dataclass
class Ends:
    """Resolved sources and sinks, their bounds, and the countries the sources lie in."""

    sources: list[str]
    sinks: list[str]
    supply: dict[str, float]
    intake: dict[str, float]
    demand: dict[str, float] = field(default_factory=dict)
    countries: set[str] = field(default_factory=set)


def supplies(net: Network, node: str, unit: str, in_graph: set[str]) -> bool:
    """Whether field ``node`` supplies a commodity counted in ``unit``.

    A capacity in a unit that converts to ``unit`` (even 0), or no capacity and a usable
    link (``in_graph``: the nodes the commodity's usable links touch).
    """
    cap = cast(float, net.nodes.at[node, "capacity"])
    if np.isnan(cap):
        return node in in_graph
    return capacity_in(cap, net.nodes.at[node, "capacity_unit"], unit) is not None


def _where(group: PlaceGroup) -> str:
    return group.label if group.kind == "country" else group.name


def _field(net: Network, name: str, node: str, commodity: str, unit: str) -> None:
    row = net.nodes.loc[node]
    if row["kind"] != "field":
        raise CorridorsError(
            f"source {name!r} ({row['name']}, a {row['kind']}) has no supply: a source is "
            "a field (kind=field), a country or a region"
        )
    cap, cunit = row["capacity"], row["capacity_unit"]
    if np.isnan(cap):
        return
    value = capacity_in(cap, cunit, unit)
    if value is None:
        raise CorridorsError(
            f"source {name!r} ({row['name']}) supplies {cunit}, not {commodity} ({unit})"
        )
    if value <= 0:
        raise CorridorsError(f"source {name!r} ({row['name']}) has no supply (capacity 0)")


def _sources(
    net: Network, names: list[str], commodity: str, unit: str, in_graph: set[str]
) -> tuple[list[str], set[str]]:
    if not names:
        raise CorridorsError("no sources given: name fields, a country (KZ) or a region")
    nodes = net.nodes
    out: list[str] = []
    countries: set[str] = set()
    for name in names:
        group = resolve_group(nodes, net.regions, name)
        countries.update(group.countries)
        if group.kind == "node":
            _field(net, name, group.label, commodity, unit)
            out.append(group.label)
            continue
        fields = [n for n in group.nodes if nodes.at[n, "kind"] == "field"]
        ok = [f for f in fields if supplies(net, f, unit, in_graph)]
        if not ok:
            there = f" (fields there: {', '.join(fields)})" if fields else ""
            raise CorridorsError(
                f"source {name!r}: no field in {_where(group)} supplies {commodity}{there}"
            )
        out.extend(ok)
    return list(dict.fromkeys(out)), countries


def _sinks(net: Network, names: list[str], commodity: str, in_graph: set[str]) -> list[str]:
    nodes = net.nodes
    if not names:
        out = [m for m in nodes.index[nodes["kind"] == "market"] if m in in_graph]
        if not out:
            raise CorridorsError(f"no market node is reached by an operating {commodity} link")
        return out
    found: list[str] = []
    for name in names:
        group = resolve_group(nodes, net.regions, name)
        if group.kind == "node":
            found.append(group.label)
            continue
        here = [m for m in group.nodes if nodes.at[m, "kind"] == "market"]
        if not here:
            raise CorridorsError(f"sink {name!r}: no market node in {_where(group)}")
        # the markets the commodity reaches; if none (all cut off), all of them, with 0
        found.extend([m for m in here if m in in_graph] or here)
    return list(dict.fromkeys(found))


def _demand(net: Network, demand: Mapping[str, float]) -> dict[str, float]:
    wanted: dict[str, float] = {}
    for name, volume in demand.items():
        node = resolve_place(net.nodes, name)
        if not volume >= 0:
            raise CorridorsError(f"demand for {name!r} must be >= 0, got {volume}")
        wanted[node] = wanted.get(node, 0.0) + float(volume)
    return wanted


def flow_ends(
    net: Network,
    commodity: str,
    unit: str,
    in_graph: set[str],
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None,
    demand: Mapping[str, float] | None,
) -> Ends:
    """Resolve sources, sinks and demand (see the module docstring) and their bounds."""
    src, countries = _sources(net, as_list(sources), commodity, unit, in_graph)
    wanted = _demand(net, demand or {})
    names = as_list(sinks)
    snk = list(wanted) if not names and wanted else _sinks(net, names, commodity, in_graph)
    for name in demand or {}:
        if resolve_place(net.nodes, name) not in snk:
            raise CorridorsError(f"demand given for {name!r}, which is not among the sinks")
    both = sorted(set(src) & set(snk))
    if both:
        raise CorridorsError(f"nodes named as both source and sink: {', '.join(both)}")
    inf = float("inf")

    def cap(node: str) -> float:
        row = net.nodes.loc[node]
        value = capacity_in(row["capacity"], row["capacity_unit"], unit)
        return inf if value is None else value

    supply = {s: cap(s) for s in src}
    intake = {m: min(cap(m), wanted.get(m, 0.0 if wanted else inf)) for m in snk}
    return Ends(src, snk, supply, intake, wanted, countries)
