r"""Max flow and min-cost flow of the flow problem by network-flow algorithms.

The flow LP of :mod:`.problem` is a single-commodity network flow: conservation at every
vertex, a capacity per column, no side constraint. OR-Tools' push-relabel
``SimpleMaxFlow`` and the primal-dual min-cost flow of :mod:`.mincost` (Dijkstra phases,
each followed by an OR-Tools max flow on the arcs of zero reduced cost) solve it on the
same columns
(:class:`~corridors.analyses.flows.problem.FlowProblem`), and return a
:class:`~corridors.analyses.flows.problem.FlowSolution` that :mod:`.read` turns into a
result as it does the LP's:

1. maximum flow ``F`` from the super source to the super sink (``x_max``);
2. with ``F`` fixed as the supply of the super source, a min-cost flow with the second
   objective, in one combinatorial solve (not a second LP): ``mincost``, the unit cost plus
   one step per link and transfer column, over every column (the LP's second stage);
   ``max``, one unit per link and transfer column over the columns the max flow uses
   (its support): circulations and detours inside that support go, as in the LP, but a
   shorter route outside it is not sought (the delivered volumes are the same; the link
   flows of a ``max`` result can differ from the LP's where other routes tie).

In ``mincost`` mode both stages are one run of
:func:`~corridors.analyses.flows.mincost.primal_dual_min_cost` without a total: it ships
the maximum flow at least cost, so its flow is both ``x_max`` and ``x``, and its last
Dijkstra gives the min cut. OR-Tools' cost-scaling ``SimpleMinCostFlow`` at ``F`` (after
``SimpleMaxFlow``) took 201 s at 100k nodes (issue 15); it stays as
``min_cost="cost-scaling"``, and for negative costs. Both are exact on the integer problem:
the same total cost, and flows that can differ only where routes tie.

Integers
--------
Both algorithms need integer capacities and costs. Capacities are scaled so that the
largest finite bound (capacity, supply or intake) is :data:`FLOW_STEPS` steps and rounded
down; a column without a bound gets the sum of the finite ones (no flow can use more:
:func:`corridors.analyses.flows.cut.unbounded_path` refuses a path without any bound
before solving). Flows are thus exact to one step — a relative ``1e-9`` of the largest
bound per cut column — and the delivered total is at most that much below the LP's.
Costs are scaled so that the largest is :data:`COST_STEPS` and rounded to the nearest
step; costs that differ by less than a step tie (the LP's tie-break weight is
``1e-7`` of the largest cost; here a link or transfer column adds one step, ``1e-6``).

Shadow prices
-------------
The LP's stage-1 duals are replaced by the min cut: a column leaving the source side of
the minimum cut (``GetSourceSideMinCut``, or the same vertex set, reachable from the
source in the residual graph, from the primal-dual run) at its bound has shadow price 1 (one more unit
of its capacity adds one unit of flow), every other column 0. This is a valid dual
solution of the max-flow LP; where the min cut is not unique HiGHS may report another.

Which engine
------------
:func:`flow_engine` picks the LP for problems of up to :data:`AUTO_LP_COLUMNS` columns (so
the default dataset's stored answers keep the LP's basic solutions) and the network
algorithms above; ``CORRIDORS_FLOW_ENGINE=lp|network|auto`` overrides it.
"""

from __future__ import annotations

import os
from typing import Literal

import numpy as np
import numpy.typing as npt

from corridors.analyses.flows.mincost import primal_dual_min_cost
from corridors.analyses.flows.problem import (
    SUPER_SINK,
    SUPER_SOURCE,
    Arc,
    FlowProblem,
    FlowSolution,
)
from corridors.analyses.lp import FloatArray, IntArray
from corridors.errors import CorridorsError

__all__ = [
    "AUTO_LP_COLUMNS",
    "COST_STEPS",
    "ENV_ENGINE",
    "FLOW_STEPS",
    "Engine",
    "MinCostMethod",
    "flow_engine",
    "solve_network",
    "solve_problem",
]

Engine = Literal["auto", "lp", "network"]
#: How :func:`solve_network` solves the ``mincost`` stage (see the module notes).
MinCostMethod = Literal["primal-dual", "cost-scaling"]

