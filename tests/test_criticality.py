"""Criticality: hand-checked networks, incremental == naive, Dask == local."""

from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

from corridors.analyses.criticality import element_edges, shortest_path_criticality
from corridors.datasets.synthetic import synthetic_network
from corridors.model.graph import compile_graph
from corridors.model.network import Network, from_frames


def _line_network() -> Network:
    """a - b - c, plus a redundant pair of links c - d (two roads) and a loop b - e - c."""
    src = pd.DataFrame({"id": ["s"], "title": ["t"], "publisher": ["p"], "year": [2024]})
    com = pd.DataFrame({"id": ["container"], "name": ["C"], "unit": ["TEU"], "modes": ["road"]})
    names = ["a", "b", "c", "d", "e"]
    nodes = pd.DataFrame(
        {
            "id": names,
            "name": [n.upper() for n in names],
            "kind": "city",
            "country": ["DE", "DE", "PL", "PL", "PL"],
            "lat": [52.0, 52.0, 52.0, 52.0, 53.0],
            "lon": [10.0, 11.0, 12.0, 13.0, 11.5],
            "sources": "s",
        }
    )
    ends = [("a", "b"), ("b", "c"), ("c", "d"), ("c", "d"), ("b", "e"), ("e", "c")]
    links = pd.DataFrame(
        {
            "id": ["ab", "bc", "cd1", "cd2", "be", "ec"],
            "from": [a for a, _ in ends],
            "to": [b for _, b in ends],
            "mode": "road",
            "length_km": [80.0, 80.0, 80.0, 90.0, 150.0, 150.0],
            "time_low_h": [1.0, 1.0, 1.0, 1.2, 2.0, 2.0],
            "time_high_h": [1.0, 1.0, 1.0, 1.2, 2.0, 2.0],
            "countries": ["DE", "DE;PL", "PL", "PL", "DE;PL", "PL"],
            "status": "operating",
            "direction": "both",
            "sources": "s",
        }
    )
    demand = pd.DataFrame(
        {
            "id": ["ad", "bd"],
            "origin": ["a", "b"],
            "destination": ["d", "d"],
            "commodity": "container",
            "amount": [100.0, 50.0],
            "unit": "TEU/yr",
            "year": 2024,
            "sources": "s",
        }
    )
    return from_frames(
        {"sources": src, "commodities": com, "nodes": nodes, "links": links, "demand": demand}
    )


def test_bridge_disconnects_exactly_its_pairs_and_redundant_link_scores_zero() -> None:
    r = shortest_path_criticality(_line_network(), elements="links")
    rows = {row.element: row for row in r.rows}
    assert rows["ab"].bridge
    assert (rows["ab"].lost, rows["ab"].disconnected_pairs) == (100.0, 1)
    assert rows["ab"].lost_share == pytest.approx(100 / 150)
    # bc has the detour b-e-c: both pairs reroute, 3 h longer each
    assert rows["bc"].lost == 0
    assert rows["bc"].rerouted == 150.0
    assert rows["bc"].extra_time_h == pytest.approx(3.0)
    # cd1 has a parallel road (0.2 h slower); cd2 and the loop are on no path
    assert rows["cd1"].extra_time_h == pytest.approx(0.2)
    for idle in ("cd2", "be", "ec"):
        assert (rows[idle].lost, rows[idle].rerouted, rows[idle].affected_pairs) == (0, 0, 0)
    assert rows["ab"].rank == 1


def test_removing_an_end_node_loses_its_demand() -> None:
    r = shortest_path_criticality(_line_network(), elements="nodes")
    rows = {row.element: row for row in r.rows}
    assert rows["d"].lost == 150.0
    assert rows["a"].lost == 100.0
    assert rows["c"].lost == 150.0  # every route to d passes c


def _naive(net: Network, kind: str) -> dict[str, tuple[float, float]]:
    """Every pair recomputed for every element on a rebuilt matrix: (lost, extra h/yr)."""
    g = compile_graph(net)
    els = element_edges(net, g, kind)
    hours = (g.time_low + g.time_high) / 2
    pairs = [
        (g.source_vertex[g.node_pos[o]], g.sink_vertex[g.node_pos[d]], a)
        for o, d, a in zip(
            net.demand["origin"], net.demand["destination"], net.demand["amount"], strict=False
        )
    ]

    def route(keep: np.ndarray) -> list[float]:
        order = np.flatnonzero(keep)
        m = sp.csr_matrix(
            (g.weight[order], (g.tail[order], g.head[order])), shape=(g.n_vertices,) * 2
        )
        # the duplicate entries of parallel edges would add up: keep the cheapest instead
        best: dict[tuple[int, int], int] = {}
        for e in order:
            k = (int(g.tail[e]), int(g.head[e]))
            if k not in best or g.weight[e] < g.weight[best[k]]:
                best[k] = int(e)
        kept = np.array(sorted(best.values()), dtype=np.int64)
        m = sp.csr_matrix((g.weight[kept], (g.tail[kept], g.head[kept])), shape=(g.n_vertices,) * 2)
        out = []
        for s, t, _ in pairs:
            dist, pred = cast(Any, dijkstra)(m, indices=s, return_predecessors=True)
            if not np.isfinite(dist[t]):
                out.append(np.inf)
                continue
            h, v = 0.0, t
            while v != s:
                u = int(pred[v])
                h += hours[best[(u, v)]]
                v = u
            out.append(h)
        return out

    base = route(np.ones(len(g.tail), dtype=bool))
    result = {}
    for i, el in enumerate(els.ids):
        keep = np.ones(len(g.tail), dtype=bool)
        keep[els.matrix[i].indices] = False
        new = route(keep)
        both = [
            (a, n, b) for (_, _, a), n, b in zip(pairs, new, base, strict=False) if np.isfinite(b)
        ]
        lost = sum(a for a, n, _ in both if not np.isfinite(n))
        extra = sum(a * (n - b) for a, n, b in both if np.isfinite(n))
        result[el] = (lost, extra)
    return result


