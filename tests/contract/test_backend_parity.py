"""One suite, both backends: the same counts, best routes, costs and explanations.

networkx (memory) is the reference; Neo4j computes routes in Cypher. Pairs are drawn with a
fixed seed from the real O*NET 29.3 occupations (with BLS figures and derived LEADS_TO).
"""

from __future__ import annotations

import random

import pytest

from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.cost import related_hop_cost
from careergraph.graph.model import MoveKind, OnetRelease, RelatednessTier
from careergraph.graph.paths import RouteFilters, path_sort_key, route_key
from careergraph.graph.service import find_career_paths
from careergraph.graph.store import GraphStore

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


def test_same_move_routes_for_any_k_and_several_ends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    """k_cheapest_moves.cypher prunes its 4-hop routes with the k-th cost of the routes of
    up to 3 hops and the cheapest hop costs stored on the occupations: the answer stays
    exactly the memory backend's for every k, hop limit and several sources and targets."""
    pairs = _pairs(onet_release, 12, seed=77)
    compared = 0
    for (a, b), (c, d) in zip(pairs[::2], pairs[1::2], strict=True):
        for sources, targets in (([a], [b]), ([a, c], [b, d])):
            for k, max_hops in ((1, 4), (2, 3), (5, 4), (10, 4)):
                expected = memory_store.find_k_cheapest_paths(sources, targets, k, max_hops)
                actual = neo4j_store.find_k_cheapest_paths(sources, targets, k, max_hops)
                assert actual == expected, (sources, targets, k, max_hops)
                compared += len(expected) == k
    assert compared >= 30


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


