r"""Capacity-constrained assignment of container demand to routes (system optimum).

The yearly demand between origin and destination nodes (the ``demand`` table, or a
given frame) is assigned to the network as a **minimum-cost multicommodity flow**
(Ahuja, Magnanti & Orlin, *Network Flows*, Prentice Hall 1993, ch. 17): one LP commodity
per origin and set of modes, sharing the capacities of links, transfers and border/port
nodes, and minimising the total generalized time of the whole flow. The result is the system
optimum (Wardrop's second principle): what a single planner routing every TEU would do.

Network
-------
The layered graph of :mod:`corridors.model.graph` for the commodity, with the ``time``
weights: an edge's weight :math:`c_e` is the mean of its low and high times in hours,
including a node's dwell (border formalities, a vessel's port call), a transfer's time
(gauge change, port handling) plus the dwell of a non-port node, and a ferry's expected
wait (half the headway). Every edge of the compiled graph is a variable (parallel edges
included), not only the cheapest kept in the CSR matrix.

Modes of a demand row
---------------------
Each demand row may name the modes that carry it (``demand.modes``: ``rail;road;ferry``
for China–Europe trains, ``sea`` for liner cargo; empty: every mode of the commodity). A
row restricted to modes :math:`M` may use only the edges of its layers: links of a mode in
:math:`M`, dwell on those layers, transfers between two of those layers (a gauge change
between ``rail_1520`` and ``rail_1435``, a rail ferry's handling between ``rail_1435``
and ``ferry``), and the start and end edges on them. A rail row therefore cannot be
carried by sea, and a liner row cannot be put on a train. Rows are grouped into LP
commodities by (origin, modes), so the rail and the sea demand of the same origin (Hamburg
sends both) are separate commodities with separate edge sets :math:`E_k`.

Formulation
-----------
Let :math:`K` be the LP commodities (origin, modes), :math:`E_k` the edges allowed to
:math:`k`, :math:`D_k` its destinations with demand :math:`q_{kd}` (TEU/yr),
:math:`s_k` the source vertex of its origin and :math:`t_d` the sink vertex of
:math:`d`. Variables: :math:`x_{ke} \ge 0` for :math:`e \in E_k`, the flow of
commodity :math:`k` on edge :math:`e`, and :math:`u_{kd} \ge 0`, the demand of
:math:`(k, d)` left unserved.

.. math::

    \min \sum_k \sum_{e \in E_k} c_e x_{ke} + P \sum_k \sum_{d \in D_k} u_{kd}

subject to flow conservation for every commodity and vertex :math:`v`

.. math::

    \sum_{e \in \delta^-(v) \cap E_k} x_{ke} - \sum_{e \in \delta^+(v) \cap E_k} x_{ke} =
    \begin{cases}
      -\sum_{d} (q_{kd} - u_{kd}) & v = s_k \\
      q_{kd} - u_{kd} & v = t_d,\ d \in D_k \\
      0 & \text{otherwise}
    \end{cases}

and the bundle (capacity) constraints shared by all commodities

.. math::

    \sum_k \sum_{e \in S_r \cap E_k} x_{ke} \le U_r \quad \text{for every capacitated element } r.

An unserved :math:`u_{kd}` enters the equations exactly like an arc from :math:`s_k` to
:math:`t_d` of cost :math:`P`, so the LP is always feasible (send everything unserved)
and bounded (all costs are positive).

- **Links**: :math:`S_r` is one direction of the link (a ``both`` link is bounded in each
  direction separately, as in :mod:`corridors.analyses.flows.solve`), :math:`U_r` its capacity.
- **Transfers** (gauge change, port handling): likewise, per direction.
- **Nodes** of kind ``border`` or ``port`` with a capacity: :math:`S_r` is every edge that
  handles a load at the node — a border's dwell, transfer and terminal (start/end)
  edges; a port's transfer and terminal edges only (a load staying on its ship or a
  train passing the port city is not handled by the port).

Capacities are converted to TEU/yr with :func:`corridors.units.teu_per_year`: TEU rates
directly, train rates by :data:`corridors.units.TEU_PER_TRAIN` (96.5 TEU, the 2022
China–Europe average). Capacities in other dimensions (``Mt/yr`` of a line carrying
bulk) are not container capacities and are ignored; elements without a capacity are
unbounded. For another commodity the commodity's flow unit is used.

Unserved demand costs :data:`UNSERVED_PENALTY_H` hours per TEU (a million hours, about
114 years — three orders of magnitude above any route's time), so demand is left
unserved only where serving it would need capacity that is not there.

Solution and optimality
-----------------------
The LP is solved by HiGHS's dual simplex (a ``highspy`` model),
volumes in thousands of TEU for scaling. HiGHS stops at a basic solution that is primal
feasible (every constraint met within 1e-7 kTEU) and dual feasible (no reduced cost below
-1e-7): by LP duality that basis is optimal, its objective equal to the dual bound, so
there is no iteration count or gap to tune — the criterion is exact optimality within
the feasibility tolerances. Because every edge weighs at least
:data:`corridors.model.graph.EPSILON`, an optimal flow carries no cycle.

Routes come from the standard **flow decomposition** (Ahuja et al. 1993, §3.5): per
LP commodity, repeatedly follow edges with remaining flow from :math:`s_k` to some sink, take
the bottleneck as a path flow and subtract it (a cycle met on the way, from numerical
noise, is cancelled); this ends after at most :math:`|E|` paths. Paths are grouped by
origin, destination and *signature* (the sequence of countries, the modes, the sea
passages).

Where a load crosses a border (two consecutive countries on its route differ), the
crossing is put at the border or port node on the entering side of the link (Dostyk for
Alashankou–Dostyk, Malaszewicze for Brest–Malaszewicze, Baku/Alat for the Aktau ferry),
at the leaving side when only that end is a border or port, and otherwise at the link
(a border inside a long link).

Shares
------
``transit_share[c]``: share of the assigned volume whose route crosses country ``c``
other than at its ends (neither the origin's nor the destination's country).
``overland_share[c]``: among the volume on routes without a sea leg (rail, with ferries
and road), the share whose route passes ``c`` — the model's counterpart of published
figures such as "49% of China–Europe train trips cross Kazakhstan". When the demand rows
carry a ``segment``, only the origin-destination pairs of :data:`OVERLAND_SEGMENT`
(``china-europe``) count here: China–Central Asia trains share the crossings' capacity
but are not China–Europe trains.

Code
----
This module holds the public API and the result type; :mod:`.lp` builds and
solves the LP (demand per origin, destination and modes; the mode filter; capacitated
elements), :mod:`.tabulate` decomposes the flows into routes and tabulates
crossings, shares, unserved demand and utilisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridors.analyses.assignment.lp import (
    CAPACITY_NODE_KINDS,
    UNSERVED_PENALTY_H,
    blocks_for,
    elements,
    od_demand,
    solve,
)
from corridors.analyses.assignment.tabulate import tabulate
from corridors.analyses.flows.solve import flow_unit
from corridors.io.tables import default_data_dir
from corridors.model.graph import Objective, compile_graph
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario

__all__ = [
    "CAPACITY_NODE_KINDS",
    "OVERLAND_SEGMENT",
    "UNSERVED_PENALTY_H",
    "Assignment",
    "assign",
    "compare_published",
    "published_shares",
    "segment_pairs",
]


@dataclass(frozen=True, eq=False)
class Assignment:
    """Demand assigned to routes under capacities.

    Attributes
    ----------
    commodity, scenario, unit
        What was assigned, on which network (its label), and the unit of every volume.
    demand_total, assigned_total, unserved_total
        Yearly volumes; ``assigned_total + unserved_total == demand_total``.
    total_time
        Generalized time of the assigned flow, volume x mean hours (TEU·h per year).
    routes
        One row per origin, destination and route signature: ``origin``, ``destination``
        (node ids), ``od`` (``"Name → Name"``), ``signature``, ``countries``, ``modes``,
        ``passages`` (tuples), ``crossings`` (names, tuple), ``time_h`` (volume-weighted
        mean hours), ``volume``, ``share_of_od``, ``share_of_total`` (of the assigned
        total); largest volume first.
    crossings
        One row per border crossing used: ``node`` (node id, or the link id for a border
        inside a link), ``name``, ``kind``, ``countries`` (the two sides, sorted, joined
        by ``–``), ``volume``, ``share`` (of the assigned total).
    transit_share, overland_share, mode_share
        See the module docstring; ``mode_share`` splits the assigned volume into ``sea``
        (a sea leg), ``rail`` (rail legs, perhaps ferries and road) and ``road``.
    unserved
        One row per OD and modes with demand left: ``origin``, ``destination``, ``od``,
        ``modes`` (tuple, empty: any mode), ``demand``, ``unserved``, ``share``,
        ``reason`` (``capacity`` or ``no route`` on those modes).
    utilisation
        Every capacitated link, transfer and node: ``id``, ``kind``, ``name``,
        ``capacity``, ``flow`` (the busier direction for links and transfers),
        ``utilisation``, ``shadow_price_h`` (generalized hours the whole flow saves per
        TEU/yr of extra capacity, from the LP's duals; where unserved demand is what the
        capacity binds, it is of the order of the unserved penalty); busiest first.
    solver
        ``status``, ``message``, ``iterations``, ``objective`` (with the penalty),
        ``variables``, ``constraints``.
    """

    commodity: str
    scenario: str
    unit: str
    demand_total: float
    assigned_total: float
    unserved_total: float
    total_time: float
    routes: pd.DataFrame
    crossings: pd.DataFrame
    transit_share: dict[str, float]
    overland_share: dict[str, float]
    mode_share: dict[str, float]
    unserved: pd.DataFrame
    utilisation: pd.DataFrame
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def mean_time_h(self) -> float:
        """Volume-weighted mean generalized time of the assigned flow, hours."""
        return self.total_time / self.assigned_total if self.assigned_total > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (volumes rounded to 3 decimals, shares to 6)."""
        routes = [
            {
                "origin": r["origin"],
                "destination": r["destination"],
                "od": r["od"],
                "signature": r["signature"],
                "countries": list(r["countries"]),
                "modes": list(r["modes"]),
                "passages": list(r["passages"]),
                "crossings": list(r["crossings"]),
                "time_h": round(float(r["time_h"]), 1),
                "volume": _v(r["volume"]),
                "share_of_od": _s(r["share_of_od"]),
                "share_of_total": _s(r["share_of_total"]),
            }
            for r in self.routes.to_dict(orient="records")
        ]
        crossings = [
            {
                "node": r["node"],
                "name": r["name"],
                "kind": r["kind"],
                "countries": r["countries"],
                "volume": _v(r["volume"]),
                "share": _s(r["share"]),
            }
            for r in self.crossings.to_dict(orient="records")
        ]
        unserved = [
            {
                "origin": r["origin"],
                "destination": r["destination"],
                "od": r["od"],
                "modes": list(r["modes"]),
                "demand": _v(r["demand"]),
                "unserved": _v(r["unserved"]),
                "share": _s(r["share"]),
                "reason": r["reason"],
            }
            for r in self.unserved.to_dict(orient="records")
        ]
        utilisation = [
            {
                "id": r["id"],
                "kind": r["kind"],
                "name": r["name"],
                "capacity": _v(r["capacity"]),
                "flow": _v(r["flow"]),
                "utilisation": _s(r["utilisation"]),
                "shadow_price_h": _s(r["shadow_price_h"]),
            }
            for r in self.utilisation.to_dict(orient="records")
        ]
        return {
            "commodity": self.commodity,
            "scenario": self.scenario,
            "unit": self.unit,
            "demand_total": _v(self.demand_total),
            "assigned_total": _v(self.assigned_total),
            "unserved_total": _v(self.unserved_total),
            "mean_time_h": round(self.mean_time_h, 2),
            "routes": routes,
            "crossings": crossings,
            "transit_share": {k: _s(v) for k, v in self.transit_share.items()},
            "overland_share": {k: _s(v) for k, v in self.overland_share.items()},
            "mode_share": {k: _s(v) for k, v in self.mode_share.items()},
            "unserved": {"total": _v(self.unserved_total), "by_od": unserved},
            "utilisation": utilisation,
        }


