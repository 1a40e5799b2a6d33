r"""Keep off a country where possible: the most delivered, then the least volume across it.

``corridors flow --keep-off RU`` solves three stages in the one highspy model of
:mod:`.problem`:

1. maximise the total delivered (shadow prices and the min cut come from here, as always);
2. with that total held, minimise :math:`\sum_{e \in R} x_e`, the flow on the links that cross
   or enter the country (:math:`R`);
3. with both held (the second as one added row :math:`\sum_{e \in R} x_e \le v^*`), minimise the
   second objective of the mode (``max``: the tidy term; ``mincost``: the cost).

The added row is deleted afterwards, so the model is left as :func:`.problem.build_problem`
made it.
"""

from __future__ import annotations

from typing import cast

import highspy
import numpy as np

from corridors.analyses.flows.problem import TIDY_WEIGHT, Arc, FlowProblem, FlowSolution
from corridors.analyses.lp import FloatArray, run_highs
from corridors.model.network import Network

__all__ = ["crossing_columns", "solve_keeping_off"]


def crossing_columns(problem: FlowProblem, net: Network, country: str) -> FloatArray:
    """1 on the link columns whose link crosses or ends in ``country``, else 0.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> from corridors.analyses.flows.solve import flow_problem
    >>> net = load()
    >>> p, _ = flow_problem(net, "crude", "KZ")
    >>> w = crossing_columns(p, net, "RU")
    >>> bool(w[p.columns_of(Arc.LINK, "oil_cpc_atyrau_terminal")].all())
    True
    >>> bool(w[p.columns_of(Arc.LINK, "oil_btc")].any())
    False
    """
    weight = np.zeros(len(problem.kind))
    links = net.links
    for col in np.flatnonzero(problem.kind == Arc.LINK):
        ref = problem.ref[col]
        crossed = cast(tuple[str, ...], links.at[ref, "countries"])
        ends = {links.at[ref, "from"], links.at[ref, "to"]}
        here = any(net.nodes.at[n, "country"] == country for n in ends)
        if country in crossed or here:
            weight[col] = 1.0
    return weight


def solve_keeping_off(problem: FlowProblem, weight: FloatArray, second: str) -> FlowSolution:
    """The three stages of the module docstring; ``weight`` from :func:`crossing_columns`."""
    first = problem.solve(second)
    n = len(problem.kind)
    cols = np.arange(n, dtype=np.int32)
    model = problem.model
    model.changeColsCost(n, cols, weight)
    run_highs(model, "flow")
    value = float(model.getInfo().objective_function_value)
    nz = np.flatnonzero(weight).astype(np.int32)
    if not len(nz):
        return first
    model.addRow(-highspy.kHighsInf, value + 1e-9 * max(1.0, value), len(nz), nz, weight[nz])
    scale = TIDY_WEIGHT * max(1.0, float(problem.cost.max(initial=0.0)))
    objective = problem.tidy if second == "max" else problem.cost + scale * problem.tidy
    model.changeColsCost(n, cols, objective)
    run_highs(model, "flow")
    x = np.clip(np.asarray(model.getSolution().col_value, dtype=float), 0.0, None)
    iterations = first.iterations + int(model.getInfo().simplex_iteration_count)
    row = model.getNumRow() - 1
    model.deleteRows(1, np.asarray([row], dtype=np.int32))
    return FlowSolution(first.x_max, x, first.shadow, first.total, iterations)
