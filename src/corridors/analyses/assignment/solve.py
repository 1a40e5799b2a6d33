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
carry a ``segment``, only the origin-destination pairs of the network's overland segment
(``assignment.overland_segment`` in ``analysis_defaults.yaml``: ``china-europe``) count
here: China–Central Asia trains share the crossings' capacity but are not China–Europe
trains.

Published shares
----------------
The network's ``published_shares`` table (``published_shares.csv``, validated with the
other tables) is set beside the model's shares in :attr:`Assignment.published`
(:func:`compare_published`).

Code
----
This module holds the public API (the result type is
:class:`corridors.results.assignment.Assignment`); :mod:`.lp` builds and
solves the LP (demand per origin, destination and modes; the mode filter; capacitated
elements), :mod:`.tabulate` decomposes the flows into routes and tabulates
crossings, shares, unserved demand and utilisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridors.analyses.assignment.colgen import solve_assignment
from corridors.analyses.assignment.lp import (
    CAPACITY_NODE_KINDS,
    UNSERVED_PENALTY_H,
    blocks_for,
    elements,
    od_demand,
)
from corridors.analyses.assignment.tabulate import tabulate
from corridors.analyses.flows.solve import flow_unit
from corridors.model.analysis_defaults import missing
from corridors.model.graph import Objective, compile_graph
from corridors.model.network import Network
from corridors.model.scenario import Scenario, apply_scenario
from corridors.results.assignment import Assignment, PublishedShare

__all__ = [
    "CAPACITY_NODE_KINDS",
    "UNSERVED_PENALTY_H",
    "Assignment",
    "assign",
    "compare_published",
    "segment_pairs",
]


# ----------------------------------------------------------------------------- public


def assign(
    net: Network,
    commodity: str = "container",
    *,
    scenario: Scenario | None = None,
    demand: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
    overland_segment: str | None = None,
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
    published
        Published shares to set beside the model's (columns of ``published_shares.csv``);
        ``None``: the network's ``published_shares`` table.
    overland_segment
        The demand segment whose pairs count in :attr:`Assignment.overland_share` when
        the demand rows carry segments; ``None``: the network's
        ``assignment.overland_segment`` (``analysis_defaults.yaml``).

    Returns
    -------
    Assignment
        Routes with volumes and shares, crossings, transit shares, unserved demand,
        utilisation of capacitated elements, published shares beside the model's.

    Raises
    ------
    CorridorsError
        On an unknown commodity or place, a negative amount, an incompatible unit, a
        mode that cannot carry the commodity, no
        demand at all (``demand=None`` and no demand rows), a solver failure, or demand
        rows with segments on a network without an overland segment.

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
    >>> a.routes[0].countries[0], a.routes[0].countries[-1]
    ('CN', 'DE')
    >>> a.as_dict()["routes"][0]["origin"], a.routes_frame().loc[0, "destination"]
    ('xian', 'duisburg')
    """
    unit = flow_unit(net, commodity)
    work = net if scenario is None or scenario.is_empty() else apply_scenario(net, scenario)
    od = od_demand(net, commodity, unit, demand)  # places resolve before any closure
    g = compile_graph(work, commodity, Objective.TIME)
    blocks, off_graph = blocks_for(g, od)
    els = elements(work, g, unit)
    if blocks:
        x, info = solve_assignment(g, blocks, els)  # the LP, or column generation when large
    else:
        x = np.zeros(0)
        info = {"status": 0, "message": "nothing to assign", "iterations": 0, "blocks": 0}
    pairs = segment_pairs(net, demand, overland_segment)
    tables = tabulate(net, work, g, od, blocks, off_graph, x, els, pairs)
    shares = {k: tables[k] for k in ("transit_share", "overland_share", "mode_share")}
    return Assignment(
        commodity=commodity,
        scenario=work.label,
        unit=unit,
        solver=info,
        published=compare_published(
            shares, net.published_shares if published is None else published
        ),
        **tables,
    )


# ------------------------------------------------------------------ published shares


def segment_pairs(
    net: Network, demand: pd.DataFrame | None, segment: str | None = None
) -> set[tuple[str, str]] | None:
    """Origin-destination node pairs of the overland segment's rows, or None (no segments).

    Uses the network's demand table when ``demand`` is None; rows of a given table are
    matched by node id, so a table without a ``segment`` column counts every pair.
    ``segment`` defaults to the network's ``assignment.overland_segment``.

    Raises
    ------
    CorridorsError
        If the rows carry segments and neither ``segment`` nor the network names one.
    """
    table = net.demand if demand is None else demand
    if "segment" not in table or not (table["segment"].astype(str) != "").any():
        return None
    if segment is None:
        found = net.defaults.assignment if net.defaults is not None else None
        if found is None:
            raise missing("assignment.overland_segment", "overland_segment")
        segment = found.overland_segment
    rows = table[table["segment"] == segment]
    return set(zip(rows["origin"].astype(str), rows["destination"].astype(str), strict=True))


def _model_share(shares: dict[str, dict[str, float]], metric: str, country: str) -> float | None:
    if metric == "overland_country_share":
        return shares["overland_share"].get(country, 0.0)
    if metric == "transit_share":
        return shares["transit_share"].get(country, 0.0)
    if metric == "rail_modal_share":
        return shares["mode_share"].get("rail", 0.0)
    return None


def _sources(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    return tuple(p.strip() for p in str(value).split(";") if p.strip())


def compare_published(
    shares: dict[str, dict[str, float]], published: pd.DataFrame
) -> tuple[PublishedShare, ...]:
    """Put the model's share beside each published share.

    Metrics: ``overland_country_share`` (the overland share of the country),
    ``transit_share`` (its transit share), ``rail_modal_share`` (``mode_share["rail"]``);
    other metrics have no model figure.

    Parameters
    ----------
    shares
        ``transit_share``, ``overland_share`` and ``mode_share`` of an assignment.
    published
        Rows of the ``published_shares`` table (``id``, ``metric``, ``country``,
        ``share``, ``year``, ``sources``, ``note``).

    Examples
    --------
    >>> pub = pd.DataFrame([{"id": "kz", "metric": "overland_country_share", "country": "KZ",
    ...                      "share": 0.49, "year": 2022, "sources": ("s",), "note": ""}])
    >>> row = compare_published({"overland_share": {"KZ": 0.5}, "transit_share": {},
    ...                          "mode_share": {}}, pub)[0]
    >>> row.published, row.model, row.year
    (0.49, 0.5, 2022)
    """
    return tuple(
        PublishedShare(
            id=str(r["id"]),
            metric=str(r["metric"]),
            country=str(r.get("country", "") or ""),
            published=float(r["share"]),
            model=_model_share(shares, str(r["metric"]), str(r.get("country", "") or "")),
            year=int(r["year"]),
            sources=_sources(r.get("sources", ())),
            note=str(r.get("note", "") or ""),
        )
        for r in published.to_dict(orient="records")
    )