def _v(value: Any) -> float:
    return round(float(value), 3)


def _s(value: Any) -> float:
    return round(float(value), 6)


# ----------------------------------------------------------------------------- public


def assign(
    net: Network,
    commodity: str = "container",
    *,
    scenario: Scenario | None = None,
    demand: pd.DataFrame | None = None,
) -> Assignment:
    """Assign the yearly demand of ``commodity`` to routes under capacities.

    Parameters
    ----------
    net
        A validated network.
    commodity
        Commodity id (``container`` by default; capacities and demand in TEU/yr).
    scenario
        Applied to ``net`` first (closures, links opened, overrides).
    demand
        Rows ``origin``, ``destination`` (place names or ids), ``amount`` and optionally
        ``unit`` (default: the commodity's flow unit, ``TEU/yr``), ``commodity`` (rows
        of other commodities are skipped) and ``modes`` (the modes that may carry the
        row, a tuple or ``;``-separated text; empty: any mode of the commodity);
        ``None``: the network's ``demand`` table.

    Returns
    -------
    Assignment
        Routes with volumes and shares, crossings, transit shares, unserved demand,
        utilisation of capacitated elements.

    Raises
    ------
    CorridorsError
        On an unknown commodity or place, a negative amount, an incompatible unit, a
        mode that cannot carry the commodity, no
        demand at all (``demand=None`` and no demand rows), or a solver failure.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridors.model.network import load
    >>> net = load()
    >>> od = pd.DataFrame({"origin": ["Xi'an"], "destination": ["Duisburg"],
    ...                    "amount": [1000.0]})
    >>> a = assign(net, demand=od)
    >>> round(a.assigned_total + a.unserved_total, 6)
    1000.0
    >>> a.routes.iloc[0]["countries"][0], a.routes.iloc[0]["countries"][-1]
    ('CN', 'DE')
    """
    unit = flow_unit(net, commodity)
    work = net if scenario is None or scenario.is_empty() else apply_scenario(net, scenario)
    od = od_demand(net, commodity, unit, demand)  # places resolve before any closure
    g = compile_graph(work, commodity, Objective.TIME)
    blocks, off_graph = blocks_for(g, od)
    els = elements(work, g, unit)
    if blocks:
        x, info = solve(g, blocks, els)
    else:
        x = np.zeros(0)
        info = {"status": 0, "message": "nothing to assign", "iterations": 0, "blocks": 0}
    return Assignment(
        commodity=commodity,
        scenario=work.label,
        unit=unit,
        solver=info,
        **tabulate(net, work, g, od, blocks, off_graph, x, els, segment_pairs(net, demand)),
    )


