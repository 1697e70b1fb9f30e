"""Path-query latency: careergraph's two backends against networkx and the compiled floor.

Run:  .venv/bin/python -m bench.paths [--pairs 200] [--seed 6] [--no-neo4j]

For random occupation pairs (fixed seed, among occupations with ``LEADS_TO`` moves),
k = 1 and k = 3, ``max_hops`` = 4, on the real graph (O*NET 29.3 + BLS + derived moves):

* ``memory``: :meth:`NetworkxStore.find_k_cheapest_paths` (A* over simple paths on the
  CSR route graph, guided by exact hop-limited bounds computed per query with numpy from
  both ends, Bellman-Ford levels back from the target and layers forward from the source,
  ``graph/paths.py``), and the whole answer with every hop explained
  (:func:`graph.service.find_career_paths`, what the API returns);
* ``neo4j``: :meth:`Neo4jStore.find_k_cheapest_paths` (``k_cheapest_moves.cypher``: a
  hop-by-hop meet-in-the-middle join pruned by a cost bound) and the explained answer, over
  Bolt to the server at ``NEO4J_URI``; beside it, the previous query (the join without the
  bound, ``bench/cypher/k_cheapest_moves_unbounded.cypher``) on the same pairs;
* ``networkx shortest_simple_paths``: the obvious peer, on a ``DiGraph`` of the same
  ``LEADS_TO`` moves weighted by ``cost``, taking the first ``k`` paths of at most
  ``max_hops`` hops. It enumerates paths by cost regardless of hops, so a query is cut
  off after :data:`PEER_CAP_S` seconds (counted, and timed at the cut-off);
* ``scipy dijkstra``: ``scipy.sparse.csgraph.dijkstra(indices=source)`` on the same
  weighted graph as a CSR matrix: one single-source shortest-path tree in compiled code,
  the floor of any exact method (the memory backend runs one such search in Python).

Every method gets the same pairs; each is warmed up on 10 other pairs first. The
answers are checked against each other (route costs of memory vs Neo4j; the cheapest
cost vs networkx and scipy).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import neo4j
import networkx as nx
from neo4j import ManagedTransaction
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from bench.common import (
    Report,
    argument_parser,
    bench_release,
    fmt,
    latency_summary,
    loaded_neo4j_store,
    memory_store,
    occupation_pairs,
    profile_text,
)
from careergraph.api.settings import Settings
from careergraph.graph.backends.neo4j_store import Neo4jStore, _raw_paths
from careergraph.graph.errors import NoPathError
from careergraph.graph.model import OnetRelease
from careergraph.graph.paths import RawPath, best_distinct_routes
from careergraph.graph.service import find_career_paths
from careergraph.graph.store import GraphStore

MAX_HOPS = 4
K_VALUES = (1, 3)
WARMUP_PAIRS = 10
A = TypeVar("A")
PEER_CAP_S = 1.0
"""A ``shortest_simple_paths`` query still looking for k short paths after this long is
stopped (its time is then >= the cap)."""


def moves_digraph(release: OnetRelease) -> nx.DiGraph:
    """The ``LEADS_TO`` moves as a networkx ``DiGraph`` with edge attribute ``cost``."""
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(
        ((m.code, m.next_code, m.cost) for m in release.career.moves), weight="cost"
    )
    return graph


def moves_csr(release: OnetRelease) -> tuple[csr_matrix, dict[str, int]]:
    """The ``LEADS_TO`` moves as a CSR adjacency matrix of costs, and code -> row."""
    moves = release.career.moves
    codes = sorted({m.code for m in moves} | {m.next_code for m in moves})
    index = {c: i for i, c in enumerate(codes)}
    rows = [index[m.code] for m in release.career.moves]
    cols = [index[m.next_code] for m in release.career.moves]
    costs = [m.cost for m in release.career.moves]
    matrix = csr_matrix((costs, (rows, cols)), shape=(len(codes), len(codes)))
    return matrix, index


def peer_k_paths(
    graph: nx.DiGraph, source: str, target: str, k: int, max_hops: int, cap_s: float
) -> tuple[list[float], bool]:
    """Costs of the first ``k`` paths of ``nx.shortest_simple_paths`` with at most
    ``max_hops`` hops, and whether the search was cut off at ``cap_s`` seconds."""
    deadline = time.perf_counter() + cap_s
    costs: list[float] = []
    try:
        for path in nx.shortest_simple_paths(graph, source, target, weight="cost"):
            if len(path) - 1 <= max_hops:
                costs.append(float(nx.path_weight(graph, path, weight="cost")))
                if len(costs) >= k:
                    return costs, False
            if time.perf_counter() > deadline:
                return costs, True
    except nx.NetworkXNoPath:
        pass
    return costs, False


def measure(
    pairs: Sequence[tuple[str, str]], query: Callable[[str, str], A]
) -> tuple[list[float], list[A]]:
    """Latency (s) and answer of ``query(source, target)`` for each pair, after warm-up
    on the first :data:`WARMUP_PAIRS` pairs (not counted)."""
    for source, target in pairs[:WARMUP_PAIRS]:
        query(source, target)
    times: list[float] = []
    answers: list[A] = []
    for source, target in pairs[WARMUP_PAIRS:]:
        start = time.perf_counter()
        answer = query(source, target)
        times.append(time.perf_counter() - start)
        answers.append(answer)
    return times, answers


def explained(store: GraphStore, k: int) -> Callable[[str, str], list[float]]:
    """The full answer (routes + explained hops) by codes, as the API computes it;
    returns the route costs."""

    def query(source: str, target: str) -> list[float]:
        try:
            return [p.total_cost for p in find_career_paths(store, source, target, k=k).paths]
        except NoPathError:
            return []

    return query


def raw_routes(store: GraphStore, k: int) -> Callable[[str, str], list[float]]:
    """Route finding alone (the backend call), returning the route costs."""

    def query(source: str, target: str) -> list[float]:
        paths: list[RawPath] = store.find_k_cheapest_paths([source], [target], k, MAX_HOPS)
        return [round(p.cost, 6) for p in paths]

    return query


PREVIOUS_NEO4J_QUERY = Path(__file__).parent / "cypher" / "k_cheapest_moves_unbounded.cypher"
"""The Neo4j route query before the cost bound (meet in the middle alone), timed beside the
current one in the same run."""


def previous_neo4j_routes(store: Neo4jStore, k: int) -> Callable[[str, str], list[float]]:
    """The route costs from :data:`PREVIOUS_NEO4J_QUERY`, called as
    :meth:`Neo4jStore.find_k_cheapest_paths` calls the current query (one read transaction,
    no filters, then :func:`best_distinct_routes`)."""
    query = PREVIOUS_NEO4J_QUERY.read_text(encoding="utf-8")
    params: dict[str, object] = {
        "max_hops": MAX_HOPS,
        "candidates": 6 * k + 6,
        "only_advancement": False,
        "max_wage_drop_pct": None,
        "min_growth_pct": None,
        "via": None,
        "exclude": [],
    }

    def work(tx: ManagedTransaction, source: str, target: str) -> list[neo4j.Record]:
        return list(tx.run(query, params, sources=[source], targets=[target]))

    def run(source: str, target: str) -> list[float]:
        with store._driver.session(database=store.database, default_access_mode="READ") as s:
            rows = s.execute_read(work, source, target)
        paths = best_distinct_routes(_raw_paths(rows), k)
        return [round(p.cost, 6) for p in paths]

    return run


def main(argv: Sequence[str] | None = None) -> None:
    """Run the path benchmark; print the tables; write ``bench/results/paths.json``."""
    parser = argument_parser(__doc__)
    parser.add_argument("--pairs", type=int, default=200, help="measured pairs (default 200)")
    args = parser.parse_args(argv)

    settings = Settings()
    release = bench_release(settings)
    report = Report(
        "paths",
        {
            "pairs": args.pairs,
            "seed": args.seed,
            "k": list(K_VALUES),
            "max_hops": MAX_HOPS,
            "warmup_pairs": WARMUP_PAIRS,
            "peer_cap_s": PEER_CAP_S,
            "neo4j_uri": None if args.no_neo4j else settings.neo4j_uri,
        },
    )
    pairs = occupation_pairs(release, args.pairs + WARMUP_PAIRS, args.seed)
    memory = memory_store(release)
    neo4j = None
    if not args.no_neo4j:
        neo4j = loaded_neo4j_store(settings, release, memory)
    graph = moves_digraph(release)
    matrix, index = moves_csr(release)
    report.results["graph"] = {
        "occupations": graph.number_of_nodes(),
        "leads_to_edges": graph.number_of_edges(),
    }

    rows: list[list[object]] = []
    summaries: dict[str, dict[str, float]] = {}
    checks: dict[str, int] = {}

    def add(name: str, k: int, times: list[float], extra: str = "") -> None:
        summary = latency_summary(times)
        summaries[f"{name} k={k}"] = summary
        rows.append(
            [
                name,
                k,
                fmt(summary["p50_ms"], 2),
                fmt(summary["p95_ms"], 2),
                fmt(summary["p99_ms"], 2),
                fmt(summary["mean_ms"], 2),
                extra,
            ]
        )

    floor_times, floor_answers = measure(
        pairs,
        lambda s, t: float(dijkstra(matrix, directed=True, indices=index[s])[index[t]]),
    )
    for k in K_VALUES:
        mem_times, mem_answers = measure(pairs, raw_routes(memory, k))
        add("memory: routes", k, mem_times)
        exp_times, _ = measure(pairs, explained(memory, k))
        add("memory: routes + explained hops", k, exp_times)
        if neo4j is not None:
            prev_times, prev_answers = measure(pairs, previous_neo4j_routes(neo4j, k))
            add("neo4j: routes, previous query (no cost bound)", k, prev_times)
            neo_times, neo_answers = measure(pairs, raw_routes(neo4j, k))
            add("neo4j: routes (Cypher)", k, neo_times)
            checks[f"neo4j previous query == current, route costs, k={k}"] = sum(
                a == b for a, b in zip(prev_answers, neo_answers, strict=True)
            )
            neo_exp_times, _ = measure(pairs, explained(neo4j, k))
            add("neo4j: routes + explained hops", k, neo_exp_times)
            checks[f"memory == neo4j route costs, k={k}"] = sum(
                a == b for a, b in zip(mem_answers, neo_answers, strict=True)
            )
        peer_times: list[float] = []
        capped = 0
        peer_agree = 0
        for (source, target), mem in zip(pairs[WARMUP_PAIRS:], mem_answers, strict=True):
            start = time.perf_counter()
            costs, cut = peer_k_paths(graph, source, target, k, MAX_HOPS, PEER_CAP_S)
            peer_times.append(time.perf_counter() - start)
            capped += cut
            peer_agree += bool(mem) and bool(costs) and round(costs[0], 6) == mem[0]
        add(
            "networkx shortest_simple_paths",
            k,
            peer_times,
            f"{capped} cut off at {PEER_CAP_S:g} s" if capped else "",
        )
        checks[f"networkx cheapest == memory cheapest, k={k}"] = peer_agree
        checks[f"networkx cut off, k={k}"] = capped
        add("scipy csgraph dijkstra (floor)", k, floor_times, "same search for every k")
        checks[f"scipy distance == memory cheapest cost, k={k}"] = sum(
            bool(mem) and abs(fl - mem[0]) < 1e-6
            for fl, mem in zip(floor_answers, mem_answers, strict=True)
        )
    measured = len(pairs) - WARMUP_PAIRS
    report.table(
        f"Path queries: {measured} random pairs, max_hops={MAX_HOPS} (latency, ms)",
        ["method", "k", "p50", "p95", "p99", "mean", "note"],
        rows,
    )
    ratio_rows = []
    for k in K_VALUES:
        mem_p50 = summaries[f"memory: routes k={k}"]["p50_ms"]
        floor = summaries[f"scipy csgraph dijkstra (floor) k={k}"]
        peer = summaries[f"networkx shortest_simple_paths k={k}"]
        row: list[object] = [
            k,
            fmt(peer["p50_ms"] / mem_p50, 1),
            fmt(mem_p50 / floor["p50_ms"], 1),
        ]
        if neo4j is not None:
            neo = summaries[f"neo4j: routes (Cypher) k={k}"]
            row.append(fmt(neo["p50_ms"] / mem_p50, 1))
        ratio_rows.append(row)
    headers = ["k", "networkx / memory (p50)", "memory / floor (p50)"]
    if neo4j is not None:
        headers.append("neo4j / memory (p50)")
    report.table("Path queries: ratios", headers, ratio_rows)
    report.table(
        f"Path queries: agreement (of {measured} pairs)",
        ["check", "pairs"],
        [[name, value] for name, value in checks.items()],
    )
    sample = pairs[WARMUP_PAIRS : WARMUP_PAIRS + 50]
    report.block(
        f"Path queries: pyinstrument profile of the memory backend, k=3, {len(sample)} pairs",
        profile_text(lambda: [raw_routes(memory, 3)(a, b) for a, b in sample]),
    )
    report.results["latency"] = summaries
    report.results["checks"] = checks
    report.save()
    if neo4j is not None:
        neo4j.close()


if __name__ == "__main__":
    main()
