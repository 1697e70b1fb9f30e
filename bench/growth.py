"""How path and title queries grow with the graph: the real graph and synthetic ones 10x
and 100x its size, on the memory backend.

Run:  .venv/bin/python -m bench.growth [--factors 1 10 100] [--seed 6]

A synthetic graph of factor ``f`` (seeded) has ``f`` copies of every occupation. Each
``LEADS_TO`` move A -> B becomes, for every copy ``r``, a move A_r -> B_s where ``s = r``
with probability 0.8 and a random copy otherwise (so the copies form one connected
labour market, with O*NET's degree distribution), its cost multiplied by a uniform
factor in [0.9, 1.1] (floor 1). Every title record gets ``f - 1`` variants (``"<title> grade
r"``, same occupation and evidence), so the title index (:class:`graph.titles.TitleIndex`)
holds ``f`` times as many titles (the variants are not meaningful: only latency is
measured).

Only what these queries read is built: the memory store's move adjacency and title
indexes (``graph/backends/networkx_store.py: _Indexes``), not the networkx graph or the
hop explanations, which a 100x graph would need tens of GB for. The queries run through
the store's own methods: :meth:`NetworkxStore.find_k_cheapest_paths` (k = 3, max_hops = 4)
and :func:`graph.service.resolve_title`; scipy's compiled Dijkstra runs alongside as the
floor. Path queries are timed in wall-clock and in CPU time of this process
(``time.process_time``: less disturbed by other work on a shared machine). On the same
pairs, in the same run, the previous method runs beside them: the same search with its
bound computed densely, every Bellman-Ford level over the whole graph
(:func:`graph.paths._hop_limited_distances`, each level a list of every node's value), as
``find_k_cheapest_paths`` did before the bound from both ends; its answers must be equal.
The two take turns at going first on each pair. Fewer title queries are measured on the
bigger graphs: the counts are in the table. "GC share" is the part of the path-query time
(both methods) spent in CPython's cyclic garbage collector
(``gc.callbacks``), which grows with the number of live objects; as in the API
(``api/deps.py``), the store's objects are frozen out of its reach (``gc.freeze``) once
built.
"""

from __future__ import annotations

import contextlib
import gc
import random
import resource
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence

from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from bench.common import (
    GcPauses,
    Report,
    argument_parser,
    bench_release,
    fmt,
    latency_summary,
    memory_store,
    move_codes,
)
from bench.titles import make_queries
from careergraph.api.settings import Settings
from careergraph.graph import paths as route_search
from careergraph.graph.backends.networkx_store import NetworkxStore, _Indexes
from careergraph.graph.errors import UnknownOccupationError
from careergraph.graph.model import OnetRelease
from careergraph.graph.paths import RawPath, RouteFilters
from careergraph.graph.service import resolve_title
from careergraph.graph.titles import TitleIndex, title_records

K = 3
MAX_HOPS = 4
STAY_IN_COPY = 0.8
PATH_QUERIES = {1: 200, 10: 200, 100: 200}
TITLE_QUERIES = {1: 200, 10: 20, 100: 5}


def replica(code: str, copy: int) -> str:
    """Code of copy ``copy`` of an occupation (copy 0 is the original code)."""
    return code if copy == 0 else f"{code}~{copy}"


def synthetic_store(release: OnetRelease, factor: int, seed: int) -> NetworkxStore:
    """A memory store whose move and title indexes are ``factor`` times O*NET's (see the
    module docstring); factor 1 reproduces the real indexes exactly."""
    rng = random.Random(seed)
    idx = _Indexes.__new__(_Indexes)
    idx.release = f"{release.release} x{factor}"
    idx.occupations = {o.code: o for o in release.occupations}
    idx.labor = {}
    idx.move_succ = defaultdict(list)
    idx.move_pred = defaultdict(list)
    idx.moves = {}
    originals = release.career.moves
    for copy in range(factor):
        for move in originals:
            a = replica(move.code, copy)
            if factor == 1:
                b, cost = move.next_code, move.cost
            else:
                target_copy = copy if rng.random() < STAY_IN_COPY else rng.randrange(factor)
                b = replica(move.next_code, target_copy)
                cost = max(1.0, round(move.cost * rng.uniform(0.9, 1.1), 3))
            if (a, b) in idx.moves:
                continue
            idx.move_succ[a].append((b, cost))
            idx.move_pred[b].append((a, cost))
            idx.moves[(a, b)] = move  # the original record: only its presence is read
    records = title_records(release)
    idx.titles = TitleIndex(
        r._replace(title=f"{r.title} grade {copy}") if copy else r
        for copy in range(factor)
        for r in records
    )
    store = NetworkxStore()
    store._idx = idx
    return store


