"""Fixtures of the HTTP API tests: the app on the memory store (TestClient), the real
`careergraph serve` process on the shared Neo4j, and a private Neo4j for stop/start tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from careergraph.api.app import create_app
from careergraph.api.settings import Settings
from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.loaders.pipeline import read_release

from .support import FIXTURE_DIR, FUNCTIONAL_DEADLINE_S, PrivateNeo4j, free_port, serve


@pytest.fixture(scope="session")
def memory_app(memory_store: NetworkxStore) -> FastAPI:
    """The API serving the session's memory store (real O*NET 29.3)."""
    settings = Settings().model_copy(update={"request_deadline_s": FUNCTIONAL_DEADLINE_S})
    return create_app(settings, store=memory_store)


@pytest.fixture(scope="session")
def client(memory_app: FastAPI) -> Iterator[TestClient]:
    """TestClient of :func:`memory_app`, lifespan entered once per session."""
    with TestClient(memory_app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def neo4j_api(
    neo4j_store: Neo4jStore, neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """A real `careergraph serve --backend neo4j` process on the shared Neo4j (loaded with
    O*NET 29.3 by the `neo4j_store` fixture), as an httpx client."""
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_settings.neo4j_uri,
        "NEO4J_HTTP_URL": neo4j_settings.neo4j_http_url,
        "CAREERGRAPH_REQUEST_DEADLINE_S": str(FUNCTIONAL_DEADLINE_S),
    }
    log = tmp_path_factory.mktemp("serve") / "neo4j-serve.log"
    with serve("neo4j", env, log) as base_url, httpx.Client(base_url=base_url, timeout=60) as c:
        yield c


@pytest.fixture(scope="session")
def private_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateNeo4j]:
    """A Neo4j server of the API tests' own, so stopping it disturbs nobody: started by
    scripts/neo4j at a tmp home on free ports (jars linked from the repository's install,
    else installed from the Maven cache), loaded with the small fixture release (O*NET
    "99.1"), stopped and removed at the end."""
    bolt_port = free_port()
    http_port = free_port()
    while http_port == bolt_port:
        http_port = free_port()
    server = PrivateNeo4j(tmp_path_factory.mktemp("neo4j-home"), bolt_port, http_port)
    settings = Settings().model_copy(update={"onet_dir": FIXTURE_DIR})
    try:
        server.reuse_installed_jars()
        server.script("start")
        store = Neo4jStore(server.env["NEO4J_URI"], "neo4j", server.password)
        try:
            store.load(read_release(settings.release_sources()))  # as `careergraph load` does
        finally:
            store.close()
        yield server
    finally:
        server.script("stop", NEO4J_STOP_TIMEOUT="2")  # its data is deleted next: no need to wait
        server.remove()
