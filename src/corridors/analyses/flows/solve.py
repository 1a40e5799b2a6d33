"""Capacity-aware flows of crude and gas: maximum flow, least-cost flow and the min cut.

The flow problem is a linear programme over link flows, solved by HiGHS
(``scipy.optimize.linprog(method="highs-ds")``, dual simplex, so solutions are basic and
flows on a network matrix are exact).

Network the LP runs on
----------------------
The same layered view as routing (:mod:`corridors.model.graph`): one vertex per
``(node, layer)`` that a usable link touches. A load changes layer at a node only where
the ``transfers`` table offers it (crude from ``oil_pipeline`` to ``tanker`` at a terminal,
tank cars to tankers at Aktau), and a transfer's capacity bounds it. Plain node-based
conservation was rejected: it would let crude skip the loading capacities the energy
data records at Aktau, Batumi, Kulevi and the CPC terminal.

- **Which links**: operating links whose mode carries the commodity
  (:func:`corridors.model.graph.usable_links`), except that a link of a mode shared with
  other commodities (``rail``, ``sea`` for crude) is used only where its ``commodities``
  column names the commodity explicitly (the crude-by-rail lines). A container railway
  or a container sea lane has a capacity in TEU or none at all; letting crude onto it
  would send unbounded crude round the container network (see :func:`flow_links`).
- **Links**: one flow variable per usable direction (forward only for ``direction =
  forward``), bounded by the link's capacity converted to the commodity's unit with
  :func:`corridors.units.convert`. A ``both`` link has two variables, each bounded by the
  capacity (the max-flow value is the same as with a shared bound; reported flows are
  netted). A link with no capacity, or a capacity in a unit of another dimension (a rail
  line's TEU/yr for crude), is unbounded; those that carry flow are listed in
  :attr:`FlowResult.uncapacitated`.
- **Sources**: a supply variable per source field, bounded by the field's capacity; it
  may enter any layer present at the field. A field without a capacity supplies without
  bound (limited by the links leaving it).
- **Sinks**: an intake variable per sink, bounded by the node's capacity (where given in
  a compatible unit) and by the demand (where given); it drains every layer at the node.
- **Other nodes**: flow is conserved at every vertex. Capacities of intermediate nodes
  (a terminal's handling capacity) are not applied; the transfers carry them.

Objectives
----------
``max``: maximise the total delivered; then, with the total fixed, minimise the number
of link and transfer flow units (removes circulations and detours). ``mincost``:
maximise the total delivered; then, with the total fixed, minimise the cost (lexicographic).
The cost of a link is its own ``cost_usd`` or its length times the mode's rate in
``mode_costs`` (times any scenario ``cost_scale``); a link whose mode has no rate for the
commodity is priced at its length times the highest rate of the commodity; where the
commodity has no rate at all, every link costs its length in km. Transfers add their
``cost_usd`` (USD basis only).

The min cut is read from the residual network of the max-flow solution: the vertices
reachable from the super source, and the saturated arcs leaving them (links, transfers,
a source's supply limit, a sink's intake limit). Its capacity equals the maximum flow.

Code
----
This module holds the public API and :class:`FlowResult`; :mod:`.ends` reads the
sources, sinks and demand, :mod:`.lp` builds and solves the LP, :mod:`.cut`
finds the min cut (and a path without capacity), and :mod:`corridors.analyses.lp` holds what the
flow and assignment LPs share (capacities in a flow unit, the incidence matrix, HiGHS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from corridors.analyses.flows.cut import CutElement, min_cut, unbounded_path
from corridors.analyses.flows.ends import as_list, resolve_sinks, resolve_sources, sink_demand
from corridors.analyses.flows.lp import Arc, build_model, link_table, solve_model
from corridors.errors import CorridorsError
from corridors.model.graph import usable_links
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario
from corridors.units import KNOWN_UNITS

__all__ = [
    "CutElement",
    "FlowResult",
    "flow_links",
    "flow_unit",
    "max_flow",
    "min_cost_flow",
    "solve_flow",
]

FlowMode = Literal["max", "mincost"]


@dataclass(frozen=True, eq=False)
class FlowResult:
    """The result of a flow solve.

    Attributes
    ----------
    commodity, mode, scenario
        What was solved, how, and on which network (its label).
    unit
        Unit of every volume (``Mt/yr`` for crude, ``bcm/yr`` for gas).
    delivered_total
        Total delivered to the sinks.
    by_sink, by_source
        Volume delivered to each sink and shipped from each source, by node name.
    links
        Links carrying flow: ``id``, ``name``, ``from``, ``to`` (in the direction of the
        flow), ``mode``, ``flow`` (> 0), ``capacity`` (NaN when unbounded),
        ``utilisation`` (flow / capacity, NaN when unbounded); largest flow first.
    min_cut
        The saturated elements separating sources from sinks; their capacities add up
        to ``delivered_total``.
    unserved
        ``{"sinks": {name: demand not met}, "sources": {name: supply not shipped}}``;
        sinks only when a demand is given, sources only when their supply is bounded.
    uncapacitated
        Ids of links carrying flow that have no capacity in the commodity's unit.
    total_cost
        Cost of the flow in ``cost_basis`` units times volume.
    cost_basis
        ``USD/unit`` (link and transfer costs) or ``km`` (lengths).
    """

    commodity: str
    mode: str
    scenario: str
    unit: str
    delivered_total: float
    by_sink: dict[str, float]
    by_source: dict[str, float]
    links: pd.DataFrame
    min_cut: tuple[CutElement, ...]
    unserved: dict[str, dict[str, float]]
    uncapacitated: tuple[str, ...] = ()
    total_cost: float = 0.0
    cost_basis: str = "km"
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (volumes rounded to 6 decimals)."""
        links = [
            {
                "id": row["id"],
                "name": row["name"],
                "from": row["from"],
                "to": row["to"],
                "flow": _r(row["flow"]),
                "capacity": None if np.isnan(row["capacity"]) else _r(row["capacity"]),
                "utilisation": None if np.isnan(row["utilisation"]) else _r(row["utilisation"]),
            }
            for _, row in self.links.iterrows()
        ]
        return {
            "commodity": self.commodity,
            "mode": self.mode,
            "scenario": self.scenario,
            "unit": self.unit,
            "delivered_total": _r(self.delivered_total),
            "by_sink": {k: _r(v) for k, v in self.by_sink.items()},
            "by_source": {k: _r(v) for k, v in self.by_source.items()},
            "links": links,
            "min_cut": [c.as_dict() for c in self.min_cut],
            "unserved": {k: {n: _r(v) for n, v in d.items()} for k, d in self.unserved.items()},
            "uncapacitated": list(self.uncapacitated),
            "total_cost": _r(self.total_cost),
            "cost_basis": self.cost_basis,
        }


