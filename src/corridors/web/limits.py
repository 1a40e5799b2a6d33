"""Bounds on what one request may ask of the server, and the middleware enforcing size bounds.

Every bound answers with a clear 4xx and a JSON body naming what was too big: a request
body over :attr:`Limits.max_body_bytes` gets 413, a query string over
:attr:`Limits.max_query_chars` gets 414. Alternatives, via places, OD pairs, list items,
criticality sweep sizes and leverage exporters are bounded by the endpoints (422 naming
the parameter); time per request by :func:`corridors.web.state.run_bounded` (422 naming
the limit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Limits", "SizeLimitMiddleware"]


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may ask for (operator settings; no client can change them).

    Attributes
    ----------
    max_body_bytes
        Largest request body (an uploaded scenario is the only body the API takes).
    max_query_chars
        Longest query string.
    max_alternatives
        Most routes one route request returns.
    max_via
        Most places a route must pass.
    max_items
        Most items in one comma-separated list (countries, passages, links ...).
    max_od_pairs
        Most origin-destination pairs one comparison routes.
    max_seconds
        Longest time one request may compute before it is answered with 422.
    heavy_slots
        How many flow, comparison or assignment solves run at once.
    cache_entries
        Answers kept in memory (LRU, keyed by the whole normalised request).
    result_entries
        Criticality and leverage results kept in memory (LRU, keyed by dataset, scenario
        and parameters; several answers are cut from one).
    max_sweep_elements
        Most elements one criticality sweep may remove, one at a time (422 past it).
    max_exporters
        Most exporters one leverage request names.
    scenario_networks
        Networks with a scenario applied kept on the base network's cache.
    """

    max_body_bytes: int = 64 * 1024
    max_query_chars: int = 2048
    max_alternatives: int = 8
    max_via: int = 5
    max_items: int = 40
    max_od_pairs: int = 10
    max_seconds: float = 20.0
    heavy_slots: int = 2
    cache_entries: int = 512
    result_entries: int = 64
    max_sweep_elements: int = 2000
    max_exporters: int = 10
    scenario_networks: int = 32


def _json(status: int, error: str, field: str, message: str) -> tuple[int, bytes]:
    body = {"error": error, "field": field, "message": message}
    return status, json.dumps(body).encode()


class SizeLimitMiddleware:
    """Reject over-long query strings (414) and over-large bodies (413) before any parsing."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the query string and body size, then pass the request on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lim = self.limits
        if len(scope.get("query_string", b"")) > lim.max_query_chars:
            msg = f"the query string is longer than {lim.max_query_chars} characters"
            await _send(send, *_json(414, "query_too_long", "query", msg))
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        too_big = f"the request body is larger than {lim.max_body_bytes} bytes"
        if declared is not None and (not declared.isdigit() or int(declared) > lim.max_body_bytes):
            await _send(send, *_json(413, "body_too_large", "body", too_big))
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > lim.max_body_bytes:
                    raise _TooLargeError
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLargeError:
            if not started:
                await _send(send, *_json(413, "body_too_large", "body", too_big))


class _TooLargeError(Exception):
    """The body grew past the limit while it was read (no Content-Length given)."""


async def _send(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
