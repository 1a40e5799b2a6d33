"""What the app holds between requests: the network, its limits, a bounded answer cache.

Answers are deterministic for a given network and request, so the JSON bytes of each one
are kept in a least-recently-used cache keyed by the endpoint and its normalised
parameters (the network's fingerprint is fixed for the app's life). Computing runs in a
worker thread under a time bound (:func:`run_bounded`).
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import anyio
from fastapi import Request

from corridors.model.network import Network
from corridors.web.errors import ApiError
from corridors.web.limits import Limits

__all__ = ["AnswerCache", "AppState", "app_state", "json_bytes", "result_bounded", "run_bounded"]

T = TypeVar("T")
V = TypeVar("V")


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (JSON has no Infinity)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _finite(value.item())
    return value


def _scalar(value: Any) -> Any:
    """``json.dumps`` hook: a numpy scalar as its Python number (non-finite as None)."""
    if hasattr(value, "item") and callable(value.item):
        return _finite(value.item())
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_bytes(value: Any) -> bytes:
    """Strict JSON of ``value`` (non-finite floats as null, numpy scalars as numbers).

    Encoded in one pass; only a value holding a non-finite float is walked first to
    replace it (answers come from ``as_dict()``, which already writes those as null, so
    that walk is rare: it cost half of a route answer's time when it ran every time).

    Examples
    --------
    >>> json_bytes({"a": float("inf"), "b": (1, 2.5)})
    b'{"a":null,"b":[1,2.5]}'
    """
    try:
        text = json.dumps(value, allow_nan=False, separators=(",", ":"), default=_scalar)
    except ValueError:
        text = json.dumps(_finite(value), allow_nan=False, separators=(",", ":"))
    return text.encode()


class AnswerCache(Generic[V]):
    """A thread-safe LRU of answers (JSON bytes, or results), ``max_entries`` at most.

    Examples
    --------
    >>> c: AnswerCache[bytes] = AnswerCache(1)
    >>> c.put(("a",), b"1"); c.put(("b",), b"2")
    >>> c.get(("a",)) is None, c.get(("b",))
    (True, b'2')
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The answer stored under ``key``, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        """Store ``value``, dropping the least recently used answer past the bound."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)


@dataclass
class AppState:
    """The network an app serves, its limits, and its caches."""

    net: Network
    limits: Limits
    data_path: Path | None = None
    answers: AnswerCache[bytes] = field(init=False)
    results: AnswerCache[Any] = field(init=False)
    heavy: anyio.CapacityLimiter = field(init=False)
    _trim_lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _key_locks: dict[Hashable, threading.Lock] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.answers = AnswerCache(self.limits.cache_entries)
        self.results = AnswerCache(self.limits.result_entries)
        self.heavy = anyio.CapacityLimiter(self.limits.heavy_slots)

    def result(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The analysis result for ``key``, computed once (deterministic; kept in an LRU).

        Several answers share one result (a sweep's top 20 rows, all its rows, its map
        layer), so the result object is kept, keyed by the dataset, the scenario and the
        parameters of the analysis. Concurrent requests for the same key wait for the
        one computing it.
        """
        found = self.results.get(key)
        if found is not None:
            return cast(T, found)
        with self._trim_lock:
            lock = self._key_locks.setdefault(key, threading.Lock())
        try:
            with lock:
                found = self.results.get(key)
                if found is None:
                    found = compute()
                    self.results.put(key, found)
        finally:
            with self._trim_lock:
                self._key_locks.pop(key, None)
        return cast(T, found)

    def trim_scenario_networks(self) -> None:
        """Keep at most ``limits.scenario_networks`` scenario networks on the base network.

        :func:`corridors.model.scenario.apply_scenario` caches each scenario's network on
        the network it was applied to, without a bound; clients choose the closures, so the
        server drops the oldest ones.
        """
        with self._trim_lock:
            cache = self.net.cache
            keys = [k for k in list(cache) if isinstance(k, tuple) and k[:1] == ("scenario",)]
            for key in keys[: max(0, len(keys) - self.limits.scenario_networks)]:
                cache.pop(key, None)


def app_state(request: Request) -> AppState:
    """The :class:`AppState` of the app serving ``request`` (a FastAPI dependency)."""
    state: AppState = request.app.state.corridors
    return state


async def _within_limit(state: AppState, work: Callable[[], T], heavy: bool) -> T:
    """``work()`` in a worker thread, within the time limit (and a heavy slot if ``heavy``)."""
    limit = state.limits.max_seconds
    try:
        with anyio.fail_after(limit):
            if heavy:
                async with state.heavy:
                    return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError:
        raise ApiError(
            422,
            "time_limit",
            "request",
            f"the answer takes longer than the server's limit of {limit:g} s; "
            "ask for less (fewer alternatives, pairs, closures or elements)",
        ) from None


async def run_bounded(
    state: AppState,
    key: Hashable,
    compute: Callable[[], Any],
    *,
    heavy: bool = False,
) -> bytes:
    """The JSON answer for ``key``: from the cache, or computed in a thread within the time limit.

    Raises
    ------
    ApiError
        422 ``time_limit`` when computing (or waiting for a heavy slot) takes longer than
        ``limits.max_seconds``; the thread finishes on its own and its answer is cached.
    """
    cached = state.answers.get(key)
    if cached is not None:
        return cached

    def work() -> bytes:
        answer = json_bytes(compute())
        state.answers.put(key, answer)
        state.trim_scenario_networks()
        return answer

    return await _within_limit(state, work, heavy)


async def result_bounded(
    state: AppState, key: Hashable, compute: Callable[[], T], *, heavy: bool = False
) -> T:
    """The analysis result for ``key`` (:meth:`AppState.result`), within the time limit.

    Raises
    ------
    ApiError
        422 ``time_limit`` as :func:`run_bounded`; the result is kept when it finishes.
    """
    found = state.results.get(key)
    if found is not None:
        return cast(T, found)

    def work() -> T:
        found = state.result(key, compute)
        state.trim_scenario_networks()
        return found

    return await _within_limit(state, work, heavy)
