"""What a user sees when careergraph cannot use Neo4j: one clear line from the CLI (exit 1,
no traceback, no driver log lines), and over HTTP a 503 that says what to do without any
internal address (``Retry-After`` only when waiting can help).

Cases: not running (fails within 5 s naming ``careergraph neo4j start``), wrong password,
the authentication rate limit, a missing database, a server that speaks no supported Bolt
version, and an HTTP port given as the Bolt address. The wrong-password cases run against a
private server of the tests' own (tests/api/conftest.py), so locking its user for a few
seconds disturbs nobody.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from fastapi.testclient import TestClient
from neo4j.exceptions import AuthError, ClientError
from typer.testing import CliRunner

from careergraph.api.app import create_app
from careergraph.api.cli import app
from careergraph.api.settings import Settings, get_settings

from .support import PrivateNeo4j, careergraph_command, free_port

AUTH_LOCK_S = 5.0
"""Neo4j's default ``dbms.security.auth_lock_time``: how long a user stays locked."""


def _cli(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*careergraph_command(), *extra, "path", "Data Wranglers", "Analytics Architects"],
        env={**env, "CAREERGRAPH_BACKEND": "neo4j", "COLUMNS": "80"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr  # no driver log lines, no wrapped message
    assert lines[0].startswith("error: ")
    return lines[0]


def _env(server: PrivateNeo4j | None = None, **extra: str) -> dict[str, str]:
    base = dict(server.env) if server is not None else dict(os.environ)
    return {**base, **extra}


def _api(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, backend="neo4j"), raise_server_exceptions=False)


def _assert_no_internals(text: str, *secrets: str) -> None:
    for internal in ("bolt://", "127.0.0.1", "neo4j_code", "Neo.ClientError", *secrets):
        assert internal not in text, internal


