"""The serving shortcuts change no answer: the route's Browser link from its template, the
ETag's release read from the answer's end, and answers of a store restored from a pickle
(as from a snapshot), each equal to what the plain way gives, byte for byte."""

from __future__ import annotations

import contextlib
import json
import pickle
import urllib.parse
from typing import Literal

import pytest

from careergraph.api.browser import browser_url, build_browser_text, cypher_literal
from careergraph.api.http import entity_tag
from careergraph.api.routes.paths import ROUTE_QUERY, _quoted_literal, find_paths, route_cypher
from careergraph.graph.backends.cypher_files import read_cypher
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


def test_path_answers_are_the_same_again_and_restored(mini_release: OnetRelease) -> None:
    """Each answer computed twice on one store and once on a new store restored from a
    pickle (as from a snapshot), byte for byte."""
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


@pytest.mark.parametrize(
    "body",
    [
        b'{"paths":[],"attribution":{"release":"29.3","text":"O*NET"}}',
        b'{"attribution":{"release":"29.3"},"paths":[]}',  # not last: parsed whole
        b'{"paths":[{"attribution":{"release":"x"}}]}',  # nested only
        b'{"a":{"attribution":{"release":"x"}},"attribution":{"release":"29.3"}}',
        b'{"title":"\\"attribution\\":{\\"release\\":\\"x\\"}"}',  # in a string
        b'{"attribution":{"release":7}}',
        b'{"attribution":"29.3"}',
        b"[1, 2]",
        b"not json",
    ],
)
def test_entity_tag_reads_the_release_as_a_full_parse_would(body: bytes) -> None:
    data = None
    with contextlib.suppress(ValueError):
        data = json.loads(body)
    attribution = data.get("attribution") if isinstance(data, dict) else None
    release = attribution.get("release") if isinstance(attribution, dict) else None
    expected = release if isinstance(release, str) else "none"
    assert entity_tag(body).startswith(f'W/"{expected}-')
