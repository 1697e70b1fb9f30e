"""The app itself: lifespan, OpenAPI docs, central error mapping, timeouts, `serve`."""

from __future__ import annotations

import gc
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import careergraph.api.app as app_module
import careergraph.api.deps
from careergraph.api.app import create_app
from careergraph.api.cli import app as cli_app
from careergraph.api.settings import Settings
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.errors import BackendUnavailableError
from careergraph.graph.model import OnetRelease
from careergraph.graph.store import GraphStore, OccupationProfile
from careergraph.loaders.onet import read_onet_release

from .support import ENDPOINTS, FIXTURE_DIR, free_port, serve


@pytest.fixture(scope="module")
def mini_release() -> OnetRelease:
    return read_onet_release(FIXTURE_DIR)


def _settings(**update: object) -> Settings:
    return Settings().model_copy(update={"onet_dir": FIXTURE_DIR, "backend": "memory", **update})


def test_openapi_documents_every_endpoint_with_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == set(ENDPOINTS)
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        operation = item["get"]
        assert operation["summary"] and operation["description"], path
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        name = ok["$ref"].rsplit("/", 1)[-1]
        assert name.endswith("Response"), name
        assert components[name].get("examples"), f"{name} has no example"
        if path != "/v1/health":
            assert {"422", "503"} <= set(operation["responses"]), path
    params = schema["paths"]["/v1/paths"]["get"]["parameters"]
    assert {p["name"] for p in params} == {
        "from",
        "to",
        "k",
        "max_hops",
        "relationship",
        "only_advancement",
        "max_wage_drop_pct",
        "min_growth_pct",
        "via",
        "exclude",
    }
    assert all(p.get("description") for p in params)
    core = [p for p in params if p["name"] in {"from", "to", "k", "max_hops"}]
    assert all(p.get("examples") or p["schema"].get("default") for p in core)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    home = client.get("/", follow_redirects=False)  # the web page (was a redirect to /docs)
    assert home.status_code == 200 and 'href="/docs"' in home.text


def test_lifespan_loads_the_configured_release_and_closes_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[GraphStore] = []
    closed: list[GraphStore] = []
    real_open = careergraph.api.deps.open_api_store

    def spy_open(settings: Settings, backend: str | None = None) -> GraphStore:
        store = real_open(settings, backend)
        opened.append(store)
        monkeypatch.setattr(store, "close", lambda: closed.append(store))
        return store

    monkeypatch.setattr(app_module, "open_api_store", spy_open)
    app = create_app(_settings())
    with TestClient(app) as client:
        health = client.get("/v1/health").json()
        assert (health["backend"], health["release"]) == ("memory", "99.1")
        assert (
            client.get("/v1/paths", params={"from": "Data Wranglers", "to": "15-9904.00"}).json()[
                "attribution"
            ]["release"]
            == "99.1"
        )
        assert len(opened) == 1 and not closed
    assert closed == opened


def test_api_starts_while_neo4j_is_down_and_answers_503() -> None:
    settings = _settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}")
    with TestClient(create_app(settings, backend="neo4j")) as client:
        started = time.monotonic()
        response = client.get("/v1/paths", params={"from": "a role", "to": "another"})
        assert time.monotonic() - started < 15
        assert response.status_code == 503
        assert response.headers["retry-after"] == "10"
        assert response.json()["error"] == "backend_unavailable"
        health = client.get("/v1/health")
        assert health.status_code == 503 and health.headers["retry-after"] == "10"
        body = health.json()
        assert (body["status"], body["backend"], body["reachable"]) == (
            "unavailable",
            "neo4j",
            False,
        )


def test_startup_freezes_a_store_the_app_opened(mini_release: OnetRelease) -> None:
    """After the title index is built at startup, an app that opened its store itself
    freezes the process's objects out of the garbage collector's reach (full collections
    over the Neo4j title index stopped the process for up to 0.3 s under load); a store
    handed in (tests) is left alone."""
    store = NetworkxStore()
    store.load(mini_release)
    frozen_before = gc.get_freeze_count()
    try:
        app_module._warm_title_index(store, freeze=False)
        assert gc.get_freeze_count() == frozen_before
        app_module._warm_title_index(store, freeze=True)
        index = store.title_index()
        assert gc.is_tracked(index) and gc.get_freeze_count() > frozen_before
        assert not any(o is index for o in gc.get_objects())  # in the permanent generation
        assert gc.isenabled()
    finally:
        gc.unfreeze()


class _ExplodingStore(NetworkxStore):
    def get_occupation_profile(self, code: str, limit: int = 10) -> OccupationProfile | None:
        raise RuntimeError("secret internal detail")


class _SlowStore(NetworkxStore):
    def get_occupation_profile(self, code: str, limit: int = 10) -> OccupationProfile | None:
        time.sleep(1.5)
        return super().get_occupation_profile(code, limit)


class _UnreachableStore(NetworkxStore):
    def loaded_release(self) -> str | None:
        raise BackendUnavailableError("Neo4j at bolt://nowhere is unreachable")


