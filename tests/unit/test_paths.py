"""graph.paths.find_k_cheapest_paths against a brute-force enumerator, and its contract."""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pytest

import careergraph.graph.paths as paths
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.cost import related_hop_cost
from careergraph.graph.errors import CareerGraphError, DeadlineExceededError
from careergraph.graph.model import OnetRelease, RelatednessTier
from careergraph.graph.paths import (
    MAX_HOPS_LIMIT,
    Rating,
    RawPath,
    RouteGraph,
    compute_skill_gaps,
    find_k_cheapest_paths,
    path_sort_key,
    skill_gain,
)

from .support import RELATED, A, B, C, D, E, F, G, H, brute_force_paths

Adjacency = Mapping[str, Sequence[tuple[str, float]]]


def _graph(edges: Iterable[tuple[str, str, float]]) -> tuple[Adjacency, Adjacency]:
    succ: dict[str, list[tuple[str, float]]] = defaultdict(list)
    pred: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for a, b, cost in edges:
        succ[a].append((b, cost))
        pred[b].append((a, cost))
    return succ, pred


def _find(
    succ: Adjacency,
    pred: Adjacency,
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    k: int = 3,
    max_hops: int = 4,
) -> list[RawPath]:
    graph, _ = RouteGraph.from_edges((a, b, cost) for a, out in succ.items() for b, cost in out)
    return find_k_cheapest_paths(graph, sources, targets, k=k, max_hops=max_hops)


def _as_tuples(paths: Sequence[RawPath]) -> list[tuple[tuple[str, ...], tuple[float, ...]]]:
    return [(tuple(p.codes), tuple(p.hop_costs)) for p in paths]


def _check_contract(
    paths: Sequence[RawPath],
    succ: Adjacency,
    sources: Sequence[str],
    targets: Sequence[str],
    k: int,
    max_hops: int,
) -> None:
    edge_cost = {(a, b): c for a, out in succ.items() for b, c in out}
    assert len(paths) <= k
    assert [path_sort_key(p) for p in paths] == sorted(path_sort_key(p) for p in paths)
    assert len({tuple(p.codes) for p in paths}) == len(paths)  # distinct
    for p in paths:
        assert 1 <= p.hops <= max_hops
        assert len(p.codes) == p.hops + 1
        assert len(set(p.codes)) == len(p.codes)  # loop-free
        assert p.codes[0] in sources
        assert p.codes[-1] in targets
        assert not set(p.codes[1:-1]) & set(targets)  # stops at the first target
        for a, b, cost in zip(p.codes, p.codes[1:], p.hop_costs, strict=False):
            assert edge_cost[(a, b)] == cost
        assert p.cost == sum(p.hop_costs)


# -- hand-made graphs -------------------------------------------------------------------


def test_cheapest_is_not_fewest_hops() -> None:
    succ, pred = _graph([("s", "t", 40), ("s", "a", 11), ("a", "t", 12), ("a", "b", 1)])
    paths = _find(succ, pred, ["s"], ["t"], k=5)
    assert _as_tuples(paths) == [(("s", "a", "t"), (11, 12)), (("s", "t"), (40,))]


def test_equal_cost_prefers_fewer_hops_then_codes() -> None:
    succ, pred = _graph(
        [
            ("s", "t", 20),
            ("s", "b", 10),
            ("b", "t", 10),
            ("s", "a", 10),
            ("a", "t", 10),
            ("s", "c", 5),
            ("c", "d", 5),
            ("d", "t", 10),
        ]
    )
    paths = _find(succ, pred, ["s"], ["t"], k=10)
    assert [p.codes for p in paths] == [
        ["s", "t"],
        ["s", "a", "t"],
        ["s", "b", "t"],
        ["s", "c", "d", "t"],
    ]
    assert {p.cost for p in paths} == {20}


@pytest.mark.parametrize("k", [1, 2, 3])
def test_ties_at_the_kth_place_are_resolved_by_the_key(k: int) -> None:
    # five equal-cost two-hop routes, discovered in an order unrelated to their codes
    mids = ["m4", "m1", "m3", "m0", "m2"]
    succ, pred = _graph([e for m in mids for e in (("s", m, 3.0), (m, "t", 4.0))])
    paths = _find(succ, pred, ["s"], ["t"], k=k)
    assert [p.codes[1] for p in paths] == sorted(mids)[:k]


