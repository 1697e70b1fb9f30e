"""docker-compose.yml and the Dockerfile stay in step with scripts/neo4j (no Docker engine
here to run them: these checks read the files; docs/neo4j.md, "Docker")."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .support import REPO_ROOT

SCRIPT = (REPO_ROOT / "scripts" / "neo4j").read_text(encoding="utf-8")


def _script_value(name: str) -> str:
    match = re.search(rf"^readonly {name}=(\S+)", SCRIPT, re.MULTILINE)
    assert match, name
    return match.group(1)


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    return data


def test_neo4j_service_is_pinned_locked_down_and_sized() -> None:
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"] == f"neo4j:{_script_value('NEO4J_VERSION')}-community"
    env = neo4j["environment"]
    assert "NEO4J_AUTH" not in env and env["NEO4J_AUTH_FILE"] == "/run/secrets/neo4j_auth"
    assert env["NEO4J_dbms_security_procedures_allowlist"] == _script_value("APOC_ALLOWLIST")
    assert env["NEO4J_dbms_security_http__access__control__allow__origin"].startswith(
        "http://127.0.0.1:"
    )
    assert env["NEO4J_dbms_security_allow__csv__import__from__file__urls"] == "false"
    assert env["NEO4J_server_memory_heap_initial__size"] == "3G"
    assert env["NEO4J_server_memory_heap_max__size"] == "3G"
    assert "healthcheck" in neo4j


def test_api_service_is_built_here_and_waits_for_neo4j() -> None:
    services = _compose()["services"]
    api = services["api"]
    assert api["build"] == "."
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["NEO4J_AUTH_FILE"] == "/run/secrets/neo4j_auth"
    assert "healthcheck" in api
    ports = [p for service in services.values() for p in service.get("ports", [])]
    assert ports and all(p.startswith("127.0.0.1:") for p in ports)  # host loopback only


def test_dockerfile_copies_what_the_app_reads_and_drops_root() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    for folder in ("src", "api", "graph", "loaders", "cypher"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert re.search(r"^USER careergraph$", dockerfile, re.MULTILINE)
    assert '"--host", "0.0.0.0", "--port", "8000"' in dockerfile
    ignored = (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".secrets", ".neo4j", ".venv", ".cache"} <= set(ignored)
