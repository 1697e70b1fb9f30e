"""One suite, both backends: the same counts, best routes, costs and explanations.

networkx (memory) is the reference; Neo4j computes routes in Cypher. Pairs are drawn with a
fixed seed from the real O*NET 29.3 occupations that have related occupations.
"""

from __future__ import annotations

import random

import pytest

from graph.backends.neo4j_store import Neo4jStore
from graph.backends.networkx_store import NetworkxStore
from graph.cost import related_hop_cost
from graph.model import OnetRelease, RelatednessTier
from graph.paths import path_sort_key
from graph.service import find_career_paths
from graph.store import GraphStore


def _pairs(release: OnetRelease, n: int, seed: int) -> list[tuple[str, str]]:
    with_edges = sorted({r.code for r in release.related})
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n:
        a, b = rng.sample(with_edges, 2)
        pairs.append((a, b))
    return pairs


@pytest.fixture(scope="module", params=["memory", "neo4j"])
def store(
    request: pytest.FixtureRequest, memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> GraphStore:
    return memory_store if request.param == "memory" else neo4j_store


def test_seed_question_resolves_and_finds_a_route(store: GraphStore) -> None:
    result = find_career_paths(store, "Software Systems Engineer", "Engineering Director", k=3)
    assert "15-1252.00" in result.source.codes
    assert result.target.codes == ["11-9041.00"]
    assert result.paths, "at least one route"
    for path in result.paths:
        assert path.codes[0] in result.source.codes
        assert path.codes[-1] == "11-9041.00"


def test_routes_are_edges_loop_free_sorted_and_cost_recomputes(
    store: GraphStore, onet_release: OnetRelease
) -> None:
    edges = {(r.code, r.related_code): (r.tier, r.rank) for r in onet_release.related}
    for a, b in _pairs(onet_release, 10, seed=7):
        routes = store.find_k_cheapest_paths([a], [b], 3, 4)
        assert routes == sorted(routes, key=path_sort_key)
        assert len({tuple(r.codes) for r in routes}) == len(routes)
        for route in routes:
            assert len(set(route.codes)) == len(route.codes)
            assert route.codes[0] == a and route.codes[-1] == b
            for (x, y), cost in zip(
                zip(route.codes, route.codes[1:], strict=False), route.hop_costs, strict=True
            ):
                tier, rank = edges[(x, y)]
                assert cost == related_hop_cost(RelatednessTier(tier), rank)


def test_same_k_best_routes_and_costs_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    pairs = _pairs(onet_release, 24, seed=2026)
    compared = 0
    for a, b in pairs:
        for k, max_hops in ((1, 4), (3, 4)):
            expected = memory_store.find_k_cheapest_paths([a], [b], k, max_hops)
            actual = neo4j_store.find_k_cheapest_paths([a], [b], k, max_hops)
            assert actual == expected, (a, b, k, max_hops)
            compared += bool(expected)
    assert compared >= 20


def test_same_routes_with_long_hop_limits(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    for a, b in _pairs(onet_release, 4, seed=11):
        for max_hops in (1, 2, 5, 6):
            expected = memory_store.find_k_cheapest_paths([a], [b], 3, max_hops)
            assert neo4j_store.find_k_cheapest_paths([a], [b], 3, max_hops) == expected


def test_same_explanations_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    for a, b in _pairs(onet_release, 20, seed=5):
        for route in memory_store.find_k_cheapest_paths([a], [b], 1, 4):
            for x, y in zip(route.codes, route.codes[1:], strict=False):
                assert neo4j_store.explain_hop(x, y) == memory_store.explain_hop(x, y)


def test_same_seed_answer_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> None:
    mem = find_career_paths(memory_store, "Software Systems Engineer", "Engineering Director")
    neo = find_career_paths(neo4j_store, "Software Systems Engineer", "Engineering Director")
    assert [m.code for m in neo.source.matches] == [m.code for m in mem.source.matches]
    assert neo.paths == mem.paths
