"""The read methods behind the HTTP API give the same answers on both backends, and the
answers agree with the O*NET source records (recomputed here, not copied from a backend)."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import pytest

from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.model import DescriptorKind, OnetRelease
from careergraph.graph.store import GraphStore
from careergraph.graph.titles import look_up_titles


def _codes(release: OnetRelease, n: int, seed: int) -> list[str]:
    rated = sorted({r.code for r in release.ratings})
    unrated = sorted({o.code for o in release.occupations} - set(rated))
    rng = random.Random(seed)
    return rng.sample(rated, n - 2) + rng.sample(unrated, 2)


@pytest.fixture(scope="module", params=["memory", "neo4j"])
def store(
    request: pytest.FixtureRequest, memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> GraphStore:
    return memory_store if request.param == "memory" else neo4j_store


def test_profile_follows_the_source_records(store: GraphStore, onet_release: OnetRelease) -> None:
    names = {d.element_id: d.name for d in onet_release.descriptors}
    for code in _codes(onet_release, 8, seed=3):
        profile = store.get_occupation_profile(code, 6)
        assert profile is not None and profile.code == code
        for kind, listed in (
            (DescriptorKind.SKILL, profile.skills),
            (DescriptorKind.KNOWLEDGE, profile.knowledge),
        ):
            ratings = [r for r in onet_release.ratings if r.code == code and r.kind is kind]
            ratings.sort(key=lambda r: (-r.importance, -r.level, r.element_id))
            expected = [
                (r.element_id, names[r.element_id], r.importance, r.level) for r in ratings[:6]
            ]
            assert [(e.element_id, e.name, e.importance, e.level) for e in listed] == expected
        techs = [t for t in onet_release.technologies if t.code == code]
        hot = sorted((t for t in techs if t.hot), key=lambda t: (not t.in_demand, t.name))
        assert profile.technology_count == len(techs)
        assert profile.hot_technology_count == len(hot)
        assert [(t.name, t.in_demand) for t in profile.hot_technologies] == [
            (t.name, t.in_demand) for t in hot[:6]
        ]
        shares = sorted(
            (s.category, s.share_pct)
            for s in onet_release.education_shares
            if s.code == code and s.share_pct > 0
        )
        assert [(e.category, e.share_pct) for e in profile.education] == shares
    assert store.get_occupation_profile("99-9999.99") is None


def test_related_follow_the_source_records(store: GraphStore, onet_release: OnetRelease) -> None:
    by_code = defaultdict(list)
    for r in onet_release.related:
        by_code[r.code].append((r.rank, r.related_code, r.tier.value))
    for code in _codes(onet_release, 8, seed=4):
        links = store.list_related_occupations(code)
        assert [(x.rank, x.code, x.tier) for x in links] == sorted(by_code[code])
    assert store.list_related_occupations("99-9999.99") == []


def test_next_steps_follow_the_career_moves(store: GraphStore, onet_release: OnetRelease) -> None:
    moves = defaultdict(list)
    for m in onet_release.career.moves:
        moves[m.code].append(m)
    for code in [*_codes(onet_release, 8, seed=6), "15-1252.00"]:
        steps = store.list_next_steps(code)
        expected = sorted(moves[code], key=lambda m: (m.cost, m.next_code))
        assert [(s.code, s.kind, s.cost, s.reasons) for s in steps] == [
            (m.next_code, m.kind.value, m.cost, m.reasons) for m in expected
        ]
    assert store.list_next_steps("99-9999.99") == []


def test_likely_next_steps_follow_the_distributions(
    store: GraphStore, onet_release: OnetRelease
) -> None:
    distributions = {d.code: d for d in onet_release.career.next_step_distributions}
    moves = {(m.code, m.next_code): m for m in onet_release.career.moves}
    observed = {
        (m.code, m.next_code): m.share_of_movers for m in onet_release.career.observed_moves
    }
    titles = {o.code: o.title for o in onet_release.occupations}
    for code in [*_codes(onet_release, 8, seed=7), "15-1252.00"]:
        d = distributions[code]
        steps = store.rank_likely_next_steps(code, 200)
        assert len(steps) == min(200, len(d.next_codes)) > 0
        assert [(s.rank, s.code, s.probability) for s in steps] == [
            (k, c, p)
            for k, (c, p) in enumerate(zip(d.next_codes, d.probabilities, strict=True), start=1)
        ][:200]
        for s in steps:
            assert s.title == titles[s.code] and s.code != code
            assert s.career_move == ((code, s.code) in moves)
            assert s.observed_share == observed.get((code, s.code))
        assert store.rank_likely_next_steps(code, 3) == steps[:3]
    assert store.rank_likely_next_steps("99-9999.99", 5) == []


def test_gap_follows_the_source_records(store: GraphStore, onet_release: OnetRelease) -> None:
    levels: dict[tuple[str, str], tuple[float, float]] = {
        (r.code, r.element_id): (r.importance, r.level) for r in onet_release.ratings
    }
    techs = defaultdict(set)
    in_demand = defaultdict(set)
    for t in onet_release.technologies:
        techs[t.code].add(t.name)
        if t.in_demand:
            in_demand[t.code].add(t.name)
    codes = _codes(onet_release, 10, seed=5)
    for a, b in zip(codes, reversed(codes), strict=True):
        gap = store.get_occupation_gap(a, b, 5)
        assert gap is not None
        assert (gap.source.code, gap.target.code) == (a, b)
        for g in gap.skills_to_gain + gap.knowledge_to_gain:
            importance, level = levels[(b, g.element_id)]
            assert (g.to_level, g.importance) == (level, importance)
            if (a, g.element_id) in levels:
                assert g.from_level == levels[(a, g.element_id)][1] < g.to_level
            else:  # unrated source: the target's key requirements, gain from level 0
                assert g.from_level is None
        # to learn: the target's In Demand technologies the source does not use, at most 5
        missing = in_demand[b] - techs[a]
        assert gap.technologies_to_learn_count == len(missing)
        assert gap.shared_technology_count == len(techs[b] & techs[a])
        assert len(gap.technologies_to_learn) == min(5, len(missing))
        assert {t.name for t in gap.technologies_to_learn} <= missing
        assert all(t.in_demand for t in gap.technologies_to_learn)
    assert store.get_occupation_gap("15-1252.00", "99-9999.99") is None


def test_same_answers_on_both_backends(
    memory_store: NetworkxStore, neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    codes = _codes(onet_release, 30, seed=2026)
    estimated = sorted({r.code for r in onet_release.ratings if r.estimated})
    codes += [*random.Random(9).sample(estimated, 4), "15-1252.00"]
    for code in codes:
        for limit in (3, 50):
            assert neo4j_store.get_occupation_profile(
                code, limit
            ) == memory_store.get_occupation_profile(code, limit)
        assert neo4j_store.list_related_occupations(code) == memory_store.list_related_occupations(
            code
        )
        assert neo4j_store.list_next_steps(code) == memory_store.list_next_steps(code)
        assert neo4j_store.rank_likely_next_steps(code, 40) == memory_store.rank_likely_next_steps(
            code, 40
        )
    unrated_to_rated = list(zip(codes[-2:], codes[:2], strict=True))
    for a, b in [*itertools.pairwise(codes), *unrated_to_rated]:
        assert neo4j_store.get_occupation_gap(a, b, 7) == memory_store.get_occupation_gap(a, b, 7)
    for code in ("15-1252.07", "15-9999.00", "11-1011.05", "99-1111.11"):
        assert neo4j_store.suggest_occupations_by_code(
            code
        ) == memory_store.suggest_occupations_by_code(code)


def test_code_suggestions_share_the_longest_prefix(store: GraphStore) -> None:
    near = store.suggest_occupations_by_code("15-1252.07", 5)
    assert near[0].code == "15-1252.00" and len(near) == 5
    assert all(o.code.startswith("15-125") for o in near)
    assert store.suggest_occupations_by_code("99-1111.11") == []


@pytest.mark.parametrize("text", ["AND", "OR", "NOT", "a AND", "TO", "&&", "||", '"', "\\"])
def test_search_reads_query_syntax_as_words(store: GraphStore, text: str) -> None:
    """Title search is Python over the title records on both backends: Lucene or Cypher
    syntax in the text is searched for as words, never parsed."""
    found = look_up_titles(store, text, 5)
    assert found.query == text and isinstance(found.results, list)
