"""Start-up and memory of the memory backend: cold (from the O*NET files) and warm (from
the snapshot the project writes, ``graph/backends/snapshot.py``).

Run:  .venv/bin/python -m bench.startup [--cold 2] [--warm 3]

* **server**: ``careergraph serve --backend memory`` is spawned and ``GET
  /v1/paths?from=Software Systems Engineer&to=Engineering Director`` polled every 20 ms;
  the time is from spawning the process to the first 200 answer. Warm starts are timed
  twice: one worker (``--workers 1``) and the default server (one worker per CPU, forked
  from the process that restored the graph). Cold runs use a new,
  empty ``CAREERGRAPH_CACHE_DIR`` (the run reads the release, builds the store and writes
  the snapshot, all before it answers); warm runs reuse the cache a cold run left.
  Peak RSS is the largest ``VmHWM`` of the server's processes after its first answer (on a
  cold start the graph is built in a forked child that has exited by then: its peak is in
  the server's log, "built in a child process"); server CPU is the user + system time
  of the server's processes until then (less noisy than the wall time on a busy machine).
* **CLI**: ``careergraph path "Software Systems Engineer" "Engineering Director"``, from
  spawning to exit (so it includes freeing the graph at exit), with its peak RSS.
* **what a warm start spends its time on**: importing the app, restoring the snapshot and
  answering the first query, each measured on its own in a fresh process (imported as the
  ``careergraph`` command imports, with the garbage collector paused: ``api/console.py``);
  and ``serve``'s own path in the same processes: starting the interpreter (``python -c
  pass``), importing what ``serve`` imports besides the app (the CLI, uvicorn), restoring as
  ``serve`` does
  (:func:`api.deps.restore_memory_graph`), making the app and answering the first
  ``/v1/paths`` request through it in process (ASGI: FastAPI's first-request set-up
  included, no socket). What the server rows take beyond that sum is uvicorn's start,
  forking the workers, the loopback request and the 20 ms polling.

The O*NET files are in the OS file cache in every run (they were read before). The
package's bytecode is compiled first (``compileall``, as ``pip install`` does for a
wheel): where ``PYTHONDONTWRITEBYTECODE`` is set (this workspace, the Dockerfile) an
editable install otherwise compiles every careergraph module at each start, ~0.1-0.15 s
(``--no-compile`` measures that).
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from bench.common import Report, ServerProcess, argument_parser, fmt
from careergraph.api.cli import default_workers
from careergraph.api.settings import REPO_ROOT

SOURCE, TARGET = "Software Systems Engineer", "Engineering Director"
FIRST_PATH = "/v1/paths?" + urlencode({"from": SOURCE, "to": TARGET})

_PARTS_SCRIPT = """
import time
t0 = time.perf_counter()
from careergraph.graph.collector import collector_paused, freeze_long_lived
with collector_paused():  # as the `careergraph` command imports (api/console.py)
    import careergraph.api.app  # what `careergraph serve` imports
    from careergraph.api.deps import restore_memory_graph
    from careergraph.api.settings import get_settings
    from careergraph.graph.service import find_career_paths
    t1 = time.perf_counter()
    import careergraph.api.cli, uvicorn  # the rest of what `serve` imports
    freeze_long_lived(collect_first=False)
t2 = time.perf_counter()
settings = get_settings()
store = restore_memory_graph(settings)  # as `careergraph serve`: restored, then frozen
assert store is not None, "no snapshot"
t3 = time.perf_counter()
find_career_paths(store, {source!r}, {target!r})
t4 = time.perf_counter()
import asyncio, httpx
from careergraph.api.app import create_app
store = restore_memory_graph(settings)  # again: a fresh store, no answer kept
t5 = time.perf_counter()
app = create_app(settings, backend="memory", store=store)
t6 = time.perf_counter()
async def ask():
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://serve") as client:
            started = time.perf_counter()
            answer = await client.get({path!r})
            assert answer.status_code == 200, answer.status_code
            return time.perf_counter() - started
t7 = asyncio.run(ask())
print(t1 - t0, t3 - t2, t4 - t3, t2 - t1, t6 - t5, t7)
import os
os._exit(0)
"""
"""Prints, in seconds: importing the app, restoring, the first query (the three parts kept
since the first runs), then importing the CLI and uvicorn, making the app, and the first
``/v1/paths`` request through the app (on a second restored store: no answer kept)."""


def compile_bytecode() -> list[str]:
    """Compile careergraph's modules to bytecode beside them (``compileall``, quiet), as a
    wheel install does; returns the folders compiled."""
    folders = []
    for name in ("careergraph", "careergraph.api", "careergraph.graph", "careergraph.loaders"):
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(folder, quiet=1)
            folders.append(folder)
    return folders


def python_start(env: dict[str, str]) -> float:
    """Seconds to start and end the interpreter (``python -c pass``) in ``env``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - start


