"""Helpers of the API tests: free ports, a `careergraph serve` subprocess, a private Neo4j."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from careergraph.api.settings import PASSWORD_FILE_NAME, REPO_ROOT

FUNCTIONAL_DEADLINE_S = 30.0
"""Request deadline of the apps the API tests check answers and availability on: they test
what is answered, not how fast (the shipped 1.5 s deadline has its own tests in
test_app.py and tests/integration/test_deadlines.py), and must not fail on a busy machine
or a Neo4j that has just started (its first queries are slow)."""


FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "onet_mini"
NEO4J_SCRIPT = REPO_ROOT / "scripts" / "neo4j"
SEED_FROM, SEED_TO = "Software Systems Engineer", "Engineering Director"
ENDPOINTS = [
    "/v1/titles",
    "/v1/roles",
    "/v1/occupations/{code}",
    "/v1/occupations/{code}/related",
    "/v1/occupations/{code}/next-steps",
    "/v1/paths",
    "/v1/gap",
    "/v1/health",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def careergraph_command() -> list[str]:
    """The installed ``careergraph`` console script of this virtualenv."""
    script = Path(sys.executable).parent / "careergraph"
    assert script.exists(), f"careergraph console script missing at {script}"
    return [str(script)]


@contextmanager
def serve_in_thread(app: FastAPI, startup_s: float = 60.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port in a background thread (as
    ``careergraph serve`` would); yield its base URL, stop it afterwards."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_s
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve(
    backend: str, env: Mapping[str, str], log_path: Path, startup_s: float = 90.0
) -> Iterator[str]:
    """Run ``careergraph serve --backend BACKEND`` on a free port; yield its base URL.

    Waits until ``/v1/health`` answers (200 or 503); stops the server (SIGTERM, which runs
    the app's lifespan shutdown) afterwards. The server's output goes to ``log_path``.
    """
    port = free_port()
    command = [*careergraph_command(), "serve", "--port", str(port), "--backend", backend]
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, env=dict(env), stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT
        )
        try:
            deadline = time.monotonic() + startup_s
            while True:
                assert process.poll() is None, f"serve exited:\n{log_path.read_text()}"
                assert time.monotonic() < deadline, f"serve not up:\n{log_path.read_text()}"
                try:
                    httpx.get(f"{base_url}/v1/health", timeout=30)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class PrivateNeo4j:
    """A Neo4j server of the tests' own (tmp home, free ports), run by scripts/neo4j."""

    home: Path
    bolt_port: int
    http_port: int

    @property
    def env(self) -> dict[str, str]:
        """Environment for scripts/neo4j and for `careergraph serve` pointing at it."""
        return {
            **os.environ,
            "CAREERGRAPH_NEO4J_HOME": str(self.home),
            "NEO4J_BOLT_PORT": str(self.bolt_port),
            "NEO4J_HTTP_PORT": str(self.http_port),
            "NEO4J_HEAP_SIZE": "512m",
            "NEO4J_PAGECACHE_SIZE": "64m",
            "NEO4J_URI": f"bolt://127.0.0.1:{self.bolt_port}",
            "NEO4J_HTTP_URL": f"http://127.0.0.1:{self.http_port}",
        }

    @property
    def password(self) -> str:
        """The password of user neo4j: NEO4J_PASSWORD if set, else the random one
        ``scripts/neo4j install`` wrote to ``<home>/password``."""
        return os.environ.get("NEO4J_PASSWORD") or (
            (self.home / PASSWORD_FILE_NAME).read_text(encoding="utf-8").strip()
        )

    def reuse_installed_jars(self) -> None:
        """Link lib/ and plugins/ of the repository's own Neo4j install (``.neo4j``, which
        `scripts/test` starts first) into this home, so `scripts/neo4j` skips the ~20 s
        Maven install; without it, `scripts/neo4j start` installs from the Maven cache."""
        installed = REPO_ROOT / ".neo4j"
        marker = installed / ".installed"
        if not (marker.is_file() and (installed / "lib").is_dir()):
            return
        self.home.mkdir(parents=True, exist_ok=True)
        for folder in ("lib", "plugins"):
            (self.home / folder).symlink_to(installed / folder, target_is_directory=True)
        shutil.copyfile(marker, self.home / ".installed")

    def script(self, action: str, **extra_env: str) -> None:
        """``scripts/neo4j ACTION`` for this server (``extra_env``: e.g. a shorter
        ``NEO4J_STOP_TIMEOUT``); fails the test with the script's output."""
        done = subprocess.run(
            [str(NEO4J_SCRIPT), action],
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"scripts/neo4j {action}:\n{done.stdout}\n{done.stderr}"

    def remove(self) -> None:
        """Delete the server's folder (data, logs; linked jars stay where they are)."""
        shutil.rmtree(self.home, ignore_errors=True)
