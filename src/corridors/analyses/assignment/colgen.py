r"""The assignment LP by path-based column generation: one graph, not one copy per origin.

The LP of :mod:`.lp` carries a copy of every edge per block (origin and modes), so it
grows with the graph times the number of origins. Its path form has one column per
route in use: for each origin-destination pair :math:`(k, d)` of a block, path flows
:math:`f_p` and the unserved :math:`u_{kd}`,

.. math::

    \min \sum_p c_p f_p + P \sum u_{kd} \quad
    \text{s.t.} \quad \sum_{p \in P_{kd}} f_p + u_{kd} = q_{kd}, \qquad
    \sum_p n_{rp} f_p \le U_r \ \ \forall r, \qquad f, u \ge 0,

with :math:`n_{rp}` the number of edges of path :math:`p` in capacity row :math:`r` (an
element's group of edges, as in :mod:`.lp`). It is solved by column generation (Ahuja,
Magnanti & Orlin, *Network Flows*, 1993, §17.5; Desrosiers & Lübbecke, *A primer in
column generation*, 2005): the restricted master LP (highspy) starts with the unserved
columns only; its duals :math:`\pi_r \le 0` (capacity rows) and :math:`\sigma_{kd}`
(demand rows) price every edge at :math:`c_e - \sum_{r \ni e} \pi_r`, and one batched
Dijkstra per set of modes (scipy, over the edges those modes may use) gives each pair's
cheapest path under those prices. A path whose reduced cost :math:`c_p - \sum_r n_{rp}
\pi_r - \sigma_{kd}` is below :data:`TOL_REDUCED` (hours per kTEU) enters; when none
does, the master's optimum is the LP's optimum (no column of the full LP prices out), so
the objective equals the LP's within the solver's tolerances. Capacity rows are added to
the master only when a path first uses one of their edges (a row no path touches cannot
bind).

The result is written in the LP's column layout (per block: its edges, then the unserved
columns of its destinations), so :mod:`.tabulate` reads it unchanged; the element's
``shadow_price_h`` is minus the sum of its rows' duals, as in the LP. Where the optimum is
not unique (ties in route time), the two engines may split the flow differently at equal
total cost.
"""

from __future__ import annotations

import itertools
import os
from typing import Any, cast

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridors.analyses.assignment.lp import (
    SCALE,
    UNSERVED_PENALTY_H,
    Block,
    Element,
    allowed_edges,
    solve,
)
from corridors.analyses.lp import FloatArray, IntArray, new_highs, run_highs
from corridors.errors import CorridorsError
from corridors.model.graph import CompiledGraph
from corridors.model.graph_edges import _csr

__all__ = [
    "AUTO_LP_COLUMNS",
    "ENV_ENGINE",
    "MAX_ROUNDS",
    "TOL_REDUCED",
    "assignment_engine",
    "solve_assignment",
    "solve_colgen",
]

#: A path enters the master when its reduced cost is below minus this (hours per kTEU).
TOL_REDUCED = 1e-7
#: Pricing rounds at most (each adds the cheapest path of every pair that prices out).
MAX_ROUNDS = 500


