"""graph.service: title resolution and explained career paths on the fixture."""

from __future__ import annotations

import pytest

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.cost import related_hop_cost
from careergraph.graph.errors import (
    CareerGraphError,
    NoPathError,
    NotLoadedError,
    UnknownOccupationError,
)
from careergraph.graph.model import OccupationTitle, OnetRelease, TitleSource
from careergraph.graph.paths import SkillGap
from careergraph.graph.service import find_career_paths, resolve_title
from careergraph.graph.store import GraphStore, HopExplanation

from .support import RELATED, A, B, C, D, E, F, G, H, fixture_rows


def _fixture_ratings(table: str) -> dict[tuple[str, str], dict[str, float]]:
    """(code, element) -> {"IM": importance, "LV": level} straight from a fixture file."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    for row in fixture_rows(table):
        out.setdefault((row["O*NET-SOC Code"], row["Element ID"]), {})[row["Scale ID"]] = float(
            row["Data Value"]
        )
    return out


def _expected_gains(table: str, a: str, b: str) -> list[tuple[str, float]]:
    ratings = _fixture_ratings(table)
    elements = {e for _, e in ratings}
    gains = []
    if not any(code == a for code, _ in ratings):  # unrated source: b's key requirements
        gains = [
            (e, ratings[(b, e)]["LV"] * ratings[(b, e)]["IM"] / 5)
            for e in elements
            if (b, e) in ratings
        ]
        return sorted(gains, key=lambda g: (-g[1], g[0]))
    for e in elements:
        if (a, e) in ratings and (b, e) in ratings:
            lv_from, lv_to = ratings[(a, e)]["LV"], ratings[(b, e)]["LV"]
            if lv_to > lv_from:
                gains.append((e, (lv_to - lv_from) * ratings[(b, e)]["IM"] / 5))
    return sorted(gains, key=lambda g: (-g[1], g[0]))


def _check_gaps(gaps: list[SkillGap], table: str, a: str, b: str, limit: int) -> None:
    want = _expected_gains(table, a, b)[:limit]
    assert [g.element_id for g in gaps] == [e for e, _ in want]
    assert [g.gain for g in gaps] == pytest.approx([w for _, w in want])
    assert [g.gain for g in gaps] == sorted((g.gain for g in gaps), reverse=True)
    ratings = _fixture_ratings(table)
    for g in gaps:
        assert g.from_level == ratings.get((a, g.element_id), {}).get("LV")
        assert g.to_level == ratings[(b, g.element_id)]["LV"]
        assert g.importance == ratings[(b, g.element_id)]["IM"]


def test_networkx_store_is_a_graph_store(mini_store: NetworkxStore) -> None:
    assert isinstance(mini_store, GraphStore)
    assert mini_store.loaded_release() == "99.1"


def test_empty_store_raises_not_loaded() -> None:
    store = NetworkxStore()
    assert store.loaded_release() is None
    with pytest.raises(NotLoadedError):
        resolve_title(store, "Data Wranglers")


# -- resolve_title ----------------------------------------------------------------------


def test_resolve_code(mini_store: NetworkxStore) -> None:
    res = resolve_title(mini_store, " 15-9902.00 ")
    assert res.codes == [B]
    assert res.matches[0].match_kind == "code"
    assert res.matches[0].occupation_title == "Pipeline Engineers"
    assert res.runners_up == []


def test_unknown_code(mini_store: NetworkxStore) -> None:
    with pytest.raises(UnknownOccupationError) as info:
        resolve_title(mini_store, "15-9999.00")
    assert info.value.query == "15-9999.00"
    assert "no occupation matches '15-9999.00'" in str(info.value)


@pytest.mark.parametrize(
    "text", ["Pipeline Engineers", "pipeline engineers", "  PIPELINE   engineers "]
)
def test_resolve_exact_title_ignores_case_and_spacing(mini_store: NetworkxStore, text: str) -> None:
    res = resolve_title(mini_store, text)
    assert res.codes == [B]
    assert res.matches[0].match_kind == "exact"
    assert res.query == " ".join(text.split())


def test_occupation_title_beats_same_alternate_title(mini_store: NetworkxStore) -> None:
    # "Records Clerks" is F's title and one of G's alternate titles
    res = resolve_title(mini_store, "records clerks")
    assert res.codes == [F]
    assert res.matches[0].match_kind == "exact"
    assert G in [m.code for m in res.runners_up]
    assert G in [m.code for m in res.runners_up if m.match_kind == "alternate"]


def test_alternate_title_naming_two_occupations(mini_store: NetworkxStore) -> None:
    """An ambiguous title resolves to one occupation; the other comes first among the
    runners-up (the path query can be asked for it by code)."""
    res = resolve_title(mini_store, "Analytics Engineer")
    assert res.codes == [B]  # equal kinds and no BLS employment: the lower code wins
    assert res.matches[0].match_kind == "alternate"
    assert res.matches[0].title == "Analytics Engineer"
    runner_codes = [m.code for m in res.runners_up]
    assert runner_codes[0] == C
    # D lists the same text as a reported title: a runner-up after C
    assert D in runner_codes[1:]
    assert B not in runner_codes


def test_exact_title_ignores_plurals_and_punctuation(mini_store: NetworkxStore) -> None:
    res = resolve_title(mini_store, "data-wrangler")
    assert res.codes == [A]
    assert res.matches[0].match_kind == "exact"


def test_resolve_reported_title(mini_store: NetworkxStore) -> None:
    res = resolve_title(mini_store, "data janitor")
    assert res.codes == [A]
    assert res.matches[0].match_kind == "reported"
    assert res.matches[0].title == "Data Janitor"


@pytest.mark.parametrize(
    ("typo", "code"),
    [("Pipline Enginers", B), ("Analitics Directr", E), ("lighthous keepr", H)],
)
def test_resolve_fuzzy_misspelling(mini_store: NetworkxStore, typo: str, code: str) -> None:
    res = resolve_title(mini_store, typo)
    assert res.codes == [code]
    assert res.matches[0].match_kind == "fuzzy"
    assert 60 <= res.matches[0].score < 100
    assert code not in [m.code for m in res.runners_up]


def test_unknown_title(mini_store: NetworkxStore) -> None:
    with pytest.raises(UnknownOccupationError) as info:
        resolve_title(mini_store, "Zqxj Vwkp")
    assert info.value.query == "Zqxj Vwkp"
    assert "no occupation matches 'Zqxj Vwkp'" in str(info.value)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_text(mini_store: NetworkxStore, text: str) -> None:
    with pytest.raises(CareerGraphError, match="is required") as info:
        resolve_title(mini_store, text)
    assert not isinstance(info.value, UnknownOccupationError)


def test_text_longer_than_200_characters(mini_store: NetworkxStore) -> None:
    with pytest.raises(CareerGraphError, match="longer than 200") as info:
        resolve_title(mini_store, "Data Wranglers " * 14)  # 209 characters
    assert not isinstance(info.value, UnknownOccupationError)
    # exactly 200 characters after collapsing whitespace is accepted (seniority words
    # do not change the occupation)
    text = "senior " * 25 + "staff   lead " + "Data Wranglers"
    assert len(" ".join(text.split())) == 200
    res = resolve_title(mini_store, text)
    assert res.query == " ".join(text.split()) and res.codes == [A]


# -- find_career_paths ------------------------------------------------------------------


def _check_hop(hop: HopExplanation, release: OnetRelease, limit: int = 5) -> None:
    occ = {o.code: o for o in release.occupations}
    rel = {(r.code, r.related_code): r for r in release.related}[(hop.from_code, hop.to_code)]
    assert (hop.tier, hop.rank) == (rel.tier.value, rel.rank)
    assert hop.cost == related_hop_cost(rel.tier, rel.rank)
    assert (hop.from_title, hop.to_title) == (occ[hop.from_code].title, occ[hop.to_code].title)
    from_zone, to_zone = occ[hop.from_code].job_zone, occ[hop.to_code].job_zone
    assert (hop.from_job_zone, hop.to_job_zone) == (from_zone, to_zone)
    if from_zone is None or to_zone is None:
        assert hop.job_zone_change is None
    else:
        assert hop.job_zone_change == to_zone - from_zone
    _check_gaps(hop.skills_to_gain, "Skills", hop.from_code, hop.to_code, limit)
    _check_gaps(hop.knowledge_to_gain, "Knowledge", hop.from_code, hop.to_code, limit)


def test_find_career_paths_explains_every_hop(
    mini_store: NetworkxStore, mini_release: OnetRelease
) -> None:
    result = find_career_paths(
        mini_store, "Data Wranglers", "analytics architects", k=3, filters=RELATED
    )
    assert result.source.codes == [A] and result.target.codes == [D]
    assert [p.codes for p in result.paths] == [[A, B, D], [A, C, D], [A, D]]
    assert [p.total_cost for p in result.paths] == [23, 23, 31]
    first = result.paths[0]
    assert first.titles == ["Data Wranglers", "Pipeline Engineers", "Analytics Architects"]
    for path in result.paths:
        assert path.total_cost == sum(h.cost for h in path.hops)
        assert [h.from_code for h in path.hops] + [path.hops[-1].to_code] == path.codes
        for hop in path.hops:
            _check_hop(hop, mini_release)
    a_to_b = first.hops[0]
    assert a_to_b.job_zone_change == 1
    assert a_to_b.skills_to_gain[0].element_id == "2.B.3.e"  # Programming: 2.88 -> 5.12
    assert a_to_b.skills_to_gain[0].gain == pytest.approx((5.12 - 2.88) * 4.5 / 5)
    assert len(a_to_b.skills_to_gain) == 3  # Active Listening does not go up


def test_explanations_on_every_fixture_edge(
    mini_store: NetworkxStore, mini_release: OnetRelease
) -> None:
    seen_none_zone = seen_negative = seen_empty_knowledge = False
    for r in mini_release.related:
        for limit in (1, 5):
            hop = mini_store.explain_hop(r.code, r.related_code, limit, "RELATED_TO")
            _check_hop(hop, mini_release, limit)
        seen_none_zone |= hop.job_zone_change is None
        seen_negative |= (hop.job_zone_change or 0) < 0
        seen_empty_knowledge |= not hop.knowledge_to_gain
    assert seen_none_zone and seen_negative and seen_empty_knowledge


def test_hop_from_unrated_occupation(mini_store: NetworkxStore) -> None:
    result = find_career_paths(
        mini_store, "Lighthouse Keepers", "Data Wranglers", k=1, filters=RELATED
    )
    (hop,) = result.paths[0].hops
    assert (hop.from_job_zone, hop.to_job_zone, hop.job_zone_change) == (None, 3, None)
    # no ratings for the source: the target's key requirements, with no source level
    assert hop.skills_to_gain and all(g.from_level is None for g in hop.skills_to_gain)
    assert all(g.from_level is None for g in hop.knowledge_to_gain)


def test_ambiguous_target_routes_to_the_chosen_occupation(mini_store: NetworkxStore) -> None:
    result = find_career_paths(
        mini_store, "Data Wranglers", "Analytics Engineer", k=5, filters=RELATED
    )
    assert result.target.codes == [B]
    assert result.target.runners_up[0].code == C
    assert [p.codes for p in result.paths][:1] == [[A, B]]
    assert all(p.codes[-1] == B for p in result.paths)


def test_explain_limit(mini_store: NetworkxStore) -> None:
    result = find_career_paths(mini_store, F, D, k=2, explain_limit=1, filters=RELATED)
    assert all(
        len(h.skills_to_gain) <= 1 and len(h.knowledge_to_gain) <= 1
        for p in result.paths
        for h in p.hops
    )


def test_no_path(mini_store: NetworkxStore) -> None:
    with pytest.raises(NoPathError, match="no route from 'Data Wranglers' to 'Lighthouse Keepers'"):
        find_career_paths(mini_store, "Data Wranglers", "Lighthouse Keepers", filters=RELATED)
    with pytest.raises(NoPathError, match="within 1 hops"):
        find_career_paths(mini_store, A, E, max_hops=1, filters=RELATED)


@pytest.mark.parametrize(("k", "max_hops"), [(0, 4), (11, 4), (3, 0), (3, 7)])
def test_out_of_range_arguments(mini_store: NetworkxStore, k: int, max_hops: int) -> None:
    with pytest.raises(CareerGraphError) as info:
        find_career_paths(mini_store, A, D, k=k, max_hops=max_hops, filters=RELATED)
    assert not isinstance(info.value, NoPathError)


def test_unknown_target(mini_store: NetworkxStore) -> None:
    with pytest.raises(UnknownOccupationError):
        find_career_paths(mini_store, "Data Wranglers", "Zqxj Vwkp", filters=RELATED)


def test_runners_up_are_distinct_occupations(mini_release: OnetRelease) -> None:
    extra = OccupationTitle(name="Records Clerks", code=G, source=TitleSource.REPORTED)
    store = NetworkxStore()
    store.load(mini_release.model_copy(update={"titles": [*mini_release.titles, extra]}))
    res = resolve_title(store, "records clerks")
    assert res.codes == [F]
    runner_codes = [m.code for m in res.runners_up]
    assert len(runner_codes) == len(set(runner_codes))