# ------------------------------------------------------------------ published shares

#: The market segment whose overland shares are set against published figures.
OVERLAND_SEGMENT = "china-europe"


def segment_pairs(net: Network, demand: pd.DataFrame | None) -> set[tuple[str, str]] | None:
    """Origin-destination node pairs of :data:`OVERLAND_SEGMENT` rows, or None (no segments).

    Uses the network's demand table when ``demand`` is None; rows of a given table are
    matched by node id, so a table without a ``segment`` column counts every pair.
    """
    table = net.demand if demand is None else demand
    if "segment" not in table or not (table["segment"].astype(str) != "").any():
        return None
    rows = table[table["segment"] == OVERLAND_SEGMENT]
    return set(zip(rows["origin"].astype(str), rows["destination"].astype(str), strict=True))


def published_shares(folder: str | Path | None = None) -> pd.DataFrame:
    """Published route and transit shares (``published_shares.csv``) of a dataset folder.

    Parameters
    ----------
    folder
        Dataset folder; ``None``: the embedded default dataset.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``metric``, ``country``, ``share`` (0..1), ``year``, ``source``,
        ``note``; empty when the folder has no such file.

    Examples
    --------
    >>> df = published_shares()
    >>> float(df.set_index("id").loc["kz_trips_gt_2022", "share"])
    0.49
    """
    cols = ["id", "metric", "country", "share", "year", "source", "note"]
    path = Path(folder if folder is not None else default_data_dir()) / "published_shares.csv"
    if not path.is_file():
        return pd.DataFrame(columns=cols)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["share"] = pd.to_numeric(df["share"], errors="coerce")
    return df[cols]


def compare_published(result: Assignment, published: pd.DataFrame) -> pd.DataFrame:
    """Put the model's share beside each published share.

    Metrics: ``overland_country_share`` (:attr:`Assignment.overland_share` of the
    country), ``transit_share`` (:attr:`Assignment.transit_share`), ``rail_modal_share``
    (``mode_share["rail"]``). Other metrics get NaN.

    Returns
    -------
    pandas.DataFrame
        The published rows with a ``model`` column.
    """
    out = published.copy()
    model: list[float] = []
    for metric, country in zip(out["metric"], out["country"], strict=True):
        if metric == "overland_country_share":
            model.append(result.overland_share.get(str(country), 0.0))
        elif metric == "transit_share":
            model.append(result.transit_share.get(str(country), 0.0))
        elif metric == "rail_modal_share":
            model.append(result.mode_share.get("rail", 0.0))
        else:
            model.append(float("nan"))
    out["model"] = model
    return out
