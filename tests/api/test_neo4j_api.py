"""The API on the real Neo4j: the seed question agrees with memory, the route Cypher draws
the route, and the service survives a Neo4j stop and start without being restarted."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import neo4j
from fastapi.testclient import TestClient

from careergraph.api.settings import Settings

from .support import FUNCTIONAL_DEADLINE_S, SEED_FROM, SEED_TO, PrivateNeo4j, serve

SEED = {"from": SEED_FROM, "to": SEED_TO}


def _route_parts(paths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("codes", "titles", "total_cost", "hops", "rank")
    return [{key: path[key] for key in keep} for path in paths]


def test_seed_question_same_routes_on_both_backends(
    client: TestClient, neo4j_api: httpx.Client
) -> None:
    memory = client.get("/v1/paths", params=SEED)
    neo = neo4j_api.get("/v1/paths", params=SEED)
    assert memory.status_code == neo.status_code == 200
    mem_body, neo_body = memory.json(), neo.json()
    assert mem_body["paths"], "the seed question has a route"
    assert neo_body["paths"][0]["codes"] == mem_body["paths"][0]["codes"]
    assert neo_body["paths"][0]["total_cost"] == mem_body["paths"][0]["total_cost"]
    assert _route_parts(neo_body["paths"]) == _route_parts(mem_body["paths"])
    assert neo_body["source"]["matches"] == mem_body["source"]["matches"]
    assert neo_body["target"]["matches"] == mem_body["target"]["matches"]


def test_route_statement_and_browser_link_draw_the_route(
    neo4j_api: httpx.Client, neo4j_settings: Settings
) -> None:
    path = neo4j_api.get("/v1/paths", params=SEED).json()["paths"][0]
    cypher = path["cypher"]
    shown = parse_qs(urlsplit(cypher["browser_url"]).query)["arg"][0]
    assert cypher["browser_url"].startswith(
        f"{neo4j_settings.neo4j_http_url}/browser/?cmd=edit&arg="
    )
    auth = (neo4j_settings.neo4j_user, neo4j_settings.neo4j_password)
    with neo4j.GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=auth) as driver:
        for statement, params in ((cypher["statement"], cypher["parameters"]), (shown, {})):
            records, _, _ = driver.execute_query(statement, params, routing_="r")
            assert [r["hop"] for r in records] == list(range(1, len(path["codes"])))
            for record, hop in zip(records, path["hops"], strict=True):
                route = record["route"]
                assert route.start_node["code"] == hop["from_code"]
                assert route.end_node["code"] == hop["to_code"]
                assert route.relationships[0].type == hop["relationship"]


def test_neo4j_stop_gives_503_and_start_recovers_without_restarting_the_api(
    private_neo4j: PrivateNeo4j, tmp_path: Path
) -> None:
    """Requests keep coming while the private Neo4j stops: each gets 200 or 503, never a
    500 or a hang; once it is down every request is a prompt 503 with Retry-After; once it
    is started again the very next request succeeds, on the same API process."""
    fixture_route = {"from": "Data Wranglers", "to": "Analytics Architects"}
    slow_ok = {**private_neo4j.env, "CAREERGRAPH_REQUEST_DEADLINE_S": str(FUNCTIONAL_DEADLINE_S)}
    with (
        serve("neo4j", slow_ok, tmp_path / "serve.log") as base_url,
        httpx.Client(base_url=base_url, timeout=60) as client,
    ):
        ok = client.get("/v1/paths", params=fixture_route)
        assert ok.status_code == 200, ok.text
        assert ok.json()["attribution"]["release"] == "99.1"

        statuses: list[int] = []
        stopped = threading.Event()

        def keep_asking() -> None:
            with httpx.Client(base_url=base_url, timeout=60) as hammer:
                for _ in range(500):  # bounded: ~1 request per 50 ms while Neo4j stops
                    statuses.append(hammer.get("/v1/paths", params=fixture_route).status_code)
                    if stopped.is_set() and 503 in statuses:
                        return
                    time.sleep(0.05)

        worker = threading.Thread(target=keep_asking)
        worker.start()
        private_neo4j.script("stop")
        stopped.set()
        worker.join(timeout=120)
        assert not worker.is_alive()
        assert set(statuses) <= {200, 503}, statuses
        assert 503 in statuses

        started = time.monotonic()
        down = client.get("/v1/paths", params=fixture_route)
        assert time.monotonic() - started < 15
        assert down.status_code == 503
        assert down.headers["retry-after"] == "10"
        assert down.json()["error"] == "backend_unavailable"
        health = client.get("/v1/health")
        assert health.status_code == 503 and health.json()["reachable"] is False

        private_neo4j.script("start")
        back = client.get("/v1/paths", params=fixture_route)
        assert back.status_code == 200, back.text
        assert back.json()["paths"] == ok.json()["paths"]
        health = client.get("/v1/health")
        assert health.status_code == 200 and health.json()["reachable"] is True
