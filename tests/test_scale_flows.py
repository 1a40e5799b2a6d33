"""Network-flow engine (OR-Tools) against the flow LP: same delivered volumes.

For every shipped energy scenario and its usual ends, both engines solve the same
:class:`~corridors.analyses.flows.problem.FlowProblem`; delivered totals, per-sink
deliveries and (``mincost``) total costs agree within the rounding that
:mod:`corridors.analyses.flows.netflow` states.
"""

from __future__ import annotations

import numpy as np
import pytest

from corridors.analyses.flows.netflow import flow_engine, solve_network, solve_problem
from corridors.analyses.flows.problem import Arc
from corridors.analyses.flows.read import read_result
from corridors.analyses.flows.solve import flow_problem, solve_flow
from corridors.errors import CorridorsError
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
