"""One suite, both backends: the same counts, best routes, costs and explanations.

networkx (memory) is the reference; Neo4j computes routes in Cypher. Pairs are drawn with a
fixed seed from the real O*NET 29.3 occupations (with BLS figures and derived LEADS_TO).
"""

from __future__ import annotations

import random

import pytest

from graph.backends.neo4j_store import Neo4jStore
from graph.backends.networkx_store import NetworkxStore
from graph.cost import related_hop_cost
from graph.model import MoveKind, OnetRelease, RelatednessTier
from graph.paths import RouteFilters, path_sort_key, route_key
from graph.service import find_career_paths
from graph.store import GraphStore

RELATED = RouteFilters(relationship="RELATED_TO")


def _pairs(release: OnetRelease, n: int, seed: int) -> list[tuple[str, str]]:
    with_edges = sorted({r.code for r in release.related})
    rng = random.Random(seed)
    return [tuple(rng.sample(with_edges, 2)) for _ in range(n)]  # type: ignore[misc]


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
    first_hop = result.paths[0].hops[0]
    assert first_hop.skills_to_gain, "the first hop names real skills to gain"
    assert first_hop.wage_change_usd is not None and first_hop.wage_change_pct is not None


def test_related_routes_are_edges_loop_free_sorted_and_cost_recomputes(
    store: GraphStore, onet_release: OnetRelease
) -> None:
    edges = {(r.code, r.related_code): (r.tier, r.rank) for r in onet_release.related}
    for a, b in _pairs(onet_release, 10, seed=7):
        routes = store.find_k_cheapest_paths([a], [b], 3, 4, RELATED)
        assert routes == sorted(routes, key=path_sort_key)
        assert len({route_key(r.codes) for r in routes}) == len(routes)
        for route in routes:
            assert len(set(route.codes)) == len(route.codes)
            assert route.codes[0] == a and route.codes[-1] == b
            hops = zip(route.codes, route.codes[1:], strict=False)
            for (x, y), cost in zip(hops, route.hop_costs, strict=True):
                tier, rank = edges[(x, y)]
                assert cost == related_hop_cost(RelatednessTier(tier), rank)


def test_move_routes_are_edges_and_cost_recomputes(
    store: GraphStore, onet_release: OnetRelease
) -> None:
    moves = {(m.code, m.next_code): m for m in onet_release.career.moves}
    for a, b in _pairs(onet_release, 10, seed=8):
        routes = store.find_k_cheapest_paths([a], [b], 3, 4)
        assert routes == sorted(routes, key=path_sort_key)
        assert len({route_key(r.codes) for r in routes}) == len(routes)
        for route in routes:
            assert len(set(route.codes)) == len(route.codes)
            hops = zip(route.codes, route.codes[1:], strict=False)
            for (x, y), cost in zip(hops, route.hop_costs, strict=True):
                assert cost == moves[(x, y)].cost


def test_same_k_best_routes_and_costs_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    compared = 0
    for a, b in _pairs(onet_release, 24, seed=2026):
        for k, max_hops, filters in ((1, 4, RELATED), (3, 4, RELATED), (3, 4, None)):
            expected = memory_store.find_k_cheapest_paths([a], [b], k, max_hops, filters)
            actual = neo4j_store.find_k_cheapest_paths([a], [b], k, max_hops, filters)
            assert actual == expected, (a, b, k, max_hops, filters)
            compared += bool(expected)
    assert compared >= 40


