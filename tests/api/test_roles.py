"""``GET /v1/roles``: the role page over HTTP, in OpenAPI with examples, errors as the other
routes give them, and the same answer from the memory app and a real Neo4j server."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

SEED = "Software Systems Engineer"


def test_role_answer_has_every_section(client: TestClient) -> None:
    response = client.get("/v1/roles", params={"title": SEED})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == "15-1252.00" and body["resolution"]["query"] == SEED
    assert [o["code"] for o in body["title_span"]["occupations"]] == [
        "15-1252.00",
        "15-1299.08",
        "15-1253.00",
    ]
    for section in ("tasks", "who_thrives", "education", "pay", "outlook", "related"):
        assert body[section], section
    assert body["next_steps"] and body["incoming"]
    assert body["attribution"]["release"] == "29.3"
    assert response.headers["etag"].startswith('W/"29.3-')


def test_role_errors(client: TestClient) -> None:
    unknown = client.get("/v1/roles", params={"title": "15-1252.07"})
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "unknown_occupation"
    assert unknown.json()["suggestions"][0]["code"].startswith("15-125")
    assert client.get("/v1/roles", params={"title": " "}).status_code == 422
    assert client.get("/v1/roles", params={"title": "x" * 201}).status_code == 422
    assert client.get("/v1/roles").status_code == 422


def test_roles_in_openapi_with_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/v1/roles"]["get"]
    assert operation["operationId"] == "get_role"
    parameter = next(p for p in operation["parameters"] if p["name"] == "title")
    assert parameter["examples"]["seed"]["value"] == SEED
    assert set(operation["responses"]) >= {"200", "404", "422", "503"}
    example = schema["components"]["schemas"]["RoleResponse"]["examples"][0]
    assert example["title_span"]["median_wage_usd"]["plain_mean"] == 114886.67


def test_roles_same_answer_on_both_backends(client: TestClient, neo4j_api: httpx.Client) -> None:
    for title in (SEED, "11-3021.00", "registered nurse"):
        memory = client.get("/v1/roles", params={"title": title})
        neo = neo4j_api.get("/v1/roles", params={"title": title})
        assert memory.status_code == neo.status_code == 200
        assert neo.json() == memory.json(), title