@pytest.fixture
def bolt_versionless_server() -> Iterator[int]:
    """A TCP server that answers the Bolt handshake with 'no version' (00 00 00 00), as a
    server with an unsupported protocol does; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(20)
                conn.sendall(b"\x00\x00\x00\x00")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_not_running_fails_fast_naming_the_start_command(tmp_path: Path) -> None:
    port = free_port()
    env = _env(NEO4J_URI=f"bolt://127.0.0.1:{port}", NEO4J_BOLT_PORT=str(port))
    env["CAREERGRAPH_CACHE_DIR"] = str(tmp_path / "cache")
    done = _cli(env)
    line = _one_error_line(done)
    assert f"Neo4j is not running at bolt://127.0.0.1:{port}" in line
    assert "start it with `careergraph neo4j start`" in line
    log = (tmp_path / "cache" / "logs" / "careergraph.log").read_text(encoding="utf-8")
    assert "Neo4j is not running" in log  # the log file has it too

    # The CLI's own time, without Python's start-up and imports (seconds on a loaded
    # machine, measured by bench/startup.py): no driver retries before it gives up.
    get_settings.cache_clear()
    started = time.monotonic()
    result = CliRunner().invoke(app, ["path", "a", "b", "--backend", "neo4j"], env=env)
    assert time.monotonic() - started < 5
    get_settings.cache_clear()
    assert result.exit_code == 1 and "careergraph neo4j start" in result.stderr

    verbose = _cli(env, "--verbose")
    assert verbose.returncode == 1
    assert len(verbose.stderr.splitlines()) > 1  # --verbose shows the driver's records
    assert "neo4j" in verbose.stderr.replace("Neo4j is not running", "")


def test_not_running_over_http_is_503_with_retry_after_and_no_address() -> None:
    settings = Settings().model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{free_port()}"})
    with _api(settings) as client:
        for url in ("/v1/paths?from=a&to=b", "/v1/health"):
            response = client.get(url)
            assert response.status_code == 503
            assert response.headers["retry-after"] == "10"
            _assert_no_internals(response.text)
        body = client.get("/v1/paths?from=a&to=b").json()
        assert body["error"] == "backend_unavailable"
        assert "try again" in body["message"]


def test_wrong_password(private_neo4j: PrivateNeo4j) -> None:
    line = _one_error_line(_cli(_env(private_neo4j, NEO4J_PASSWORD="not-the-password")))
    assert "Neo4j authentication failed for user 'neo4j'" in line
    assert "the password from NEO4J_PASSWORD is wrong" in line
    assert "not-the-password" not in line

    settings = Settings().model_copy(
        update={"neo4j_uri": private_neo4j.env["NEO4J_URI"], "neo4j_password": "wrong-one!"}
    )
    with _api(settings) as client:
        for url in ("/v1/paths?from=Data%20Wranglers&to=15-9904.00", "/v1/health"):
            response = client.get(url)
            assert response.status_code == 503, response.text
            assert "retry-after" not in response.headers  # waiting does not help
            _assert_no_internals(response.text, "wrong-one!")
        body = client.get("/v1/paths?from=a&to=b").json()
        assert body["error"] == "backend_misconfigured"
        assert "Neo4j settings" in body["message"]
    time.sleep(AUTH_LOCK_S + 1)  # a few failures in a row lock the user for a while


def test_authentication_rate_limit(private_neo4j: PrivateNeo4j) -> None:
    """Three wrong passwords in a row lock the user for a few seconds; what follows within
    them (CLI and API, in-process so nothing waits for a Python start-up) says so."""
    uri = private_neo4j.env["NEO4J_URI"]
    for _ in range(3):
        with (
            neo4j.GraphDatabase.driver(uri, auth=("neo4j", "not-the-password")) as driver,
            pytest.raises((AuthError, ClientError)),  # ClientError: already rate-limited
        ):
            driver.verify_connectivity()
    env = _env(private_neo4j, NEO4J_PASSWORD="not-the-password", COLUMNS="400")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["path", "a", "b", "--backend", "neo4j"], env=env)
    get_settings.cache_clear()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "too many wrong passwords in a row (authentication rate limit)" in result.stderr
    settings = Settings().model_copy(update={"neo4j_uri": uri, "neo4j_password": "still-wrong"})
    with _api(settings) as client:
        response = client.get("/v1/paths?from=a&to=b")
        assert response.status_code == 503 and "retry-after" not in response.headers
        assert response.json()["error"] == "backend_misconfigured"
        _assert_no_internals(response.text)
    time.sleep(AUTH_LOCK_S + 1)
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", private_neo4j.password)) as driver:
        driver.verify_connectivity()  # unlocked again


def test_missing_database(private_neo4j: PrivateNeo4j) -> None:
    line = _one_error_line(_cli(_env(private_neo4j, NEO4J_DATABASE="nosuchdb")))
    assert "has no database 'nosuchdb': set NEO4J_DATABASE" in line
    settings = Settings().model_copy(
        update={
            "neo4j_uri": private_neo4j.env["NEO4J_URI"],
            "neo4j_password": private_neo4j.password,
            "neo4j_database": "nosuchdb",
        }
    )
    with _api(settings) as client:
        response = client.get("/v1/paths?from=a&to=b")
        assert response.status_code == 503 and "retry-after" not in response.headers
        assert response.json()["error"] == "backend_misconfigured"
        _assert_no_internals(response.text, "nosuchdb")


def test_unsupported_bolt_version(bolt_versionless_server: int) -> None:
    port = bolt_versionless_server
    env = _env(NEO4J_URI=f"bolt://127.0.0.1:{port}", NEO4J_BOLT_PORT=str(port))
    line = _one_error_line(_cli(env))
    assert "does not speak a Bolt version this driver supports" in line
    assert "careergraph needs Neo4j 5" in line


def test_http_port_as_bolt_address(private_neo4j: PrivateNeo4j) -> None:
    port = private_neo4j.http_port
    env = _env(private_neo4j, NEO4J_URI=f"bolt://127.0.0.1:{port}", NEO4J_BOLT_PORT=str(port))
    line = _one_error_line(_cli(env))
    assert f"bolt://127.0.0.1:{port} is an HTTP port, not Neo4j's Bolt port" in line


def test_no_password_at_all(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    env["CAREERGRAPH_NEO4J_HOME"] = str(tmp_path / "no-install")
    line = _one_error_line(_cli(env))
    assert "no Neo4j password: set NEO4J_PASSWORD, or start the local server" in line
