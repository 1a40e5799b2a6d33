"""The web face: a REST API (FastAPI) and an offline map page over the same analyses.

``corridors serve`` runs it; :func:`create_app` builds it for tests and other servers.
"""

from corridors.web.app import create_app

__all__ = ["create_app"]