#: Environment variable choosing the flow engine (``lp``, ``network`` or ``auto``).
ENV_ENGINE = "CORRIDORS_FLOW_ENGINE"
#: ``auto`` solves problems of up to this many columns by the LP.
AUTO_LP_COLUMNS = 20_000
#: The largest finite bound becomes this many integer flow steps.
FLOW_STEPS = 1 << 30
#: The largest cost becomes this many integer cost steps.
COST_STEPS = 1_000_000


def flow_engine(problem: FlowProblem, engine: str | None = None) -> Literal["lp", "network"]:
    """The engine for ``problem``: ``engine``, else ``$CORRIDORS_FLOW_ENGINE``, else by size.

    Raises
    ------
    CorridorsError
        On an unknown engine name.
    """
    chosen = (engine or os.environ.get(ENV_ENGINE, "") or "auto").strip().lower()
    if chosen == "auto":
        return "lp" if len(problem.edge) <= AUTO_LP_COLUMNS else "network"
    if chosen in ("lp", "network"):
        return "lp" if chosen == "lp" else "network"
    raise CorridorsError(f"unknown flow engine {chosen!r} (known: auto, lp, network)")


def solve_problem(
    problem: FlowProblem, second: str = "max", engine: str | None = None
) -> FlowSolution:
    """Solve ``problem`` by the LP (:meth:`FlowProblem.solve`) or :func:`solve_network`."""
    if flow_engine(problem, engine) == "lp":
        return problem.solve(second)
    return solve_network(problem, second)


def _vertices(problem: FlowProblem) -> tuple[IntArray, IntArray, int, int]:
    n = problem.n_vertices
    source, sink = n, n + 1
    tail = np.where(problem.tail == SUPER_SOURCE, source, problem.tail)
    head = np.where(problem.head == SUPER_SINK, sink, problem.head)
    return tail.astype(np.int64), head.astype(np.int64), source, sink


def _integer_capacities(upper: FloatArray) -> tuple[IntArray, float]:
    """Capacities in integer steps (rounded down) and the steps per flow unit."""
    finite = np.isfinite(upper)
    largest = float(upper[finite].max(initial=0.0))
    if largest <= 0:
        return np.where(finite, 0, 1).astype(np.int64), 1.0
    per_unit = FLOW_STEPS / largest
    steps = np.floor(np.where(finite, upper, 0.0) * per_unit).astype(np.int64)
    unbounded = int(steps.sum()) + 1
    return np.where(finite, steps, unbounded).astype(np.int64), per_unit


def _integer_costs(problem: FlowProblem, second: str) -> IntArray:
    tidy = problem.tidy.astype(np.int64)
    if second == "max":
        return tidy
    largest = float(np.abs(problem.cost).max(initial=0.0))
    scale = COST_STEPS / largest if largest > 0 else 0.0
    return (np.rint(problem.cost * scale).astype(np.int64) + tidy).astype(np.int64)


def _min_cost(
    tail: IntArray,
    head: IntArray,
    caps: IntArray,
    costs: IntArray,
    source: int,
    sink: int,
    total: int,
) -> FloatArray:
    """Integer flows of the least-cost flow of ``total`` steps, by OR-Tools' cost scaling."""
    from ortools.graph.python import min_cost_flow

    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(
        tail, head, np.minimum(caps, max(total, 1)), costs
    )
    mcf.set_nodes_supplies(np.array([source, sink], dtype=np.int64), np.array([total, -total]))
    status = mcf.solve()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise CorridorsError(f"the min-cost-flow solver failed (status {status})")
    return np.asarray(mcf.flows(arcs), dtype=float)


