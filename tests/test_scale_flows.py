"""Network-flow engine (OR-Tools) against the flow LP: same delivered volumes.

For every shipped energy scenario and its usual ends, both engines solve the same
:class:`~corridors.analyses.flows.problem.FlowProblem`; delivered totals, per-sink
deliveries and (``mincost``) total costs agree within the rounding that
:mod:`corridors.analyses.flows.netflow` states. The primal-dual min-cost flow of
:mod:`corridors.analyses.flows.mincost` costs exactly what OR-Tools' cost scaling costs (on
the integer problem), on those cases, a 1k synthetic network and small random graphs.
"""

from __future__ import annotations

import numpy as np
import pytest

from corridors.analyses.flows.mincost import primal_dual_min_cost
from corridors.analyses.flows.netflow import (
    _integer_capacities,
    _integer_costs,
    flow_engine,
    solve_network,
    solve_problem,
)
from corridors.analyses.flows.problem import Arc, FlowProblem, build_problem
from corridors.analyses.flows.read import read_result
from corridors.analyses.flows.solve import flow_problem, solve_flow
from corridors.datasets.synthetic import write_synthetic
from corridors.errors import CorridorsError
from corridors.model.graph import compile_graph
from corridors.model.network import Network, load
from corridors.model.scenario import apply_scenario, compose, load_scenario

CASES = [
    ("crude", "KZ", None, ()),
    ("crude", "KZ", None, ("cpc-suspension-2022",)),
    ("crude", "KZ", None, ("russia-closed",)),
    ("crude", "KZ", None, ("russia-closed", "kazakh-caspian-oil-route")),
    ("gas", "AZ", "market_eu", ()),
    ("gas", "AZ", "market_eu", ("sgc-2027",)),
    ("gas", "AZ", "market_eu", ("sgc-quadrupled",)),
    ("gas", "TM", "market_eu", ("trans-caspian-gas",)),
    ("gas", "TM", None, ()),
    ("uranium", "KZ", None, ()),
    ("uranium", "KZ", None, ("uranium-avoid-russia",)),
]


@pytest.fixture(scope="module")
def net() -> Network:
    return load()


@pytest.mark.parametrize("mode", ["max", "mincost"])
@pytest.mark.parametrize(("commodity", "src", "dst", "names"), CASES)
def test_network_flow_delivers_what_the_lp_delivers(
    net: Network,
    commodity: str,
    src: str,
    dst: str | None,
    names: tuple[str, ...],
    mode: str,
) -> None:
    work = apply_scenario(net, compose([load_scenario(n) for n in names])) if names else net
    problem, ends = flow_problem(work, commodity, src, dst)
    lp = problem.solve(mode)
    nf = solve_network(problem, mode)
    tol = 1e-6 * max(1.0, lp.total)
    assert nf.total == pytest.approx(lp.total, abs=tol)
    intake = problem.kind == Arc.INTAKE
    assert np.allclose(nf.x[intake].sum(), lp.x[intake].sum(), atol=tol)
    a = read_result(work, problem, ends, lp, mode)
    b = read_result(work, problem, ends, nf, mode)
    assert b.delivered_total == pytest.approx(a.delivered_total, abs=tol)
    if len(a.sinks) == 1:
        assert b.sinks[0].delivered == pytest.approx(a.sinks[0].delivered, abs=tol)
    if mode == "mincost":
        assert b.total_cost == pytest.approx(a.total_cost, rel=1e-4, abs=1e-6)
    cut_a = sum(c.capacity or 0.0 for c in a.min_cut)
    cut_b = sum(c.capacity or 0.0 for c in b.min_cut)
    assert cut_b == pytest.approx(cut_a, rel=1e-6, abs=tol)


def test_network_flow_conserves_flow(net: Network) -> None:
    problem, _ = flow_problem(net, "crude", "KZ")
    sol = solve_network(problem, "max")
    n = problem.n_vertices
    inner_t, inner_h = problem.tail >= 0, problem.head >= 0
    balance = np.zeros(n)
    np.add.at(balance, problem.tail[inner_t], -sol.x[inner_t])
    np.add.at(balance, problem.head[inner_h], sol.x[inner_h])
    assert np.abs(balance).max() < 1e-6
    assert (sol.x <= np.where(np.isfinite(problem.upper), problem.upper, np.inf) + 1e-9).all()


