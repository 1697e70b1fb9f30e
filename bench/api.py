"""HTTP API throughput and latency: ``/v1/paths`` and ``/v1/titles`` at several
concurrencies on both backends.

Run:  .venv/bin/python -m bench.api [--duration 10] [--concurrency 1 16 64] [--no-neo4j]

For each backend a ``careergraph serve`` process (one uvicorn worker, as shipped) is
started on a free port of 127.0.0.1; the memory backend from the warm snapshot, the Neo4j
backend against the server at ``NEO4J_URI`` (loaded first if needed). The load generator
is this process: an asyncio loop with one ``httpx.AsyncClient`` (HTTP/1.1 keep-alive, a
connection pool as large as the concurrency) and ``c`` workers, each sending its next
request as soon as the previous one is answered (closed loop), for ``--duration`` seconds
per cell after a 2 s warm-up. Requests cycle through fixed lists:

* ``/v1/paths?from=CODE&to=CODE&k=3&max_hops=4``: random occupation pairs (seeded) for
  which a route exists, so every answer should be 200;
* ``/v1/titles?q=TEXT&limit=10``: the title benchmark's queries (``bench/titles.py``).

Reported per cell: completed requests per second, p50/p99 latency, errors (anything but
200, or a transport error), the server's CPU time per request (user + system, from
``/proc``; one uvicorn worker can use at most one core, so 1000 / that is its ceiling in
requests/s) and the CPU the load generator itself used (it shares the two cores with the
server). The server's peak RSS is read at the end.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from urllib.parse import urlencode

import httpx

from bench.common import (
    Report,
    ServerProcess,
    argument_parser,
    bench_release,
    fmt,
    latency_summary,
    loaded_neo4j_store,
    memory_store,
    occupation_pairs,
)
from bench.titles import make_queries
from careergraph.api.settings import Settings

WARMUP_S = 2.0


async def load_cell(
    base_url: str, urls: Sequence[str], concurrency: int, duration_s: float
) -> dict[str, float]:
    """Closed-loop load: ``concurrency`` workers send requests from ``urls`` (cycled)
    for ``duration_s``; returns req/s, latency summary, errors and client CPU share."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    cycle = itertools.cycle(urls)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60.0) as client:

        async def worker(stop_at: float, times: list[float], errors: list[str]) -> None:
            while time.perf_counter() < stop_at:
                url = next(cycle)
                start = time.perf_counter()
                try:
                    response = await client.get(url)
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {url}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {url}")
                times.append(time.perf_counter() - start)

        warm_stop = time.perf_counter() + WARMUP_S
        warm_times: list[float] = []
        await asyncio.gather(*(worker(warm_stop, warm_times, []) for _ in range(concurrency)))
        times: list[float] = []
        errors: list[str] = []
        cpu = time.process_time()
        start = time.perf_counter()
        stop_at = start + duration_s
        await asyncio.gather(*(worker(stop_at, times, errors) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
    summary = latency_summary(times)
    return {
        **summary,
        "requests": len(times),
        "warmup_requests": len(warm_times),
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(times) / elapsed, 1),
        "errors": len(errors),
        "error_examples": errors[:3],  # type: ignore[dict-item]
        "client_cpu_pct": round(cpu / elapsed * 100, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the API benchmark; print the tables; write ``bench/results/api.json``."""
    parser = argument_parser(__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per cell")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--pairs", type=int, default=200)
    args = parser.parse_args(argv)

    settings = Settings()
    release = bench_release(settings)
    memory = memory_store(release)
    pairs = [
        (a, b)
        for a, b in occupation_pairs(release, args.pairs * 2, args.seed)
        if memory.find_k_cheapest_paths([a], [b], 1, 4)
    ][: args.pairs]
    path_urls = [
        "/v1/paths?" + urlencode({"from": a, "to": b, "k": 3, "max_hops": 4}) for a, b in pairs
    ]
    title_urls = [
        "/v1/titles?" + urlencode({"q": q.text, "limit": 10})
        for q in make_queries(release, 1000, args.seed)
    ]
    backends = ["memory"] if args.no_neo4j else ["memory", "neo4j"]
    report = Report(
        "api",
        {
            "duration_s": args.duration,
            "warmup_s": WARMUP_S,
            "concurrency": args.concurrency,
            "path_pairs": len(path_urls),
            "title_queries": len(title_urls),
            "backends": backends,
            "neo4j_uri": None if args.no_neo4j else settings.neo4j_uri,
            "load_generator": "httpx.AsyncClient (asyncio, closed loop), in this process",
            "server": "careergraph serve (uvicorn, 1 worker)",
        },
    )
    if not args.no_neo4j:
        neo4j = loaded_neo4j_store(settings, release, memory)
        neo4j.close()
    del memory
    rows: list[list[object]] = []
    cells: dict[str, dict[str, float]] = {}
    for backend in backends:
        with ServerProcess(backend) as server:
            ready_s = server.wait_for("/v1/paths?from=15-1252.00&to=11-9041.00")
            for endpoint, urls in (("/v1/paths", path_urls), ("/v1/titles", title_urls)):
                for c in args.concurrency:
                    cpu = server.cpu_seconds()
                    cell = asyncio.run(load_cell(server.base_url, urls, c, args.duration))
                    cpu = server.cpu_seconds() - cpu  # over warm-up and measurement
                    served = cell["requests"] + cell["warmup_requests"]
                    cell["server_cpu_ms_per_request"] = round(cpu / served * 1e3, 1)
                    cells[f"{backend} {endpoint} c={c}"] = cell
                    rows.append(
                        [
                            backend,
                            endpoint,
                            c,
                            fmt(cell["requests_per_s"], 1),
                            fmt(cell["p50_ms"], 1),
                            fmt(cell["p99_ms"], 1),
                            cell["errors"],
                            fmt(cell["server_cpu_ms_per_request"], 1),
                            f"{cell['client_cpu_pct']:.0f} %",
                        ]
                    )
                    print(f"{backend} {endpoint} c={c}: {cell}", flush=True)
            report.results[f"{backend}_server"] = {
                "ready_s": round(ready_s, 2),
                "peak_rss_mb": round(server.peak_rss_mb()),
            }
    report.results["cells"] = cells
    report.table(
        f"HTTP API: {args.duration:g} s per cell, closed loop from 127.0.0.1",
        [
            "backend",
            "endpoint",
            "concurrency",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "server CPU ms/req",
            "client CPU",
        ],
        rows,
    )
    report.table(
        "HTTP API: servers",
        ["backend", "ready s", "peak RSS MB after the load"],
        [
            [
                b,
                report.results[f"{b}_server"]["ready_s"],
                report.results[f"{b}_server"]["peak_rss_mb"],
            ]
            for b in backends
        ],
    )
    report.save()


if __name__ == "__main__":
    main()
