"""A response cache in front of the app: a repeated GET is answered from memory.

Answers are deterministic for the app's network and the request's path and query, so a
200 answer to ``GET /api/...`` is kept, byte for byte, keyed by its path and raw query
string, in a bounded LRU (:class:`~corridors.web.state.AnswerCache`). A hit skips routing,
parameter parsing and computing; a miss goes through the app as usual (where the
normalised-key cache of :func:`~corridors.web.state.run_bounded` may still answer it).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corridors.web.state import AnswerCache

__all__ = ["ResponseCacheMiddleware"]

#: Paths whose answers are not kept (they change, or are cheap and not worth the room).
_UNCACHED = ("/api/health", "/api/scenarios/validate")
#: Largest answer kept (bytes).
MAX_KEPT = 2_000_000


class ResponseCacheMiddleware:
    """Answer repeated ``GET /api/...`` requests from a bounded in-memory cache."""

    def __init__(self, app: ASGIApp, entries: int) -> None:
        self.app = app
        self.cache: AnswerCache[bytes] = AnswerCache(entries)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a hit, or pass the request on and keep a complete 200 answer."""
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or not path.startswith("/api/")
            or path in _UNCACHED
            or self.cache.max_entries <= 0
        ):
            await self.app(scope, receive, send)
            return
        key = (path, scope.get("query_string", b""))
        hit = self.cache.get(key)
        if hit is not None:
            content_type, body = hit.split(b"\n", 1)
            headers = [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        status = 0
        content_type = b""
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            elif message["type"] == "http.response.body" and status == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = b"".join(chunks)
                    if content_type and len(body) <= MAX_KEPT:
                        self.cache.put(key, content_type + b"\n" + body)
            await send(message)

        await self.app(scope, receive, keep)