def run_cli(env: dict[str, str]) -> tuple[float, float, float]:
    """``careergraph path SOURCE TARGET``: (seconds from spawn to exit, peak RSS MB, CPU
    seconds)."""
    command = [str(Path(sys.executable).with_name("careergraph")), "path", SOURCE, TARGET]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO_ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"careergraph path exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def run_server(env: dict[str, str], workers: int | None = 1) -> tuple[float, float, float]:
    """``careergraph serve --workers N`` (None: its default) until the first path answer:
    (seconds, peak RSS MB of any one of its processes, CPU seconds of its processes)."""
    with ServerProcess("memory", env, workers=workers) as server:
        seconds = server.wait_for(FIRST_PATH)
        return seconds, server.peak_rss_mb(), server.cpu_seconds()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the start-up benchmark; print the tables; write ``bench/results/startup.json``."""
    parser = argument_parser(__doc__, neo4j=False)
    parser.add_argument("--cold", type=int, default=2, help="cold server starts")
    parser.add_argument("--warm", type=int, default=3, help="warm server starts")
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="do not compile careergraph's bytecode first (measure the modules as found)",
    )
    args = parser.parse_args(argv)
    compiled = [] if args.no_compile else compile_bytecode()
    report = Report(
        "startup",
        {
            "cold": args.cold,
            "warm": args.warm,
            "first_query": FIRST_PATH,
            "poll_ms": 20,
            "bytecode": "compiled first" if compiled else "as found",
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
        },
    )
    runs: dict[str, list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="cg-bench-startup-") as tmp:
        warm_cache = Path(tmp) / "warm-cache"
        env = dict(os.environ, CAREERGRAPH_BACKEND="memory")
        for i in range(args.cold):
            cache = warm_cache if i == args.cold - 1 else Path(tmp) / f"cold-{i}"
            runs.setdefault("server, cold (O*NET files, writes the snapshot)", []).append(
                run_server(dict(env, CAREERGRAPH_CACHE_DIR=str(cache)), None)
            )
        snapshot = next((warm_cache / "snapshots").glob("memory-*.snapshot"))
        report.results["snapshot_mb"] = round(snapshot.stat().st_size / 1e6, 1)
        warm_env = dict(env, CAREERGRAPH_CACHE_DIR=str(warm_cache))
        servers = {
            "server, warm (snapshot), --workers 1": 1,
            f"server, warm (snapshot), default ({default_workers()} workers)": None,
        }
        for _ in range(args.warm):
            for name, workers in servers.items():
                for attempt in range(2):
                    before = set((warm_cache / "snapshots").iterdir())
                    run = run_server(warm_env, workers)
                    if set((warm_cache / "snapshots").iterdir()) == before:
                        break
                    # a new snapshot was written: a source or code file changed meanwhile
                    report.note(f"warm run {attempt + 1} was a cache miss ({run[0]:.1f} s); again")
                runs.setdefault(name, []).append(run)
        runs["CLI `careergraph path`, cold (to exit)"] = [
            run_cli(dict(env, CAREERGRAPH_CACHE_DIR=str(Path(tmp) / "cli-cold")))
        ]
        runs["CLI `careergraph path`, warm (to exit)"] = [
            run_cli(warm_env) for _ in range(args.warm)
        ]
        parts: list[list[float]] = []
        script = _PARTS_SCRIPT.format(source=SOURCE, target=TARGET, path=FIRST_PATH)
        starts = [python_start(warm_env) for _ in range(args.warm)]
        for _ in range(args.warm):
            out = subprocess.run(
                [sys.executable, "-c", script],
                env=dict(warm_env, PYTHONPATH=str(REPO_ROOT)),
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO_ROOT,
            )
            parts.append([float(x) for x in out.stdout.split()])
    rows = []
    for name, values in runs.items():
        seconds = [s for s, _, _ in values]
        rss = [m for _, m, _ in values]
        cpu = [c for _, _, c in values]
        rows.append(
            [
                name,
                len(values),
                fmt(statistics.median(seconds), 2),
                ", ".join(f"{s:.2f}" for s in seconds),
                fmt(statistics.median(cpu), 2),
                fmt(max(rss), 0),
            ]
        )
    report.results["runs"] = {
        name: [
            {"seconds": round(s, 3), "peak_rss_mb": round(m), "cpu_s": round(c, 3)}
            for s, m, c in values
        ]
        for name, values in runs.items()
    }
    report.table(
        "Start-up to first answered path, memory backend",
        ["process", "runs", "median s", "each run s", "median CPU s", "peak RSS MB"],
        rows,
    )
    names = [
        "import careergraph.api.app (+ careergraph modules)",
        "restore the snapshot",
        "first query",
    ]
    medians = [statistics.median(p[i] for p in parts) for i in range(len(parts[0]))]
    report.results["warm_parts_s"] = dict(zip(names, medians[:3], strict=True))
    report.table(
        f"Warm start, parts (median of {len(parts)} fresh processes, s)",
        ["part", "seconds"],
        [[n, fmt(m, 3)] for n, m in zip(names, medians, strict=False)]
        + [["sum", fmt(sum(medians[:3]), 3)]],
    )
    path_names = [
        "start the interpreter (python -c pass)",
        "import careergraph.api.app (+ careergraph modules)",
        "import the CLI and uvicorn (the rest of serve's imports)",
        "restore the snapshot (restore_memory_graph)",
        "make the app (create_app)",
        "first /v1/paths through the app, in process (ASGI)",
    ]
    path = [statistics.median(starts), medians[0], medians[3], medians[1], *medians[4:6]]
    report.results["warm_serve_path_s"] = dict(zip(path_names, path, strict=True))
    report.table(
        f"Warm start, serve's path in process (median of {len(parts)} fresh processes, s)",
        ["step", "seconds"],
        [[n, fmt(m, 3)] for n, m in zip(path_names, path, strict=True)]
        + [["sum (the server rows add uvicorn, forking, loopback, polling)", fmt(sum(path), 3)]],
    )
    report.save()


if __name__ == "__main__":
    main()