def test_cycles_do_not_produce_loops() -> None:
    succ, pred = _graph(
        [("a", "b", 1), ("b", "a", 1), ("b", "c", 1), ("c", "a", 1), ("c", "d", 1), ("a", "d", 9)]
    )
    paths = _find(succ, pred, ["a"], ["d"], k=10, max_hops=6)
    assert [p.codes for p in paths] == [["a", "b", "c", "d"], ["a", "d"]]


def test_route_stops_at_the_first_target() -> None:
    succ, pred = _graph([("s", "t1", 1), ("t1", "t2", 1), ("s", "t2", 5)])
    paths = _find(succ, pred, ["s"], ["t1", "t2"], k=10)
    assert [p.codes for p in paths] == [["s", "t1"], ["s", "t2"]]


def test_source_that_is_also_a_target() -> None:
    succ, pred = _graph([("a", "b", 2), ("b", "a", 2), ("a", "c", 5)])
    # a route needs at least one hop and cannot come back to its start
    assert _find(succ, pred, ["a"], ["a"], k=5) == []
    paths = _find(succ, pred, ["a", "b"], ["a", "c"], k=5)
    assert [p.codes for p in paths] == [["b", "a"], ["a", "c"]]


def test_unreachable_and_unknown_nodes_give_no_paths() -> None:
    succ, pred = _graph([("a", "b", 1), ("c", "a", 1)])
    assert _find(succ, pred, ["a"], ["c"]) == []
    assert _find(succ, pred, ["zz"], ["b"]) == []
    assert _find(succ, pred, ["a"], ["zz"]) == []
    assert _find(succ, pred, [], ["b"]) == []


def test_max_hops_is_a_hard_limit() -> None:
    chain = [(f"n{i}", f"n{i + 1}", 1.0) for i in range(6)] + [("n0", "n6", 100.0)]
    succ, pred = _graph(chain)
    assert [p.hops for p in _find(succ, pred, ["n0"], ["n6"], k=5, max_hops=6)] == [6, 1]
    assert [p.hops for p in _find(succ, pred, ["n0"], ["n6"], k=5, max_hops=5)] == [1]
    assert _find(succ, pred, ["n0"], ["n5"], k=5, max_hops=4) == []


def test_duplicate_sources_are_ignored() -> None:
    succ, pred = _graph([("a", "b", 1)])
    assert len(_find(succ, pred, ["a", "a", "a"], ["b", "b"], k=5)) == 1


def test_zero_cost_edges() -> None:
    succ, pred = _graph([("a", "b", 0), ("b", "c", 0), ("a", "c", 0), ("c", "d", 1)])
    paths = _find(succ, pred, ["a"], ["c"], k=5)
    assert [p.codes for p in paths] == [["a", "c"], ["a", "b", "c"]]


@pytest.mark.parametrize(
    ("k", "max_hops"), [(0, 4), (-1, 4), (1, 0), (1, -2), (1, MAX_HOPS_LIMIT + 1), (3, 7)]
)
def test_bad_arguments(k: int, max_hops: int) -> None:
    succ, pred = _graph([("a", "b", 1)])
    with pytest.raises(CareerGraphError, match=r"^(k|max_hops) must be"):
        _find(succ, pred, ["a"], ["b"], k=k, max_hops=max_hops)


def _random_graph(seed: int) -> list[tuple[str, str, float]]:
    rng = random.Random(seed)
    nodes = [f"v{i}" for i in range(rng.randint(4, 8))]
    density = rng.choice([0.2, 0.35, 0.5])
    weights: list[float] = [0, 1, 2, 3, 5, 8] if seed % 2 else [0.1, 0.2, 0.3, 0.7, 1.5]
    return [
        (a, b, rng.choice(weights))
        for a, b in itertools.permutations(nodes, 2)
        if rng.random() < density
    ]


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_match_brute_force(seed: int) -> None:
    edges = _random_graph(seed)
    succ, pred = _graph(edges)
    nodes = sorted({n for a, b, _ in edges for n in (a, b)})
    rng = random.Random(1000 + seed)
    queries = [([s], [t]) for s in nodes for t in nodes]
    for _ in range(6):
        queries.append(
            (rng.sample(nodes, min(2, len(nodes))), rng.sample(nodes, min(2, len(nodes))))
        )
    for sources, targets in queries:
        for k, max_hops in ((1, 6), (3, 3), (4, 6), (50, 6), (2, 1)):
            got = _find(succ, pred, sources, targets, k=k, max_hops=max_hops)
            want = brute_force_paths(succ, sources, targets, k=k, max_hops=max_hops)
            assert _as_tuples(got) == _as_tuples(want), (sources, targets, k, max_hops)
            _check_contract(got, succ, sources, targets, k, max_hops)


