"""What the memory backend keeps between answers (hop explanations, the route link template)
changes no answer: every kept piece equals the one computed afresh, byte for byte."""

from __future__ import annotations

import pickle
import urllib.parse
from typing import Literal

import pytest

from careergraph.api.browser import browser_url, build_browser_text, cypher_literal, read_cypher
from careergraph.api.routes.paths import ROUTE_QUERY, _quoted_literal, find_paths, route_cypher
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.model import OnetRelease
from careergraph.graph.paths import RouteFilters
from careergraph.loaders.pipeline import build_career_data

HTTP_URL = "http://127.0.0.1:7474/"


def test_route_link_equals_the_link_built_from_the_whole_text() -> None:
    text = read_cypher(ROUTE_QUERY)
    routes = [
        (["15-1252.00", "11-9041.00"], ["LEADS_TO"]),
        (["15-1252.00", "15-1299.08", "11-3021.00"], ["RELATED_TO", "LEADS_TO"]),
        (["a;b", "c&d#'x\\", "é ü\n"], ["RELATED_TO", "LEADS_TO"]),  # every escape at once
    ]
    for codes, relationships in routes:
        params = {"codes": codes, "relationships": relationships}
        expected = browser_url(HTTP_URL, build_browser_text(text, params))
        answer = route_cypher(codes, relationships, HTTP_URL)
        assert answer.browser_url == expected
        assert answer.parameters == params
        assert answer.statement.splitlines()[0].startswith("UNWIND")
        assert _quoted_literal(codes) == urllib.parse.quote(cypher_literal(codes), safe="")


def _fresh_store(release: OnetRelease) -> NetworkxStore:
    """The fixture release with derived career moves (``LEADS_TO``), loaded."""
    store = NetworkxStore()
    store.load(build_career_data(release, bls_dir=None, career_changers_dir=None))
    return store


def _hops(store: NetworkxStore) -> list[tuple[str, str, str]]:
    idx = store._require()
    leads = [(a, b, "LEADS_TO") for a, moves in idx.move_succ.items() for b, _ in moves]
    related = [(a, b, "RELATED_TO") for a, links in idx.succ.items() for b, _ in links]
    return leads + related


def test_kept_hop_explanations_equal_fresh_ones(mini_release: OnetRelease) -> None:
    store = _fresh_store(mini_release)
    hops = _hops(store)
    assert len(hops) >= 10
    first = {(a, b, r, n): store.explain_hop(a, b, n, r) for a, b, r in hops for n in (5, 2)}
    for (a, b, r, n), hop in first.items():
        again = store.explain_hop(a, b, n, r)
        assert again is hop  # kept
        fresh = store._explain_hop(store._require_view(), store._require(), a, b, n, r)
        assert fresh is not hop and fresh.model_dump_json() == hop.model_dump_json()
    with pytest.raises(KeyError):
        store.explain_hop("00-0000.00", hops[0][1])


def test_path_answers_are_the_same_with_kept_pieces(mini_release: OnetRelease) -> None:
    """Each answer computed twice on one store (the second from kept hops and link pieces)
    and once on a new store restored from a pickle (as a snapshot), byte for byte."""
    store = _fresh_store(mini_release)
    codes = sorted(store._require().occupations)
    pairs = [(a, b) for a in codes for b in codes if a != b]
    answers = {}
    relationships: list[Literal["LEADS_TO", "RELATED_TO"]] = ["LEADS_TO", "RELATED_TO"]
    questions = [(a, b, r) for a, b in pairs for r in relationships]

    def answer(
        on: NetworkxStore, a: str, b: str, relationship: Literal["LEADS_TO", "RELATED_TO"]
    ) -> str:
        filters = RouteFilters(relationship=relationship)
        try:
            return find_paths(on, a, b, 3, 4, HTTP_URL, filters).model_dump_json()
        except Exception as exc:  # no route: the same error each time
            return repr(exc)

    answers = {(a, b, r): answer(store, a, b, r) for a, b, r in questions}
    assert sum(v.startswith("{") for v in answers.values()) >= 10
    restored: NetworkxStore = pickle.loads(pickle.dumps(store))
    for again in (store, restored):
        for (a, b, r), expected in answers.items():
            assert answer(again, a, b, r) == expected


def test_a_new_load_forgets_kept_hops(mini_release: OnetRelease) -> None:
    store = _fresh_store(mini_release)
    a, b, r = _hops(store)[0]
    hop = store.explain_hop(a, b, 5, r)
    store.load(build_career_data(mini_release, bls_dir=None, career_changers_dir=None))
    assert store.explain_hop(a, b, 5, r) is not hop
