"""Byte-budgeted LRU caches: trees and scenario networks are dropped by budget."""

from __future__ import annotations

import numpy as np
import pytest

from corridors.datasets.synthetic import synthetic_network
from corridors.model.graph import compile_graph
from corridors.model.lru import ByteLRU, budget_bytes, nbytes
from corridors.model.scenario import Scenario, apply_scenario


def test_lru_evicts_least_recently_used_by_bytes() -> None:
    cache: ByteLRU[int, np.ndarray] = ByteLRU(budget=10_000)
    for i in range(5):
        cache.put(i, np.zeros(250))  # 2,000 bytes each: all five fit
    assert len(cache) == 5
    assert cache.nbytes == 10_000
    assert cache.get(0) is not None  # 0 becomes the most recently used
    cache.put(5, np.zeros(250))
    assert 1 not in cache
    assert 0 in cache
    assert 5 in cache
    assert cache.nbytes <= 10_000
    assert cache.evictions == 1
    cache.put(6, np.zeros(5_000))  # larger than the budget: kept alone
    assert list(cache) == [6]


def test_lru_remeasures_entries_that_grow() -> None:
    cache: ByteLRU[str, dict[str, np.ndarray]] = ByteLRU(budget=5_000)
    first: dict[str, np.ndarray] = {}
    cache.put("a", first)
    first["graph"] = np.zeros(1_000)  # 8,000 bytes added after it was stored
    cache.put("b", {})
    assert "a" not in cache
    assert "b" in cache


def test_budget_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_TREE_CACHE_MB", "2")
    assert budget_bytes("CORRIDORS_TREE_CACHE_MB", 256.0) == 2 * 1024 * 1024


def test_tree_cache_stays_within_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    net = synthetic_network(400, seed=5)
    g = compile_graph(net, "container", "time")
    per_tree = g.n_vertices * (8 + 4)
    monkeypatch.setenv("CORRIDORS_TREE_CACHE_MB", str(10 * per_tree / 1024 / 1024))
    g.extra.pop("trees", None)
    sources = g.source_vertex[g.source_vertex >= 0][:40]
    first = g.tree(int(sources[0]))
    for s in sources:
        dist, _ = g.tree(int(s))
        assert dist[int(s)] == 0.0
    trees = g.extra["trees"]
    assert trees.nbytes <= 10 * per_tree + 1
    assert len(trees) <= 10
    assert np.array_equal(g.tree(int(sources[0]))[0], first[0])  # recomputed alike


def test_scenario_cache_stays_within_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    net = synthetic_network(300, seed=6)
    one = apply_scenario(net, Scenario(name="x", close={"links": ["l0"]}))
    size = nbytes(one)
    monkeypatch.setenv("CORRIDORS_SCENARIO_CACHE_MB", str(3.5 * size / 1024 / 1024))
    net.cache.clear()
    for i in range(12):
        apply_scenario(net, Scenario(name=f"s{i}", close={"links": [f"l{i}"]}))
    store = net.cache["scenarios"]
    assert 1 <= len(store) <= 4
    assert store.evictions >= 8
    again = apply_scenario(net, Scenario(name="s11", close={"links": ["l11"]}))
    assert again is apply_scenario(net, Scenario(name="s11", close={"links": ["l11"]}))
