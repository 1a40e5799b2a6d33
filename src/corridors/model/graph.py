"""Compile a network into arrays for one commodity and objective, once, and reuse them.

The multimodal network becomes a layered directed graph. Each node has one pair of
vertices per *layer* it is reached on (``rail_1435``, ``rail_1520``, ``sea``, ``ferry``
...): an *arrival* and a *departure* vertex. Edges:

- a link of layer ``L`` from ``u`` to ``v``: ``dep(u, L) -> arr(v, L)`` (and back when the
  link runs both ways), weighted by running time plus the expected ferry wait (half the
  headway), cost or length;
- passing through a node on the same layer: ``arr(n, L) -> dep(n, L)``, weighted by the
  node's dwell (border formalities; at a port, the vessel's port call, charged on the sea
  layers only);
- a transfer at a node from layer ``A`` to ``B`` (gauge change, port handling):
  ``arr(n, A) -> dep(n, B)``, weighted by the transfer's own time and cost plus the node's
  dwell (not at ports, where handling is the transfer);
  Without a transfer row, a load cannot change layer: a 1435 mm wagon does not run on
  1520 mm track;
- a source vertex per node into every departure vertex there, and every arrival vertex
  into a sink vertex per node, so that a route starts and ends at a node on any layer
  without paying a dwell or transfer there and without passing layers for free.

The result holds a ``scipy.sparse`` CSR matrix (parallel edges reduced to the cheapest)
for Dijkstra, plus flat per-link and per-transfer attribute arrays so that paths turn
into results without touching pandas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridors.errors import CorridorsError
from corridors.model.costs import (
    capacity_in,
    flow_unit,
    link_unit_co2,
    link_unit_costs,
    missing_rate_modes,
    usable_links,
)
from corridors.model.graph_edges import (
    PORT_CALL_LAYERS,
    EdgeKind,
    EdgeList,
    add_link_edges,
    add_node_edges,
    add_transfer_edges,
    edges_by_link,
    layout,
)
from corridors.model.graph_edges import _csr as _csr  # re-exported: routing builds its own
from corridors.model.lru import ENV_TREE_MB, TREE_CACHE_MB, ByteLRU, budget_bytes
from corridors.model.network import Network

__all__ = [
    "PORT_CALL_LAYERS",
    "CompiledGraph",
    "EdgeKind",
    "Objective",
    "compile_graph",
    "usable_links",
    "value_of_time",
]

#: Batch shortest-path trees from all sources at once up to this many matrix cells.
TREE_BATCH_CELLS = 20_000_000

#: Added to every edge weight so that no edge weighs zero (ties go to fewer edges).
EPSILON = 1e-6

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Objective(StrEnum):
    """What a route minimises."""

    TIME = "time"
    COST = "cost"
    DISTANCE = "distance"
    GENERALIZED = "generalized"
    CO2 = "co2"


@dataclass(eq=False)
class CompiledGraph:
    """Arrays of one network for one commodity and objective.

    Attributes
    ----------
    tail, head, weight, kind, ref
        One entry per edge. ``ref`` is the link position (``LINK``), the node position
        (``DWELL``, ``TERMINAL``) or the transfer position (``TRANSFER``) in the arrays below.
    time_low, time_high, cost, length, co2
        Per edge, for totals (cost and co2 NaN where unknown; co2 in kg CO2e per unit,
        0 on dwell and transfer edges).
    capacity
        Per edge, its capacity in the commodity's flow unit (:func:`corridors.model.costs.
        capacity_in`): the link's for ``LINK`` edges (each direction of a ``both`` link
        bounded by it), the transfer's for ``TRANSFER`` edges; ``inf`` where there is none,
        and for ``DWELL`` and ``TERMINAL`` edges.
    node_capacity
        Per node position, the node's capacity in the flow unit (``inf`` where none).
    link_edges
        Per link position, the edges standing for it (one, or two for a ``both`` link).
    unit
        The commodity's flow unit (:func:`corridors.model.costs.flow_unit`).
    source_vertex, sink_vertex
        Per node position; -1 where the node has no usable link.
    matrix, edge_of
        CSR adjacency with the cheapest of parallel edges, and the edge behind each
        (tail, head) entry.
    """

    commodity: str
    objective: Objective
    node_ids: list[str]
    node_pos: dict[str, int]
    node_names: list[str]
    links: pd.DataFrame
    link_ids: list[str]
    link_wait: FloatArray
    link_cost: FloatArray
    transfers: pd.DataFrame
    tail: IntArray
    head: IntArray
    weight: FloatArray
    kind: IntArray
    ref: IntArray
    time_low: FloatArray
    time_high: FloatArray
    cost: FloatArray
    length: FloatArray
    co2: FloatArray
    source_vertex: IntArray
    sink_vertex: IntArray
    vertex_node: IntArray
    vertex_layer: list[str]
    matrix: sp.csr_matrix
    capacity: FloatArray
    node_capacity: FloatArray
    link_edges: Sequence[IntArray]
    unit: str
    edge_of: Mapping[tuple[int, int], int] = field(default_factory=dict, repr=False)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return int(self.matrix.shape[0])

    def tree(self, source: int) -> tuple[FloatArray, npt.NDArray[np.int32]]:
        """Shortest-path tree (distances, predecessors) from one source vertex, cached.

        On the first call, trees from every node's source vertex are computed in one batched
        ``scipy.sparse.csgraph.dijkstra`` run when they fit in :data:`TREE_BATCH_CELLS`
        cells (the default network's take about 1.5 MB); otherwise trees are computed and
        kept one source at a time. Later queries from any node are lookups. Trees are kept in
        a :class:`~corridors.model.lru.ByteLRU` of ``$CORRIDORS_TREE_CACHE_MB`` (default
        256 MB per graph): the least recently used go first.
        """
        trees: ByteLRU[int, tuple[FloatArray, npt.NDArray[np.int32]]] | None = self.extra.get(
            "trees"
        )
        if trees is None:
            budget = budget_bytes(ENV_TREE_MB, TREE_CACHE_MB)
            trees = self.extra["trees"] = ByteLRU(budget, size=lambda t: t[0].nbytes + t[1].nbytes)
        found: tuple[FloatArray, npt.NDArray[np.int32]] | None = trees.get(source)
        if found is None:
            sources = self.source_vertex[self.source_vertex >= 0]
            batch = (
                sources
                if not len(trees) and len(sources) * self.n_vertices <= TREE_BATCH_CELLS
                else np.array([source])
            )
            dist, pred = cast(Any, dijkstra)(
                self.matrix, directed=True, indices=batch, return_predecessors=True
            )
            for k, s in enumerate(batch):
                trees.put(int(s), (dist[k], pred[k]))
                if int(s) == source:
                    found = (dist[k], pred[k])
        if found is None:  # a source without a vertex: an empty search, as dijkstra gives
            raise KeyError(source)
        return found

    def link_records(self) -> list[tuple[Any, ...]]:
        """Per link position, the fields a leg needs, built once.

        Each record is (id, name, from, mode, layer, countries, passages, sources,
        time_source), so that turning a path into legs needs no pandas.
        """
        records: list[tuple[Any, ...]] | None = self.extra.get("link_records")
        if records is None:
            cols = ["id", "name", "from", "mode", "layer", "countries", "passages", "sources"]
            frame = self.links[[*cols, "time_source"]]
            records = self.extra["link_records"] = list(frame.itertuples(index=False, name=None))
        return records

    def transfer_records(self) -> list[tuple[str, tuple[str, ...]]]:
        """Per transfer position: (kind, sources), built once."""
        records: list[tuple[str, tuple[str, ...]]] | None = self.extra.get("transfer_records")
        if records is None:
            records = self.extra["transfer_records"] = [
                (str(k), tuple(s))
                for k, s in zip(self.transfers["kind"], self.transfers["sources"], strict=True)
            ]
        return records


def _weights(
    objective: Objective,
    t_lo: FloatArray,
    t_hi: FloatArray,
    cost: FloatArray,
    length: FloatArray,
    usd_per_hour: float = 0.0,
    co2: FloatArray | None = None,
) -> FloatArray:
    r"""Edge weights for the objective.

    The generalized cost of an edge is its money cost plus the value of the time it takes,
    :math:`c_e + v \, \bar t_e`, with :math:`\bar t_e` the mean of its low and high
    hours and :math:`v` the value of time per unit and hour (Ben-Akiva & Lerman, *Discrete
    Choice Analysis*, 1985; for freight: de Jong, *Value of freight travel-time savings*,
    in Hensher & Button, *Handbook of Transport Modelling*, 2007).
    """
    if objective is Objective.TIME:
        w = (t_lo + t_hi) / 2.0
    elif objective is Objective.COST:
        w = np.nan_to_num(cost, nan=0.0)
    elif objective is Objective.GENERALIZED:
        w = np.nan_to_num(cost, nan=0.0) + usd_per_hour * (t_lo + t_hi) / 2.0
    elif objective is Objective.CO2:
        w = np.nan_to_num(co2 if co2 is not None else np.zeros_like(length), nan=0.0)
    else:
        w = length
    return np.asarray(w + EPSILON, dtype=float)


def value_of_time(net: Network, commodity: str, given: float | None = None) -> float:
    """Value of time in USD per unit and day: ``given``, else the commodity's in the table.

    Raises
    ------
    CorridorsError
        If neither is there, or the value is negative.
    """
    if given is None and "value_of_time_usd_per_day" in net.commodities:
        table = float(cast(float, net.commodities.at[commodity, "value_of_time_usd_per_day"]))
        given = None if np.isnan(table) else table
    if given is None:
        raise CorridorsError(
            f"the generalized objective needs a value of time for {commodity}: give "
            "--value-of-time (USD per unit and day) or value_of_time_usd_per_day in commodities"
        )
    if given < 0:
        raise CorridorsError(f"value of time must be >= 0 (got {given})")
    return float(given)


def _capacities(values: pd.Series, units: pd.Series, target: str) -> FloatArray:
    """:func:`corridors.model.costs.capacity_in` of each row (``inf`` where none), per distinct pair."""
    v_code, v_uniq = pd.factorize(values.astype(float), use_na_sentinel=False)
    u_code, u_uniq = pd.factorize(units.astype(str).to_numpy(dtype=object), use_na_sentinel=False)
    n_u = max(1, len(u_uniq))
    code, keys = pd.factorize(np.asarray(v_code, dtype=np.int64) * n_u + u_code)
    per_key = np.array(
        [
            np.inf
            if (c := capacity_in(float(v_uniq[k // n_u]), str(u_uniq[k % n_u]), target)) is None
            else c
            for k in np.asarray(keys, dtype=np.int64)
        ],
        dtype=float,
    )
    return per_key[code] if len(code) else np.zeros(0)


def compile_graph(
    net: Network,
    commodity: str = "container",
    objective: Objective | str = Objective.TIME,
    *,
    value_of_time_per_day: float | None = None,
) -> CompiledGraph:
    """Compile ``net`` for one commodity and objective (cached on the network).

    Parameters
    ----------
    net
        A validated network (after any scenario).
    commodity
        Commodity id; links whose mode cannot carry it are left out.
    objective
        ``time`` (mean of the low and high times), ``cost``, ``distance``,
        ``generalized`` (cost plus the value of the time taken) or ``co2`` (kg CO2e per
        unit, :func:`corridors.model.costs.link_unit_co2`).
    value_of_time_per_day
        For ``generalized``: USD per unit of the commodity and day; default the
        commodity's ``value_of_time_usd_per_day``.

    Returns
    -------
    CompiledGraph
        The same object for repeated calls with the same arguments.

    Raises
    ------
    CorridorsError
        If the commodity is unknown, or the cost (co2) objective is asked for where links
        have no cost (emission factor).
    """
    objective = Objective(objective)
    if commodity not in net.commodities.index:
        usable_links(net, commodity)  # raises the unknown-commodity error
    vot = (
        value_of_time(net, commodity, value_of_time_per_day)
        if objective is Objective.GENERALIZED
        else 0.0
    )
    key = ("graph", commodity, objective, vot)
    if key in net.cache:
        cached: CompiledGraph = net.cache[key]
        return cached
    graph = _compile(net, commodity, objective, vot / 24.0)
    net.cache[key] = graph
    return graph


def _compile(
    net: Network, commodity: str, objective: Objective, usd_per_hour: float = 0.0
) -> CompiledGraph:
    links = usable_links(net, commodity)
    cost = link_unit_costs(net, links, commodity)
    if objective in (Objective.COST, Objective.GENERALIZED) and np.isnan(cost).any():
        missing = missing_rate_modes(links, cost)
        raise CorridorsError(
            f"cannot optimise cost for {commodity}: no cost per km for mode(s) "
            f"{', '.join(missing)} in mode_costs, and the links give none"
        )
    co2 = link_unit_co2(net, links, commodity)
    if objective is Objective.CO2 and np.isnan(co2).any():
        missing = missing_rate_modes(links, co2)
        raise CorridorsError(
            f"cannot optimise co2 for {commodity}: no co2e_kg_per_km for mode(s) "
            f"{', '.join(missing)} in mode_costs"
        )
    unit = flow_unit(net, commodity)
    lay = layout(net, links)
    edges = EdgeList()
    link_cap = _capacities(links["capacity"], links["capacity_unit"], unit)
    wait = add_link_edges(edges, lay, links, cost, link_cap, co2)
    add_node_edges(edges, lay, net)
    transfers = net.transfers.reset_index(drop=True)
    transfer_cap = _capacities(transfers["capacity"], transfers["capacity_unit"], unit)
    add_transfer_edges(edges, lay, net, transfers, transfer_cap)

    tail, head, kind, ref = (edges.ints(k) for k in ("tail", "head", "kind", "ref"))
    lo, hi, cost_arr, length, co2_arr = (
        edges.floats(k) for k in ("lo", "hi", "cost", "len", "co2")
    )
    weight = _weights(objective, lo, hi, cost_arr, length, usd_per_hour, co2_arr)
    matrix, edge_of = _csr(tail, head, weight, lay.n_vertices)
    return CompiledGraph(
        commodity=commodity,
        objective=objective,
        node_ids=net.nodes.index.to_numpy(dtype=object).tolist(),
        node_pos=lay.node_pos,
        node_names=net.nodes["name"].to_numpy(dtype=object).tolist(),
        links=links,
        link_ids=links.index.to_numpy(dtype=object).tolist(),
        link_wait=wait,
        link_cost=cost,
        transfers=transfers,
        tail=tail,
        head=head,
        weight=weight,
        kind=kind,
        ref=ref,
        time_low=lo,
        time_high=hi,
        cost=cost_arr,
        length=length,
        co2=co2_arr,
        source_vertex=lay.source_vertex,
        sink_vertex=lay.sink_vertex,
        vertex_node=lay.vertex_node,
        vertex_layer=lay.vertex_layer,
        matrix=matrix,
        capacity=edges.floats("cap"),
        node_capacity=_capacities(net.nodes["capacity"], net.nodes["capacity_unit"], unit),
        link_edges=edges_by_link(kind, ref),  # per link: its edges (masks, results)
        unit=unit,
        edge_of=edge_of,
    )