def _r(value: float) -> float:
    return round(float(value), 6)


# ----------------------------------------------------------------------------- units


def flow_unit(net: Network, commodity: str) -> str:
    """Return the unit flows of ``commodity`` are counted in (``TEU`` becomes ``TEU/yr``).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> flow_unit(net, "crude"), flow_unit(net, "gas"), flow_unit(net, "container")
    ('Mt/yr', 'bcm/yr', 'TEU/yr')
    """
    if commodity not in net.commodities.index:
        known = ", ".join(net.commodities.index)
        raise CorridorsError(f"unknown commodity {commodity!r} (known: {known})")
    unit = str(net.commodities.at[commodity, "unit"])
    if "/" not in unit and f"{unit}/yr" in KNOWN_UNITS:
        return f"{unit}/yr"
    return unit


def flow_links(net: Network, commodity: str) -> pd.DataFrame:
    """Links a flow of ``commodity`` may use (see the module docstring).

    The same links routing uses (:func:`corridors.model.graph.usable_links`): on the
    commodity's ``tagged_modes`` only links whose ``commodities`` names it (crude by rail,
    the Aktau-Alat rail ferry for crude tank cars and uranium, the uranium rail and sea legs).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> links = flow_links(load(), "crude")
    >>> sorted(set(links["mode"]))
    ['ferry', 'oil_pipeline', 'rail', 'tanker']
    >>> shared = links[links["mode"].isin(["rail", "ferry"])]
    >>> bool(shared["commodities"].map(lambda c: "crude" in c).all())
    True
    """
    return usable_links(net, commodity)


# ----------------------------------------------------------------------------- public


