"""The memory store's compact tables (graph/backends/compact.py) and what the store keeps of
its networkx graph: the same answers as the graph, on the fixture release."""

from __future__ import annotations

import pickle

import pytest

from careergraph.graph.backends.compact import CompactDicts, CompactModels, PackedValues
from careergraph.graph.backends.networkx_store import _LISTED_TYPES, _PAIR_TYPES, NetworkxStore
from careergraph.graph.model import CareerMove, DescriptorKind, MoveKind, OnetRelease
from careergraph.graph.paths import Rating
from careergraph.graph.store import NextStepTitle
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


def test_restored_compact_dicts_look_keys_up_in_buckets_until_iterated() -> None:
    """A restored table answers lookups from the bucket of each key (made at its first
    lookup), iterates in the order the records were written, saves again unchanged, and
    takes new records after all that."""
    table = CompactDicts()
    keys = [f"{i:05d} {i * 7 % 1000:05d} RELATED_TO" for i in range(1000)] + ["", "\u00e9 \ud800"]
    for i, key in enumerate(keys):
        table.add(key, {"i": i, "key": key})
    table.add(keys[3], {"i": -3})  # replaced: now the last record
    order = [*keys[:3], *keys[4:], keys[3]]
    restored = pickle.loads(pickle.dumps(table))
    buckets = restored._buckets
    assert restored._rows is None and buckets is not None and len(buckets._made) > 10
    assert len(restored) == len(keys)
    assert restored[keys[10]] == {"i": 10, "key": keys[10]}
    assert sum(made is not None for made in buckets._made) == 1  # one bucket made
    for i, key in enumerate(keys):
        assert key in restored
        assert restored[key] == ({"i": -3} if i == 3 else {"i": i, "key": key})
    for absent in ("nope", "00001 00007 RELATED", "\ud800", 12, None, ("a",)):
        assert absent not in restored and restored.get(absent) is None
    with pytest.raises(KeyError):
        restored["nope"]
    again = pickle.loads(pickle.dumps(restored))  # saved from the buckets, still unmade
    assert again._rows is None and list(again) == order
    assert restored._rows is None and list(restored) == order == list(table)
    assert restored._rows is not None and restored._buckets is not None  # as pickled
    assert list(pickle.loads(pickle.dumps(restored))) == order
    restored.add("new", {"i": 9})
    assert restored._buckets is None  # changed: pickled from its rows again
    restored.remove(keys[0])
    assert list(pickle.loads(pickle.dumps(restored))) == [*order[1:], "new"]
    assert restored["new"] == {"i": 9} and keys[0] not in restored
    assert list(restored) == [*order[1:], "new"]


def test_packed_values_decode_each_value_once_and_survive_pickling() -> None:
    values = {
        "15-1252.00": [("Software Engineer", "alternate"), ("Developer", "reported")],
        "11-3021.00": {"Python", "SQL"},
        "x": {"name": (True, "43232408")},
        "empty": [],
    }
    packed = PackedValues(values)
    assert dict(packed) == values and len(packed) == 4 and "x" in packed
    assert packed.get("nope") is None and packed.get("nope", ()) == () and "nope" not in packed
    with pytest.raises(KeyError):
        packed["nope"]
    assert packed["15-1252.00"] is packed.get("15-1252.00")  # decoded once, then kept
    restored = pickle.loads(pickle.dumps(packed, 5))
    assert restored._values == {} and dict(restored) == values
    assert restored["empty"] == [] and restored.get("empty", None) == []
    assert pickle.loads(pickle.dumps(restored))._values == {}
    with pytest.raises(ValueError):
        PackedValues({"a": object()})
    with pytest.raises(ValueError):
        PackedValues({"a": None})


def test_restored_store_indexes_equal_the_built_ones(career_release: OnetRelease) -> None:
    """What the store packs for its restore (compact tables, packed values, ratings)
    reads back equal to what a load built."""
    store = NetworkxStore()
    store.load(career_release)
    restored = pickle.loads(pickle.dumps(store, 5))
    built, again = store._require(), restored._require()
    for name in ("titles_by_code", "move_succ", "in_demand_technologies", "typical_rl"):
        assert dict(getattr(again, name)) == dict(getattr(built, name)), name
    for name in ("technology_names", "technology_commodities"):
        assert dict(getattr(again, name)) == dict(getattr(built, name)), name
    assert again.ratings == {}
    rated = 0
    for occupation in career_release.occupations:
        for kind in DescriptorKind:
            want = {
                r.element_id: (r.importance, r.level)
                for r in career_release.ratings
                if r.code == occupation.code and r.kind is kind
            }
            got = again.rated(occupation.code, kind)
            assert got == built.rated(occupation.code, kind)
            assert {eid: (r.importance, r.level) for eid, r in got.items()} == want
            assert list(got) == list(want)  # the file's order
            assert all(type(r) is Rating for r in got.values())
            rated += len(got)
    assert rated == len(career_release.ratings)
    assert again.rated("99-9999.99", DescriptorKind.SKILL) == {}
    assert again.typical_rl_models == {} and again.typical_rl
    for code in again.typical_rl:
        assert again.typical_education(code) == built.typical_education(code) is not None
    assert again.typical_education("99-9999.99") is None
    view, view_again = store._require_view(), restored._require_view()
    assert dict(view_again.pairs) == dict(view.pairs) and len(view.pairs) > 0
    assert dict(view_again.listed) == dict(view.listed) and len(view.listed) > 0
    assert dict(again.moves) == dict(built.moves)
    assert dict(view_again.occupations) == dict(view.occupations) and view.occupations
    assert dict(view_again.moved_into) == dict(view.moved_into)


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


def test_next_step_titles_are_every_title_of_every_next_step_in_order(
    career_release: OnetRelease,
) -> None:
    """The titles of the occupations one career move away, with the move's cost, by code,
    name and source: computed here from the release, for a built and a restored store."""
    store = NetworkxStore()
    store.load(career_release)
    restored = pickle.loads(pickle.dumps(store, 5))
    listed = 0
    for occupation in career_release.occupations:
        want = sorted(
            (
                (m.next_code, t.name, t.source.value, m.cost)
                for m in career_release.career.moves
                if m.code == occupation.code
                for t in career_release.titles
                if t.code == m.next_code
            ),
            key=lambda row: row[:3],
        )
        for got in (store, restored):
            titles = got.list_next_step_titles(occupation.code)
            assert [tuple(t) for t in titles] == want
            assert all(type(t) is NextStepTitle for t in titles)
        listed += len(want)
    assert listed > 0
    assert store.list_next_step_titles("99-9999.99") == []


def test_empty_store_counts_nothing() -> None:
    counts = NetworkxStore().counts()
    assert counts.nodes == {} and counts.relationships == {}
