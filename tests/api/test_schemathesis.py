"""Property-based API test: schemathesis generates requests from the app's own OpenAPI
schema against the memory backend with real O*NET 29.3, and no answer may be a 5xx; every
answer must match its documented schema.

Bounded and reproducible: a fixed seed, 20 valid and 20 invalid requests per endpoint
(health takes no parameters: one request), about 200 requests in all. Driven through
hypothesis directly (schemathesis's pytest plugin does not support this pytest yet).
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from .support import ENDPOINTS

EXAMPLES = 20


@pytest.fixture(scope="module")
def api_schema(memory_app: FastAPI) -> schemathesis.BaseSchema:
    """The app's OpenAPI schema, served by the app itself (ASGI, no network)."""
    return schemathesis.openapi.from_asgi("/openapi.json", memory_app)


@pytest.mark.parametrize(
    ("path", "mode"),
    [(path, GenerationMode.POSITIVE) for path in ENDPOINTS]
    + [(path, GenerationMode.NEGATIVE) for path in ENDPOINTS if path != "/v1/health"],
)
def test_generated_requests_get_no_server_error(
    api_schema: schemathesis.BaseSchema, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path]["GET"]
    sent: list[int] = []

    @hypothesis.seed(20261127)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy(mode))
    def check(case: schemathesis.Case[Any]) -> None:
        response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
        sent.append(response.status_code)

    check()
    assert sent, "no request was generated"
    if path == "/v1/health":
        assert set(sent) == {200}
