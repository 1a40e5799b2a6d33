"""Load on the REST API: concurrent clients on 127.0.0.1 for a fixed time, p50/p95 latency.

Starts the app in a subprocess (so the load generator does not share its interpreter),
then holds ``--clients`` concurrent clients for ``--seconds``: each sends route queries
(China -> Europe pairs, with and without RU and BY avoided, 1 or 3 routes) and now and
then a place search, after one warm-up pass over every distinct query (229 of them).
Prints requests, errors, the machine's load and p50/p95/max per kind, the CPU time the
server and this load generator spent per request, and whether the route p95 meets
``--target-ms``; exits non-zero on any error (and, with ``--strict``, on a missed target:
the machine may be shared, so its load average is printed too).

The clients speak HTTP/1.1 over asyncio streams, one keep-alive connection each
(:class:`Connection`): a request is timed from its first byte sent to the last byte of
its body read, and any status but 200, a short body or a broken connection is an error.
(httpx spent 4.9 ms of this process's CPU per request, sixteen times the server's
0.3 ms, so with httpx the figures measured the load generator's own queue.)

Usage: ``python benchmarks/load_api.py [--clients 50] [--seconds 30] [--no-cache]``.
``--no-cache`` turns the server's answer caches off, so every route is computed.
Traffic goes to the loopback address only, and the loop stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from timing import percentile

ORIGINS = ["Chongqing", "Chengdu", "Xi'an", "Zhengzhou", "Wuhan", "Yiwu", "Shanghai", "Urumqi"]
DESTINATIONS = ["Duisburg", "Hamburg", "Berlin", "Warsaw", "Prague", "Budapest", "Rotterdam"]
SERVER = (
    "import uvicorn; from corridors.web.app import create_app; from corridors.web.limits import"
    " Limits; uvicorn.run(create_app(limits=Limits(cache_entries={cache})), host='127.0.0.1',"
    " port={port}, log_level='warning', access_log=False, timeout_keep_alive=30)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, cache: int) -> subprocess.Popen[bytes]:
    code = SERVER.format(port=port, cache=cache)
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


Query = tuple[str, str, dict[str, str | int]]


def query_mix() -> list[Query]:
    """Every distinct query the clients send."""
    mix: list[Query] = []
    for o, d in itertools.product(ORIGINS, DESTINATIONS):
        for avoid, k in itertools.product(("", "RU,BY"), (1, 3)):
            params: dict[str, str | int] = {"origin": o, "destination": d, "alternatives": k}
            if avoid:
                params["avoid"] = avoid
            mix.append(("route", "/api/route", params))
    mix += [("places", "/api/places", {"q": q}) for q in ("chon", "duis", "mała", "xi", "alat")]
    return mix


def queries(seed: int) -> itertools.cycle[Query]:
    """The mix in a client's own order, repeated."""
    mix = query_mix()
    random.Random(seed).shuffle(mix)
    return itertools.cycle(mix)


def warm_up(base: str) -> float:
    """Send each distinct query once, in turn (graphs compiled; answers cached if on)."""
    start = time.perf_counter()
    with httpx.Client(base_url=base, timeout=60) as http:
        for _, path, params in query_mix():
            http.get(path, params=params).raise_for_status()
    return time.perf_counter() - start


class Connection:
    """One keep-alive HTTP/1.1 connection to the server (GET only; Content-Length or chunked)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        """Send ``GET target``; the status and the whole body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(head.encode())
        await self.writer.drain()
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                parts.append(await self.reader.readexactly(size + 2))
            await self.reader.readuntil(b"\r\n")
            body = b"".join(p[:-2] for p in parts)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        """Close the connection (a later request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def client(
    conn: Connection,
    work: itertools.cycle[Query],
    until: float,
    times: dict[str, list[float]],
    errors: list[str],
) -> None:
    while time.monotonic() < until:
        kind, path, params = next(work)
        target = f"{path}?{urlencode(params)}"
        start = time.perf_counter()
        try:
            status, body = await conn.get(target)
            if status != 200:
                errors.append(f"{status} {path} {params}: {body[:120]!r}")
        except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
            errors.append(f"{type(exc).__name__} {path} {params}")
            await conn.close()
        times.setdefault(kind, []).append(time.perf_counter() - start)


async def run(port: int, clients: int, seconds: float) -> tuple[dict[str, list[float]], list[str]]:
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    conns = [Connection("127.0.0.1", port) for _ in range(clients)]
    until = time.monotonic() + seconds
    try:
        await asyncio.gather(
            *(client(c, queries(i), until, times, errors) for i, c in enumerate(conns))
        )
    finally:
        for c in conns:
            await c.close()
    return times, errors


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--no-cache", action="store_true", help="turn the answer cache off")
    parser.add_argument("--target-ms", type=float, default=100.0, help="route p95 target")
    parser.add_argument("--strict", action="store_true", help="fail when the target is missed")
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, cache=0 if args.no_cache else 512)
    base = f"http://127.0.0.1:{port}"
    try:
        warm = warm_up(base)
        server_cpu, own_cpu = cpu_seconds(server.pid), time.process_time()
        times, errors = asyncio.run(run(port, args.clients, args.seconds))
        server_cpu = cpu_seconds(server.pid) - server_cpu
        own_cpu = time.process_time() - own_cpu
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = sum(len(v) for v in times.values())
    cache = (
        "off: every request computed"
        if args.no_cache
        else "on: the timed requests repeat the warmed queries"
    )
    print(
        f"{args.clients} clients for {args.seconds:g} s on 127.0.0.1 (answer cache {cache}): "
        f"{total} requests, {total / args.seconds:.0f}/s, {len(errors)} errors "
        f"(after a warm-up pass over the {len(query_mix())} distinct queries: {warm:.1f} s)"
    )
    for kind, values in sorted(times.items()):
        ms = [v * 1000 for v in values]
        print(
            f"  {kind:<7} n={len(ms):>6}  p50 {percentile(ms, 0.5):7.1f} ms  "
            f"p95 {percentile(ms, 0.95):7.1f} ms  max {max(ms):7.1f} ms"
        )
    per = 1000 / max(1, total)
    print(
        f"  CPU per request: server {server_cpu * per:.2f} ms, "
        f"load generator {own_cpu * per:.2f} ms"
    )
    for line in errors[:10]:
        print("  error:", line)
    p95 = percentile([v * 1000 for v in times.get("route", [0.0])], 0.95)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    met = "met" if p95 <= args.target_ms else "MISSED"
    print(
        f"route p95 {p95:.1f} ms: target {args.target_ms:g} ms {met} "
        f"(load average {load} on {os.cpu_count()} cores)"
    )
    if errors or (args.strict and met == "MISSED"):
        sys.exit(1)


if __name__ == "__main__":
    main()
