"""The memory store's compact tables (graph/backends/compact.py) and what the store keeps of
its networkx graph: the same answers as the graph, on the fixture release."""

from __future__ import annotations

import pickle

import pytest

from careergraph.graph.backends.compact import CompactDicts, CompactModels
from careergraph.graph.backends.networkx_store import _LISTED_TYPES, _PAIR_TYPES, NetworkxStore
from careergraph.graph.model import CareerMove, MoveKind, OnetRelease
from careergraph.loaders.onet import read_onet_release
from careergraph.loaders.pipeline import build_career_data

from .support import FIXTURE_DIR


@pytest.fixture(scope="module")
def career_release() -> OnetRelease:
    """The fixture release with its derived career moves (no BLS data)."""
    return build_career_data(read_onet_release(FIXTURE_DIR), bls_dir=None, career_changers_dir=None)


def test_compact_dicts_give_back_equal_fresh_dicts() -> None:
    table = CompactDicts()
    first = {"tier": "Primary-Short", "rank": 3, "cost": 1.25, "reasons": ["a", "b"], "x": None}
    second = {"share": 0.5, "estimated": True, "codes": ["15-1132", "15-1133"]}
    table.add("a b RELATED_TO", first)
    table.add("a b MOVED_TO", second)
    assert table["a b RELATED_TO"] == first
    assert table["a b MOVED_TO"] == second
    assert len(table) == 2 and set(table) == {"a b RELATED_TO", "a b MOVED_TO"}
    assert table.get("b a RELATED_TO") is None and "b a RELATED_TO" not in table
    got = table["a b RELATED_TO"]
    got["reasons"].append("changed by a caller")
    assert table["a b RELATED_TO"] == first  # a fresh copy each time
    restored = pickle.loads(pickle.dumps(table))
    assert dict(restored.items()) == dict(table.items())
    table.remove("a b MOVED_TO")
    assert "a b MOVED_TO" not in table
    with pytest.raises(KeyError):
        table.remove("a b MOVED_TO")


def test_compact_dicts_refuse_values_they_cannot_keep() -> None:
    with pytest.raises(ValueError):
        CompactDicts().add("k", {"kind": MoveKind.ADVANCEMENT, "o": object()})
    with pytest.raises(ValueError):
        CompactDicts().add("two\nlines", {})


@pytest.mark.parametrize("keys", [[], [""], ["", "a"], ["only"]])
def test_compact_dicts_survive_pickling_with_any_keys(keys: list[str]) -> None:
    table = CompactDicts()
    for i, key in enumerate(keys):
        table.add(key, {"i": i})
    table.add(keys[-1] if keys else "x", {"i": -1})  # replaced: the old bytes stay behind
    restored = pickle.loads(pickle.dumps(table))
    assert dict(restored.items()) == dict(table.items())
    restored.add("new", {"i": 9})
    assert restored["new"] == {"i": 9}


def test_compact_models_give_back_equal_models(career_release: OnetRelease) -> None:
    moves = career_release.career.moves
    assert moves
    table: CompactModels[CareerMove] = CompactModels(CareerMove)
    for move in moves:
        table[(move.code, move.next_code)] = move
    assert len(table) == len(moves)
    for move in moves:
        got = table[(move.code, move.next_code)]
        assert got == move and got.kind is move.kind
    assert set(table) == {(m.code, m.next_code) for m in moves}
    first = (moves[0].code, moves[0].next_code)
    del table[first]
    assert first not in table and len(table) == len(moves) - 1


def test_store_keeps_what_its_networkx_graph_says(career_release: OnetRelease) -> None:
    """Every hop relationship, listed relationship, occupation node and count the store
    answers from equals the networkx graph a load builds (the reference)."""
    graph = NetworkxStore._build_graph(career_release, None)
    store = NetworkxStore()
    store.load(career_release)
    view = store._require_view()
    pairs = listed = 0
    for a, b, data in graph.edges(data=True):
        code_a, code_b = graph.nodes[a].get("code"), graph.nodes[b].get("code")
        if data["type"] in _PAIR_TYPES:
            assert view.pairs[f"{code_a} {code_b} {data['type']}"] == data
            pairs += 1
        elif data["type"] in _LISTED_TYPES:
            assert (graph.nodes[b], data) in view.listed[(code_a, data["type"])]
            listed += 1
    assert pairs == len(view.pairs) and pairs > 0
    assert listed == sum(len(v) for v in view.listed.values()) and listed > 0
    for _, props in graph.nodes(data=True):
        if props["label"] == "Occupation":
            assert view.occupations[props["code"]] == props
    labels = {label for _, label in graph.nodes(data="label")}
    counts = store.counts()
    assert set(counts.nodes) == labels
    assert sum(counts.relationships.values()) == graph.number_of_edges()
    for move in career_release.career.moves:
        steps = {s.code: s for s in store.list_next_steps(move.code)}
        assert steps[move.next_code].cost == move.cost
        assert steps[move.next_code].reasons == move.reasons


def test_empty_store_counts_nothing() -> None:
    counts = NetworkxStore().counts()
    assert counts.nodes == {} and counts.relationships == {}
