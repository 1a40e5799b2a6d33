"""Property-based tests of the API from its OpenAPI schema (schemathesis).

Generated requests, valid and invalid, against a live server on 127.0.0.1: no answer is a
5xx, and every 4xx is a JSON body naming the field at fault. The number of examples per
operation is bounded so the suite stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from corridors.web.app import create_app
from corridors.web.serve import background

APP = create_app()
schema = schemathesis.openapi.from_dict(APP.openapi())


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with background(APP) as url:
        yield url


def errors_name_the_field(ctx: Any, response: Any, case: Any) -> None:
    """A 4xx answer is JSON with ``error``, ``field`` and ``message``."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict), body
        for key in ("error", "field", "message"):
            assert body.get(key), body


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_has_no_server_errors(case: Any, base_url: str) -> None:
    response = case.call(base_url=base_url, timeout=60)
    case.validate_response(response, checks=[not_a_server_error])
    errors_name_the_field(None, response, case)
