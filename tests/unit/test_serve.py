"""``careergraph serve``: how many workers it runs and how it starts them (uvicorn is
replaced by a recorder: these tests check the command, not a server)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
import uvicorn.supervisors.multiprocess
from fastapi import FastAPI
from typer.testing import CliRunner, Result

from careergraph.api import cli, deps
from careergraph.api.cli import app, default_workers
from careergraph.api.deps import MALLOC_TRIM_EVERY, GraphAccess, malloc_trim, open_api_store
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.model import GraphCounts
from careergraph.graph.store import GraphStore

from .support import FIXTURE_DIR


class Recorder:
    """Stands in for ``uvicorn.run`` (one worker) and uvicorn's ``Multiprocess``."""

    def __init__(self) -> None:
        self.single: list[dict[str, Any]] = []
        self.multi: list[tuple[uvicorn.Config, list[socket.socket]]] = []
        self.start_methods: list[str] = []

    def run(self, app: object, **options: Any) -> None:
        self.single.append({"app": app, **options})

    def multiprocess(self, config: uvicorn.Config, sockets: list[socket.socket]) -> Any:
        recorder = self

        class Supervisor:
            def run(self) -> None:
                recorder.multi.append((config, sockets))
                made = vars(uvicorn.supervisors.multiprocess)["get_subprocess"]
                process = made(config, lambda sockets: None, sockets)
                recorder.start_methods.append(process._start_method or "")

        return Supervisor()


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder()
    monkeypatch.setattr(uvicorn, "run", rec.run)
    monkeypatch.setattr(uvicorn.supervisors.multiprocess, "Multiprocess", rec.multiprocess)
    monkeypatch.setenv("CAREERGRAPH_BACKEND", "memory")  # restored after the test
    return rec


def _serve(tmp_path: Path, *args: str) -> Result:
    env = {
        "CAREERGRAPH_ONET_DIR": str(FIXTURE_DIR),
        "CAREERGRAPH_BACKEND": "memory",
        "CAREERGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "CAREERGRAPH_CONFIG_DIR": str(tmp_path / "config"),
        "NO_COLOR": "1",
    }
    with socket.socket() as probe:  # a port free right now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return CliRunner().invoke(app, ["serve", "--port", str(port), *args], env=env)


READERS = (
    "careergraph.loaders.pipeline",
    "careergraph.loaders.onet",
    "careergraph.loaders.bls",
    "careergraph.loaders.transitions",
    "careergraph.graph.career_moves",
    "careergraph.graph.move_model",
    "careergraph.graph.kinship",
)
"""Modules that read and derive a release: a server restoring its snapshot needs none."""
FIRST_USE = ("jinja2", "rapidfuzz", "rich")
"""Imported by the first web page, the first fuzzy title search and the first rich
output (tables, progress), not at start."""


def test_a_server_restoring_its_graph_imports_no_release_reader(tmp_path: Path) -> None:
    """What ``careergraph serve`` imports before it restores the snapshot (the CLI, the
    app, the settings and the snapshot's key) leaves the readers out (~0.1 s of imports),
    and the page templates and fuzzy matching until they are used."""
    code = (
        "import sys, careergraph.api.cli, careergraph.api.app\n"
        "from careergraph.api.deps import memory_graph_sources\n"
        "from careergraph.api.settings import get_settings\n"
        "assert memory_graph_sources(get_settings())[0] is not None\n"
        "print(' '.join(sys.modules))\n"
    )
    env = dict(os.environ, CAREERGRAPH_ONET_DIR=str(FIXTURE_DIR))
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    imported = set(run.stdout.split())
    assert "careergraph.api.settings" in imported
    assert [m for m in READERS if m in imported] == []
    assert [m for m in FIRST_USE if m in imported] == []


def test_default_is_one_worker_per_cpu() -> None:
    assert default_workers() == len(os.sched_getaffinity(0))