def _fitted_costs_graph(seed: int) -> list[tuple[str, str, float]]:
    """Random graphs with costs like -log of a fitted probability: small positive floats
    of no fixed scale, some repeated so that sums tie."""
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(rng.randint(5, 9))]
    pool = [round(-math.log(rng.uniform(0.01, 0.99)), rng.choice([2, 6])) for _ in range(6)]
    return [
        (a, b, rng.choice(pool) if rng.random() < 0.5 else rng.uniform(1e-4, 5.0))
        for a, b in itertools.permutations(nodes, 2)
        if rng.random() < 0.4
    ]


@pytest.mark.parametrize("seed", range(30))
def test_filters_and_via_match_brute_force(seed: int) -> None:
    """Edge and node filters and ``via`` give what brute force gives on the graph with the
    forbidden edges and nodes removed (the start node is never filtered)."""
    edges = _fitted_costs_graph(seed)
    graph, positions = RouteGraph.from_edges(edges)
    rng = random.Random(2000 + seed)
    nodes = list(graph.codes)
    edge_ok = [True] * graph.edge_count
    for i in range(len(edges)):
        edge_ok[positions[i]] = rng.random() < 0.8
    node_ok = [rng.random() < 0.85 for _ in nodes]
    usable = [
        (a, b, c)
        for i, (a, b, c) in enumerate(edges)
        if edge_ok[positions[i]] and node_ok[graph.index[b]]
    ]
    succ, _ = _graph(usable)
    for _ in range(25):
        sources = rng.sample(nodes, rng.choice([1, 1, 2]))
        targets = rng.sample(nodes, rng.choice([1, 1, 2]))
        via = rng.choice([None, *nodes])
        for k, max_hops in ((1, 6), (3, 4), (20, 6)):
            got = find_k_cheapest_paths(
                graph,
                sources,
                targets,
                k=k,
                max_hops=max_hops,
                via=via,
                edge_ok=bytes(edge_ok),
                node_ok=node_ok,
            )
            want = brute_force_paths(succ, sources, targets, k=k, max_hops=max_hops, via=via)
            assert _as_tuples(got) == _as_tuples(want), (sources, targets, via, k, max_hops)
            _check_contract(got, succ, sources, targets, k, max_hops)
            assert via is None or all(via in p.codes for p in got)


def test_costs_equal_after_rounding_are_ordered_by_hops() -> None:
    """Costs equal to 6 decimals tie (path_sort_key): the shorter route wins although it
    is dearer by 3e-7, so the search must not stop at the first cost it finds."""
    succ, pred = _graph(
        [
            ("s", "a", 5.0),
            ("a", "b", 2.0),
            ("b", "t", 3.0000001),
            ("s", "c", 4.0),
            ("c", "t", 6.0000004),
        ]
    )
    paths = _find(succ, pred, ["s"], ["t"], k=1)
    assert [p.codes for p in paths] == [["s", "c", "t"]]
    assert _as_tuples(_find(succ, pred, ["s"], ["t"], k=2)) == _as_tuples(
        brute_force_paths(succ, ["s"], ["t"], k=2, max_hops=4)
    )


def test_a_past_deadline_stops_a_long_search() -> None:
    nodes = [f"x{i}" for i in range(12)]
    graph, _ = RouteGraph.from_edges(
        (a, b, 1.0 + (i * 7919 % 13) / 10)
        for i, (a, b) in enumerate(itertools.permutations(nodes, 2))
    )
    with pytest.raises(DeadlineExceededError, match="route search did not finish"):
        find_k_cheapest_paths(
            graph, ["x0"], ["x1"], k=10_000, max_hops=6, deadline=time.monotonic() - 1
        )
    # without a deadline the same search completes
    assert len(find_k_cheapest_paths(graph, ["x0"], ["x1"], k=50, max_hops=6)) == 50