def test_same_routes_with_long_hop_limits(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    for a, b in _pairs(onet_release, 3, seed=11):
        for max_hops in (1, 2, 5, 6):
            for filters in (RELATED, None):
                expected = memory_store.find_k_cheapest_paths([a], [b], 3, max_hops, filters)
                actual = neo4j_store.find_k_cheapest_paths([a], [b], 3, max_hops, filters)
                assert actual == expected, (a, b, max_hops, filters)


def test_long_routes_when_short_ones_are_scarce(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    """Few routes of up to 4 hops: Neo4j's second phase must widen its cost bound until
    the k-th route is certain (graph/backends/neo4j_store.py, _find_moves)."""
    scarce = RouteFilters(only_advancement=True, min_growth_pct=5.0)
    checked = 0
    for a, b in _pairs(onet_release, 6, seed=13):
        short = memory_store.find_k_cheapest_paths([a], [b], 5, 4, scarce)
        expected = memory_store.find_k_cheapest_paths([a], [b], 5, 6, scarce)
        assert neo4j_store.find_k_cheapest_paths([a], [b], 5, 6, scarce) == expected, (a, b)
        checked += len(short) < 5  # the widening-bound branch ran
    assert checked >= 1, "at least one pair with fewer than k short routes"


@pytest.mark.parametrize(
    "filters",
    [
        RouteFilters(only_advancement=True),
        RouteFilters(max_wage_drop_pct=5.0),
        RouteFilters(min_growth_pct=3.0),
        RouteFilters(via="11-3021.00"),
        RouteFilters(exclude=["17-2112.02", "13-1082.00"]),
    ],
    ids=["only_advancement", "max_wage_drop", "min_growth", "via", "exclude"],
)
def test_route_filters_agree_and_hold(
    filters: RouteFilters,
    memory_store: NetworkxStore,
    neo4j_store: Neo4jStore,
    onet_release: OnetRelease,
) -> None:
    moves = {(m.code, m.next_code): m for m in onet_release.career.moves}
    growth = {f.code: f.growth_pct for f in onet_release.career.labor_market}
    sources = ["15-1252.00", "15-1253.00", "15-1299.08"]
    expected = memory_store.find_k_cheapest_paths(sources, ["11-9041.00"], 5, 4, filters)
    assert neo4j_store.find_k_cheapest_paths(sources, ["11-9041.00"], 5, 4, filters) == expected
    for route in expected:
        hops = list(zip(route.codes, route.codes[1:], strict=False))
        if filters.only_advancement:
            assert all(moves[h].kind is MoveKind.ADVANCEMENT for h in hops)
        if filters.max_wage_drop_pct is not None:
            drops = [moves[h].wage_delta_pct for h in hops]
            assert all(d is None or d >= -filters.max_wage_drop_pct for d in drops)
        if filters.min_growth_pct is not None:
            assert all((growth.get(c) or -1e9) >= filters.min_growth_pct for c in route.codes[1:])
        if filters.via is not None:
            assert filters.via in route.codes
        assert not set(filters.exclude) & set(route.codes[1:])


def test_same_explanations_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    explained = 0
    for a, b in _pairs(onet_release, 20, seed=5):
        for filters in (RELATED, RouteFilters()):
            for route in memory_store.find_k_cheapest_paths([a], [b], 1, 4, filters):
                for x, y in zip(route.codes, route.codes[1:], strict=False):
                    mem = memory_store.explain_hop(x, y, 5, filters.relationship)
                    assert neo4j_store.explain_hop(x, y, 5, filters.relationship) == mem
                    explained += 1
    assert explained >= 40


def test_same_seed_answer_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> None:
    mem = find_career_paths(memory_store, "Software Systems Engineer", "Engineering Director")
    neo = find_career_paths(neo4j_store, "Software Systems Engineer", "Engineering Director")
    assert [m.code for m in neo.source.matches] == [m.code for m in mem.source.matches]
    assert neo.paths == mem.paths


def test_hops_backed_by_observed_moves_say_so_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    """Every explained hop that is also an observed move (MOVED_TO, CPS ASEC) carries the
    move and its sentence, identically on both backends."""
    observed = {(m.code, m.next_code): m for m in onet_release.career.observed_moves}
    moves = sorted((m.code, m.next_code) for m in onet_release.career.moves)
    backed = [pair for pair in moves if pair in observed]
    pairs = [*random.Random(13).sample(backed, 60), ("15-1252.00", "11-3021.00")]
    mem = memory_store.explain_hops(pairs)
    assert neo4j_store.explain_hops(pairs) == mem
    for (a, b), hop in zip(pairs, mem, strict=True):
        assert hop.observed_move == observed[(a, b)]
        assert hop.observed_move_text == observed[(a, b)].describe(hop.from_title, hop.to_title)
    seed = mem[-1].observed_move_text
    assert seed is not None and seed.endswith(
        "a year later (CPS ASEC; estimated from BLS OES groups 15-1132/15-1133 -> 11-3020)"
    )
    assert "of people who left Software Developers were Computer and Information" in seed


def test_seed_answer_is_short_and_rests_on_more_than_a_weak_reverse_listing(
    store: GraphStore, onet_release: OnetRelease
) -> None:
    moves = {(m.code, m.next_code): m for m in onet_release.career.moves}
    result = find_career_paths(store, "Software Systems Engineer", "Engineering Director", k=1)
    best = result.paths[0]
    assert len(best.hops) <= 3
    for a, b in zip(best.codes, best.codes[1:], strict=False):
        move = moves[(a, b)]
        weak_reverse_only = (
            move.reverse_tier == RelatednessTier.SUPPLEMENTAL.value
            and move.related_tier is None
            and move.observed_share is None
            and move.career_changers_rank is None
            and move.ladder is None
        )
        assert not weak_reverse_only, f"{a} -> {b} rests on a Supplemental reverse listing"
        hop = next(h for h in best.hops if (h.from_code, h.to_code) == (a, b))
        assert hop.reasons == move.reasons