class _Master:
    """The restricted master LP: demand rows first, capacity rows added on first use."""

    def __init__(self, demand: FloatArray, n_groups: int) -> None:
        self.model = new_highs()
        self.n_pairs = len(demand)
        q = demand / SCALE
        self.model.addRows(
            len(q), q, q, 0, np.zeros(len(q), np.int32), np.zeros(0, np.int32), np.zeros(0)
        )
        self.row_of_group = np.full(n_groups, -1, dtype=np.int64)
        self.group_of_row: list[int] = []
        self.caps: list[float] = []
        self.columns: list[tuple[int, IntArray]] = []  # (pair, edges) per path column
        self.seen: set[tuple[int, bytes]] = set()
        for pair in range(len(q)):  # unserved columns: always feasible
            self._add_column(pair, UNSERVED_PENALTY_H, np.zeros(0, np.int64), np.zeros(0))

    def _add_column(self, pair: int, cost: float, rows: IntArray, vals: FloatArray) -> None:
        idx = np.concatenate([[pair], rows]).astype(np.int32)
        val = np.concatenate([[1.0], vals])
        self.model.addCol(cost, 0.0, highspy.kHighsInf, len(idx), idx, val)

    def add_path(
        self, pair: int, edges: IntArray, cost: float, groups: IntArray, caps: FloatArray
    ) -> bool:
        """A path column of ``pair`` over ``edges``, touching capacity ``groups``; False if known."""
        key = (pair, edges.tobytes())
        if key in self.seen:
            return False
        self.seen.add(key)
        new = np.unique(groups[self.row_of_group[groups] < 0])
        for gi in new:
            self.row_of_group[gi] = self.n_pairs + len(self.group_of_row)
            self.group_of_row.append(int(gi))
            self.model.addRow(
                -highspy.kHighsInf,
                float(caps[gi]) / SCALE,
                0,
                np.zeros(0, np.int32),
                np.zeros(0),
            )
        rows, counts = np.unique(self.row_of_group[groups], return_counts=True)
        self._add_column(pair, cost, rows, counts.astype(float))
        self.columns.append((pair, edges))
        return True

    def solve(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Column values (paths after the unserved ones), demand duals, capacity duals."""
        run_highs(self.model, "assignment")
        sol = self.model.getSolution()
        duals = np.asarray(sol.row_dual, dtype=float)
        return np.asarray(sol.col_value, dtype=float), duals[: self.n_pairs], duals[self.n_pairs :]


def _groups(g: CompiledGraph, elements: list[Element]) -> tuple[sp.csr_array, FloatArray]:
    """Edge-by-group incidence (one row per element group) and each group's capacity."""
    rows: list[int] = []
    cols: list[int] = []
    caps: list[float] = []
    for el in elements:
        for group in el.groups:
            rows.extend([len(caps)] * len(group))
            cols.extend(group)
            caps.append(el.capacity)
    shape = (len(g.tail), len(caps))
    inc = sp.csr_array((np.ones(len(rows)), (cols, rows)), shape=shape)
    return inc, np.asarray(caps, dtype=float)


def _walk(pred: np.ndarray, s: int, t: int) -> list[int]:
    path = [t]
    while path[-1] != s:
        path.append(int(pred[path[-1]]))
    return path[::-1]


def solve_colgen(
    g: CompiledGraph, blocks: list[Block], elements: list[Element]
) -> tuple[FloatArray, dict[str, Any]]:
    """Solve the assignment LP by column generation; same outputs as :func:`.lp.solve`.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridors.model.network import load
    >>> from corridors.analyses.assignment.lp import blocks_for, elements, od_demand, solve
    >>> from corridors.model.graph import compile_graph
    >>> net = load()
    >>> od = od_demand(net, "container", "TEU/yr", pd.DataFrame(
    ...     {"origin": ["xian", "chengdu"], "destination": ["duisburg", "lodz"],
    ...      "amount": [5e5, 2e5]}))
    >>> g = compile_graph(net, "container", "time")
    >>> blocks, _ = blocks_for(g, od)
    >>> x_lp, lp = solve(g, blocks, elements(net, g, "TEU/yr"))
    >>> x_cg, cg = solve_colgen(g, blocks, elements(net, g, "TEU/yr"))
    >>> abs(lp["objective"] - cg["objective"]) <= 1e-6 * lp["objective"]
    True
    """
    inc, caps = _groups(g, elements)
    pairs = [(k, j) for k, b in enumerate(blocks) for j in range(len(b.dests))]
    demand = np.array([blocks[k].demand[j] for k, j in pairs], dtype=float)
    master = _Master(demand, len(caps))
    by_modes: dict[tuple[str, ...], list[int]] = {}
    for k, b in enumerate(blocks):
        by_modes.setdefault(b.modes, []).append(k)
    first_pair = np.cumsum([0] + [len(b.dests) for b in blocks])
    rounds = 0
    values, sigma, pi = master.solve()  # everything unserved
    iterations = int(master.model.getInfo().simplex_iteration_count)
    while True:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise CorridorsError(f"assignment: no convergence in {MAX_ROUNDS} pricing rounds")
        price = np.zeros(len(caps))
        if len(pi):
            price[np.asarray(master.group_of_row, dtype=np.int64)] = -pi
        reduced = g.weight + inc @ price  # hours per TEU, >= the edge's own weight
        added = 0
        for modes, ks in by_modes.items():
            ok = np.flatnonzero(allowed_edges(g, modes))
            matrix, edge_of = _csr(g.tail[ok], g.head[ok], reduced[ok], g.n_vertices)
            sources = np.array([blocks[k].source for k in ks])
            dist, pred = cast(Any, dijkstra)(
                matrix, directed=True, indices=sources, return_predecessors=True
            )
            for row, k in enumerate(ks):
                b = blocks[k]
                for j, t in enumerate(b.sinks):
                    pair = int(first_pair[k] + j)
                    d = float(dist[row, t])
                    if not np.isfinite(d) or d >= sigma[pair] - TOL_REDUCED:
                        continue
                    verts = _walk(pred[row], b.source, t)
                    local = [edge_of[(a, c)] for a, c in itertools.pairwise(verts)]
                    edges = ok[np.asarray(local, dtype=np.int64)]
                    groups = inc[edges].indices if inc.shape[1] else np.zeros(0, np.int64)
                    cost = float(g.weight[edges].sum())
                    added += master.add_path(pair, edges, cost, np.asarray(groups, np.int64), caps)
        if not added:
            break
        values, sigma, pi = master.solve()
        iterations += int(master.model.getInfo().simplex_iteration_count)
    x = _layout(g, blocks, pairs, master, values)
    for el in elements:
        el.shadow_price_h = 0.0
    if len(pi):
        duals = -pi
        gi = 0
        for el in elements:
            rows = master.row_of_group[gi : gi + len(el.groups)]
            gi += len(el.groups)
            used = rows[rows >= 0] - master.n_pairs
            el.shadow_price_h = max(0.0, float(duals[used].sum())) if len(used) else 0.0
    objective = float(master.model.getInfo().objective_function_value) * SCALE
    info = {
        "status": 0,
        "message": master.model.modelStatusToString(master.model.getModelStatus()),
        "iterations": iterations,
        "objective": objective,
        "variables": len(pairs) + len(master.columns),
        "constraints": len(pairs) + len(master.group_of_row),
        "blocks": len(blocks),
        "engine": "colgen",
        "pricing_rounds": rounds,
    }
    return x, info


def _layout(
    g: CompiledGraph,
    blocks: list[Block],
    pairs: list[tuple[int, int]],
    master: _Master,
    values: FloatArray,
) -> FloatArray:
    """Path flows as the LP's columns: per block its edges, then its unserved columns."""
    total = sum(len(b.edges) + len(b.dests) for b in blocks)
    x = np.zeros(total)
    n_pairs = len(pairs)
    for (k, j), u in zip(pairs, values[:n_pairs], strict=True):
        b = blocks[k]
        x[b.offset + len(b.edges) + j] = max(0.0, u) * SCALE
    for (pair, edges), f in zip(master.columns, values[n_pairs:], strict=True):
        if f <= 0:
            continue
        b = blocks[pairs[pair][0]]
        cols = b.offset + np.searchsorted(b.edges, edges)
        np.add.at(x, cols, f * SCALE)
    return x


#: Environment variable choosing the assignment engine (``lp``, ``colgen`` or ``auto``).
ENV_ENGINE = "CORRIDORS_ASSIGN_ENGINE"
#: ``auto`` solves by the LP while it has at most this many columns (blocks times edges).
AUTO_LP_COLUMNS = 400_000


def assignment_engine(blocks: list[Block], engine: str | None = None) -> str:
    """``lp`` or ``colgen``: ``engine``, else ``$CORRIDORS_ASSIGN_ENGINE``, else by LP size.

    The default dataset's LP is well under :data:`AUTO_LP_COLUMNS`, so its stored answers
    keep the LP's basic solution.

    Raises
    ------
    CorridorsError
        On an unknown engine name.
    """
    chosen = (engine or os.environ.get(ENV_ENGINE, "") or "auto").strip().lower()
    if chosen == "auto":
        size = sum(len(b.edges) + len(b.dests) for b in blocks)
        return "lp" if size <= AUTO_LP_COLUMNS else "colgen"
    if chosen not in ("lp", "colgen"):
        raise CorridorsError(f"unknown assignment engine {chosen!r} (known: auto, lp, colgen)")
    return chosen


def solve_assignment(
    g: CompiledGraph, blocks: list[Block], elements: list[Element], engine: str | None = None
) -> tuple[FloatArray, dict[str, Any]]:
    """The assignment by the engine :func:`assignment_engine` picks."""
    if assignment_engine(blocks, engine) == "lp":
        return solve(g, blocks, elements)
    return solve_colgen(g, blocks, elements)