def csr_of(store: NetworkxStore) -> tuple[csr_matrix, dict[str, int]]:
    """The store's move adjacency as a CSR cost matrix, and code -> row."""
    idx = store._require()
    codes = sorted(set(idx.move_succ) | set(idx.move_pred))
    index = {c: i for i, c in enumerate(codes)}
    rows, cols, costs = [], [], []
    for a, succ in idx.move_succ.items():
        for b, cost in succ:
            rows.append(index[a])
            cols.append(index[b])
            costs.append(cost)
    return csr_matrix((costs, (rows, cols)), shape=(len(codes), len(codes))), index


@contextlib.contextmanager
def dense_bound() -> Iterator[None]:
    """Inside, route searches compute their bound as before the bound from both ends:
    every level over the whole graph, as lists of every node's value."""

    def dense(
        adj: route_search._Adjacency,
        sources: Sequence[int],
        goals: Sequence[int],
        blocked: Sequence[int],
        levels: int,
    ) -> list[route_search.Bounds]:
        del sources  # the dense bound holds for every node
        return [
            d.tolist() for d in route_search._hop_limited_distances(adj, goals, blocked, levels)
        ]

    saved = route_search._route_bounds
    route_search._route_bounds = dense
    try:
        yield
    finally:
        route_search._route_bounds = saved


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> None:
    """Run the growth benchmark; print the tables; write ``bench/results/growth.json``."""
    parser = argument_parser(__doc__, neo4j=False)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args(argv)

    settings = Settings()
    release = bench_release(settings)
    report = Report(
        "growth",
        {
            "factors": args.factors,
            "seed": args.seed,
            "k": K,
            "max_hops": MAX_HOPS,
            "stay_in_copy": STAY_IN_COPY,
            "path_queries": {str(f): PATH_QUERIES.get(f, 12) for f in args.factors},
            "title_queries": {str(f): TITLE_QUERIES.get(f, 8) for f in args.factors},
        },
    )
    title_queries = make_queries(release, max(TITLE_QUERIES.values()), args.seed)
    sources, targets = move_codes(release)
    rows: list[list[object]] = []
    figures: dict[str, dict[str, object]] = {}
    base: dict[str, float] = {}
    for factor in args.factors:
        build_s = time.perf_counter()
        store = synthetic_store(release, factor, args.seed)
        build_s = time.perf_counter() - build_s
        idx = store._require()
        matrix, index = csr_of(store)
        rng = random.Random(args.seed + factor)
        n_paths = PATH_QUERIES.get(factor, 12)
        pairs: list[tuple[str, str]] = []
        while len(pairs) < n_paths:
            a = replica(rng.choice(sources), rng.randrange(factor))
            b = replica(rng.choice(targets), rng.randrange(factor))
            if a != b:
                pairs.append((a, b))
        store.find_k_cheapest_paths([pairs[0][0]], [pairs[0][1]], K, MAX_HOPS)  # warm-up
        # as the API does with its store (api/deps.py): the graph's objects are frozen out
        # of the cyclic garbage collector's reach, so a collection does not scan them all
        gc.collect()
        gc.freeze()
        path_times, path_cpu, floor_times, found, answers = [], [], [], 0, []
        dense_times, dense_cpu, dense_equal = [], [], 0
        with GcPauses() as pauses:
            for i, (a, b) in enumerate(pairs):
                # both methods on each pair, taking turns at going first
                runs: dict[bool, tuple[list[RawPath], float, float]] = {}
                for dense in (False, True) if i % 2 == 0 else (True, False):
                    with dense_bound() if dense else contextlib.nullcontext():
                        start, cpu_start = time.perf_counter(), time.process_time()
                        routes = store.find_k_cheapest_paths([a], [b], K, MAX_HOPS, RouteFilters())
                        wall_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
                    runs[dense] = (routes, wall_s, cpu_s)
                routes, wall_s, cpu_s = runs[False]
                path_times.append(wall_s)
                path_cpu.append(cpu_s)
                found += bool(routes)
                answers.append(routes)
                dense_routes, wall_s, cpu_s = runs[True]
                dense_times.append(wall_s)
                dense_cpu.append(cpu_s)
                dense_equal += dense_routes == routes
            start = time.perf_counter()
            dijkstra(matrix, directed=True, indices=index[a])
            floor_times.append(time.perf_counter() - start)
        n_titles = TITLE_QUERIES.get(factor, 8)
        title_times = []
        for q in title_queries[:n_titles]:
            start = time.perf_counter()
            with contextlib.suppress(UnknownOccupationError):
                resolve_title(store, q.text)
            title_times.append(time.perf_counter() - start)
        paths, floor, titles = (
            latency_summary(path_times),
            latency_summary(floor_times),
            latency_summary(title_times),
        )
        cpu, before, before_cpu = (
            latency_summary(path_cpu),
            latency_summary(dense_times),
            latency_summary(dense_cpu),
        )
        if factor == args.factors[0]:
            base = {
                "path": paths["p50_ms"],
                "cpu": cpu["p50_ms"],
                "dense": before["p50_ms"],
                "title": titles["p50_ms"],
                "floor": floor["p50_ms"],
            }
        if factor == 1:  # the 1x indexes must be the real store's: same answers
            real = memory_store(release)
            same = sum(
                real.find_k_cheapest_paths([a], [b], K, MAX_HOPS) == got
                for (a, b), got in zip(pairs, answers, strict=True)
            )
            report.results["1x_routes_equal_to_real_store"] = f"{same} of {len(pairs)}"
            del real
        edges = sum(len(v) for v in idx.move_succ.values())
        figures[str(factor)] = {
            "occupations": len(index),
            "leads_to_edges": edges,
            "title_records": len(idx.titles),
            "build_s": round(build_s, 1),
            "routes_found": found,
            "path_gc_pause_share_pct": round(
                pauses.total_s / (sum(path_times) + sum(dense_times)) * 100, 1
            ),
            "path_gc_collections": pauses.collections,
            "path": paths,
            "path_cpu": cpu,
            "dense_bound_path": before,
            "dense_bound_path_cpu": before_cpu,
            "dense_bound_routes_equal": f"{dense_equal} of {len(pairs)}",
            "floor": floor,
            "title": titles,
            "peak_rss_mb": round(peak_rss_mb()),
        }
        rows.append(
            [
                f"{factor}x",
                f"{len(index):,}",
                f"{edges:,}",
                f"{len(idx.titles):,}",
                f"{len(pairs)} / {len(title_times)}",
                fmt(paths["p50_ms"], 2),
                fmt(paths["p99_ms"], 2),
                fmt(paths["p50_ms"] / base["path"], 1),
                fmt(cpu["p50_ms"], 2),
                fmt(cpu["p50_ms"] / base["cpu"], 1),
                fmt(before["p50_ms"], 2),
                fmt(before["p50_ms"] / base["dense"], 1),
                f"{dense_equal} / {len(pairs)}",
                f"{figures[str(factor)]['path_gc_pause_share_pct']} %",
                fmt(floor["p50_ms"], 2),
                fmt(titles["p50_ms"], 1),
                fmt(titles["p50_ms"] / base["title"], 1),
            ]
        )
        print(f"{factor}x: built in {build_s:.1f} s; {figures[str(factor)]}", flush=True)
        gc.unfreeze()
        del store, idx, matrix
        gc.collect()
    report.results["figures"] = figures
    report.table(
        f"Growth, memory backend (paths k={K}, max_hops={MAX_HOPS}; latency ms; "
        f"x = ratio to the {args.factors[0]}x p50)",
        [
            "size",
            "occupations",
            "LEADS_TO",
            "titles",
            "queries (paths / titles)",
            "path p50",
            "path p99",
            "path x",
            "path CPU p50",
            "CPU x",
            "dense-bound p50",
            "dense-bound x",
            "same routes",
            "GC share",
            "floor p50",
            "title p50",
            "title x",
        ],
        rows,
    )
    report.save()


if __name__ == "__main__":
    main()
