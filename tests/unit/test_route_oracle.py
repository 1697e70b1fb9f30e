"""The memory backend's routes on the real graph (O*NET 29.3 + BLS + derived LEADS_TO)
against the brute-force enumerator, with every route filter: the fast search must give
exactly the answer the definition gives (docs/pathfinding.md section 4)."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.cost import related_hop_cost
from careergraph.graph.model import MoveKind, OnetRelease
from careergraph.graph.paths import RouteFilters

from .support import brute_force_paths

FILTERS = [
    RouteFilters(),
    RouteFilters(relationship="RELATED_TO"),
    RouteFilters(only_advancement=True),
    RouteFilters(max_wage_drop_pct=5.0, min_growth_pct=2.0),
    RouteFilters(exclude=["11-9041.00", "15-1252.00", "13-1082.00"]),
    RouteFilters(via="11-3021.00"),
]


def _usable_adjacency(release: OnetRelease, f: RouteFilters) -> dict[str, list[tuple[str, float]]]:
    """The edges a route with filters ``f`` may use, straight from the release records."""
    growth = {x.code: x.growth_pct for x in release.career.labor_market}

    def node_ok(code: str) -> bool:
        if code in f.exclude:
            return False
        g = growth.get(code)
        return f.min_growth_pct is None or (g is not None and g >= f.min_growth_pct)

    succ: dict[str, list[tuple[str, float]]] = defaultdict(list)
    if f.relationship == "RELATED_TO":
        for r in release.related:
            if node_ok(r.related_code):
                succ[r.code].append((r.related_code, related_hop_cost(r.tier, r.rank)))
        return succ
    for m in release.career.moves:
        if f.only_advancement and m.kind is not MoveKind.ADVANCEMENT:
            continue
        drop = f.max_wage_drop_pct
        if drop is not None and m.wage_delta_pct is not None and m.wage_delta_pct < -drop:
            continue
        if node_ok(m.next_code):
            succ[m.code].append((m.next_code, m.cost))
    return succ


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: f.model_dump_json(exclude_defaults=True))
def test_real_graph_routes_equal_brute_force(
    f: RouteFilters, onet_release: OnetRelease, memory_store: NetworkxStore
) -> None:
    succ = _usable_adjacency(onet_release, f)
    codes = sorted({m.code for m in onet_release.career.moves})
    rng = random.Random(31)
    pairs = [tuple(rng.sample(codes, 2)) for _ in range(6)]
    pairs.append(("15-1252.00", "11-9041.00"))  # the seed question
    nonempty = 0
    for a, b in pairs:
        for k, max_hops in ((1, 2), (3, 3), (10, 3)):
            got = memory_store.find_k_cheapest_paths([a], [b], k, max_hops, f)
            want = brute_force_paths(succ, [a], [b], k=k, max_hops=max_hops, via=f.via)
            assert got == want, (a, b, k, max_hops)
            nonempty += bool(got)
    assert nonempty >= 3