def _without_cycles(
    tail: IntArray, head: IntArray, caps: IntArray, steps: IntArray, problem: FlowProblem
) -> FloatArray:
    """The max flow ``steps`` with its circulations cancelled (the ``max`` tidy stage).

    A cycle of a flow lies inside one strongly connected part of its support; only the
    support's arcs inside such parts are re-solved, as a min-cost flow keeping every
    vertex's balance over them (so nothing outside changes) at one step per link and
    transfer column: no cycle through a link or transfer stays.
    """
    import scipy.sparse as sp
    from ortools.graph.python import min_cost_flow
    from scipy.sparse.csgraph import connected_components

    n = problem.n_vertices + 2
    used = steps > 0
    support = sp.csr_matrix((np.ones(int(used.sum())), (tail[used], head[used])), shape=(n, n))
    _, label = connected_components(support, directed=True, connection="strong")
    inside = used & (label[tail] == label[head])
    out = steps.astype(float)
    if not inside.any():
        return out
    t, h, f = tail[inside], head[inside], steps[inside]
    balance = np.zeros(n, dtype=np.int64)
    np.add.at(balance, t, f)
    np.subtract.at(balance, h, f)
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(
        t, h, caps[inside], problem.tidy[inside].astype(np.int64)
    )
    nodes = np.flatnonzero(balance).astype(np.int64)
    mcf.set_nodes_supplies(nodes, balance[nodes])
    status = mcf.solve()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise CorridorsError(f"the min-cost-flow solver failed (status {status})")
    out[inside] = np.asarray(mcf.flows(arcs), dtype=float)
    return out


def solve_network(
    problem: FlowProblem, second: str = "max", min_cost: MinCostMethod = "primal-dual"
) -> FlowSolution:
    """Max flow, then the ``second`` objective at that total, by OR-Tools (see above).

    ``min_cost`` picks the ``mincost`` stage's algorithm: ``primal-dual``
    (:mod:`corridors.analyses.flows.mincost`, the default) or OR-Tools' ``cost-scaling``;
    both are exact, so the total cost is the same (the flows can differ where routes tie).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.analyses.flows.solve import flow_problem
    >>> p, _ = flow_problem(load(), "crude", "KZ")
    >>> lp, net = p.solve("mincost"), solve_network(p, "mincost")
    >>> abs(lp.total - net.total) <= 1e-6 * max(1.0, lp.total)
    True
    >>> slow = solve_network(p, "mincost", min_cost="cost-scaling")
    >>> bool(abs(float(slow.x @ p.cost) - float(net.x @ p.cost)) <= 1e-6 * float(slow.x @ p.cost))
    True
    """
    from ortools.graph.python import max_flow

    tail, head, source, sink = _vertices(problem)
    caps, per_unit = _integer_capacities(problem.upper)
    if not len(tail):
        zero = np.zeros(0)
        return FlowSolution(zero, zero.copy(), zero.copy(), 0.0, 0)
    costs = _integer_costs(problem, second)
    if second != "max" and min_cost == "primal-dual" and int(costs.min()) >= 0:
        # The least-cost maximum flow in one run: it is also the stage-1 flow.
        found = primal_dual_min_cost(
            tail, head, caps, costs, source, sink, None, problem.n_vertices + 2
        )
        x = found.flows / per_unit
        return _solution(problem, tail, head, caps, found.flows, found.source_side, x, per_unit)
    mf = max_flow.SimpleMaxFlow()
    arcs = mf.add_arcs_with_capacity(tail, head, caps)
    status = mf.solve(source, sink)
    if status != max_flow.SimpleMaxFlow.OPTIMAL:
        raise CorridorsError(f"the max-flow solver failed (status {status})")
    total_steps = int(mf.optimal_flow())
    side = np.zeros(problem.n_vertices + 2, dtype=bool)
    side[np.asarray(mf.get_source_side_min_cut(), dtype=np.int64)] = True
    steps = np.asarray(mf.flows(arcs), dtype=np.int64)
    if second == "max":
        x = _without_cycles(tail, head, caps, steps, problem) / per_unit
    else:
        x = _min_cost(tail, head, caps, costs, source, sink, total_steps) / per_unit
    return _solution(problem, tail, head, caps, steps, side, x, per_unit)


def _solution(
    problem: FlowProblem,
    tail: IntArray,
    head: IntArray,
    caps: IntArray,
    steps: IntArray,
    side: npt.NDArray[np.bool_],
    x: FloatArray,
    per_unit: float,
) -> FlowSolution:
    """The solution of max flow ``steps`` with source side ``side`` and second stage ``x``."""
    x_max = steps / per_unit
    shadow = np.zeros(len(tail))
    crossing = side[tail] & ~side[head] & (steps >= caps)
    shadow[crossing & np.isfinite(problem.upper)] = 1.0
    total = float(x_max[problem.kind == Arc.INTAKE].sum())
    return FlowSolution(x_max, x, shadow, total, 0)
