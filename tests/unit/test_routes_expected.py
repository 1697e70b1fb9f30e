"""The expected routes (``eval/routes_expected.csv``), given the right end points.

For each question the from-title is resolved by the product and the row's accepted end
codes are the targets, so the check measures the moves, not title resolution (which
``bench/evaluate_paths.py`` reports separately, with the listed intermediate steps). The
best route must end at an accepted code within the row's hop limit.
"""

from __future__ import annotations

import csv

import pytest

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.paths import RouteFilters
from careergraph.graph.service import resolve_title
from tests.conftest import SHARED_DATA

ROUTES_FILE = SHARED_DATA / "eval" / "routes_expected.csv"
with ROUTES_FILE.open(encoding="utf-8", newline="") as _fh:
    ROWS = list(csv.DictReader(_fh))
DEFAULT_MAX_HOPS = 4


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['from']} -> {r['to']}" for r in ROWS])
def test_best_route_reaches_an_accepted_end_within_the_hop_limit(
    memory_store: NetworkxStore, row: dict[str, str]
) -> None:
    source = resolve_title(memory_store, row["from"]).codes
    ends = row["end"].split()
    if source[0] in ends:
        return  # the from-title already names an accepted occupation
    routes = memory_store.find_k_cheapest_paths(source, ends, 1, DEFAULT_MAX_HOPS, RouteFilters())
    assert routes, f"no route from {source} to {ends}"
    best = routes[0]
    assert best.codes[-1] in ends
    assert len(best.codes) - 1 <= int(row["max_hops"]), best.codes
