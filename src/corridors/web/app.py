"""The app factory: the REST API over one network, and the map page that renders it.

The app never computes: each endpoint calls the analysis function the CLI calls and
sends its JSON form (``as_dict()``), with GeoJSON features where the answer is a map
layer. Security defaults: the server binds 127.0.0.1 (:func:`corridors.web.serve.serve`),
request sizes and work are bounded (:class:`corridors.web.limits.Limits`), no file path
is taken from a client, and CORS is off (no ``Access-Control-Allow-Origin`` header is
ever sent) unless the operator passes ``cors_origins``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from corridors import __version__
from corridors.model.network import Network, load
from corridors.web.errors import install_handlers
from corridors.web.fastpath import ResponseCacheMiddleware
from corridors.web.limits import Limits, SizeLimitMiddleware
from corridors.web.routers import ROUTERS
from corridors.web.state import AppState

__all__ = ["STATIC", "create_app", "vendor_missing"]

#: The page: index.html, css/, js/ (in the repository) and vendor/ (built from npm).
STATIC = Path(__file__).parent / "static"
_VENDOR_FILES = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "topojson-client/topojson-client.min.js",
    "world-atlas/countries-50m.json",
    "swagger-ui/swagger-ui-bundle.js",
)


def vendor_missing() -> list[str]:
    """Assets of the page not yet copied from npm (``make web`` copies them)."""
    return [f for f in _VENDOR_FILES if not (STATIC / "vendor" / f).is_file()]


def create_app(
    net_or_data_path: Network | str | Path | None = None,
    *,
    limits: Limits | None = None,
    cors_origins: tuple[str, ...] = (),
) -> FastAPI:
    """Build the app serving ``net_or_data_path``.

    Parameters
    ----------
    net_or_data_path
        A loaded :class:`~corridors.model.network.Network`, a folder of tables (the
        operator's ``--data``), or None for the embedded dataset.
    limits
        Bounds on requests (default :class:`~corridors.web.limits.Limits`).
    cors_origins
        Origins allowed to call the API from other pages; empty (the default) means
        CORS is off.

    Returns
    -------
    fastapi.FastAPI
        The ASGI app; ``uvicorn.run(app)`` serves it.

    Examples
    --------
    >>> paths = create_app().openapi()["paths"]
    >>> "/api/route" in paths, "/api/scenarios/validate" in paths
    (True, True)
    """
    if isinstance(net_or_data_path, Network):
        net, data_path = net_or_data_path, None
    else:
        data_path = Path(net_or_data_path) if net_or_data_path is not None else None
        net = load(data_path)
    limits = limits or Limits()
    app = FastAPI(
        title="corridors",
        version=__version__,
        description=(
            "Routes, flows and what-ifs on the China–Central Asia–Europe trade and energy "
            "corridors. Every error is JSON naming the field at fault."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.corridors = AppState(net=net, limits=limits, data_path=data_path)
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/api/health", tags=["network"], summary="Liveness and the network served")
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "network": net.label, "version": __version__})

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        vendor = "/static/vendor/swagger-ui"
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="corridors API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url=f"{vendor}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"]
        )
    app.add_middleware(ResponseCacheMiddleware, entries=limits.cache_entries)
    app.add_middleware(SizeLimitMiddleware, limits=limits)
    return app
