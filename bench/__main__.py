"""Run every benchmark in sequence: ``.venv/bin/python -m bench`` (or ``scripts/bench``).

Each benchmark runs in its own process (``python -m bench.<name>``), prints its tables and
writes ``bench/results/<name>.json``. Before starting, the runner waits (bounded) for the
machine to be quiet, since other work on the same cores slows every figure; the load
averages go into ``bench/results/run.json``.

Options: ``--only NAME ...`` runs a subset; ``--no-neo4j`` skips the Neo4j parts (and the
load benchmark entirely); ``--max-load`` / ``--max-wait`` tune the wait.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence

from bench.common import RESULTS_DIR, load_average, machine_info, wait_for_quiet_machine

BENCHMARKS = ("load_neo4j", "paths", "titles", "growth", "startup", "api", "load")
"""In run order: the Neo4j load leaves Neo4j loaded for the query benchmarks; the HTTP
benchmarks (api, then the load test and soak) run last."""
NEO4J_FLAG = {"paths", "titles", "api", "load"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; return 0 if all succeeded, else 1."""
    parser = argparse.ArgumentParser(description="Run the careergraph benchmarks.")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these")
    parser.add_argument("--no-neo4j", action="store_true", help="memory backend only")
    parser.add_argument("--max-load", type=float, default=1.5, help="1-min load to wait for")
    parser.add_argument("--max-wait", type=float, default=120.0, help="longest wait, s")
    args = parser.parse_args(argv)

    chosen = [b for b in BENCHMARKS if not args.only or b in args.only]
    if args.no_neo4j:
        chosen = [b for b in chosen if b != "load_neo4j"]
    print(f"machine: {json.dumps(machine_info())}")
    quiet = wait_for_quiet_machine(args.max_load, args.max_wait)
    print(f"load average: {quiet}")
    started = time.perf_counter()
    outcome: dict[str, dict[str, object]] = {}
    for name in chosen:
        command = [sys.executable, "-m", f"bench.{name}"]
        if args.no_neo4j and name in NEO4J_FLAG:
            command.append("--no-neo4j")
        print(f"\n######## {name}: {' '.join(command[1:])}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call(command)
        outcome[name] = {
            "exit_code": code,
            "seconds": round(time.perf_counter() - t0, 1),
            "load_average_after": load_average(),
        }
    total = round(time.perf_counter() - started, 1)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "run.json").write_text(
        json.dumps(
            {"wait": quiet, "benchmarks": outcome, "total_s": total, "machine": machine_info()},
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nbenchmarks done in {total} s:")
    for name, result in outcome.items():
        print(f"  {name:<12} exit {result['exit_code']}  {result['seconds']} s")
    return 0 if all(r["exit_code"] == 0 for r in outcome.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
