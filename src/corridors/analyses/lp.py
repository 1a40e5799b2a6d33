r"""What the flow and assignment LPs share: capacities in a flow unit, conservation, HiGHS.

Both :mod:`corridors.analyses.flows.solve` and :mod:`corridors.analyses.assignment.solve` state a
network flow as a linear programme over arc flows :math:`x_e \ge 0`
(Ahuja, Magnanti & Orlin, *Network Flows*, Prentice Hall 1993):

.. math::

    \min c^\top x \quad \text{s.t.} \quad N x = b, \quad A x \le d, \quad 0 \le x \le u

where :math:`N` is the node–arc incidence matrix (:func:`incidence`: :math:`N_{ve} = -1`
when arc :math:`e` leaves vertex :math:`v`, :math:`+1` when it enters it), so that row
:math:`v` of :math:`N x = b` says inflow minus outflow at :math:`v` equals :math:`b_v`.
The two models differ in their graph (the flow model builds its own layered graph from
the usable links; the assignment uses the compiled graph of :mod:`corridors.model.graph`,
one block of columns per LP commodity) and in their bounds (per-arc bounds :math:`u`
against bundle constraints :math:`A x \le d`).

Both solve with HiGHS's dual simplex (:func:`solve_lp`), which stops at a basic optimal
solution (a vertex of the feasible set, not an interior-point approximation); where the
constraints are those of a single-commodity network (the flow model), the matrix is
totally unimodular and a basic solution of integral data is integral.

Capacities come in the unit of their table row and are converted to the commodity's flow
unit with :func:`capacity_in`; a capacity of another dimension (a rail line's TEU/yr for
crude) is no capacity for that commodity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog as _scipy_linprog

from corridors.units import UnitError, convert, teu_per_year

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: scipy-stubs reject sparse constraint matrices, which linprog accepts with HiGHS.
_linprog = cast("Callable[..., Any]", _scipy_linprog)


def to_unit(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` converted to ``target`` (trains become TEU for TEU/yr).

    Examples
    --------
    >>> to_unit(2.0, "Mt/yr", "t/yr")
    2000000.0
    >>> round(to_unit(1.0, "trains/yr", "TEU/yr"), 1)
    96.5
    """
    if target == "TEU/yr":
        return teu_per_year(value, unit)
    return convert(value, unit, target)


def capacity_in(value: Any, unit: Any, target: str, *, trains_as_teu: bool = False) -> float | None:
    """A capacity converted to ``target``, or None when missing or of another dimension.

    Parameters
    ----------
    value, unit
        The capacity and its unit as they stand in a table row (NaN or empty: none).
    target
        The commodity's flow unit.
    trains_as_teu
        Count train rates as TEU (:func:`to_unit`) when ``target`` is ``TEU/yr``, as the
        assignment does; otherwise (flows) only :func:`corridors.units.convert` applies.

    Examples
    --------
    >>> capacity_in(30.0, "mcm/day", "bcm/yr")
    10.95
    >>> capacity_in(10.0, "TEU/yr", "Mt/yr") is None, capacity_in(None, "", "Mt/yr") is None
    (True, True)
    >>> capacity_in(1.0, "trains/yr", "TEU/yr") is None
    True
    >>> round(capacity_in(1.0, "trains/yr", "TEU/yr", trains_as_teu=True), 1)
    96.5
    """
    if value is None or pd.isna(value) or not str(unit):
        return None
    try:
        if trains_as_teu:
            return to_unit(float(value), str(unit), target)
        return convert(float(value), str(unit), target)
    except UnitError:
        return None


def incidence(tail: IntArray, head: IntArray, n_vertices: int) -> sp.csr_array:
    """Node–arc incidence matrix: -1 where an arc leaves a vertex, +1 where it enters one.

    Arc ``e`` runs from vertex ``tail[e]`` to ``head[e]``; a negative vertex (a super source
    or sink outside the conservation rows) gets no entry.

    Examples
    --------
    >>> import numpy as np
    >>> incidence(np.array([-1, 0, 1]), np.array([0, 1, -1]), 2).toarray()
    array([[ 1., -1.,  0.],
           [ 0.,  1., -1.]])
    """
    arcs = np.arange(len(tail), dtype=np.int64)
    out, into = tail >= 0, head >= 0
    rows = np.concatenate([tail[out], head[into]])
    cols = np.concatenate([arcs[out], arcs[into]])
    vals = np.concatenate([-np.ones(int(out.sum())), np.ones(int(into.sum()))])
    return sp.csr_array((vals, (rows, cols)), shape=(n_vertices, len(tail)))


def solve_lp(
    c: FloatArray,
    *,
    a_eq: sp.csr_array,
    b_eq: FloatArray,
    bounds: Any,
    a_ub: sp.csr_array | None = None,
    b_ub: FloatArray | None = None,
) -> Any:
    """Minimise ``c @ x`` under ``a_eq @ x == b_eq``, ``a_ub @ x <= b_ub`` and ``bounds``.

    HiGHS dual simplex through :func:`scipy.optimize.linprog` (``method="highs-ds"``);
    returns scipy's ``OptimizeResult`` (``status``, ``message``, ``x``, ``fun``, ``nit``).
    """
    return _linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs-ds")
