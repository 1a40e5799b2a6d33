"""Least-recently-used caches bounded by bytes, for trees and scenario networks.

A long-running process (the web service, a sweep over thousands of scenarios) would
otherwise keep every shortest-path tree (6.7 MB per origin at 100k nodes) and every
scenario network it ever built (with the graphs compiled on it). :class:`ByteLRU` keeps
entries while their estimated size (:func:`nbytes`) fits a budget and drops the least
recently used first; the newest entry is always kept, whatever its size.

Budgets, in MB, come from the environment: ``CORRIDORS_TREE_CACHE_MB`` (per compiled
graph, default :data:`TREE_CACHE_MB`) and ``CORRIDORS_SCENARIO_CACHE_MB`` (per base
network, default :data:`SCENARIO_CACHE_MB`).

Examples
--------
>>> import numpy as np
>>> cache = ByteLRU(budget=2_000)
>>> cache.put("a", np.zeros(100)); cache.put("b", np.zeros(100))   # 800 bytes each
>>> cache.get("a") is not None        # "a" is now the most recently used
True
>>> cache.put("c", np.zeros(100))     # 2,400 bytes > 2,000: "b" goes
>>> sorted(cache), cache.nbytes
(['a', 'c'], 1600)
"""

from __future__ import annotations

import os
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields, is_dataclass
from itertools import islice
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = [
    "ENV_SCENARIO_MB",
    "ENV_TREE_MB",
    "SCENARIO_CACHE_MB",
    "TREE_CACHE_MB",
    "ByteLRU",
    "budget_bytes",
    "nbytes",
]

#: Items of a large container that :func:`nbytes` measures (the rest are taken alike).
_SAMPLE = 16

K = TypeVar("K")
V = TypeVar("V")

#: Environment variable: MB of shortest-path trees kept per compiled graph.
ENV_TREE_MB = "CORRIDORS_TREE_CACHE_MB"
#: Environment variable: MB of scenario networks (with their graphs) kept per network.
ENV_SCENARIO_MB = "CORRIDORS_SCENARIO_CACHE_MB"
#: Default tree budget per compiled graph, MB.
TREE_CACHE_MB = 256.0
#: Default scenario-network budget per base network, MB.
SCENARIO_CACHE_MB = 512.0


def budget_bytes(env: str, default_mb: float, environ: Mapping[str, str] | None = None) -> int:
    """The budget in bytes from ``$env`` (MB), else ``default_mb``.

    Examples
    --------
    >>> budget_bytes("X_MB", 1.5, {}), budget_bytes("X_MB", 1.5, {"X_MB": "0.5"})
    (1572864, 524288)
    >>> budget_bytes("X_MB", 1.5, {"X_MB": "lots"})
    1572864
    """
    text = (os.environ if environ is None else environ).get(env, "").strip()
    try:
        mb = float(text) if text else default_mb
    except ValueError:
        mb = default_mb
    return int(max(0.0, mb) * 1024 * 1024)


def nbytes(obj: object, _depth: int = 0) -> int:
    """An estimate of the memory ``obj`` holds: arrays, frames, sparse matrices, containers.

    Frames count their columns' buffers (not the strings they point to, which scenario
    networks share with their base); dataclasses and containers are followed a few
    levels deep.

    Examples
    --------
    >>> nbytes(np.zeros(10)), nbytes({"a": np.zeros(10), "b": [np.zeros(5)]}) >= 120
    (80, True)
    """
    if _depth > 6:
        return 0
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if isinstance(obj, pd.DataFrame):  # 8 bytes a cell (floats, pointers) and the index
        return 8 * obj.shape[0] * (obj.shape[1] + 1)
    if isinstance(obj, pd.Series | pd.Index):
        return 8 * len(obj)
    if sp.issparse(obj):
        parts = ("data", "indices", "indptr", "row", "col")
        return sum(int(getattr(obj, p).nbytes) for p in parts if hasattr(obj, p))
    if isinstance(obj, dict):  # large ones: measured on a sample of their items
        items = list(islice(obj.items(), _SAMPLE))
        each = sum(nbytes(k, _depth + 1) + nbytes(v, _depth + 1) for k, v in items)
        return 64 + 48 * len(obj) + (each * len(obj) // len(items) if items else 0)
    if isinstance(obj, list | tuple | set | frozenset):
        sample = list(islice(obj, _SAMPLE))
        each = sum(nbytes(x, _depth + 1) for x in sample)
        return 56 + 8 * len(obj) + (each * len(obj) // len(sample) if sample else 0)
    if isinstance(obj, str | int | float | bool):
        return sys.getsizeof(obj)
    if isinstance(obj, ByteLRU):
        return obj.nbytes
    if is_dataclass(obj) and not isinstance(obj, type):
        return 64 + sum(nbytes(getattr(obj, f.name), _depth + 1) for f in fields(obj))
    return sys.getsizeof(obj)


class ByteLRU(Generic[K, V]):
    """A mapping that keeps its most recently used entries within ``budget`` bytes.

    Parameters
    ----------
    budget
        Bytes the entries may take together (the newest one is kept whatever its size).
    size
        The size of an entry (default :func:`nbytes`), measured when it is stored and
        again when the cache trims (entries such as networks grow as graphs are
        compiled on them).
    """

    def __init__(self, budget: int, size: Callable[[V], int] | None = None) -> None:
        self.budget = int(budget)
        self._size: Callable[[V], int] = size or nbytes
        self._items: OrderedDict[K, V] = OrderedDict()
        self._bytes: dict[K, int] = {}
        self.evictions = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._items))

    @property
    def nbytes(self) -> int:
        """The entries' sizes as last measured."""
        return sum(self._bytes.values())

    def get(self, key: K, default: Any = None) -> Any:
        """The entry under ``key`` (now the most recently used), or ``default``."""
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key]

    def __getitem__(self, key: K) -> V:
        if key not in self._items:
            raise KeyError(key)
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: K, value: V) -> None:
        """Store ``value`` as the most recently used entry, then trim to the budget.

        Entries may grow after they are stored (a network gets graphs compiled on it):
        the one used last before this one is measured again, and every entry when the
        total is over the budget.
        """
        if self._items:
            last = next(reversed(self._items))
            self._bytes[last] = self._size(self._items[last])
        self._items[key] = value
        self._items.move_to_end(key)
        self._bytes[key] = self._size(value)
        total = self.nbytes
        if total > self.budget:
            self._bytes = {k: self._size(v) for k, v in self._items.items()}
            total = self.nbytes
        while total > self.budget and len(self._items) > 1:
            old, _ = self._items.popitem(last=False)
            total -= self._bytes.pop(old)
            self.evictions += 1

    __setitem__ = put
