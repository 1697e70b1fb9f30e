"""HTTP features of the API (api/http.py): local docs assets, operation ids, gzip, ETag and
Cache-Control, HEAD, CORS. Runs the app on the small fixture release (memory store)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careergraph.api.app import create_app
from careergraph.api.settings import Settings
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.loaders.onet import read_onet_release

from .support import FIXTURE_DIR

ROUTE = "/v1/paths?from=Data Wranglers&to=Analytics Architects&k=3&relationship=RELATED_TO"
ORIGIN = "https://careers.example.org"


@pytest.fixture(scope="module")
def mini_store() -> NetworkxStore:
    store = NetworkxStore()
    store.load(read_onet_release(FIXTURE_DIR))
    return store


def _client(store: NetworkxStore, **settings: object) -> TestClient:
    chosen = Settings().model_copy(update={"onet_dir": FIXTURE_DIR, **settings})
    return TestClient(create_app(chosen, store=store))


@pytest.fixture(scope="module")
def client(mini_store: NetworkxStore) -> Iterator[TestClient]:
    with _client(mini_store) as test_client:
        yield test_client


def test_docs_and_redoc_use_local_assets(client: TestClient) -> None:
    for page, assets in (
        ("/docs", ["swagger-ui-bundle.js", "swagger-ui.css"]),
        ("/redoc", ["redoc.standalone.js"]),
    ):
        html = client.get(page)
        assert html.status_code == 200
        assert "cdn." not in html.text and "fonts.googleapis" not in html.text
        for asset in assets:
            assert f'"/static-offline-docs/{asset}"' in html.text
            served = client.get(f"/static-offline-docs/{asset}")
            assert served.status_code == 200 and len(served.content) > 100_000
        policy = html.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "img-src 'self' data:" in policy
    assert "content-security-policy" not in client.get(ROUTE).headers


def test_operation_ids_are_named(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ids = {
        path: operation["operationId"]
        for path, item in schema["paths"].items()
        for operation in item.values()
    }
    assert ids == {
        "/v1/titles": "get_titles",
        "/v1/roles": "get_role",
        "/v1/occupations/{code}": "get_occupation",
        "/v1/occupations/{code}/related": "get_related",
        "/v1/occupations/{code}/next-steps": "get_likely_next_steps",
        "/v1/paths": "get_paths",
        "/v1/gap": "get_gap",
        "/v1/health": "get_health",
    }


def test_gzip_when_accepted(client: TestClient) -> None:
    plain = client.get(ROUTE, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    zipped = client.get(ROUTE, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.json() == plain.json()  # httpx decodes
    assert len(gzip.compress(plain.content)) < len(plain.content)


def test_etag_and_cache_control_keyed_on_the_release(client: TestClient) -> None:
    first = client.get(ROUTE)
    tag = first.headers["etag"]
    assert tag.startswith('W/"99.1-')  # the loaded release, then a hash of the answer
    assert first.headers["cache-control"] == "public, max-age=3600"
    assert client.get(ROUTE).headers["etag"] == tag  # stable
    other = client.get(ROUTE.replace("k=3", "k=1"))
    assert other.headers["etag"] != tag

    cached = client.get(ROUTE, headers={"If-None-Match": tag})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == tag
    stale = client.get(ROUTE, headers={"If-None-Match": 'W/"99.0-abc"'})
    assert stale.status_code == 200 and stale.json() == first.json()

    health = client.get("/v1/health")
    assert health.headers["cache-control"] == "no-store" and "etag" not in health.headers
    error = client.get("/v1/occupations/99-9999.00")
    assert error.status_code == 404 and error.headers["cache-control"] == "no-store"
    assert "etag" not in error.headers


def test_max_age_setting(mini_store: NetworkxStore) -> None:
    with _client(mini_store, http_max_age_s=60) as short:
        assert short.get(ROUTE).headers["cache-control"] == "public, max-age=60"


@pytest.mark.parametrize(
    "url", [ROUTE, "/v1/health", "/v1/occupations/15-9901.00", "/docs", "/openapi.json"]
)
def test_head_answers_like_get_without_body(client: TestClient, url: str) -> None:
    get = client.get(url, headers={"Accept-Encoding": "identity"})
    head = client.head(url, headers={"Accept-Encoding": "identity"})
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers.get("etag") == get.headers.get("etag")


def test_head_on_unknown_code_is_404(client: TestClient) -> None:
    assert client.head("/v1/occupations/99-9999.00").status_code == 404


def test_cors_is_off_by_default(client: TestClient) -> None:
    answer = client.get(ROUTE, headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in answer.headers
    preflight = client.options(
        ROUTE, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_setting_allows_listed_origins(mini_store: NetworkxStore) -> None:
    settings = Settings.model_validate({"cors_origins": f"{ORIGIN}, http://localhost:5173"})
    assert settings.cors_origins == [ORIGIN, "http://localhost:5173"]
    with _client(mini_store, cors_origins=settings.cors_origins) as cors:
        answer = cors.get(ROUTE, headers={"Origin": ORIGIN})
        assert answer.headers["access-control-allow-origin"] == ORIGIN
        assert "etag" in answer.headers["access-control-expose-headers"].lower()
        preflight = cors.options(
            ROUTE, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
        )
        assert preflight.status_code == 200
        other = cors.get(ROUTE, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