def _client(store: NetworkxStore, release: OnetRelease, **settings: object) -> TestClient:
    store.load(release)
    return TestClient(create_app(_settings(**settings), store=store), raise_server_exceptions=False)


def test_unexpected_error_is_500_json_without_trace(mini_release: OnetRelease) -> None:
    with _client(_ExplodingStore(), mini_release) as client:
        response = client.get("/v1/occupations/15-9901.00")
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "message": "internal server error",
        "query": None,
        "suggestions": [],
        "details": [],
    }
    assert "secret" not in response.text and "Traceback" not in response.text


def test_request_over_the_timeout_is_503(mini_release: OnetRelease) -> None:
    with _client(_SlowStore(), mini_release, query_timeout_s=0.3) as client:
        started = time.monotonic()
        response = client.get("/v1/occupations/15-9901.00")
        assert time.monotonic() - started < 1.2
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(careergraph.api.deps.DEADLINE_RETRY_AFTER_S)
    assert response.json()["error"] == "deadline_exceeded"
    assert "did not answer within 0.3 s" in response.json()["message"]


class _SlowRoutesStore(NetworkxStore):
    """Every route query takes 0.4 s of (sleeping) work."""

    def find_k_cheapest_paths(self, *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.4)
        return super().find_k_cheapest_paths(*args, **kwargs)


def test_overload_gives_quick_503s_not_long_waits(mini_release: OnetRelease) -> None:
    """One store call at a time, 0.4 s each, a 0.6 s deadline, 6 requests at once: the
    first answers, those that cannot start in time get 503 deadline_exceeded with
    Retry-After, and none waits much beyond the deadline."""
    settings = {"request_deadline_s": 0.6, "max_concurrent_queries": 1}
    route = {"from": "Data Wranglers", "to": "Analytics Architects", "relationship": "RELATED_TO"}
    with _client(_SlowRoutesStore(), mini_release, **settings) as client:
        assert client.app.state.graph.max_concurrent == 1  # type: ignore[attr-defined]

        def ask() -> tuple[int, float, Any, dict[str, Any]]:
            started = time.monotonic()
            response = client.get("/v1/paths", params=route)
            return (
                response.status_code,
                time.monotonic() - started,
                response.headers,
                response.json(),
            )

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: ask(), range(6)))
    statuses = sorted(status for status, _, _, _ in answers)
    assert statuses[0] == 200 and statuses[-1] == 503, statuses
    assert max(elapsed for _, elapsed, _, _ in answers) < 0.6 + 1.0
    for status, _, headers, body in answers:
        if status == 503:
            assert body["error"] == "deadline_exceeded"
            assert headers["retry-after"] == str(careergraph.api.deps.DEADLINE_RETRY_AFTER_S)


def test_default_deadline_and_concurrency_by_backend() -> None:
    assert Settings().request_deadline_s == 1.5
    access = careergraph.api.deps.GraphAccess(NetworkxStore(), 1.5)
    assert (
        access.max_concurrent == careergraph.api.deps.DEFAULT_MAX_CONCURRENT_QUERIES["memory"] == 1
    )


def test_unreachable_backend_is_503_everywhere(mini_release: OnetRelease) -> None:
    with _client(_UnreachableStore(), mini_release) as client:
        for url in ("/v1/titles?q=data", "/v1/occupations/15-9901.00", "/v1/gap?from=a&to=b"):
            response = client.get(url)
            assert response.status_code == 503, url
            assert response.json()["error"] == "backend_unavailable"
            assert response.headers["retry-after"] == "10"


def test_empty_graph_is_503_not_loaded() -> None:
    with TestClient(create_app(_settings(), store=NetworkxStore())) as client:
        response = client.get("/v1/paths", params={"from": "a", "to": "b"})
        assert response.status_code == 503 and response.json()["error"] == "not_loaded"
        health = client.get("/v1/health")
        assert health.status_code == 503 and health.json()["status"] == "empty"


def test_serve_command_runs_the_memory_backend(tmp_path: Path) -> None:
    env = {**os.environ, "CAREERGRAPH_ONET_DIR": str(FIXTURE_DIR), "CAREERGRAPH_BACKEND": "neo4j"}
    with serve("memory", env, tmp_path / "serve.log") as base_url:
        health = httpx.get(f"{base_url}/v1/health").json()
        assert (health["backend"], health["release"]) == ("memory", "99.1")
        answer = httpx.get(
            f"{base_url}/v1/paths", params={"from": "Data Wranglers", "to": "Analytics Architects"}
        )
        assert answer.status_code == 200, answer.text
        paths = answer.json()["paths"]
        assert paths and all(p["codes"][0] == "15-9901.00" for p in paths)
        assert all(p["codes"][-1] == "15-9904.00" for p in paths)


def test_serve_rejects_an_unknown_backend() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--backend", "sqlite"], env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "unknown backend 'sqlite'" in result.stderr
