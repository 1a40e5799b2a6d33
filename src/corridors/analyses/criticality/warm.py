"""Close elements on one kept flow LP, and tell rerouted flow from kept flow.

The flow LP (:class:`corridors.analyses.flows.problem.FlowProblem`) is built once; an
element set is closed by setting the upper bound of every column on one of its edges to
0 (:func:`closed`), the LP is re-solved from the last basis and the bounds are restored.
This is what closing the element by a scenario does (the scenario drops the links crossing
a country and the nodes in it, the edges :func:`corridors.analyses.criticality.elements.element_edges`
gives), without rebuilding the model.

:func:`decompose` splits a flow into paths from the super source to the super sink, and
:func:`reroute` compares a base flow with the flow after a closure: the base paths through
the closed element carry the **affected** volume; what of it still arrives is the
**rerouted** volume, and its extra cost per unit is the change of the flow's total cost,
plus the base cost of what is lost, over the rerouted volume.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from corridors.analyses.flows.problem import SUPER_SINK, SUPER_SOURCE, Arc, FlowProblem

__all__ = ["Path", "Reroute", "closed", "columns_on", "decompose", "path_costs", "reroute"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Flows below this share of the largest column value count as zero.
EPS = 1e-9

#: A path: its columns (super source to super sink) and its volume.
Path = tuple[tuple[int, ...], float]


def columns_on(problem: FlowProblem, edges: npt.NDArray[np.integer[Any]]) -> IntArray:
    """Columns of ``problem`` standing for any of the graph ``edges``."""
    return np.flatnonzero(np.isin(problem.edge, edges) & (problem.edge >= 0)).astype(np.int64)


@contextmanager
def closed(problem: FlowProblem, columns: IntArray) -> Iterator[None]:
    """Within the block, ``columns`` have upper bound 0; the old bounds come back after."""
    kept = problem.upper[columns].copy()
    problem.set_upper(columns, 0.0)
    try:
        yield
    finally:
        problem.set_upper(columns, kept)


def _vertex(v: int, n: int) -> int:
    return n if v == SUPER_SOURCE else n + 1 if v == SUPER_SINK else v


def decompose(problem: FlowProblem, x: FloatArray) -> list[Path]:
    """Paths from the super source to the super sink carrying the flow ``x``.

    Cycles met on the way are cancelled (an optimal flow has none that cost anything).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.analyses.flows.solve import flow_problem
    >>> p, _ = flow_problem(load(), "crude", "KZ")
    >>> sol = p.solve("mincost")
    >>> paths = decompose(p, sol.x)
    >>> abs(sum(v for _, v in paths) - sol.total) < 1e-6
    True
    """
    n = problem.n_vertices
    left = np.asarray(x, dtype=float).copy()
    eps = EPS * max(1.0, float(left.max(initial=0.0)))
    left[left <= eps] = 0.0
    out: dict[int, list[int]] = {}
    for c in np.flatnonzero(left > 0):
        out.setdefault(_vertex(int(problem.tail[c]), n), []).append(int(c))
    start, end = n, n + 1
    paths: list[Path] = []
    while True:
        walk: list[int] = []
        seen = {start: 0}
        v = start
        while v != end:
            cols = out.get(v, [])
            while cols and left[cols[-1]] <= eps:
                cols.pop()
            if not cols:
                break
            col = cols[-1]
            walk.append(col)
            v = _vertex(int(problem.head[col]), n)
            if v in seen:  # a cycle: cancel it and go on from where it began
                cycle = walk[seen[v] :]
                least = float(left[cycle].min())
                left[cycle] -= least
                left[left <= eps] = 0.0
                del walk[seen[v] :]
                seen = {k: i for k, i in seen.items() if i <= len(walk)}
                continue
            seen[v] = len(walk)
        if v != end:
            if v == start:
                return paths
            # a dead end (rounding): drop what is left on this walk
            left[walk] = 0.0
            continue
        least = float(left[walk].min())
        left[walk] -= least
        left[left <= eps] = 0.0
        paths.append((tuple(walk), least))


def path_costs(problem: FlowProblem, paths: list[Path], per_column: FloatArray) -> FloatArray:
    """Per path, the sum of ``per_column`` over its columns (NaN if any is NaN)."""
    return np.asarray([float(per_column[list(cols)].sum()) for cols, _ in paths], dtype=float)


def usd_per_column(problem: FlowProblem) -> FloatArray:
    """USD per unit of each column: link and transfer costs (NaN where unknown), else 0."""
    g = problem.graph
    safe = np.where(problem.edge >= 0, problem.edge, 0)
    priced = np.isin(problem.kind, [Arc.LINK, Arc.TRANSFER]) & (problem.edge >= 0)
    return np.where(priced, g.cost[safe], 0.0)


def km_per_column(problem: FlowProblem) -> FloatArray:
    """Kilometres of each column (links), else 0."""
    safe = np.where(problem.edge >= 0, problem.edge, 0)
    link = (problem.kind == Arc.LINK) & (problem.edge >= 0)
    return np.where(link, problem.graph.length[safe], 0.0)


@dataclass(frozen=True)
class Reroute:
    """How a closure moved a flow.

    Attributes
    ----------
    affected
        Base volume whose path uses a closed column.
    lost
        Fall of the delivered total.
    rerouted
        ``affected - lost``: the affected volume still delivered.
    extra_usd, extra_km
        Per rerouted unit, in USD (km): the change of the flow's total cost, plus what the
        lost volume cost on its base paths, over the rerouted volume; None when nothing
        reroutes or a cost it needs is unknown.
    """

    affected: float
    lost: float
    rerouted: float
    extra_usd: float | None
    extra_km: float | None


def reroute(
    problem: FlowProblem, base: list[Path], x_base: FloatArray, x_after: FloatArray, shut: IntArray
) -> Reroute:
    r"""Compare the base flow with the flow ``x_after`` once columns ``shut`` are closed.

    With :math:`A` the volume of the base paths using a closed column and :math:`\bar c_A`
    their mean cost per unit, :math:`L` the fall of the delivered total and
    :math:`\Delta C = \sum_e c_e (x'_e - x_e)` the change of the total cost (over the
    columns whose flow changed, so an unpriced column that keeps its flow does not
    matter), the rerouted volume is :math:`R = A - L` and its extra cost per unit
    :math:`(\Delta C + L \bar c_A) / R`: what the new flow costs beyond the base, with the
    lost volume's base cost added back, spread over the volume that still arrives. The
    unaffected paths stay feasible, so :math:`L \le A`.

    Examples
    --------
    >>> import numpy as np
    >>> from corridors.model.network import load
    >>> from corridors.analyses.flows.solve import flow_problem
    >>> p, _ = flow_problem(load(), "crude", "KZ")
    >>> x = p.solve("mincost").x
    >>> same = reroute(p, decompose(p, x), x, x, np.zeros(0, dtype=np.int64))
    >>> same.affected, same.extra_usd is None
    (0.0, True)
    """
    eps = EPS * max(1.0, float(np.abs(x_base).max(initial=0.0)))
    closed_mask = np.zeros(len(problem.edge), dtype=bool)
    closed_mask[shut] = True
    hit = [k for k, (cols, _) in enumerate(base) if closed_mask[list(cols)].any()]
    volume = np.asarray([base[k][1] for k in hit], dtype=float)
    affected = float(volume.sum())
    lost = max(
        0.0,
        float(x_base[problem.kind == Arc.INTAKE].sum() - x_after[problem.kind == Arc.INTAKE].sum()),
    )
    rerouted = max(0.0, affected - lost)
    delta = np.asarray(x_after, dtype=float) - np.asarray(x_base, dtype=float)
    moved = np.abs(delta) > eps
    extra: list[float | None] = []
    for per_column in (usd_per_column(problem), km_per_column(problem)):
        if rerouted <= eps:
            extra.append(None)
            continue
        change = float((per_column[moved] * delta[moved]).sum())
        mean_hit = (
            float((path_costs(problem, [base[k] for k in hit], per_column) * volume).sum())
            / affected
        )
        value = (change + lost * mean_hit) / rerouted
        extra.append(value if np.isfinite(value) else None)
    return Reroute(affected, lost, rerouted, extra[0], extra[1])
