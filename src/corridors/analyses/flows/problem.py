r"""The flow LP over the compiled graph, kept as one ``highspy`` model.

:func:`build_problem` turns the edges of a :class:`~corridors.model.graph.CompiledGraph`
into columns once: link and transfer edges bounded by their capacity (in the flow unit,
:mod:`corridors.model.costs`), dwell edges as free pass-through arcs, the terminal edges of
the chosen sources and sinks as free arcs, plus a **supply** column per source (from the
super source, bounded by the field's capacity) and an **intake** column per sink (to the
super sink, bounded by the node's capacity and the demand). Rows: conservation at every
vertex, and one row summing the intake columns (free until the second stage fixes it).

:meth:`FlowProblem.solve` runs two stages in the same model: (1) maximise the intake;
(2) with the total held (the row's lower bound), minimise the second objective: one unit
per link and transfer edge (``max``: no detours, no circulation) or the unit cost
(``mincost``), plus that tidy term scaled down so that a zero-cost cycle cannot stay. Between
solves only bounds and costs change (:meth:`FlowProblem.set_upper`), so HiGHS re-solves
from its last basis (warm start).

Shadow prices come from stage 1: for a column at its upper bound, the reduced cost
:math:`d_e` of the minimisation of :math:`-\sum x_{\text{intake}}` is :math:`\le 0`, and one
more unit of capacity adds :math:`-d_e` to the maximum flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import highspy
import numpy as np
import scipy.sparse as sp

from corridors.analyses.lp import (
    FloatArray,
    IntArray,
    add_columns,
    add_rows,
    incidence,
    new_highs,
    run_highs,
)
from corridors.model.graph import CompiledGraph, EdgeKind

#: Super source and super sink (outside the conservation rows).
SUPER_SOURCE, SUPER_SINK = -1, -2

#: The tidy term's weight in the ``mincost`` second stage, relative to the largest cost.
TIDY_WEIGHT = 1e-7


class Arc(IntEnum):
    """What a column of the flow LP stands for."""

    LINK = 0
    TRANSFER = 1
    SUPPLY = 2
    INTAKE = 3
    INTERNAL = 4  # dwell and terminal edges: free pass-through arcs


_OF_EDGE = {
    EdgeKind.LINK: Arc.LINK,
    EdgeKind.TRANSFER: Arc.TRANSFER,
    EdgeKind.DWELL: Arc.INTERNAL,
    EdgeKind.TERMINAL: Arc.INTERNAL,
}


@dataclass
class FlowSolution:
    """Column values of both stages and the stage-1 shadow price of each column."""

    x_max: FloatArray
    x: FloatArray
    shadow: FloatArray
    total: float
    iterations: int


@dataclass(eq=False)
class FlowProblem:
    """The flow LP of one commodity between chosen sources and sinks.

    Attributes
    ----------
    graph
        The compiled graph the columns come from.
    edge
        Per column, its graph edge (-1 for supply and intake columns).
    tail, head
        Per column, its vertices (:data:`SUPER_SOURCE`, :data:`SUPER_SINK` outside).
    kind, ref
        Per column, an :class:`Arc` and the id of its element (link, transfer or node id).
    upper
        Per column, the current upper bound (``inf``: none).
    cost, tidy
        Per column, the unit cost (in ``cost_basis``) and the tidy term (1 per link and
        transfer edge): the ``mincost`` and ``max`` second-stage objectives.
    cost_basis
        ``USD/unit`` when every link has a unit cost, else ``km``.
    """

    graph: CompiledGraph
    edge: IntArray
    tail: IntArray
    head: IntArray
    kind: IntArray
    ref: list[str]
    upper: FloatArray
    cost: FloatArray
    tidy: FloatArray
    cost_basis: str
    model: highspy.Highs = field(repr=False)
    columns: dict[tuple[int, str], list[int]] = field(default_factory=dict, repr=False)

    @property
    def n_vertices(self) -> int:
        """Number of conservation rows."""
        return self.graph.n_vertices

    def columns_of(self, kind: Arc, ref: str) -> list[int]:
        """Columns of one element (a ``both`` link or transfer has two)."""
        return self.columns.get((int(kind), ref), [])

    def set_upper(self, columns: list[int] | IntArray, upper: float | FloatArray) -> None:
        """Change the upper bound of ``columns`` (0 closes them) without rebuilding."""
        cols = np.asarray(columns, dtype=np.int32)
        if not len(cols):
            return
        ub = np.broadcast_to(np.asarray(upper, dtype=float), cols.shape).copy()
        self.upper[cols] = ub
        big = np.where(np.isfinite(ub), ub, highspy.kHighsInf)
        self.model.changeColsBounds(len(cols), cols, np.zeros(len(cols)), big)

    def solve(self, second: str = "max") -> FlowSolution:
        """Max flow, then the ``second`` objective (``max`` or ``mincost``) at that total."""
        n = len(self.edge)
        intake = self.kind == Arc.INTAKE
        all_cols = np.arange(n, dtype=np.int32)
        total_row = self.n_vertices
        big = highspy.kHighsInf
        self.model.changeColsCost(n, all_cols, -intake.astype(float))
        self.model.changeRowBounds(total_row, -big, big)
        run_highs(self.model, "flow")
        sol = self.model.getSolution()
        x_max = np.clip(np.asarray(sol.col_value, dtype=float), 0.0, None)
        shadow = np.clip(-np.asarray(sol.col_dual, dtype=float), 0.0, None)
        iterations = int(self.model.getInfo().simplex_iteration_count)
        total = float(x_max[intake].sum())
        scale = TIDY_WEIGHT * max(1.0, float(self.cost.max(initial=0.0)))
        objective = self.tidy if second == "max" else self.cost + scale * self.tidy
        self.model.changeColsCost(n, all_cols, objective)
        self.model.changeRowBounds(total_row, total, big)
        self.model.run()
        ok = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty)
        if self.model.getModelStatus() not in ok:
            # infeasible by a rounding hair: relax the total by a relative 1e-9
            self.model.changeRowBounds(total_row, total - 1e-9 * max(1.0, total), big)
            run_highs(self.model, "flow")
        x = np.clip(np.asarray(self.model.getSolution().col_value, dtype=float), 0.0, None)
        iterations += int(self.model.getInfo().simplex_iteration_count)
        return FlowSolution(x_max, x, shadow, total, iterations)


def build_problem(
    g: CompiledGraph,
    supply: dict[str, float],
    intake: dict[str, float],
) -> FlowProblem:
    """Lay out the columns and rows of the flow LP once (see the module docstring).

    Parameters
    ----------
    g
        The commodity's compiled graph.
    supply, intake
        Per source (sink) node id, its bound in the flow unit (``inf``: none). A node the
        graph does not reach gets no column.
    """
    src_v = {int(g.source_vertex[g.node_pos[s]]) for s in supply if s in g.node_pos}
    snk_v = {int(g.sink_vertex[g.node_pos[m]]) for m in intake if m in g.node_pos}
    src_v.discard(-1)
    snk_v.discard(-1)
    terminal = g.kind == EdgeKind.TERMINAL
    keep = ~terminal | np.isin(g.tail, list(src_v)) | np.isin(g.head, list(snk_v))
    edges = np.flatnonzero(keep).astype(np.int64)
    kinds = [int(_OF_EDGE[EdgeKind(int(k))]) for k in g.kind[edges]]
    refs = [_edge_ref(g, int(e)) for e in edges]
    tail, head = list(g.tail[edges]), list(g.head[edges])
    upper = list(g.capacity[edges])
    for ends, side in ((supply, Arc.SUPPLY), (intake, Arc.INTAKE)):
        for node, bound in ends.items():
            pos = g.node_pos.get(node)
            v = (
                -1
                if pos is None
                else int(g.source_vertex[pos] if side is Arc.SUPPLY else g.sink_vertex[pos])
            )
            if v < 0:
                continue
            tail.append(SUPER_SOURCE if side is Arc.SUPPLY else v)
            head.append(v if side is Arc.SUPPLY else SUPER_SINK)
            kinds.append(int(side))
            refs.append(node)
            upper.append(bound)
    n_edge = len(edges)
    n = len(kinds)
    edge = np.concatenate([edges, -np.ones(n - n_edge, dtype=np.int64)])
    kind = np.asarray(kinds, dtype=np.int64)
    cost, basis = _unit_costs(g, edge, kind)
    tidy = np.isin(kind, [Arc.LINK, Arc.TRANSFER]).astype(float)
    t_arr, h_arr = np.asarray(tail, dtype=np.int64), np.asarray(head, dtype=np.int64)
    model = new_highs()
    ub = np.asarray(upper, dtype=float)
    add_columns(model, np.zeros(n), np.zeros(n), ub)
    rows = incidence(t_arr, h_arr, g.n_vertices)
    total = sp.csr_array((kind == Arc.INTAKE).astype(float).reshape(1, -1))
    add_rows(
        model,
        sp.vstack([rows, total]).tocsr(),
        np.zeros(g.n_vertices + 1),
        np.zeros(g.n_vertices + 1),
    )
    problem = FlowProblem(g, edge, t_arr, h_arr, kind, refs, ub.copy(), cost, tidy, basis, model)
    for col, (k, r) in enumerate(zip(kinds, refs, strict=True)):
        if k != Arc.INTERNAL:
            problem.columns.setdefault((k, r), []).append(col)
    return problem


def _edge_ref(g: CompiledGraph, e: int) -> str:
    kind, ref = EdgeKind(int(g.kind[e])), int(g.ref[e])
    if kind is EdgeKind.LINK:
        return g.link_ids[ref]
    if kind is EdgeKind.TRANSFER:
        return str(g.transfers.at[ref, "id"])
    return g.node_ids[ref]


def _unit_costs(g: CompiledGraph, edge: IntArray, kind: IntArray) -> tuple[FloatArray, str]:
    """Per column: USD per unit where every link has a unit cost, else km (transfers 0)."""
    is_edge = edge >= 0
    safe = np.where(is_edge, edge, 0)
    link = kind == Arc.LINK
    usd = np.where(is_edge & (link | (kind == Arc.TRANSFER)), g.cost[safe], 0.0)
    if not np.isnan(usd[link]).any():
        return np.asarray(usd, dtype=float), "USD/unit"
    km = np.where(is_edge & link, g.length[safe], 0.0)
    return np.asarray(km, dtype=float), "km"
