"""Shared pieces of the benchmarks: machine facts, latency statistics, Markdown tables,
JSON results, the O*NET release and the two backends.

Every benchmark builds a :class:`Report`, adds tables to it (printed as they come) and
saves it as ``bench/results/<name>.json`` with the machine, the load average before and
after, the parameters and every table, so a result file is self-describing.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import pickle
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

import httpx
import numpy as np

from careergraph.api.settings import REPO_ROOT, Settings
from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.backends.snapshot import (
    load_authenticated_pickle,
    read_install_key,
    snapshot_key,
    write_authenticated,
)
from careergraph.graph.model import OnetRelease
from careergraph.loaders.pipeline import read_release

RESULTS_DIR = REPO_ROOT / "bench" / "results"
T = TypeVar("T")

PACKAGES = ("careergraph", "networkx", "neo4j", "rapidfuzz", "numpy", "scipy", "pydantic")


# -- machine ---------------------------------------------------------------------------
def cpu_model() -> str:
    """CPU model name from ``/proc/cpuinfo`` (``platform.processor()`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    """Total RAM in GiB from ``/proc/meminfo``, or None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (``os.getloadavg``)."""
    return [round(x, 2) for x in os.getloadavg()]


def git_revision() -> str:
    """``git describe --always --dirty`` of the repository, or ``unknown``."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine_info() -> dict[str, Any]:
    """The facts a result depends on: cores, CPU, RAM, Python, package versions, commit."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_gib": memory_gib(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "git": git_revision(),
    }


def wait_for_quiet_machine(
    max_load: float, max_wait_s: float, poll_s: float = 15.0
) -> dict[str, Any]:
    """Wait (bounded) until the 1-minute load average is below ``max_load``.

    Other developers' test runs share this machine; timings taken while it is busy are
    slower. Returns what happened: load before and after, seconds waited, and whether
    the machine was quiet when the wait ended (the run goes ahead either way).
    """
    before = load_average()
    started = time.monotonic()
    while os.getloadavg()[0] >= max_load and time.monotonic() - started < max_wait_s:
        time.sleep(poll_s)
    after = load_average()
    return {
        "load_before": before,
        "load_after": after,
        "waited_s": round(time.monotonic() - started, 1),
        "quiet": after[0] < max_load,
        "max_load": max_load,
    }


# -- statistics and tables -------------------------------------------------------------
def latency_summary(samples_s: Sequence[float]) -> dict[str, float]:
    """n, p50, p95, p99, mean and max of latencies given in seconds, reported in ms
    (percentiles by linear interpolation, numpy's default)."""
    if not samples_s:
        return {"n": 0}
    ms = np.asarray(samples_s, dtype=float) * 1e3
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return {
        "n": len(ms),
        "p50_ms": round(float(p50), 3),
        "p95_ms": round(float(p95), 3),
        "p99_ms": round(float(p99), 3),
        "mean_ms": round(float(ms.mean()), 3),
        "max_ms": round(float(ms.max()), 3),
    }


def fmt(value: float | int | None, digits: int = 1) -> str:
    """A number for a table: thousands separators, ``digits`` decimals, ``-`` for None."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub Markdown table; the first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    align = [":---"] + ["---:"] * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


class Report:
    """The printed tables and the JSON result of one benchmark.

    Parameters
    ----------
    name
        Result file stem: ``bench/results/<name>.json``.
    parameters
        What the run was asked to do (sizes, seeds, repetitions); saved verbatim.
    """

    def __init__(self, name: str, parameters: dict[str, Any]) -> None:
        self.name = name
        self.parameters = parameters
        self.tables: list[dict[str, str]] = []
        self.results: dict[str, Any] = {}
        self.notes: list[str] = []
        self.started = time.perf_counter()
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.load_at_start = load_average()
        print(f"== {name}: {json.dumps(parameters)}  (load average {self.load_at_start})")

    def table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Print a titled Markdown table and keep it for the JSON file."""
        text = markdown_table(headers, rows)
        self.tables.append({"title": title, "markdown": text})
        print(f"\n### {title}\n\n{text}\n", flush=True)

    def block(self, title: str, text: str) -> None:
        """Print a titled preformatted block (e.g. a profile) and keep it."""
        self.tables.append({"title": title, "markdown": f"```\n{text}\n```"})
        print(f"\n### {title}\n\n```\n{text}\n```\n", flush=True)

    def note(self, text: str) -> None:
        """Print and keep a remark (e.g. a capped measurement)."""
        self.notes.append(text)
        print(f"note: {text}", flush=True)

    def save(self) -> Path:
        """Write ``bench/results/<name>.json`` (atomically) and return its path."""
        payload = {
            "benchmark": self.name,
            "started_at": self.started_at,
            "duration_s": round(time.perf_counter() - self.started, 1),
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "machine": machine_info(),
            "load_average": {"start": self.load_at_start, "end": load_average()},
            "parameters": self.parameters,
            "results": self.results,
            "notes": self.notes,
            "tables": self.tables,
        }
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{self.name}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        print(f"wrote {path.relative_to(REPO_ROOT)} ({payload['duration_s']} s)")
        return path


def argument_parser(doc: str | None, *, neo4j: bool = True) -> argparse.ArgumentParser:
    """A benchmark's command line: described by its docstring's first line, with
    ``--seed`` (default 6) and, for benchmarks that also query Neo4j, ``--no-neo4j``."""
    parser = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    if neo4j:
        parser.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j backend")
    return parser


def profile_text(fn: Callable[[], object], lines: int = 30) -> str:
    """Run ``fn`` under pyinstrument (0.5 ms sampling) and return the top ``lines`` of its
    call tree as plain text: where the time goes."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        fn()
    finally:
        profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    body = [ln for ln in text.splitlines() if ln.strip()][4:]  # drop the banner
    return "\n".join(body[:lines])


class GcPauses:
    """Context manager adding up the time the cyclic garbage collector runs inside it
    (``gc.callbacks``), seconds in ``total_s``; ``collections`` counts the runs."""

    def __init__(self) -> None:
        self.total_s = 0.0
        self.collections = 0
        self._started: float | None = None

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.total_s += time.perf_counter() - self._started
            self.collections += 1
            self._started = None

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once; return (wall seconds, its result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# -- data and backends -----------------------------------------------------------------
def release_sources(settings: Settings) -> list[Path | None]:
    """The inputs ``careergraph`` builds the graph from (:class:`loaders.pipeline.
    ReleaseSources`: O*NET, BLS, Career Changers, transitions, O*NET SOC 2010)."""
    return settings.release_sources().paths()


def _release_cache(settings: Settings) -> tuple[Path, str]:
    key = snapshot_key(release_sources(settings))
    return settings.cache_dir / "bench" / f"release-{key[:24]}.snapshot", key


def read_and_cache_release(settings: Settings) -> tuple[float, OnetRelease]:
    """Read the full release as ``careergraph load`` does (:func:`loaders.pipeline.
    read_release`: O*NET 29.3 + BLS + Career Changers + observed moves + derived edges) and
    cache it for :func:`bench_release`; returns (seconds the read took, the release)."""
    read_s, release = timed(lambda: read_release(settings.release_sources()))
    path, key = _release_cache(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in (*path.parent.glob("release-*.pickle"), *path.parent.glob("release-*.snapshot")):
        old.unlink(missing_ok=True)
    body = pickle.dumps(release, protocol=5)
    write_authenticated(path, body, read_install_key(settings.snapshot_key_file), {"key": key})
    return read_s, release


def bench_release(settings: Settings) -> OnetRelease:
    """The full release, from the pickle :func:`read_and_cache_release` left in
    ``<cache>/bench/`` under the snapshot key of its inputs (~2 s instead of ~8 s), or
    read afresh (and cached) when there is none for the current inputs. The file is
    authenticated like the memory snapshot (HMAC under the install key) before it is
    unpickled."""
    path, key = _release_cache(settings)
    secret = read_install_key(settings.snapshot_key_file)
    release = load_authenticated_pickle(path, key, secret, "cached bench release")
    if isinstance(release, OnetRelease):
        return release
    return read_and_cache_release(settings)[1]


def memory_store(release: OnetRelease) -> NetworkxStore:
    """A memory store freshly loaded with ``release``."""
    store = NetworkxStore()
    store.load(release)
    return store


def neo4j_store(settings: Settings) -> Neo4jStore:
    """The Neo4j backend at ``NEO4J_URI`` (settings), checked to answer.

    Raises
    ------
    BackendUnavailableError
        The server is not reachable (start it: ``scripts/neo4j start``).
    """
    store = Neo4jStore(
        settings.neo4j_uri,
        settings.neo4j_user,
        settings.neo4j_password,
        settings.neo4j_database,
        query_timeout_s=120.0,
    )
    store.verify()
    return store


def loaded_neo4j_store(
    settings: Settings, release: OnetRelease, expected: NetworkxStore
) -> Neo4jStore:
    """:func:`neo4j_store`, loaded with ``release`` unless it already holds the same graph
    (same release and the same counts as the memory store ``expected``)."""
    store = neo4j_store(settings)
    if store.loaded_release() != release.release or store.counts() != expected.counts():
        print(f"loading O*NET {release.release} into Neo4j at {store.uri} ...", flush=True)
        store.load(release)
    return store


def move_codes(release: OnetRelease) -> tuple[list[str], list[str]]:
    """Codes with an outgoing and with an incoming ``LEADS_TO`` move, sorted."""
    sources = sorted({m.code for m in release.career.moves})
    targets = sorted({m.next_code for m in release.career.moves})
    return sources, targets


def occupation_pairs(release: OnetRelease, n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` distinct random (source, target) pairs, source != target, drawn with
    ``random.Random(seed)`` among occupations with ``LEADS_TO`` moves (out of the source,
    into the target)."""
    sources, targets = move_codes(release)
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(pairs) < n:
        pair = (rng.choice(sources), rng.choice(targets))
        if pair[0] != pair[1] and pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    return pairs


# -- the HTTP server -----------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """``careergraph serve`` in a child process on a free port of 127.0.0.1.

    Parameters
    ----------
    backend
        ``memory`` or ``neo4j``.
    env
        Extra environment variables (e.g. ``CAREERGRAPH_CACHE_DIR``).
    workers
        ``--workers`` of ``careergraph serve`` (None: its default, one per CPU).

    Attributes
    ----------
    started
        ``time.perf_counter()`` just before the process was spawned.
    """

    def __init__(
        self, backend: str, env: dict[str, str] | None = None, workers: int | None = None
    ) -> None:
        self.backend = backend
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        command = [
            str(Path(sys.executable).with_name("careergraph")),
            "serve",
            "--backend",
            backend,
            "--port",
            str(self.port),
            *(["--workers", str(workers)] if workers else []),
        ]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            env=dict(os.environ, **(env or {})),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
        )
        self.max_rss_mb: float | None = None

    def wait_for(self, path: str, timeout_s: float = 180.0) -> float:
        """Poll ``GET path`` every 20 ms until it answers 200; returns the seconds from
        spawning the process to that answer.

        Raises
        ------
        RuntimeError
            The server exited or did not answer 200 within ``timeout_s``.
        """
        deadline = time.perf_counter() + timeout_s
        with httpx.Client(base_url=self.base_url, timeout=30.0) as client:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited: {self.output()[-3000:]}")
                try:
                    if client.get(path).status_code == 200:
                        return time.perf_counter() - self.started
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
        raise RuntimeError(f"no 200 from {path} within {timeout_s} s: {self.output()[-3000:]}")

    def pids(self) -> list[int]:
        """The server's process ids: the ``serve`` process and every process below it
        (uvicorn's workers, its multiprocessing resource tracker)."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    todo += [int(p) for p in task.read_text().split()]
        return found

    @staticmethod
    def _status_mb(pid: int, field: str) -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def peak_rss_mb(self) -> float:
        """Largest peak resident set size (``VmHWM``) of any one server process, MB (the
        figure per worker)."""
        return max(self._status_mb(pid, "VmHWM") for pid in self.pids())

    def rss_mb(self) -> dict[int, float]:
        """Resident set size (``VmRSS``) of each server process now, MB, by pid."""
        return {pid: self._status_mb(pid, "VmRSS") for pid in self.pids()}

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server's processes have used so far, seconds."""
        total = 0.0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def output(self) -> str:
        """What the server printed so far."""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        """SIGTERM, wait (SIGKILL after 30 s); records ``max_rss_mb`` from ``wait4``."""
        if self.process.returncode is None:
            self.process.terminate()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                pid, _, usage = os.wait4(self.process.pid, os.WNOHANG)
                if pid:
                    self.process.returncode = 0
                    self.max_rss_mb = usage.ru_maxrss / 1024
                    break
                time.sleep(0.05)
            else:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
