"""Bounded load test and soak of ``/v1/paths`` and ``/v1/titles`` on both backends, over
loopback.

Run:  .venv/bin/python -m bench.load [--duration 10] [--soak 60] [--workers N] [--no-neo4j]
      .venv/bin/python -m bench.load --answer-cpu 1000 [--repeats 3]

For each backend a ``careergraph serve`` process (as shipped: one uvicorn worker per CPU,
unless ``--workers``; bound to 127.0.0.1) is started on a free port, with the shipped
request deadline (``CAREERGRAPH_REQUEST_DEADLINE_S``, 1.5 s unless set) and concurrency
limit. The load generator is this process: an asyncio loop with ``c`` workers in a closed
loop, each on its own keep-alive HTTP/1.1 connection (a minimal client, :class:`HttpConnection`: it
needs far less CPU than httpx on a machine the server shares), sending its next request
when the previous one is answered.
Every cell runs for a fixed time after a 2 s warm-up and then stops by itself:

* ``floor``: ``GET /docs`` (a small static page: no graph work), c = 16: what the HTTP
  stack alone serves, the ceiling of any endpoint in one worker;
* ``/v1/paths?from=CODE&to=CODE&k=3&max_hops=4`` over ``--pairs`` random occupation pairs
  with a route (seeded), c = 16 and c = 64, ``--duration`` s each: repeated questions, as
  a popular service gets them (the memory backend answers a repeated question from its
  per-process answer cache);
* ``/v1/paths, each pair once``: the same over ``--fresh-pairs`` other pairs, none asked
  twice (no cached answer: the cost of computing one), c = 16;
* ``/v1/titles?q=TEXT&limit=10`` over title queries of ``bench/titles.py`` (exact,
  alternate, misspelled and partial titles, seeded), c = 16;
* ``soak``: the same at c = 64 for ``--soak`` s (issue 14: 0 answers 5xx other than
  deadline 503s, no request slower than the deadline + 1 s).

``--answer-cpu N`` runs no server: it measures, in this process on the memory store as
served (restored from its snapshot, frozen), the CPU time (``time.process_time``) of one
computed ``/v1/paths`` answer (k = 3, max 4 hops) over N fresh pairs per step, layer by layer:
``find_career_paths`` (titles, route search, hop explanations), ``find_paths`` (+ the
response models, Cypher and Browser links), + ``model_dump_json``, and the whole ASGI app
(``create_app``: middleware, query validation, dependencies, the store call in a worker
thread, ETag), called directly (no socket, no HTTP parser) one request at a time and 8 at
once; each step ``--repeats`` times on new pairs (the minimum is the least disturbed by
other work on the machine). What the HTTP server adds on top (parser, socket, access log)
is the load cells' ``server CPU ms/req`` minus the app's figure.

The workers share the machine's cores with the load generator (it is one more process
wanting a core: on 2 cores the figures are a floor of what the server does alone). The
resident memory of every server process is reported after the run.

Each answer is classified: 200, ``503 deadline_exceeded`` (the request ran out of its
budget: expected under overload), any other 5xx, any other status, or a transport error
(no answer). Reported per cell: requests/s of 200s, p50/p99/max latency over all answers,
the counts, the answers slower than deadline + 1 s, the server's CPU per request and the
load generator's own CPU (it shares the machine's cores with the server). The peer and the
floor of a single route query (networkx ``shortest_simple_paths``, scipy) are in
``bench/paths.py``, run in the same ``scripts/bench``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import urlencode

from starlette.types import ASGIApp, Message

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
CLIENT_TIMEOUT_S = 60.0
"""The load generator's own timeout: far above any deadline, so a slow answer is
measured, not cut off."""


class HttpConnection:
    """One keep-alive HTTP/1.1 connection to ``127.0.0.1:port`` for GET requests: a
    minimal client (request line, headers, a ``Content-Length`` body), so the load
    generator spends little CPU per request on a machine it shares with the server
    (httpx needs several times more, which inflated the latencies it measured)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Send ``GET path``; return (status, lower-cased headers, body).

        Raises
        ------
        OSError, asyncio.IncompleteReadError, ValueError
            The connection failed or the answer is not well-formed (it is then closed and
            reopened by the next call).
        """
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split(" ", 2)[1])
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in head[1:] if line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        """Close the connection (the next :meth:`get` opens a new one)."""
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


def classify(status: int, body: bytes) -> str:
    """``200``, ``deadline 503``, ``other 5xx`` or ``other <status>`` for one answer."""
    if status == 200:
        return "200"
    if status == 503:
        try:
            if json.loads(body).get("error") == "deadline_exceeded":
                return "deadline 503"
        except ValueError:
            pass
    if status >= 500:
        return "other 5xx"
    return f"other {status}"


async def run_cell(
    port: int, urls: Sequence[str], concurrency: int, duration_s: float
) -> dict[str, object]:
    """Closed-loop load: ``concurrency`` workers, each on its own keep-alive connection,
    send requests from ``urls`` (cycled) for ``duration_s`` after a warm-up; returns the
    latency summaries (as the client saw them, and the server's own ``Server-Timing``),
    the answer counts and the client's CPU share."""
    cycle = itertools.cycle(urls)
    examples: list[str] = []

    async def worker(
        stop_at: float, times: list[float], server: list[float], kinds: Counter[str]
    ) -> None:
        connection = HttpConnection(port)
        try:
            while time.perf_counter() < stop_at:
                url = next(cycle)
                start = time.perf_counter()
                try:
                    status, headers, body = await asyncio.wait_for(
                        connection.get(url), CLIENT_TIMEOUT_S
                    )
                    kind = classify(status, body)
                    timing = headers.get("server-timing", "")
                    if timing.startswith("app;dur="):
                        server.append(float(timing.removeprefix("app;dur=")) / 1e3)
                    if kind not in ("200", "deadline 503") and len(examples) < 3:
                        examples.append(f"{status} {body[:200]!r}")
                except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
                    connection.close()
                    kind = f"transport {type(exc).__name__}"
                kinds[kind] += 1
                times.append(time.perf_counter() - start)
        finally:
            connection.close()

    warm_stop = time.perf_counter() + WARMUP_S
    await asyncio.gather(*(worker(warm_stop, [], [], Counter()) for _ in range(concurrency)))
    times: list[float] = []
    server_times: list[float] = []
    kinds: Counter[str] = Counter()
    cpu = time.process_time()
    start = time.perf_counter()
    await asyncio.gather(
        *(worker(start + duration_s, times, server_times, kinds) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return {
        **latency_summary(times),
        "requests": len(times),
        "seconds": round(elapsed, 2),
        "answers": dict(kinds),
        "unexpected_examples": examples,
        "server_side": latency_summary(server_times),
        "ok_per_s": round(kinds["200"] / elapsed, 1),
        "client_cpu_pct": round(cpu / elapsed * 100, 1),
        "latencies_s": times,
    }


def _asgi_get(app: ASGIApp, path: str, query: str) -> Awaitable[list[Message]]:
    """``GET path?query`` through ``app`` called directly; returns the messages it sent."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    async def call() -> list[Message]:
        await app(scope, receive, send)
        return sent

    return call()


def answer_cpu(n: int, repeats: int, seed: int) -> None:
    """Print and save (``bench/results/answer_cpu.json``) the CPU ms per computed
    ``/v1/paths`` answer of each layer (see the module notes)."""
    from careergraph.api.app import create_app
    from careergraph.api.deps import GraphAccess, open_api_store
    from careergraph.api.routes.paths import find_paths
    from careergraph.graph.paths import RouteFilters
    from careergraph.graph.service import find_career_paths

    settings = Settings()
    store = open_api_store(settings, "memory")
    steps = 5
    wanted = n * repeats * steps + 10
    release = bench_release(settings)
    pairs = [
        (a, b)
        for a, b in occupation_pairs(release, wanted * 2, seed)
        if store.find_k_cheapest_paths([a], [b], 1, 4)
    ]
    del release
    if len(pairs) < wanted:
        raise SystemExit(f"only {len(pairs)} pairs with a route, {wanted} wanted: lower N")
    url = settings.neo4j_http_url
    app = create_app(settings, store=store)
    app.state.graph = GraphAccess(store, settings.request_deadline_s, None)

    def service(batch: Sequence[tuple[str, str]]) -> None:
        for a, b in batch:
            find_career_paths(store, a, b, k=3, max_hops=4, filters=RouteFilters())

    def response(batch: Sequence[tuple[str, str]]) -> None:
        for a, b in batch:
            find_paths(store, a, b, 3, 4, url, RouteFilters())

    def json_answer(batch: Sequence[tuple[str, str]]) -> None:
        for a, b in batch:
            find_paths(store, a, b, 3, 4, url, RouteFilters()).model_dump_json()

    def asgi(concurrency: int) -> Callable[[Sequence[tuple[str, str]]], None]:
        async def run(batch: Sequence[tuple[str, str]]) -> None:
            todo = iter(batch)

            async def client() -> None:
                for a, b in todo:
                    query = urlencode({"from": a, "to": b, "k": 3, "max_hops": 4})
                    sent = await _asgi_get(app, "/v1/paths", query)
                    assert sent[0]["status"] == 200, sent[:1]

            await asyncio.gather(*(client() for _ in range(concurrency)))

        return lambda batch: asyncio.run(run(batch))

    layers: list[tuple[str, Callable[[Sequence[tuple[str, str]]], None]]] = [
        ("find_career_paths (titles, routes, hop explanations)", service),
        ("find_paths (+ response models, Cypher links)", response),
        ("find_paths + model_dump_json", json_answer),
        ("ASGI app, 1 request at a time", asgi(1)),
        ("ASGI app, 8 at once", asgi(8)),
    ]
    report = Report(
        "answer_cpu",
        {"pairs_per_step": n, "repeats": repeats, "seed": seed, "k": 3, "max_hops": 4},
    )
    service(pairs[:10])  # warm: first calls fill lazy caches
    offset = 10
    figures: dict[str, list[float]] = {name: [] for name, _ in layers}
    for _ in range(repeats):
        for name, layer in layers:
            batch = pairs[offset : offset + n]
            offset += n
            cpu = time.process_time()
            layer(batch)
            figures[name].append((time.process_time() - cpu) / n * 1e3)
    rows = [
        [name, fmt(min(ms), 2), fmt(sorted(ms)[len(ms) // 2], 2), " ".join(f"{x:.2f}" for x in ms)]
        for name, ms in figures.items()
    ]
    report.results["cpu_ms_per_answer"] = figures
    report.table(
        f"CPU per computed /v1/paths answer, in process ({n} fresh pairs per step)",
        ["layer", "min ms", "median ms", "each run"],
        rows,
    )
    report.save()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the load test and soak; print the tables; write ``bench/results/load.json``."""
    parser = argument_parser(__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per cell")
    parser.add_argument("--soak", type=float, default=60.0, help="soak seconds at c=64")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--backend", choices=["memory", "neo4j"], help="only this backend")
    parser.add_argument(
        "--workers", type=int, help="serve --workers (default: serve's own, one per CPU)"
    )
    parser.add_argument("--title-queries", type=int, default=400)
    parser.add_argument(
        "--fresh-pairs", type=int, default=8000, help="pairs of the uncached /v1/paths cell"
    )
    parser.add_argument(
        "--answer-cpu",
        type=int,
        metavar="N",
        help="no server: CPU per computed /v1/paths answer in process, N pairs per step",
    )
    parser.add_argument("--repeats", type=int, default=3, help="--answer-cpu repeats per step")
    args = parser.parse_args(argv)
    if args.answer_cpu:
        answer_cpu(args.answer_cpu, args.repeats, args.seed)
        return

    settings = Settings()
    deadline_s = min(settings.query_timeout_s, settings.request_deadline_s)
    release = bench_release(settings)
    memory = memory_store(release)
    routed = [
        (a, b)
        for a, b in occupation_pairs(release, (args.pairs + args.fresh_pairs) * 2, args.seed)
        if memory.find_k_cheapest_paths([a], [b], 1, 4)
    ]
    pairs, fresh = routed[: args.pairs], routed[args.pairs : args.pairs + args.fresh_pairs]
    path_urls = [
        "/v1/paths?" + urlencode({"from": a, "to": b, "k": 3, "max_hops": 4}) for a, b in pairs
    ]
    fresh_urls = [
        "/v1/paths?" + urlencode({"from": a, "to": b, "k": 3, "max_hops": 4}) for a, b in fresh
    ]
    title_urls = [
        "/v1/titles?" + urlencode({"q": q.text, "limit": 10})
        for q in make_queries(release, args.title_queries, args.seed)
    ]
    random.Random(args.seed).shuffle(title_urls)
    backends = ["memory"] if args.no_neo4j else ["memory", "neo4j"]
    if args.backend:
        backends = [args.backend]
    cells_wanted = [
        ("floor: GET /docs", ["/docs"], 16, args.duration),
        ("/v1/paths", path_urls, 16, args.duration),
        ("/v1/paths, each pair once", fresh_urls, 16, args.duration),
        ("/v1/paths", path_urls, 64, args.duration),
        ("/v1/titles", title_urls, 16, args.duration),
        ("soak: /v1/paths", path_urls, 64, args.soak),
    ]
    report = Report(
        "load",
        {
            "duration_s": args.duration,
            "soak_s": args.soak,
            "warmup_s": WARMUP_S,
            "path_pairs": len(path_urls),
            "backends": backends,
            "request_deadline_s": deadline_s,
            "max_concurrent_queries": settings.max_concurrent_queries,
            "neo4j_uri": None if args.no_neo4j else settings.neo4j_uri,
            "load_generator": "asyncio, minimal keep-alive HTTP/1.1 client, closed loop",
            "title_queries": len(title_urls),
            "workers": args.workers or "serve default (one per CPU)",
            "cpus": os.cpu_count(),
            "server": "careergraph serve (uvicorn, 127.0.0.1)",
        },
    )
    if "neo4j" in backends:
        loaded_neo4j_store(settings, release, memory).close()
    del memory
    rows: list[list[object]] = []
    soak_rows: list[list[object]] = []
    cells: dict[str, object] = {}
    for backend in backends:
        with ServerProcess(backend, workers=args.workers) as server:
            server.wait_for("/v1/paths?from=15-1252.00&to=11-9041.00")
            for name, urls, concurrency, duration in cells_wanted:
                cpu = server.cpu_seconds()
                cell = asyncio.run(run_cell(server.port, urls, concurrency, duration))
                cpu = server.cpu_seconds() - cpu
                latencies = cell.pop("latencies_s")
                assert isinstance(latencies, list)
                answers = cell["answers"]
                assert isinstance(answers, dict)
                too_slow = sum(t > deadline_s + 1.0 for t in latencies)
                server_side = cell["server_side"]
                assert isinstance(server_side, dict)
                cell["slower_than_deadline_plus_1s"] = too_slow
                cell["server_cpu_ms_per_request"] = round(cpu / max(1, len(latencies)) * 1e3, 2)
                cells[f"{backend} {name} c={concurrency}"] = cell
                print(f"{backend} {name} c={concurrency}: {cell}", flush=True)
                other = sum(n for kind, n in answers.items() if kind not in ("200", "deadline 503"))
                row = [
                    backend,
                    name,
                    concurrency,
                    fmt(cell["ok_per_s"], 1),  # type: ignore[arg-type]
                    fmt(cell.get("p50_ms"), 1),  # type: ignore[arg-type]
                    fmt(cell.get("p99_ms"), 1),  # type: ignore[arg-type]
                    fmt(cell.get("max_ms"), 0),  # type: ignore[arg-type]
                    fmt(server_side.get("p99_ms"), 1),
                    fmt(server_side.get("max_ms"), 0),
                    answers.get("200", 0),
                    answers.get("deadline 503", 0),
                    other,
                    too_slow,
                    fmt(cell["server_cpu_ms_per_request"], 2),  # type: ignore[arg-type]
                    f"{cell['client_cpu_pct']:.0f} %",
                ]
                (soak_rows if name.startswith("soak") else rows).append(row)
            cells[f"{backend} server peak RSS MB"] = round(server.peak_rss_mb())
            rss = {pid: round(mb) for pid, mb in server.rss_mb().items()}
            cells[f"{backend} RSS MB per server process"] = rss
            print(f"{backend}: RSS MB per server process {rss}", flush=True)
    report.results["cells"] = cells
    headers = [
        "backend",
        "endpoint",
        "c",
        "200/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "server p99",
        "server max",
        "200",
        "deadline 503",
        "other",
        f"> {deadline_s + 1:g} s",
        "server CPU ms/req",
        "client CPU",
    ]
    report.table(
        f"Load: {args.duration:g} s per cell, closed loop over 127.0.0.1, "
        f"request deadline {deadline_s:g} s",
        headers,
        rows,
    )
    report.table(
        f"Soak: c=64 for {args.soak:g} s (pass: 'other' = 0 and '> {deadline_s + 1:g} s' = 0)",
        headers,
        soak_rows,
    )
    report.save()


if __name__ == "__main__":
    main()
