"""The role page on both backends: the same facts and the same profile, field for field.

networkx (memory) is the reference; Neo4j answers from ``cypher/queries/role_facts.cypher``.
Occupations are the seed role, occupations with estimated values, and a fixed-seed sample of
the real O*NET 29.3 codes.
"""

from __future__ import annotations

import random

import pytest

from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.model import OnetRelease
from careergraph.graph.role_profile import build_role_profile

ROLES = [
    "Software Systems Engineer",
    "Engineering Director",
    "15-1252.00",
    "registered nurse",
    "teacher",
    "55-1011.00",
]


def _sample_codes(release: OnetRelease, n: int, seed: int) -> list[str]:
    codes = sorted(o.code for o in release.occupations)
    return random.Random(seed).sample(codes, n)


@pytest.mark.parametrize("role", ROLES)
def test_role_profile_is_the_same_on_both_backends(
    role: str, memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> None:
    memory = build_role_profile(memory_store, role)
    neo4j = build_role_profile(neo4j_store, role)
    assert neo4j.model_dump() == memory.model_dump()


def test_role_facts_are_the_same_on_both_backends(
    onet_release: OnetRelease, memory_store: NetworkxStore, neo4j_store: Neo4jStore
) -> None:
    estimated = sorted({r.code for r in onet_release.work_style_ratings if r.estimated})[:5]
    for code in _sample_codes(onet_release, 25, seed=11) + estimated:
        memory = memory_store.get_role_facts(code)
        assert memory is not None
        assert neo4j_store.get_role_facts(code) == memory, code
    assert neo4j_store.get_role_facts("15-1252.07") is None
    assert memory_store.get_role_facts("15-1252.07") is None


def test_the_seed_role_spans_three_occupations(memory_store: NetworkxStore) -> None:
    profile = build_role_profile(memory_store, "Software Systems Engineer")
    span = profile.title_span
    assert span is not None
    assert [o.code for o in span.occupations] == ["15-1252.00", "15-1299.08", "15-1253.00"]
    wage = span.median_wage_usd
    assert wage is not None
    wages = [o.median_wage_usd for o in span.occupations]
    assert (wage.low, wage.high) == (min(wages), max(wages))  # type: ignore[type-var]
    assert wage.plain_mean == pytest.approx(sum(wages) / 3)  # type: ignore[arg-type]
    weights = [o.weight_thousands for o in span.occupations]
    expected = sum(w * v for w, v in zip(weights, wages, strict=True)) / sum(weights)  # type: ignore[operator, misc, arg-type]
    assert wage.weighted == pytest.approx(expected)
    group = span.occupations[1]
    assert group.figures_for and group.figures_for.startswith("15-1299")
    assert group.weight_thousands is not None and group.employment_2024_thousands is not None
    assert group.weight_thousands < group.employment_2024_thousands  # split across its group
    assert "weighted by BLS 2024 employment" in span.method
    # estimated values are marked and said in words
    assert all(w.estimated_from for w in profile.who_thrives.work_styles)
    assert any(note.startswith("work styles: O*NET does not rate") for note in profile.estimates)
