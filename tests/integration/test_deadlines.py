"""Per-request deadlines on the real Neo4j server (graph.deadline): a query that would
run past the deadline is stopped by the server and reported as DeadlineExceededError, and
a request whose time is already up sends nothing."""

from __future__ import annotations

import time

import pytest

from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.deadline import deadline_scope
from careergraph.graph.errors import DeadlineExceededError
from careergraph.graph.paths import RouteFilters

HEAVY = RouteFilters(relationship="RELATED_TO")


def test_a_past_deadline_sends_no_query(neo4j_store: Neo4jStore) -> None:
    neo4j_store.find_k_cheapest_paths(["15-1252.00"], ["11-9041.00"], 1, 2)  # loaded, warm
    started = time.monotonic()
    with (
        deadline_scope(time.monotonic() - 1.0, 0.5),
        pytest.raises(DeadlineExceededError, match=r"did not finish within 0\.5 s"),
    ):
        neo4j_store.find_k_cheapest_paths(["15-1252.00"], ["11-9041.00"], 3, 4)
    assert time.monotonic() - started < 0.5


def test_the_server_stops_a_query_at_the_deadline(neo4j_store: Neo4jStore) -> None:
    """Ten 6-hop routes over RELATED_TO take the long, cost-bounded second phase: far more
    than 20 ms; with 20 ms left the server ends the query and the store says so."""
    neo4j_store.find_k_cheapest_paths(["15-1252.00"], ["11-9041.00"], 1, 2)
    started = time.monotonic()
    with (
        deadline_scope(time.monotonic() + 0.02, 0.02),
        pytest.raises(DeadlineExceededError, match=r"within 0\.02 s"),
    ):
        neo4j_store.find_k_cheapest_paths(["15-1252.00"], ["11-9041.00"], 10, 6, HEAVY)
    assert time.monotonic() - started < 2.0
    # without a deadline the same query completes
    assert neo4j_store.find_k_cheapest_paths(["15-1252.00"], ["11-9041.00"], 10, 6, HEAVY)