def test_engine_choice(net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    problem, _ = flow_problem(net, "gas", "AZ", "market_eu")
    assert flow_engine(problem) == "lp"  # the default dataset keeps the LP's answers
    assert flow_engine(problem, "network") == "network"
    monkeypatch.setenv("CORRIDORS_FLOW_ENGINE", "network")
    assert flow_engine(problem) == "network"
    via_env = solve_flow(net, "gas", "AZ", "market_eu").delivered_total
    assert via_env == pytest.approx(solve_problem(problem, "max", "lp").total, abs=1e-6)
    with pytest.raises(CorridorsError, match="unknown flow engine"):
        flow_engine(problem, "simplex")


def _integer_cost(problem: FlowProblem, x: np.ndarray) -> int:
    costs = _integer_costs(problem, "mincost")
    _, per_unit = _integer_capacities(problem.upper)
    return int(np.rint(x * per_unit).astype(np.int64) @ costs)


@pytest.mark.parametrize(("commodity", "src", "dst", "names"), CASES)
def test_primal_dual_costs_what_cost_scaling_costs(
    net: Network, commodity: str, src: str, dst: str | None, names: tuple[str, ...]
) -> None:
    work = apply_scenario(net, compose([load_scenario(n) for n in names])) if names else net
    problem, _ = flow_problem(work, commodity, src, dst)
    fast = solve_network(problem, "mincost", min_cost="primal-dual")
    slow = solve_network(problem, "mincost", min_cost="cost-scaling")
    assert _integer_cost(problem, fast.x) == _integer_cost(problem, slow.x)  # both exact
    intake = problem.kind == Arc.INTAKE
    assert fast.x[intake].sum() == pytest.approx(slow.x[intake].sum(), abs=1e-9 * fast.total)


@pytest.fixture(scope="module")
def synthetic_problem(tmp_path_factory: pytest.TempPathFactory) -> FlowProblem:
    folder = tmp_path_factory.mktemp("synthetic")
    write_synthetic(folder, 1000, seed=0)
    work = load(folder)
    lon = work.nodes["lon"].to_numpy()
    ids = work.nodes.index.to_numpy()[np.argsort(lon)]
    supply = {str(n): float("inf") for n in ids[:5]}
    intake = {str(n): float("inf") for n in ids[-5:]}
    return build_problem(compile_graph(work, "container", "distance"), supply, intake)


def test_primal_dual_on_a_synthetic_network(synthetic_problem: FlowProblem) -> None:
    problem = synthetic_problem
    lp = problem.solve("mincost")
    fast = solve_network(problem, "mincost", min_cost="primal-dual")
    slow = solve_network(problem, "mincost", min_cost="cost-scaling")
    assert _integer_cost(problem, fast.x) == _integer_cost(problem, slow.x)
    intake = problem.kind == Arc.INTAKE
    tol = 1e-6 * max(1.0, lp.total)
    assert fast.total == pytest.approx(lp.total, abs=tol)
    assert fast.x[intake].sum() == pytest.approx(lp.x[intake].sum(), abs=tol)
    # the LP's unit cost, within the integer cost steps and the LP's tie-break weight
    assert float(fast.x @ problem.cost) == pytest.approx(float(lp.x @ problem.cost), rel=1e-5)
    n = problem.n_vertices
    inner_t, inner_h = problem.tail >= 0, problem.head >= 0
    balance = np.zeros(n)
    np.add.at(balance, problem.tail[inner_t], -fast.x[inner_t])
    np.add.at(balance, problem.head[inner_h], fast.x[inner_h])
    assert np.abs(balance).max() <= 1e-9 * max(1.0, lp.total)
    assert (fast.x >= 0).all()
    assert (fast.x <= np.where(np.isfinite(problem.upper), problem.upper, np.inf) + 1e-6).all()


@pytest.mark.parametrize("seed", range(20))
def test_primal_dual_on_random_graphs(seed: int) -> None:
    from ortools.graph.python import max_flow, min_cost_flow

    rng = np.random.default_rng(seed)
    n, m = 30, 120
    tail, head = rng.integers(0, n, m), rng.integers(0, n, m)
    caps, costs = rng.integers(0, 50, m), rng.integers(0, 20, m)  # ties and zero costs
    mf = max_flow.SimpleMaxFlow()
    mf.add_arcs_with_capacity(tail, head, caps)
    assert mf.solve(0, n - 1) == max_flow.SimpleMaxFlow.OPTIMAL
    total = int(mf.optimal_flow())
    side = np.zeros(n, dtype=bool)
    side[mf.get_source_side_min_cut()] = True
    for want in (None, total, total // 2):
        found = primal_dual_min_cost(tail, head, caps, costs, 0, n - 1, want, n)
        flows = found.flows
        if want is None:
            assert (found.source_side == side).all()
            want = total
        ref = min_cost_flow.SimpleMinCostFlow()
        ref.add_arcs_with_capacity_and_unit_cost(tail, head, caps, costs)
        ref.set_nodes_supplies(np.array([0, n - 1]), np.array([want, -want]))
        assert ref.solve() == min_cost_flow.SimpleMinCostFlow.OPTIMAL
        assert int(flows @ costs) == ref.optimal_cost()
        assert ((flows >= 0) & (flows <= caps)).all()
        balance = np.zeros(n, dtype=np.int64)
        np.add.at(balance, tail, -flows)
        np.add.at(balance, head, flows)
        assert balance[0] == -want
        assert balance[n - 1] == want
        assert not balance[1 : n - 1].any()
