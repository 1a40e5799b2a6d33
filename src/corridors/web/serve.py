"""Run the app on uvicorn (``corridors serve``), on 127.0.0.1 unless the operator says otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["serve"]


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
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
