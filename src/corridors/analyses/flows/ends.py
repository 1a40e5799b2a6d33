"""The ends of a flow: sources, sinks and demand from names, ids and country codes.

A **source** is a field (``kind = field``) named by name, id or alias, or every field of a
country (an ISO code) that supplies the commodity: one with a capacity in a unit of the
commodity's dimension, or without a capacity but reached by a usable link. A **sink** is
any node, or every market node of a country that the commodity's links reach (all of the
country's markets, which then get 0, when none is reached); no sinks given means every
market node the links reach. **Demand** is a volume wanted per sink, summed when a sink
is named twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from corridors.analyses.lp import capacity_in
from corridors.analyses.routing.search import resolve
from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.validate import is_country


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


def _country(name: str) -> str | None:
    code = name.strip().upper()
    return code if len(code) == 2 and code.isalpha() and is_country(code) else None


def supplies(net: Network, node: str, unit: str, in_graph: set[str]) -> bool:
    """Whether field ``node`` supplies a commodity counted in ``unit``.

    A capacity in a unit that converts to ``unit`` (even 0), or no capacity and a usable
    link (``in_graph``: the nodes the commodity's usable links touch).
    """
    cap = cast(float, net.nodes.at[node, "capacity"])
    if np.isnan(cap):
        return node in in_graph
    return capacity_in(cap, net.nodes.at[node, "capacity_unit"], unit) is not None


def resolve_sources(
    net: Network, names: list[str], commodity: str, unit: str, in_graph: set[str]
) -> list[str]:
    """Field ids of the sources named (see the module docstring), first-seen order."""
    if not names:
        raise CorridorsError("no sources given: name fields, or a country code such as KZ")
    nodes = net.nodes
    out: list[str] = []
    for name in names:
        code = _country(name)
        if code is not None:
            fields = nodes.index[(nodes["kind"] == "field") & (nodes["country"] == code)]
            ok = [f for f in fields if supplies(net, f, unit, in_graph)]
            if not ok:
                there = f" (fields there: {', '.join(fields)})" if len(fields) else ""
                raise CorridorsError(
                    f"source {name!r}: no field in {code} supplies {commodity}{there}"
                )
            out.extend(ok)
            continue
        node = resolve(net, name)
        row = nodes.loc[node]
        if row["kind"] != "field":
            raise CorridorsError(
                f"source {name!r} ({row['name']}, a {row['kind']}) has no supply: a source is "
                "a field (kind=field) or a country code"
            )
        cap, cunit = row["capacity"], row["capacity_unit"]
        if not pd.isna(cap):
            value = capacity_in(cap, cunit, unit)
            if value is None:
                raise CorridorsError(
                    f"source {name!r} ({row['name']}) supplies {cunit}, not {commodity} ({unit})"
                )
            if value <= 0:
                raise CorridorsError(f"source {name!r} ({row['name']}) has no supply (capacity 0)")
        out.append(node)
    return list(dict.fromkeys(out))


def resolve_sinks(
    net: Network, names: list[str] | None, commodity: str, in_graph: set[str]
) -> list[str]:
    """Node ids of the sinks named, or of every market reached (see the module docstring)."""
    nodes = net.nodes
    markets = nodes.index[nodes["kind"] == "market"]
    if not names:
        out = [m for m in markets if m in in_graph]
        if not out:
            raise CorridorsError(f"no market node is reached by an operating {commodity} link")
        return out
    found: list[str] = []
    for name in names:
        code = _country(name)
        if code is not None:
            here = [m for m in markets if nodes.at[m, "country"] == code]
            if not here:
                raise CorridorsError(f"sink {name!r}: no market node in {code}")
            # the markets the commodity reaches; if none (all cut off), all of them, with 0
            found.extend([m for m in here if m in in_graph] or here)
            continue
        found.append(resolve(net, name))
    return list(dict.fromkeys(found))


def sink_demand(
    net: Network, demand: Mapping[str, float] | None, sinks: list[str]
) -> dict[str, float]:
    """Demand per sink id; a name that is not a sink, or a negative volume, raises."""
    wanted: dict[str, float] = {}
    for name, volume in (demand or {}).items():
        node = resolve(net, name)
        if node not in sinks:
            raise CorridorsError(f"demand given for {name!r}, which is not among the sinks")
        if not volume >= 0:
            raise CorridorsError(f"demand for {name!r} must be >= 0, got {volume}")
        wanted[node] = wanted.get(node, 0.0) + float(volume)
    return wanted
