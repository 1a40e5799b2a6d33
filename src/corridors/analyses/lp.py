r"""What the flow and assignment LPs share: capacities in a flow unit, conservation, HiGHS.

Both :mod:`corridors.analyses.flows.solve` and :mod:`corridors.analyses.assignment.solve` state a
network flow as a linear programme over arc flows :math:`x_e \ge 0`
(Ahuja, Magnanti & Orlin, *Network Flows*, Prentice Hall 1993):

.. math::

    \min c^\top x \quad \text{s.t.} \quad N x = b, \quad A x \le d, \quad 0 \le x \le u

where :math:`N` is the node–arc incidence matrix (:func:`incidence`: :math:`N_{ve} = -1`
when arc :math:`e` leaves vertex :math:`v`, :math:`+1` when it enters it), so that row
:math:`v` of :math:`N x = b` says inflow minus outflow at :math:`v` equals :math:`b_v`.
Both build their columns from the edges of the compiled graph of
:mod:`corridors.model.graph` (the flow model: one column per edge; the assignment: one
block of columns per LP commodity) and differ in their bounds (per-arc bounds :math:`u`
against bundle constraints :math:`A x \le d`).

The flow model is kept as a ``highspy.Highs`` model (:func:`new_highs`, :func:`add_columns`,
:func:`add_rows`, :func:`run_highs`) so that bounds and costs change between solves without
rebuilding; the assignment builds one model per solve the same way. Both use HiGHS's dual
simplex, which stops at a basic optimal
solution (a vertex of the feasible set, not an interior-point approximation); where the
constraints are those of a single-commodity network (the flow model), the matrix is
totally unimodular and a basic solution of integral data is integral.

Capacities come in the unit of their table row and are converted to the commodity's flow
unit by the one rule of :mod:`corridors.model.costs` (:func:`capacity_in`, re-exported
here); a capacity of another dimension (a rail line's TEU/yr for crude) is no capacity
for that commodity.
"""

from __future__ import annotations

import os
import sys

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from corridors.errors import CorridorsError
from corridors.model.costs import capacity_in, to_unit

__all__ = [
    "add_columns",
    "add_rows",
    "capacity_in",
    "incidence",
    "new_highs",
    "run_highs",
    "to_unit",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def new_highs() -> highspy.Highs:
    """A silent ``highspy.Highs`` model.

    HiGHS prints its banner on standard output when the first model of a process is
    created, which would corrupt ``--json`` output; that one creation runs with file
    descriptor 1 pointed at the null device.
    """
    global _BANNER_SHOWN
    if not _BANNER_SHOWN:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            model = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _BANNER_SHOWN = True
    else:
        model = highspy.Highs()  # type: ignore[no-untyped-call]
    model.silent()
    model.setOptionValue("simplex_strategy", 1)  # dual simplex: basic, exact on networks
    return model


_BANNER_SHOWN = False


def add_columns(
    model: highspy.Highs, cost: FloatArray, lower: FloatArray, upper: FloatArray
) -> None:
    """Add columns (no matrix entries yet); ``inf`` bounds become HiGHS's infinity."""
    n = len(cost)
    model.addCols(
        n,
        np.asarray(cost, dtype=float),
        np.asarray(lower, dtype=float),
        np.where(np.isfinite(upper), upper, highspy.kHighsInf).astype(float),
        0,
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=float),
    )


def add_rows(
    model: highspy.Highs, matrix: sp.csr_array, lower: FloatArray, upper: FloatArray
) -> None:
    """Add rows ``lower <= matrix @ x <= upper`` (``inf`` bounds become HiGHS's infinity)."""
    m = sp.csr_array(matrix)
    big = highspy.kHighsInf
    model.addRows(
        m.shape[0],
        np.where(np.isfinite(lower), lower, -big).astype(float),
        np.where(np.isfinite(upper), upper, big).astype(float),
        m.nnz,
        m.indptr.astype(np.int32),
        m.indices.astype(np.int32),
        m.data.astype(float),
    )


def run_highs(model: highspy.Highs, what: str) -> None:
    """Solve ``model``; raise :class:`~corridors.errors.CorridorsError` unless optimal (or empty)."""
    model.run()
    status = model.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty):
        message = model.modelStatusToString(status)
        raise CorridorsError(f"the {what} LP could not be solved: {message}")


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
