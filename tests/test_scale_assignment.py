"""Column-generation assignment against the assignment LP on the default dataset.

Both engines solve the same LP (:mod:`corridors.analyses.assignment.colgen`): the total
generalized time agrees to a relative 1e-6, served and unserved volumes to 1e-3 TEU, and
the shares the assignment reports to 0.02 (they may differ only where routes tie).
"""

from __future__ import annotations

import pandas as pd
import pytest

from corridors.analyses.assignment.colgen import assignment_engine
from corridors.analyses.assignment.lp import blocks_for, od_demand
from corridors.analyses.assignment.solve import assign
from corridors.errors import CorridorsError
from corridors.model.graph import compile_graph
from corridors.model.network import Network, load
from corridors.model.scenario import load_scenario

SHARE_TOL = 0.02


@pytest.fixture(scope="module")
def net() -> Network:
    return load()


def _both(net: Network, monkeypatch: pytest.MonkeyPatch, **kw: object) -> tuple[object, object]:
    monkeypatch.setenv("CORRIDORS_ASSIGN_ENGINE", "lp")
    lp = assign(net, **kw)  # type: ignore[arg-type]
    monkeypatch.setenv("CORRIDORS_ASSIGN_ENGINE", "colgen")
    cg = assign(net, **kw)  # type: ignore[arg-type]
    return lp, cg


@pytest.mark.parametrize("scenario", [None, "red-sea-closed-2024", "middle-corridor-upgrade"])
def test_colgen_reproduces_the_lp(
    net: Network, monkeypatch: pytest.MonkeyPatch, scenario: str | None
) -> None:
    scen = load_scenario(scenario) if scenario else None
    lp, cg = _both(net, monkeypatch, scenario=scen)
    assert cg.solver["engine"] == "colgen"
    assert "engine" not in lp.solver
    assert cg.solver["objective"] == pytest.approx(lp.solver["objective"], rel=1e-6)  # type: ignore[attr-defined]
    assert cg.assigned_total == pytest.approx(lp.assigned_total, abs=1e-3)  # type: ignore[attr-defined]
    assert cg.unserved_total == pytest.approx(lp.unserved_total, abs=1e-3)  # type: ignore[attr-defined]
    for field in ("transit_share", "overland_share", "mode_share"):
        a, b = getattr(lp, field), getattr(cg, field)
        for key in set(a) | set(b):
            assert b.get(key, 0.0) == pytest.approx(a.get(key, 0.0), abs=SHARE_TOL), (field, key)


def test_colgen_binds_capacities_like_the_lp(net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    od = pd.DataFrame(
        {"origin": ["xian", "chengdu", "chongqing"], "destination": ["duisburg"] * 3,
         "amount": [2.0e6, 2.0e6, 2.0e6]}
    )  # fmt: skip
    lp, cg = _both(net, monkeypatch, demand=od)
    assert cg.solver["objective"] == pytest.approx(lp.solver["objective"], rel=1e-6)  # type: ignore[attr-defined]
    assert cg.unserved_total == pytest.approx(lp.unserved_total, abs=1e-3)  # type: ignore[attr-defined]
    assert lp.assigned_total > 0  # type: ignore[attr-defined]


def test_engine_by_size(net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    g = compile_graph(net, "container", "time")
    blocks, _ = blocks_for(g, od_demand(net, "container", "TEU/yr", None))
    monkeypatch.delenv("CORRIDORS_ASSIGN_ENGINE", raising=False)
    assert assignment_engine(blocks) == "lp"  # the default dataset keeps the LP
    assert assignment_engine(blocks, "colgen") == "colgen"
    with pytest.raises(CorridorsError, match="unknown assignment engine"):
        assignment_engine(blocks, "frank-wolfe")
