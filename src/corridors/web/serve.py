"""Run the app on uvicorn (``corridors serve``), on 127.0.0.1 unless the operator says otherwise."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["background", "serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, data: Path | None = None) -> None:
    """Load the network, print the address, serve until Ctrl-C.

    Parameters
    ----------
    host
        Address to bind; 127.0.0.1 by default (this machine only).
    port
        TCP port.
    data
        Folder of network tables (the operator's choice; clients never name files).
    """
    import uvicorn

    from corridors.web.app import create_app, vendor_missing

    app = create_app(data)
    missing = vendor_missing()
    if missing:
        print(
            "warning: the map page's assets are missing (run `make web`): " + ", ".join(missing),
            file=sys.stderr,
        )
    shown = f"[{host}]" if ":" in host else host
    print(f"corridors: serving the map and API on http://{shown}:{port}/ (API docs: /docs)")
    print("press Ctrl-C to stop", flush=True)
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, timeout_keep_alive=30
    )


@contextmanager
def background(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on a free port of ``host`` in a thread; yields its base URL.

    For tests and the load benchmark: the server stops when the block ends.
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