def solve_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    mode: FlowMode = "max",
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Maximum flow (and, in ``mincost`` mode, its least-cost routing) from sources to sinks.

    Parameters
    ----------
    net
        A validated network.
    commodity
        Commodity id (``crude``, ``gas``); only operating links whose mode carries it
        are used.
    sources
        Field names/ids/aliases, or ISO country codes (every field in the country that
        supplies the commodity); a list or a comma-separated string.
    sinks
        Node names/ids (any kind of node), or ISO country codes (every market node there
        that the commodity's links reach); ``None``: every market node they reach.
    mode
        ``max`` or ``mincost`` (see the module docstring).
    demand
        Volume wanted per sink (name or id), in the commodity's flow unit; bounds each
        sink's intake, and what is not met is reported in ``unserved``.
    scenario
        Applied to ``net`` first.

    Returns
    -------
    FlowResult
        Delivered volumes, link flows, the min cut, unserved demand and supply.

    Raises
    ------
    CorridorsError
        On an unknown commodity, place or mode; a source that is not a field, supplies
        another commodity or has capacity 0; a country without fields (sources) or
        markets (sinks); or a flow without bound (a path with no capacity anywhere,
        named). A source or sink that no usable link reaches is kept and gets 0.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridors.model.network import from_frames
    >>> net = from_frames({
    ...     "sources": pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"],
    ...                              "year": [2024]}),
    ...     "commodities": pd.DataFrame({"id": ["gas"], "name": ["Gas"], "unit": ["bcm/yr"],
    ...                                  "modes": ["gas_pipeline"]}),
    ...     "nodes": pd.DataFrame({
    ...         "id": ["f", "m"], "name": ["Field", "Market"], "kind": ["field", "market"],
    ...         "country": ["TM", "CN"], "lat": [38.0, 40.0], "lon": [62.0, 75.0],
    ...         "capacity": [12.0, None], "capacity_unit": ["bcm/yr", ""], "sources": ["s", "s"]}),
    ...     "links": pd.DataFrame({
    ...         "id": ["fm"], "from": ["f"], "to": ["m"], "mode": ["gas_pipeline"],
    ...         "length_km": [1500.0], "capacity": [30.0], "capacity_unit": ["mcm/day"],
    ...         "countries": ["TM;UZ;KZ;CN"], "status": ["operating"], "direction": ["forward"],
    ...         "sources": ["s"]}),
    ... })
    >>> r = solve_flow(net, "gas", "TM", "Market")
    >>> round(r.delivered_total, 3), [c.id for c in r.min_cut]
    (10.95, ['fm'])
    >>> round(r.unserved["sources"]["Field"], 3)
    1.05
    """
    if mode not in ("max", "mincost"):
        raise CorridorsError(f"unknown flow mode {mode!r} (known: max, mincost)")
    unit = flow_unit(net, commodity)
    if scenario is not None:
        net = apply_scenario(net, scenario)
    links = flow_links(net, commodity)
    in_graph = set(links["from"]) | set(links["to"])
    src = resolve_sources(net, as_list(sources), commodity, unit, in_graph)
    snk = resolve_sinks(net, as_list(sinks) if sinks is not None else None, commodity, in_graph)
    both = sorted(set(src) & set(snk))
    if both:
        raise CorridorsError(f"nodes named as both source and sink: {', '.join(both)}")
    wanted = sink_demand(net, demand, snk)

    model = build_model(net, links, commodity, unit, src, snk, wanted)
    path = unbounded_path(model, net)
    if path is not None:
        raise CorridorsError(
            f"the {commodity} flow is unbounded: no capacity anywhere on "
            + " → ".join(path)
            + ". Give that path a capacity, or pass a demand."
        )
    intake = model.kind == Arc.INTAKE
    x_max = solve_model(model, -intake.astype(float), None)
    total = float(x_max[intake].sum())
    objective = model.cost if mode == "mincost" else model.tidy
    x = solve_model(model, objective, total) if total > 0 else x_max

    names = net.nodes["name"]
    by_sink = {str(names[model.ref[e]]): float(x[e]) for e in np.flatnonzero(intake)}
    supply = model.kind == Arc.SUPPLY
    by_source = {str(names[model.ref[e]]): float(x[e]) for e in np.flatnonzero(supply)}
    unserved: dict[str, dict[str, float]] = {
        "sinks": {
            str(names[m]): max(0.0, wanted[m] - by_sink[str(names[m])]) for m in snk if m in wanted
        },
        "sources": {
            str(names[model.ref[e]]): max(0.0, float(model.ub[e] - x[e]))
            for e in np.flatnonzero(supply)
            if np.isfinite(model.ub[e])
        },
    }
    table, unbounded = link_table(model, x)
    return FlowResult(
        commodity=commodity,
        mode=mode,
        scenario=net.label,
        unit=unit,
        delivered_total=float(x[intake].sum()),
        by_sink=by_sink,
        by_source=by_source,
        links=table,
        min_cut=min_cut(model, net, x_max),
        unserved=unserved,
        uncapacitated=unbounded,
        total_cost=float(model.cost @ x),
        cost_basis=model.cost_basis,
        extra={"sources": src, "sinks": snk},
    )


def max_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Maximum flow of ``commodity`` from ``sources`` to ``sinks`` (see :func:`solve_flow`).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> r = max_flow(load(), "gas", "AZ", "market_turkey")
    >>> r.unit, r.delivered_total > 0
    ('bcm/yr', True)
    """
    return solve_flow(net, commodity, sources, sinks, mode="max", scenario=scenario)


def min_cost_flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> FlowResult:
    """Deliver the most possible (up to ``demand``) at least cost (see :func:`solve_flow`)."""
    return solve_flow(
        net, commodity, sources, sinks, mode="mincost", demand=demand, scenario=scenario
    )
