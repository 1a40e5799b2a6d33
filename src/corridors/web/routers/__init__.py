"""The API's routers, one per area; :data:`ROUTERS` is the order they are mounted in.

``impact`` holds criticality and leverage (the impact of each link, crossing and country;
the exporter x transit matrix); the page shows them in its ``VIEWS`` (``static/js/``).
"""

from __future__ import annotations

from fastapi import APIRouter

from corridors.web.routers import catalog, energy, impact, routing, scenarios

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    catalog.router,
    routing.router,
    energy.router,
    impact.router,
    scenarios.router,
)
