"""Shortest-path criticality: the demand-weighted impact of removing each element.

Every OD pair of the demand table is routed alone on its best path (the compiled graph's
objective, ``time`` by default), as an uncongested assignment would. Removing an element
either leaves a pair's path alone, reroutes it (extra hours and cost per unit), or cuts
it off (its volume is lost). The sweep recomputes only what a removal changes
(:mod:`corridors.analyses.criticality.engine`) and spreads the searches over processes or
a Dask cluster.

Demand rows keep to their modes (the rail rows of China-Europe trains are not rerouted to
sea): each distinct set of modes gets its own compiled graph, on the network with the
other modes closed, and the scores are summed over them by element id.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corridors.analyses.criticality.elements import ElementKind, Elements, element_edges
from corridors.analyses.criticality.engine import (
    METRICS,
    SweepState,
    base_paths,
    prepare_state,
)
from corridors.analyses.criticality.pair_scores import score_pair
from corridors.analyses.criticality.pairs import known_ids, pair_elements
from corridors.analyses.criticality.rows import criticality_row
from corridors.analyses.flows.solve import flow_unit
from corridors.errors import CorridorsError
from corridors.model.graph import CompiledGraph, Objective, compile_graph
from corridors.model.network import Network
from corridors.model.scenario import Closures, Scenario, apply_scenario
from corridors.results.criticality import Criticality
from corridors.units import convert

__all__ = ["Progress", "demand_pairs", "link_bridges", "shortest_path_criticality"]

#: Called as ``progress(done, total)`` while a sweep runs.
Progress = Callable[[int, int], None]

#: Elements per task sent to a worker process or a Dask worker.
CHUNK = 256


def demand_pairs(net: Network, commodity: str, demand: pd.DataFrame | None = None) -> pd.DataFrame:
    """OD pairs with their volume per year in the commodity's flow unit, and their modes.

    Parameters
    ----------
    net
        The network.
    commodity
        Commodity id.
    demand
        ``origin``, ``destination``, ``amount`` (flow unit) and optionally ``modes``
        (tuples); default: the network's demand rows for the commodity.

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``destination``, ``amount``, ``modes``: one row per distinct triple.

    Examples
    --------
    >>> import corridors as cx
    >>> pairs = demand_pairs(cx.load(), "container")
    >>> bool((pairs["amount"] > 0).all()), bool(pairs["modes"].map(len).min() > 0)
    (True, True)
    """
    unit = flow_unit(net, commodity)
    if demand is None:
        rows = net.demand[net.demand["commodity"] == commodity] if len(net.demand) else None
        if rows is None or rows.empty:
            raise CorridorsError(f"no demand rows for {commodity} in the network")
        amount = [
            convert(float(a), str(u), unit)
            for a, u in zip(rows["amount"], rows["unit"], strict=True)
        ]
        demand = pd.DataFrame(
            {
                "origin": rows["origin"].to_numpy(),
                "destination": rows["destination"].to_numpy(),
                "amount": amount,
                "modes": list(rows["modes"]) if "modes" in rows else [()] * len(rows),
            }
        )
    out = demand.copy()
    if "modes" not in out:
        out["modes"] = [()] * len(out)
    all_modes = tuple(sorted(cast(tuple[str, ...], net.commodities.at[commodity, "modes"])))
    out["modes"] = [tuple(sorted(m)) if len(m) else all_modes for m in out["modes"]]
    out = out[out["origin"] != out["destination"]]
    grouped = out.groupby(["origin", "destination", "modes"], as_index=False, sort=True)
    summed = cast(pd.DataFrame, grouped["amount"].sum())
    return summed.loc[:, ["origin", "destination", "amount", "modes"]]


def link_bridges(graph: CompiledGraph) -> np.ndarray:
    """Positions of links that are bridges of the node-level network (as undirected).

    Parallel links between the same two nodes are never bridges. A bridge's removal cuts
    the network in two, so every pair whose path uses it is disconnected.
    """
    import igraph as ig

    links = graph.links
    a = [graph.node_pos[n] for n in links["from"]]
    b = [graph.node_pos[n] for n in links["to"]]
    g = ig.Graph(n=len(graph.node_ids), edges=list(zip(a, b, strict=True)), directed=False)
    return np.asarray(sorted(g.bridges()), dtype=np.int64)


def _csr_rows(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    return matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64)


def _direct(
    net: Network,
    graph: CompiledGraph,
    els: Elements,
    pairs: pd.DataFrame,
    affected: sp.csr_matrix,
) -> sp.csr_matrix:
    """Element x pair matrix of the affected pairs that are lost without a search."""
    n_el, n_pairs = affected.shape
    if els.kind is ElementKind.LINKS and not els.members:
        bridge = sp.diags(
            np.isin(els.link_pos, link_bridges(graph)).astype(np.int32), dtype=np.int32
        )
        out = (bridge @ affected).tocsr()
        out.eliminate_zeros()
        return cast(sp.csr_matrix, out)
    direct = sp.lil_matrix((n_el, n_pairs), dtype=np.int8)
    if els.kind in (ElementKind.NODES, ElementKind.COUNTRIES):
        index: dict[str, list[int]] = {}
        for k, e in enumerate(els.ids):
            for m in els.members[k] if els.members else (e,):
                index.setdefault(m, []).append(k)
        country = net.nodes["country"]
        for p, (o, d) in enumerate(zip(pairs["origin"], pairs["destination"], strict=True)):
            ends = (o, d) if els.kind is ElementKind.NODES else (country[o], country[d])
            for e in set(ends):
                for k in index.get(e, []):
                    direct[k, p] = 1
    out = direct.tocsr().multiply(affected).tocsr()
    out.eliminate_zeros()
    return cast(sp.csr_matrix, out)


Task = tuple[int, np.ndarray]


def _tasks(todo: sp.csr_matrix) -> list[Task]:
    """(pair, element rows searched for it), in chunks of :data:`CHUNK` elements."""
    by_pair = todo.tocsc()
    by_pair.sort_indices()
    tasks: list[Task] = []
    for p in range(by_pair.shape[1]):
        rows = by_pair.indices[by_pair.indptr[p] : by_pair.indptr[p + 1]].astype(np.int64)
        tasks.extend((p, rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK))
    return tasks


def _run(
    state: SweepState,
    tasks: list[Task],
    n_rows: int,
    *,
    jobs: int,
    client: Any,
    progress: Progress | None,
) -> np.ndarray:
    """Summed task scores per element row: here, in ``jobs`` processes, or on Dask."""
    out = np.zeros((n_rows, len(METRICS)))
    done = 0

    def collect(task: Task, part: np.ndarray) -> None:
        nonlocal done
        np.add.at(out, task[1], part)
        done += 1
        if progress is not None:
            progress(done, len(tasks))

    if client is not None:
        shared = client.scatter(state, broadcast=True)
        futures = client.map(score_pair, [shared] * len(tasks), tasks, pure=False)
        for task, part in zip(tasks, client.gather(futures), strict=True):
            collect(task, np.asarray(part))
    elif jobs > 1 and len(tasks) > 1:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            jobs, mp_context=ctx, initializer=_init, initargs=(state,)
        ) as pool:
            for task, part in zip(tasks, pool.map(_score_shared, tasks), strict=True):
                collect(task, part)
    else:
        for task in tasks:
            collect(task, score_pair(state, task))
    return out


_SHARED: list[SweepState] = []


def _init(state: SweepState) -> None:
    _SHARED[:] = [state]


def _score_shared(task: Task) -> np.ndarray:
    return score_pair(_SHARED[0], task)


def _vertices(node_pos: Mapping[str, int], vertex: np.ndarray, nodes: pd.Series) -> np.ndarray:
    """The graph vertex of each node (``-1`` for a node the graph does not hold).

    Examples
    --------
    >>> _vertices({"a": 0, "b": 1}, np.array([5, -1]), pd.Series(["a", "b", "gone"]))
    array([ 5, -1, -1])
    """
    pos = np.array([node_pos.get(str(n), -1) for n in nodes], dtype=np.int64)
    out = np.full(len(pos), -1, dtype=np.int64)
    out[pos >= 0] = vertex[pos[pos >= 0]]
    return out


def _sweep_graph(
    net: Network,
    graph: CompiledGraph,
    kind: ElementKind,
    pairs: pd.DataFrame,
    *,
    jobs: int,
    client: Any,
    progress: Progress | None,
    candidates: Sequence[str] | None = None,
) -> tuple[Elements, np.ndarray, np.ndarray]:
    """Elements (pairs of ``candidates`` when given), their scores and bridge flags."""
    els = element_edges(net, graph, kind)
    if candidates is not None:
        els = pair_elements(els, candidates)
    # A scenario may remove a pair's origin or destination (closing Russia removes Moscow):
    # such pairs are lost before any element fails, so they weigh nothing here.
    src = _vertices(graph.node_pos, graph.source_vertex, pairs["origin"])
    dst = _vertices(graph.node_pos, graph.sink_vertex, pairs["destination"])
    ok = (src >= 0) & (dst >= 0)
    pairs = pairs[ok].reset_index(drop=True)
    state = prepare_state(graph, src[ok], dst[ok], pairs["amount"].to_numpy(float), els.matrix)
    paths, _ = base_paths(state, jobs=jobs if client is None else 1)
    affected = (els.matrix.astype(np.int32) @ paths.T.astype(np.int32)).tocsr()
    affected.data[:] = 1
    direct = _direct(net, graph, els, pairs, affected)
    todo = (affected - direct).tocsr()
    todo.eliminate_zeros()
    state.direct_indptr, state.direct_pairs = _csr_rows(direct)
    state.todo_indptr, state.todo_pairs = _csr_rows(todo)
    n_rows = len(els.ids)
    scores = _run(state, _tasks(todo), n_rows, jobs=jobs, client=client, progress=progress)
    n_direct = np.diff(state.direct_indptr)
    scores[:, 0] += np.add.reduceat(
        np.append(state.amount[state.direct_pairs], 0.0), state.direct_indptr[:-1]
    ) * (n_direct > 0)
    scores[:, 4] += n_direct
    scores[:, 5] = n_direct + np.diff(state.todo_indptr)
    bridges = np.diff(state.direct_indptr) > 0
    if kind is not ElementKind.LINKS or els.members:
        bridges[:] = False
    return els, scores, bridges


def shortest_path_criticality(
    net: Network,
    commodity: str = "container",
    *,
    elements: ElementKind | str = ElementKind.LINKS,
    scenario: Scenario | None = None,
    demand: pd.DataFrame | None = None,
    objective: Objective | str = Objective.TIME,
    jobs: int = 1,
    client: Any = None,
    progress: Progress | None = None,
    geometry: bool = True,
    k: int = 1,
    candidates: Sequence[str] | None = None,
) -> Criticality:
    """Rank every element of ``elements`` by the demand its removal loses or reroutes.

    Parameters
    ----------
    net
        A validated network.
    commodity
        Commodity id.
    elements
        ``links``, ``nodes``, ``transfers``, ``passages`` or ``countries``.
    scenario
        Applied first (the sweep then removes each element from the scenario's network).
    demand
        OD pairs (see :func:`demand_pairs`); default the network's demand rows.
    objective
        What routes minimise (``time`` by default).
    jobs
        Worker processes for the searches (1: this process).
    client
        A ``dask.distributed.Client``: the searches run on its workers instead.
    progress
        Called with (elements done, elements to search) as chunks finish.
    geometry
        Attach each element's geometry (for :meth:`Criticality.features`); off, the
        result has no features but is built faster.
    k, candidates
        ``k=2``: remove every pair of the ``candidates`` (element ids of ``elements``,
        see :func:`corridors.analyses.criticality.pairs.read_candidates`) together;
        each row names both (``element`` ``"a+b"``, ``members``) and has no geometry.

    Returns
    -------
    Criticality
        One row per element holding part of the network, most critical first.

    Examples
    --------
    >>> import corridors as cx
    >>> r = shortest_path_criticality(cx.load(), "container", elements="countries")
    >>> r.rows[0].lost_share > 0, r.rows[-1].rank == len(r.rows)
    (True, True)
    """
    kind = ElementKind(elements)
    if k not in (1, 2):
        raise CorridorsError(f"k must be 1 or 2, not {k}")
    if k == 2 and (candidates is None or len(candidates) < 2):
        raise CorridorsError("k=2 removes pairs of candidates: give two or more candidates")
    work = apply_scenario(net, scenario) if scenario is not None else net
    pair_ids = list(candidates) if k == 2 and candidates is not None else None
    if pair_ids is not None:
        unknown = [c for c in pair_ids if c not in known_ids(work, kind)]
        if unknown:
            raise CorridorsError(f"unknown {kind.value} id(s) among the candidates: {unknown}")
    pairs = demand_pairs(work, commodity, demand)
    total = float(pairs["amount"].sum())
    all_modes = set(cast(tuple[str, ...], work.commodities.at[commodity, "modes"]))
    frames: list[pd.DataFrame] = []
    info: dict[str, tuple[str, tuple[str, ...]]] = {}
    members: dict[str, tuple[str, ...]] = {}
    for modes, group in pairs.groupby("modes", sort=True):
        closed = tuple(sorted(all_modes - set(cast(Sequence[str], modes))))
        sub = (
            apply_scenario(work, Scenario(name="modes", close=Closures(modes=cast(Any, closed))))
            if closed
            else work
        )
        graph = compile_graph(sub, commodity, objective)
        els, scores, bridge = _sweep_graph(
            sub,
            graph,
            kind,
            group.reset_index(drop=True),
            jobs=jobs,
            client=client,
            progress=progress,
            candidates=pair_ids,
        )
        frame = pd.DataFrame(scores, columns=list(METRICS), index=els.ids)
        frame["bridge"] = bridge
        frames.append(frame)
        info.update({e: (n, c) for e, n, c in zip(els.ids, els.names, els.countries, strict=True)})
        if els.members:
            members.update(zip(els.ids, els.members, strict=True))
    table = (
        pd.concat(frames)
        .groupby(level=0, sort=True)
        .agg({**dict.fromkeys(METRICS, "sum"), "bridge": "any"})
    )
    table = table.sort_values(
        ["lost", "extra_hours_year", "extra_cost_year"], ascending=False, kind="stable"
    )
    values = table[list(METRICS)].to_numpy(dtype=float)
    rows = tuple(
        criticality_row(
            work,
            kind,
            str(e),
            info[str(e)],
            v,
            bool(b),
            total,
            rank,
            geometry and not members,
            members.get(str(e), ()),
        )
        for rank, (e, v, b) in enumerate(
            zip(table.index, values, table["bridge"].to_numpy(), strict=True), start=1
        )
    )
    return Criticality(
        commodity=commodity,
        unit=flow_unit(work, commodity),
        engine="shortest-path",
        elements=kind.value,
        scenario=work.label,
        demand_total=total,
        pairs=len(pairs),
        rows=rows,
    )
