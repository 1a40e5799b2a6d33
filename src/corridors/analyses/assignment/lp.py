"""Build and solve the assignment LP (see :mod:`corridors.analyses.assignment.solve`).

This module holds the demand per (origin, destination, modes), the mode filter that
restricts each LP commodity to the layers of its modes, the capacitated elements (links,
transfers, border and port nodes) and the block-structured LP solved by HiGHS.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridors.analyses.lp import (
    FloatArray,
    IntArray,
    add_columns,
    add_rows,
    capacity_in,
    incidence,
    new_highs,
    run_highs,
    to_unit,
)
from corridors.analyses.routing.search import resolve
from corridors.errors import CorridorsError
from corridors.model.graph import CompiledGraph, EdgeKind
from corridors.model.network import Network
from corridors.units import UnitError

BoolArray = npt.NDArray[np.bool_]

#: Generalized-time penalty per TEU of unserved demand, hours (1e6 h, about 114 years).
UNSERVED_PENALTY_H = 1.0e6

#: Node kinds whose capacity bounds the loads handled there.
CAPACITY_NODE_KINDS = frozenset({"border", "port"})

#: Volumes are solved in thousands of TEU (capacities and demand up to ~1e7 TEU/yr).
SCALE = 1.0e3

#: An OD key: origin id, destination id, and the sorted modes the demand may use
#: (empty: every mode of the commodity).
OdKey = tuple[str, str, tuple[str, ...]]


# ----------------------------------------------------------------------------- demand


def modes_key(value: Any) -> tuple[str, ...]:
    """Sorted tuple of modes from a list cell (tuple, list, ``"rail;road"``, empty)."""
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ()
    items: Iterable[Any] = value.split(";") if isinstance(value, str) else value
    return tuple(sorted({str(m).strip() for m in items if str(m).strip()}))


def od_demand(
    net: Network, commodity: str, unit: str, demand: pd.DataFrame | None
) -> dict[OdKey, float]:
    """Demand per (origin id, destination id, modes) in ``unit``, summed over rows."""
    frame = net.demand if demand is None else demand
    if frame is None or frame.empty:
        if demand is None:
            raise CorridorsError(
                f"the network has no demand rows for {commodity}: add a demand table "
                "(demand*.csv) or pass demand="
            )
        return {}
    missing = {"origin", "destination", "amount"} - set(frame.columns)
    if missing:
        raise CorridorsError(f"demand lacks column(s) {', '.join(sorted(missing))}")
    if "commodity" in frame.columns:
        frame = frame[frame["commodity"].astype(str) == commodity]
    if frame.empty and demand is None:
        raise CorridorsError(f"the network has no demand rows for {commodity}")
    known = set(cast(tuple[str, ...], net.commodities.loc[commodity, "modes"]))
    out: dict[OdKey, float] = {}
    units = frame["unit"] if "unit" in frame.columns else pd.Series(unit, index=frame.index)
    row_modes = frame["modes"] if "modes" in frame.columns else pd.Series("", index=frame.index)
    for o, d, amount, u, m in zip(
        frame["origin"], frame["destination"], frame["amount"], units, row_modes, strict=True
    ):
        a, b = resolve(net, str(o)), resolve(net, str(d))
        if a == b:
            raise CorridorsError(f"demand from {o!r} to itself")
        value = float(amount)
        if not value >= 0:
            raise CorridorsError(f"demand {o!r} → {d!r} must be >= 0, got {amount!r}")
        try:
            value = to_unit(value, str(u or unit), unit)
        except UnitError as exc:
            raise CorridorsError(f"demand {o!r} → {d!r}: {exc}") from None
        modes = modes_key(m)
        unknown = set(modes) - known
        if unknown:
            raise CorridorsError(
                f"demand {o!r} → {d!r}: mode(s) {', '.join(sorted(unknown))} cannot carry "
                f"{commodity} (its modes: {', '.join(sorted(known))})"
            )
        if set(modes) == known:
            modes = ()  # every mode of the commodity: no restriction
        key = (a, b, modes)
        out[key] = out.get(key, 0.0) + value
    return {k: v for k, v in out.items() if v > 0}


# ------------------------------------------------------------------------- mode filter


def layer_mode(layer: str) -> str:
    """The mode of a layer: ``rail_1435`` → ``rail``; other layers are modes."""
    return "rail" if layer.startswith("rail_") else layer


def allowed_edges(g: CompiledGraph, modes: tuple[str, ...]) -> BoolArray:
    """Edges a load restricted to ``modes`` may use (all edges when ``modes`` is empty).

    An edge is allowed when the layer of each of its ends that has one (source and sink
    vertices have none) belongs to one of ``modes``: links of those modes, dwell on their
    layers, transfers between two of their layers, and the start and end edges on them.
    """
    cache = g.extra.setdefault("assign_allowed", {})
    if modes in cache:
        cached: BoolArray = cache[modes]
        return cached
    if not modes:
        mask = np.ones(len(g.tail), dtype=bool)
    else:
        wanted = set(modes)
        ok_vertex = np.array(
            [lay == "" or layer_mode(lay) in wanted for lay in g.vertex_layer], dtype=bool
        )
        mask = ok_vertex[g.tail] & ok_vertex[g.head]
    cache[modes] = mask
    return mask


def reachable(g: CompiledGraph, edges: IntArray, source: int, sink: int) -> bool:
    """Whether ``sink`` can be reached from ``source`` over ``edges``."""
    n = g.n_vertices
    m = sp.csr_matrix((g.weight[edges], (g.tail[edges], g.head[edges])), shape=(n, n))
    dist = cast(Any, dijkstra)(m, directed=True, indices=source)
    return bool(np.isfinite(dist[sink]))


# ------------------------------------------------------------------------ elements


@dataclass
class Element:
    """A capacitated link, transfer or node: the capacity bounds each group's sum.

    ``shadow_price_h`` is set by :func:`solve`: the generalized hours the whole flow would
    save per TEU/yr of extra capacity (minus the duals of the element's capacity rows,
    summed; ``>= 0``, 0 where the capacity does not bind).
    """

    id: str
    kind: str
    name: str
    capacity: float
    groups: list[list[int]]
    shadow_price_h: float = 0.0


def elements(net: Network, g: CompiledGraph, unit: str) -> list[Element]:
    """Every link, transfer and border/port node with a capacity in ``unit``."""
    out: list[Element] = []
    kind = g.kind
    link_cap = [
        capacity_in(v, u, unit)
        for v, u in zip(g.links["capacity"], g.links["capacity_unit"], strict=True)
    ]
    by_link: dict[int, list[int]] = {}
    for e in np.flatnonzero(kind == EdgeKind.LINK):
        by_link.setdefault(int(g.ref[e]), []).append(int(e))
    for i, edges in sorted(by_link.items()):
        cap = link_cap[i]
        if cap is not None:
            name = str(g.links.iloc[i]["name"]) or g.link_ids[i]
            out.append(Element(g.link_ids[i], "link", name, cap, [[e] for e in edges]))
    by_transfer: dict[int, list[int]] = {}
    for e in np.flatnonzero(kind == EdgeKind.TRANSFER):
        by_transfer.setdefault(int(g.ref[e]), []).append(int(e))
    for ti, edges in sorted(by_transfer.items()):
        tr = g.transfers.iloc[ti]
        cap = capacity_in(tr["capacity"], tr["capacity_unit"], unit)
        if cap is not None:
            node = str(net.nodes.at[str(tr["node"]), "name"])
            name = f"{node}: {tr['from_layer']} → {tr['to_layer']}"
            out.append(Element(str(tr["id"]), "transfer", name, cap, [[e] for e in edges]))
    at_node: dict[int, list[int]] = {}
    for e in np.flatnonzero(kind != EdgeKind.LINK):
        k = int(kind[e])
        where = int(g.vertex_node[g.tail[e]]) if k == EdgeKind.TRANSFER else int(g.ref[e])
        at_node.setdefault(where, []).append(int(e))
    nodes = net.nodes
    for pos, edges in sorted(at_node.items()):
        nid = g.node_ids[pos]
        row = nodes.loc[nid]
        if row["kind"] not in CAPACITY_NODE_KINDS:
            continue
        cap = capacity_in(row["capacity"], row["capacity_unit"], unit)
        if cap is None:
            continue
        if row["kind"] == "port":
            edges = [e for e in edges if kind[e] != EdgeKind.DWELL]
        out.append(Element(nid, "node", str(row["name"]), cap, [edges]))
    return out


# ------------------------------------------------------------------------------ LP


@dataclass
class Block:
    """One LP commodity: the demand of one origin restricted to one set of modes."""

    origin: str
    modes: tuple[str, ...]
    source: int
    dests: list[str]
    sinks: list[int]
    demand: list[float]
    edges: IntArray  # global edge index per column (before the unserved columns)
    offset: int  # first column of the block


def blocks_for(g: CompiledGraph, od: dict[OdKey, float]) -> tuple[list[Block], dict[OdKey, float]]:
    """LP blocks grouped by (origin, modes), and the demand with no vertex to start or end."""
    terminal = g.kind == EdgeKind.TERMINAL
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    off_graph: dict[OdKey, float] = {}
    for (o, d, modes), q in od.items():
        if vertex(g, o, source=True) < 0 or vertex(g, d, source=False) < 0:
            off_graph[(o, d, modes)] = q
        else:
            grouped.setdefault((o, modes), []).append(d)
    blocks: list[Block] = []
    offset = 0
    for (o, modes), dests in grouped.items():
        s = int(g.source_vertex[g.node_pos[o]])
        sinks = [int(g.sink_vertex[g.node_pos[d]]) for d in dests]
        ok = allowed_edges(g, modes)
        ends = terminal & ((g.tail == s) | np.isin(g.head, sinks))
        edges = np.flatnonzero(ok & (~terminal | ends)).astype(np.int64)
        demand = [od[(o, d, modes)] for d in dests]
        blocks.append(Block(o, modes, s, dests, sinks, demand, edges, offset))
        offset += len(edges) + len(dests)
    return blocks, off_graph


def vertex(g: CompiledGraph, node: str, *, source: bool) -> int:
    """Source (or sink) vertex of a node; -1 when a scenario removed it or no link reaches it."""
    pos = g.node_pos.get(node)
    if pos is None:
        return -1
    return int(g.source_vertex[pos] if source else g.sink_vertex[pos])


def solve(
    g: CompiledGraph, blocks: list[Block], elements: list[Element]
) -> tuple[FloatArray, dict[str, Any]]:
    """Solve the LP; returns every column's value (TEU/yr) and solver information.

    Solved as a ``highspy`` model (:func:`corridors.analyses.lp.new_highs`, dual simplex);
    the duals of the capacity rows are written to each element's ``shadow_price_h``.
    """
    n_v = g.n_vertices
    cols = sum(len(b.edges) + len(b.dests) for b in blocks)
    c = np.empty(cols)
    # block k's copy of vertex v is row k * n_v + v; an unserved column runs source -> sink
    tail = np.empty(cols, dtype=np.int64)
    head = np.empty(cols, dtype=np.int64)
    b_eq = np.zeros(n_v * len(blocks))
    for k, b in enumerate(blocks):
        ne, nd = len(b.edges), len(b.dests)
        edge = slice(b.offset, b.offset + ne)
        tail[edge], head[edge] = k * n_v + g.tail[b.edges], k * n_v + g.head[b.edges]
        c[edge] = g.weight[b.edges]
        bypass = slice(b.offset + ne, b.offset + ne + nd)
        tail[bypass], head[bypass] = k * n_v + b.source, k * n_v + np.array(b.sinks)
        c[bypass] = UNSERVED_PENALTY_H
        q = np.array(b.demand) / SCALE
        b_eq[k * n_v + b.source] -= q.sum()
        np.add.at(b_eq, k * n_v + np.array(b.sinks, dtype=np.int64), q)
    a_eq = incidence(tail, head, n_v * len(blocks))
    # column of each global edge in each block (-1: not in the block)
    where = np.full((len(blocks), len(g.tail)), -1, dtype=np.int64)
    for k, b in enumerate(blocks):
        where[k, b.edges] = b.offset + np.arange(len(b.edges))
    ub_rows: list[int] = []
    ub_cols: list[int] = []
    b_ub: list[float] = []
    row_of: list[list[int]] = []
    for el in elements:
        row_of.append([])
        for group in el.groups:
            cs = where[:, group].ravel()
            cs = cs[cs >= 0]
            if not len(cs):
                continue
            row_of[-1].append(len(b_ub))
            ub_rows += [len(b_ub)] * len(cs)
            ub_cols += cs.tolist()
            b_ub.append(el.capacity / SCALE)
    a_ub = sp.csr_array((np.ones(len(ub_rows)), (ub_rows, ub_cols)), shape=(len(b_ub), cols))
    model = new_highs()
    add_columns(model, c, np.zeros(cols), np.full(cols, np.inf))
    add_rows(model, a_eq, b_eq, b_eq)
    if b_ub:
        add_rows(model, a_ub, np.full(len(b_ub), -np.inf), np.array(b_ub))
    run_highs(model, "assignment")
    sol = model.getSolution()
    duals = -np.asarray(sol.row_dual, dtype=float)[a_eq.shape[0] :]
    for el, rows in zip(elements, row_of, strict=True):
        el.shadow_price_h = max(0.0, float(duals[rows].sum())) if rows else 0.0
    info = {
        "status": 0,
        "message": model.modelStatusToString(model.getModelStatus()),
        "iterations": int(model.getInfo().simplex_iteration_count),
        "objective": float(model.getInfo().objective_function_value) * SCALE,
        "variables": int(cols),
        "constraints": int(a_eq.shape[0] + len(b_ub)),
        "blocks": len(blocks),
    }
    res_x = np.asarray(sol.col_value, dtype=float)
    x: FloatArray = np.clip(res_x, 0.0, None) * SCALE
    return x, info