@pytest.mark.parametrize(
    ("codes", "indptr", "indices", "costs", "message"),
    [
        (["a", "a"], [0, 0, 0], [], [], "distinct"),
        (["a", "b"], [0, 1], [1], [1.0], "n \\+ 1"),
        (["a", "b"], [0, 1, 1], [2], [1.0], "out of range"),
        (["a", "b"], [0, 1, 1], [1], [-1.0], "finite and >= 0"),
        (["a", "b"], [0, 1, 1], [1], [math.inf], "finite and >= 0"),
        (["a", "b"], [0, 1, 1], [1], [], "costs"),
        (["a", "b"], [0, 2, 1], [1], [1.0], "n \\+ 1|non-decreasing"),
    ],
)
def test_route_graph_rejects_bad_arrays(
    codes: list[str], indptr: list[int], indices: list[int], costs: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        RouteGraph(codes, indptr, indices, costs)


def test_route_graph_from_csr_arrays() -> None:
    """The CSR constructor takes numpy arrays as they are (a compact store's layout)."""
    graph = RouteGraph(
        ["a", "b", "c"],
        np.array([0, 2, 3, 3]),
        np.array([1, 2, 2], dtype=np.int32),
        np.array([1.5, 4.0, 1.0]),
    )
    paths = find_k_cheapest_paths(graph, ["a"], ["c"], k=3, max_hops=2)
    assert _as_tuples(paths) == [(("a", "b", "c"), (1.5, 1.0)), (("a", "c"), (4.0,))]


# -- the fixture graph via NetworkxStore ------------------------------------------------


def _fixture_adjacency(release: OnetRelease) -> dict[str, list[tuple[str, float]]]:
    succ: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in release.related:
        succ[r.code].append((r.related_code, related_hop_cost(r.tier, r.rank)))
    return succ


def test_fixture_graph_shape(mini_release: OnetRelease, mini_store: NetworkxStore) -> None:
    """The fixture is built to make path answers non-trivial; keep it that way."""
    best = mini_store.find_k_cheapest_paths([A], [D], 3, 4, RELATED)
    # cheapest route has two hops and beats the direct (Supplemental) hop ...
    assert [p.codes for p in best] == [[A, B, D], [A, C, D], [A, D]]
    assert [p.cost for p in best] == [23, 23, 31]  # ... and ties at 23 are split by codes
    # equal cost, fewer hops first
    to_e = mini_store.find_k_cheapest_paths([F], [E], 2, 4, RELATED)
    assert [(p.codes, p.cost) for p in to_e] == [([F, E], 22), ([F, G, E], 22)]
    # a cycle exists (A -> B -> D -> E -> A) yet routes never loop
    assert [p.codes for p in mini_store.find_k_cheapest_paths([A], [A], 5, 6, RELATED)] == []
    assert mini_store.find_k_cheapest_paths([B], [A], 1, 6, RELATED)[0].codes == [B, D, E, A]
    # nobody reaches H
    codes = [o.code for o in mini_release.occupations]
    assert all(mini_store.find_k_cheapest_paths([c], [H], 10, 6, RELATED) == [] for c in codes)
    assert not any(r.related_code == H for r in mini_release.related)


def test_fixture_all_pairs_match_brute_force(
    mini_release: OnetRelease, mini_store: NetworkxStore
) -> None:
    succ = _fixture_adjacency(mini_release)
    codes = [o.code for o in mini_release.occupations]
    compared = nonempty = 0
    for s, t in itertools.product(codes, codes):
        for k in (1, 2, 3, 5, 100):
            for max_hops in range(1, MAX_HOPS_LIMIT + 1):
                got = mini_store.find_k_cheapest_paths([s], [t], k, max_hops, RELATED)
                want = brute_force_paths(succ, [s], [t], k=k, max_hops=max_hops)
                assert _as_tuples(got) == _as_tuples(want), (s, t, k, max_hops)
                _check_contract(got, succ, [s], [t], k, max_hops)
                compared += 1
                nonempty += bool(got)
    assert compared == len(codes) ** 2 * 5 * MAX_HOPS_LIMIT
    assert nonempty > compared // 2


@pytest.mark.parametrize(
    ("sources", "targets"),
    [([B, C], [D, E]), ([A, F], [E]), ([F, G], [A, B, C]), ([H, A], [C, F])],
)
def test_fixture_multi_endpoint_queries(
    mini_release: OnetRelease,
    mini_store: NetworkxStore,
    sources: list[str],
    targets: list[str],
) -> None:
    succ = _fixture_adjacency(mini_release)
    for k, max_hops in ((1, 4), (3, 4), (10, 6), (4, 2)):
        got = mini_store.find_k_cheapest_paths(sources, targets, k, max_hops, RELATED)
        assert got, (sources, targets)
        want = brute_force_paths(succ, sources, targets, k=k, max_hops=max_hops)
        assert _as_tuples(got) == _as_tuples(want)
        _check_contract(got, succ, sources, targets, k, max_hops)


def test_hop_costs_follow_the_cost_formula(mini_release: OnetRelease) -> None:
    for r in mini_release.related:
        penalty = {
            RelatednessTier.PRIMARY_SHORT: 0,
            RelatednessTier.PRIMARY_LONG: 5,
            RelatednessTier.SUPPLEMENTAL: 10,
        }[r.tier]
        assert related_hop_cost(r.tier, r.rank) == 10 + penalty + r.rank
    assert related_hop_cost(RelatednessTier.PRIMARY_SHORT, 1) == 11
    assert related_hop_cost(RelatednessTier.SUPPLEMENTAL, 20) == 40
    for bad in (0, 21):
        with pytest.raises(ValueError, match="rank must be within 1-20"):
            related_hop_cost(RelatednessTier.PRIMARY_LONG, bad)


# -- skill gaps -------------------------------------------------------------------------


def test_skill_gaps() -> None:
    src = {
        "x": Rating(name="X", importance=3, level=2),
        "y": Rating(name="Y", importance=3, level=5),
        "z": Rating(name="Z", importance=3, level=1),
        "w": Rating(name="W", importance=3, level=1),
    }
    dst = {
        "x": Rating(name="X", importance=5, level=4),  # gain (4-2)*5/5 = 2
        "y": Rating(name="Y", importance=5, level=4),  # lower level: no gap
        "z": Rating(name="Z", importance=2.5, level=5),  # (5-1)*2.5/5 = 2 (tie with x)
        "w": Rating(name="W", importance=1, level=2),  # (2-1)*1/5 = 0.2
        "v": Rating(name="V", importance=5, level=7),  # unrated in source: skipped
    }
    gaps = compute_skill_gaps(src, dst, kind="skill")
    assert [(g.element_id, g.gain) for g in gaps] == [("x", 2.0), ("z", 2.0), ("w", 0.2)]
    assert all(g.kind == "skill" for g in gaps)
    assert [g.element_id for g in compute_skill_gaps(src, dst, kind="skill", limit=1)] == ["x"]
    # an unrated source: the target's key requirements, counted from level 0
    needs = compute_skill_gaps({}, dst, kind="skill")
    assert needs and all(g.from_level is None for g in needs)
    assert [g.gain for g in needs] == sorted(
        (skill_gain(0.0, r.level, r.importance) for r in dst.values()), reverse=True
    )[: len(needs)]
    assert compute_skill_gaps(src, {}, kind="skill") == []
    assert skill_gain(2, 4, 5) == 2.0


def _sparse_graph(seed: int, n: int) -> list[tuple[str, str, float]]:
    """A large sparse random graph (out-degree 1-5, costs with repeats so that sums tie),
    big enough that the search's bound takes its sparse paths (dict tables, sorted
    frontiers) rather than the dense ones the small graphs above take."""
    rng = random.Random(seed)
    pool = [0.5, 1.0, 1.5, 2.0, 3.25]
    return [
        (f"n{a}", f"n{b}", rng.choice(pool) if rng.random() < 0.5 else rng.uniform(0.1, 4.0))
        for a in range(n)
        for b in {
            (a + rng.choice([1, 2, 3, rng.randrange(n)])) % n for _ in range(rng.randint(1, 5))
        }
        if b != a
    ]


@pytest.mark.parametrize("seed", range(4))
def test_large_sparse_graphs_match_brute_force(seed: int) -> None:
    """On graphs of ~5,000 nodes, with filters and several sources or targets, the search
    gives what brute force gives (the bound's sparse paths: paths.py ``_route_bounds``)."""
    edges = _sparse_graph(seed, 5000 + 500 * seed)
    graph, positions = RouteGraph.from_edges(edges)
    rng = random.Random(3000 + seed)
    edge_ok = [True] * graph.edge_count
    for i in range(len(edges)):
        edge_ok[positions[i]] = rng.random() < 0.9
    node_ok = [rng.random() < 0.95 for _ in graph.codes]
    usable = [
        (a, b, c)
        for i, (a, b, c) in enumerate(edges)
        if edge_ok[positions[i]] and node_ok[graph.index[b]]
    ]
    succ, _ = _graph(edges)
    usable_succ, _ = _graph(usable)
    nodes = list(graph.codes)
    answered = 0
    for _ in range(40):
        start = rng.choice(nodes)
        near = [b for b, _ in succ[start]] + [c for b, _ in succ[start] for c, _ in succ[b]]
        sources = [start, *rng.sample(nodes, rng.choice([0, 0, 1]))]
        targets = [rng.choice(near or nodes), *rng.sample(nodes, rng.choice([0, 1, 2]))]
        for k, max_hops in ((1, 4), (3, 5), (5, 6)):
            got = find_k_cheapest_paths(graph, sources, targets, k=k, max_hops=max_hops)
            want = brute_force_paths(succ, sources, targets, k=k, max_hops=max_hops)
            assert _as_tuples(got) == _as_tuples(want), (sources, targets, k, max_hops)
            answered += len(got) > 1
            got = find_k_cheapest_paths(
                graph,
                sources,
                targets,
                k=k,
                max_hops=max_hops,
                edge_ok=bytes(edge_ok),
                node_ok=node_ok,
            )
            want = brute_force_paths(usable_succ, sources, targets, k=k, max_hops=max_hops)
            assert _as_tuples(got) == _as_tuples(want), (sources, targets, k, max_hops)
    assert answered >= 20  # many queries have several routes: the check is not vacuous


@pytest.mark.parametrize("forward_weight", [0.0, 2.0, 1e18])
@pytest.mark.parametrize("dense_table_nodes", [0, 4096])
def test_bounds_from_both_ends_equal_the_backward_distances(
    monkeypatch: pytest.MonkeyPatch, forward_weight: float, dense_table_nodes: int
) -> None:
    """However the bound splits its levels between the backward and the forward side
    (all forward, cost-based, all backward) and whatever tables it builds, its value at a
    node a walk reaches in ``h`` hops from a source is the dense backward distance with
    ``levels - h + 1`` hops."""
    monkeypatch.setattr(paths, "_FORWARD_EDGE_WEIGHT", forward_weight)
    monkeypatch.setattr(paths, "_DENSE_TABLE_NODES", dense_table_nodes)
    for seed in range(12):
        edges = _fitted_costs_graph(seed) if seed % 3 else _sparse_graph(seed, 300)
        graph, _ = RouteGraph.from_edges(edges)
        rng = random.Random(4000 + seed)
        node_ok = [rng.random() < 0.85 for _ in graph.codes] if seed % 2 else None
        adj = paths._Adjacency(graph, None, node_ok)
        for _ in range(5):
            sources = rng.sample(range(graph.node_count), rng.choice([1, 1, 2]))
            goals = rng.sample(range(graph.node_count), rng.choice([1, 2]))
            goals = [g for g in goals if g not in sources] or [
                next(i for i in range(graph.node_count) if i not in sources)
            ]
            blocked = sources if len(sources) == 1 else []
            for levels in range(6):
                dense = paths._hop_limited_distances(adj, goals, blocked, levels)
                bounds = paths._route_bounds(adj, sources, goals, blocked, levels)
                layer = set(sources)
                for h in range(1, levels + 1):
                    layer = {w for v in layer for w, _ in adj.out(v)}
                    r = levels - h + 1
                    assert {v: bounds[r][v] for v in layer} == {
                        v: float(dense[r][v]) for v in layer
                    }, (seed, levels, h)
