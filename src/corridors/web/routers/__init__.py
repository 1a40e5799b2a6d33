"""The API's routers, one per area; :data:`ROUTERS` is the order they are mounted in.

Criticality and leverage (the impact of each link, crossing and country; the exporter x
transit matrix) get their own router module here, ``routers/impact.py`` with
``/api/criticality`` and ``/api/leverage``, added to :data:`ROUTERS` when those analyses
exist; the page has a place for their views (``static/js/main.js``, ``VIEWS``).
"""

from __future__ import annotations

from fastapi import APIRouter

from corridors.web.routers import catalog, energy, routing, scenarios

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    catalog.router,
    routing.router,
    energy.router,
    scenarios.router,
)