def test_one_worker_serves_the_store_in_process(
    recorder: Recorder, tmp_path: Path, fresh_settings: None
) -> None:
    result = _serve(tmp_path, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "1 worker)" in result.stderr
    assert len(recorder.single) == 1 and not recorder.multi
    assert recorder.single[0]["host"] == "127.0.0.1"


def test_several_workers_are_forked_from_the_process_holding_the_graph(
    recorder: Recorder, tmp_path: Path, fresh_settings: None
) -> None:
    spawned = vars(uvicorn.supervisors.multiprocess)["get_subprocess"]
    result = _serve(tmp_path, "--workers", "3")
    assert result.exit_code == 0, result.output
    assert "3 workers)" in result.stderr
    assert not recorder.single and len(recorder.multi) == 1
    config, sockets = recorder.multi[0]
    # the app with its opened graph, not a factory each worker would import and restore
    assert config.workers == 3 and not config.factory and isinstance(config.app, FastAPI)
    assert recorder.start_methods == ["fork"]
    assert vars(uvicorn.supervisors.multiprocess)["get_subprocess"] is spawned  # put back
    assert config.timeout_worker_healthcheck >= 60
    # the listening socket is declared TCP, so accepted connections get TCP_NODELAY
    (listening,) = sockets
    try:
        assert listening.proto == socket.IPPROTO_TCP
        assert listening.getsockname()[0] == "127.0.0.1"
    finally:
        listening.close()
    # the parent built the graph once and left a snapshot for later starts
    assert list((tmp_path / "cache" / "snapshots").glob("*.snapshot"))


def test_a_first_run_serves_the_restored_graph_not_the_built_one(
    recorder: Recorder, tmp_path: Path, fresh_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No snapshot yet: a forked child builds the graph and writes the snapshot, and the
    serving process restores it (as a later start would) without building anything."""
    built_here: list[int] = []
    load = NetworkxStore.load

    def recording_load(self: NetworkxStore, *args: Any, **kwargs: Any) -> GraphCounts:
        built_here.append(os.getpid())  # a list of the child's own memory when forked
        return load(self, *args, **kwargs)

    opened: list[GraphStore] = []

    def recording_open(*args: Any, **kwargs: Any) -> GraphStore:
        opened.append(open_api_store(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(NetworkxStore, "load", recording_load)
    monkeypatch.setattr(deps, "open_api_store", recording_open)
    result = _serve(tmp_path, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "cache" / "snapshots").glob("*.snapshot"))
    assert built_here == []  # not in this process
    assert len(opened) == 1 and opened[0].loaded_release() == "99.1"
    assert len(recorder.single) == 1


def test_default_worker_count_comes_from_the_cpus(
    recorder: Recorder, tmp_path: Path, fresh_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "default_workers", lambda: 2)
    result = _serve(tmp_path)
    assert result.exit_code == 0, result.output
    assert recorder.multi[0][0].workers == 2
    recorder.multi[0][1][0].close()


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_bad_worker_count_is_refused(recorder: Recorder, tmp_path: Path, value: str) -> None:
    result = _serve(tmp_path, "--workers", value)
    assert result.exit_code == 2
    assert "--workers" in result.output
    assert not recorder.single and not recorder.multi


def test_forked_workers_answer_and_stop_with_the_server(tmp_path: Path) -> None:
    """A real ``careergraph serve --workers 2`` on the fixture release: both forked workers
    answer on the one port, and SIGTERM to the server ends every process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(
        os.environ,
        CAREERGRAPH_ONET_DIR=str(FIXTURE_DIR),
        CAREERGRAPH_BACKEND="memory",
        CAREERGRAPH_CACHE_DIR=str(tmp_path / "cache"),
        CAREERGRAPH_CONFIG_DIR=str(tmp_path / "config"),
        NO_COLOR="1",
    )
    command = [str(Path(sys.executable).with_name("careergraph")), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        status = 0
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while time.monotonic() < deadline and status != 200:
                try:
                    status = client.get("/v1/titles", params={"q": "data"}).status_code
                except httpx.TransportError:
                    time.sleep(0.1)
        assert status == 200, "no answer within 60 s"
        workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(workers) == 2
        # 16 keep-alive connections are spread over both workers (one socket each), not
        # all taken by one of them
        holders = _connection_holders(port, workers, 16)
        assert sum(holders.values()) == 16
        assert all(holders[pid] > 0 for pid in workers), holders
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr.decode()
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def _connection_holders(port: int, pids: list[str], count: int) -> dict[str, int]:
    """Open ``count`` connections to ``127.0.0.1:port``, get one answer on each, and
    count the server ends each of ``pids`` holds (``/proc/net/tcp`` socket inodes matched
    with each process's descriptors)."""
    connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    try:
        for connection in connections:
            connection.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for connection in connections:
            assert connection.recv(65536).startswith(b"HTTP/1.1 200")
        client_ports = {connection.getsockname()[1] for connection in connections}
        inodes = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if (
                int(local.split(":")[1], 16) == port
                and int(remote.split(":")[1], 16) in client_ports
            ):
                inodes.add(f"socket:[{inode}]")
        holders = dict.fromkeys(pids, 0)
        for pid in pids:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    holders[pid] += os.readlink(fd) in inodes
        return holders
    finally:
        for connection in connections:
            connection.close()


def test_a_memory_api_gives_freed_memory_back_now_and_then(mini_store: NetworkxStore) -> None:
    assert malloc_trim() is not None  # glibc (Linux)
    access = GraphAccess(mini_store, 5.0)
    trims: list[int] = []
    access._trim = lambda: trims.append(1)

    async def ask(n: int) -> None:
        for i in range(n):
            await access.run_json(("q", i), lambda store: GraphCounts(nodes={}, relationships={}))
        for i in range(n):  # answered from the kept answers: nothing computed
            await access.run_json(("q", i), lambda store: GraphCounts(nodes={}, relationships={}))

    anyio.run(ask, 2 * MALLOC_TRIM_EVERY + 1)
    assert len(trims) == 2