@pytest.mark.parametrize(
    "filters",
    [
        RouteFilters(relationship="RELATED_TO", min_growth_pct=2.0),
        RouteFilters(relationship="RELATED_TO", exclude=["15-1299.08"], via="11-3021.00"),
        RouteFilters(only_advancement=True, max_wage_drop_pct=0.0, exclude=["11-3021.00"]),
    ],
    ids=["related_min_growth", "related_exclude_via", "moves_combined"],
)
def test_filters_on_both_relationships_agree(
    filters: RouteFilters, memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> None:
    """Node filters and ``via`` hold for RELATED_TO routes too, the same on both backends,
    for every hop limit (the 5-6 hop phase included)."""
    sources = ["15-1252.00", "15-1253.00"]
    for target in ("11-9041.00", "11-3021.00", "13-1111.00"):
        for k, max_hops in ((3, 3), (5, 4), (3, 5)):
            expected = memory_store.find_k_cheapest_paths(sources, [target], k, max_hops, filters)
            got = neo4j_store.find_k_cheapest_paths(sources, [target], k, max_hops, filters)
            assert got == expected, (target, k, max_hops)


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


def test_technologies_to_learn_are_the_targets_in_demand_ones(
    store: GraphStore, onet_release: OnetRelease
) -> None:
    """At most five of the target's In Demand technologies the source does not use, of a
    commodity (UNSPSC Commodity Code) the source already uses, hot ones first, then by name;
    none when none qualify."""
    uses: dict[str, set[str]] = {}
    kinds: dict[str, set[str]] = {}
    wanted: dict[str, list[tuple[bool, str, str]]] = {}
    for t in onet_release.technologies:
        uses.setdefault(t.code, set()).add(t.name)
        kinds.setdefault(t.code, set()).add(t.commodity_code)
        if t.in_demand:
            wanted.setdefault(t.code, []).append((not t.hot, t.name, t.commodity_code))
    moves = sorted((m.code, m.next_code) for m in onet_release.career.moves)
    pairs = [*random.Random(21).sample(moves, 40), ("29-2061.00", "29-1141.00")]
    empty = listed = 0
    for (a, b), hop in zip(pairs, store.explain_hops(pairs, 10), strict=True):
        expected = sorted(
            (cold, name)
            for cold, name, kind in wanted.get(b, [])
            if name not in uses.get(a, set()) and kind in kinds.get(a, set())
        )
        assert hop.technologies_to_learn == [name for _, name in expected[:5]], (a, b)
        empty += not expected
        listed += bool(expected)
    assert empty, "some hops have no In Demand technology to learn"
    assert listed, "some hops have one"
    lpn_to_rn = store.explain_hop("29-2061.00", "29-1141.00")
    assert not {"Apache Spark", "Dentrix"} & set(lpn_to_rn.technologies_to_learn)
    # the seed's weak link: A&E Managers' In Demand CAD product is no kind of tool Software
    # Developers use; their Excel, Office and PowerPoint are used already
    assert store.explain_hop("15-1252.00", "11-9041.00").technologies_to_learn == []


def test_group_figures_are_marked_and_not_compared(
    store: GraphStore, onet_release: OnetRelease
) -> None:
    """A hop between two occupations carrying one BLS group's figures reports "same BLS
    group", never a 0 wage change; group figures name their group."""
    labor = {f.code: f for f in onet_release.career.labor_market}
    same = sorted(
        (m.code, m.next_code)
        for m in onet_release.career.moves
        if m.code in labor
        and m.next_code in labor
        and labor[m.code].bls_soc_code == labor[m.next_code].bls_soc_code
    )
    assert len(same) > 20
    pairs = random.Random(3).sample(same, 20)
    for (a, b), hop in zip(pairs, store.explain_hops(pairs), strict=True):
        group = f"{labor[a].bls_soc_code} {labor[a].bls_title}"
        assert hop.same_bls_group == group, (a, b)
        assert hop.wage_change_usd is None and hop.wage_change_pct is None
        assert hop.education_change is None
        assert hop.to_figures_for == labor[b].figures_for
    hop = store.explain_hop("15-1252.00", "15-1299.08")
    assert hop.same_bls_group is None and hop.wage_change_pct is not None
    assert hop.to_figures_for == "15-1299 Computer occupations, all other"
    assert hop.from_figures_for is None
    steps = {s.code: s for s in store.list_next_steps("29-1141.00")}
    specialty = next(s for code, s in steps.items() if code.startswith("29-1141."))
    assert specialty.same_bls_group == "29-1141 Registered nurses"
    assert specialty.wage_delta_pct is None
    assert specialty.figures_for == "29-1141 Registered nurses"


def test_seed_answer_offers_the_software_engineering_director(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> None:
    """ "Engineering Director" asked from Software Developers: 11-3021.00, whose O*NET
    alternate title is "Software Engineering Director", is offered with its route and why,
    identically on both backends; no CAD tool is listed to learn on the way there, and a hop
    backed by observed moves says so."""
    mem = find_career_paths(memory_store, "Software Systems Engineer", "Engineering Director")
    neo = find_career_paths(neo4j_store, "Software Systems Engineer", "Engineering Director")
    assert neo.alternatives == mem.alternatives
    offered = {a.code: a for a in mem.alternatives}
    it = offered["11-3021.00"]
    assert it.matched_title == "Software Engineering Director"
    assert it.title_source == "alternate"
    assert "'Engineering Director' of the software field" in it.reason
    hops = it.paths[0].hops
    assert hops[0].from_code == "15-1252.00" and hops[-1].to_code == "11-3021.00"
    learn = [t for hop in hops for t in hop.technologies_to_learn]
    assert not [t for t in learn if "CAD" in t or "AutoCAD" in t or "Revit" in t]
    assert any(hop.observed_move_text for hop in hops)


def test_two_titles_of_one_occupation_on_both_backends(store: GraphStore) -> None:
    result = find_career_paths(store, "Software Engineer", "Software Developers")
    assert result.paths == []
    assert result.same_occupation is not None
    assert result.same_occupation.code == "15-1252.00"
    assert "are both titles of 15-1252.00 Software Developers" in result.same_occupation.message


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