@settings(max_examples=16, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    kind=st.sampled_from(["links", "nodes", "transfers", "countries"]),
)
def test_incremental_equals_naive(seed: int, kind: str) -> None:
    """The masked A* searches give the same losses and extra hours as a naive rebuild."""
    _check_naive(seed, kind)


def _check_naive(seed: int, kind: str) -> None:
    net = synthetic_network(40, seed=seed, n_pairs=8)
    fast = {
        r.element: (r.lost, r.extra_time_h_year)
        for r in shortest_path_criticality(net, elements=kind).rows
    }
    slow = _naive(net, kind)
    assert set(fast) == set(slow)
    for el, (lost, extra) in slow.items():
        assert fast[el][0] == pytest.approx(lost), el
        assert fast[el][1] == pytest.approx(extra, abs=1e-6), el


def test_closing_never_increases_delivered_and_processes_agree() -> None:
    net = synthetic_network(300, seed=7, n_pairs=20)
    one = shortest_path_criticality(net, elements="links")
    two = shortest_path_criticality(net, elements="links", jobs=2)
    assert one.as_dict() == two.as_dict()
    assert all(0 <= r.lost <= one.demand_total for r in one.rows)
    assert all(r.lost + r.rerouted <= one.demand_total + 1e-9 for r in one.rows)


def test_dask_equals_local() -> None:
    distributed = pytest.importorskip("dask.distributed")
    net = synthetic_network(200, seed=11, n_pairs=10)
    local = shortest_path_criticality(net, elements="nodes")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = shortest_path_criticality(net, elements="nodes", client=client)
    assert remote.as_dict() == local.as_dict()


def test_default_network_countries_and_geojson() -> None:
    import corridors as cx

    r = shortest_path_criticality(cx.load(), "container", elements="links")
    assert r.rows[0].lost > 0
    features = r.features()
    assert features
    assert features[0]["geometry"]["type"] == "LineString"


def test_capacitated_links_warm_equals_cold() -> None:
    """Closing a link by a bound on the kept highspy model gives the rebuilt LP's answer."""
    import corridors as cx
    from corridors.analyses.criticality.capacitated import capacitated_criticality

    net = cx.load()
    cold = {r.element: r for r in capacitated_criticality(net, "crude", warm=False).rows}
    warm = {r.element: r for r in capacitated_criticality(net, "crude", warm=True).rows}
    assert cold.keys() == warm.keys()
    assert any(r.lost > 1 for r in cold.values())
    for element, c in cold.items():
        w = warm[element]
        assert w.lost == pytest.approx(c.lost, abs=1e-6), element
        if c.extra_cost_usd is None:
            assert w.extra_cost_usd is None, element
        else:
            assert w.extra_cost_usd == pytest.approx(c.extra_cost_usd, rel=1e-6, abs=1e-6), element


def test_a_scenario_that_removes_demand_ends_drops_those_pairs() -> None:
    """Closing Russia removes Moscow: its pairs are lost before any element fails."""
    import corridors as cx
    from corridors.model.scenario import load_scenario

    net = cx.load()
    base = cx.criticality(net, "container", elements="nodes")
    closed = cx.criticality(
        net, "container", elements="nodes", scenario=load_scenario("russia-closed")
    )
    assert closed.pairs == base.pairs  # shares stay shares of the whole demand table
    assert closed.rows
    assert not any("RU" in r.countries for r in closed.rows)
    moscow = sum(d for o, d in zip(*_demand_of(net, "moscow"), strict=True) if o == "moscow")
    assert moscow > 0
    assert max(r.lost for r in closed.rows) <= closed.demand_total - moscow


def _demand_of(net: object, origin: str) -> tuple[list[str], list[float]]:
    from corridors.analyses.criticality.shortest import demand_pairs

    pairs = demand_pairs(net, "container")  # type: ignore[arg-type]
    return list(pairs["origin"]), list(pairs["amount"])
