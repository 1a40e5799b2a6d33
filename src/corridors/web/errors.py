"""Errors as JSON: every 4xx body says what went wrong and which field caused it.

The body of every error answer is ``{"error": code, "field": name, "message": text}``,
sometimes with more keys (``suggestions`` for an unknown place, ``problems`` for an
invalid scenario). Input errors raised by the analyses
(:class:`~corridors.errors.CorridorsError`) are turned into such answers by
:func:`translate`, which knows which request field each value came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from corridors.errors import (
    CorridorsError,
    DataError,
    NoRouteError,
    ScenarioError,
    UnknownPlaceError,
)
from corridors.model.places import fold_name

__all__ = ["ApiError", "install_handlers", "translate"]


class ApiError(Exception):
    """An answer other than 200: status, error code, the field at fault, a message."""

    def __init__(self, status: int, error: str, field: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": error, "field": field, "message": message} | extra


@contextmanager
def translate(default_field: str, values: Mapping[str, object] | None = None) -> Iterator[None]:
    """Turn analysis input errors into :class:`ApiError` naming the request field.

    Parameters
    ----------
    default_field
        The field named when the error does not say which value it is about.
    values
        Request fields and their values; an unknown place is matched to the field that
        holds its name.

    Examples
    --------
    >>> try:
    ...     with translate("origin", {"destination": "Nowhere"}):
    ...         raise UnknownPlaceError("Nowhere", [])
    ... except ApiError as exc:
    ...     exc.status, exc.body["field"]
    (422, 'destination')
    """
    try:
        yield
    except UnknownPlaceError as exc:
        field = default_field
        for name, value in (values or {}).items():
            names = value if isinstance(value, list | tuple) else [value]
            if any(isinstance(v, str) and fold_name(v) == fold_name(exc.name) for v in names):
                field = name
                break
        raise ApiError(422, "unknown_place", field, str(exc), suggestions=exc.suggestions) from None
    except NoRouteError as exc:
        raise ApiError(404, "no_route", "destination", str(exc), cutting=exc.cutting) from None
    except DataError as exc:
        problems = [str(p) for p in exc.problems[:50]]
        raise ApiError(422, "invalid_data", "scenario", str(exc), problems=problems) from None
    except ScenarioError as exc:
        raise ApiError(422, "invalid_scenario", "scenario", str(exc)) from None
    except CorridorsError as exc:
        raise ApiError(422, "invalid_request", default_field, str(exc)) from None


def _validation_body(exc: RequestValidationError) -> dict[str, Any]:
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
        errors.append({"field": ".".join(loc) or "request", "message": str(err.get("msg", ""))})
    first = errors[0] if errors else {"field": "request", "message": "invalid request"}
    return {
        "error": "invalid_parameter",
        "field": first["field"],
        "message": f"{first['field']}: {first['message']}",
        "errors": errors,
    }


def install_handlers(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""

    async def api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return JSONResponse(exc.body, status_code=exc.status)

    async def invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse(_validation_body(exc), status_code=422)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        field = {404: "path", 405: "method"}.get(exc.status_code, "request")
        body = {"error": f"http_{exc.status_code}", "field": field, "message": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    async def input_error(_: Request, exc: Exception) -> JSONResponse:
        body = {"error": "invalid_request", "field": "request", "message": str(exc)}
        return JSONResponse(body, status_code=422)

    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # A bug, not bad input: still a JSON body (the traceback goes to the server's log).
        body = {
            "error": "internal_error",
            "field": "request",
            "message": f"the server failed to answer ({type(exc).__name__}); "
            "this is a bug, not a problem with the request",
        }
        return JSONResponse(body, status_code=500)

    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(CorridorsError, input_error)
