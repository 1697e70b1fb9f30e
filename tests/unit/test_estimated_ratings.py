"""Estimated ratings for occupations O*NET does not rate: the rules on the fixture release
(tests/fixtures/onet_mini + transitions_mini + db_22_soc2010_mini) and on the real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.errors import DataFormatError
from careergraph.graph.estimated_ratings import estimate_missing_ratings
from careergraph.graph.model import DescriptorKind, DescriptorRating, Occupation, OnetRelease
from careergraph.loaders.onet import read_older_skills
from careergraph.loaders.pipeline import add_estimated_ratings, build_career_data

from .support import REPO_ROOT, shared_data_dir

FIXTURES = REPO_ROOT / "tests" / "fixtures"
TRANSITIONS_MINI = FIXTURES / "transitions_mini"
SOC2010_MINI = FIXTURES / "db_22_soc2010_mini"
SKILL, KNOWLEDGE = DescriptorKind.SKILL, DescriptorKind.KNOWLEDGE


@pytest.fixture(scope="module")
def estimated_mini(mini_release: OnetRelease) -> OnetRelease:
    return build_career_data(
        mini_release,
        bls_dir=None,
        career_changers_dir=None,
        transitions_dir=TRANSITIONS_MINI,
        onet_soc2010_dir=SOC2010_MINI,
    )


def _of(release: OnetRelease, code: str, kind: DescriptorKind) -> list[DescriptorRating]:
    return sorted(
        (r for r in release.ratings if r.code == code and r.kind is kind),
        key=lambda r: r.element_id,
    )


def test_skills_come_from_the_soc2010_predecessor(estimated_mini: OnetRelease) -> None:
    skills = _of(estimated_mini, "47-9908.00", SKILL)
    assert [(r.element_id, r.importance, r.level) for r in skills] == [
        ("2.A.1.a", 2.5, 2.0),
        ("2.A.2.a", 3.0, 3.0),
        ("2.B.3.e", 1.0, 0.0),
    ]
    assert {tuple(r.estimated_from) for r in skills} == {("47-9918.00",)}
    assert {r.estimate_source for r in skills} == {
        "O*NET 22.x Skills of the O*NET-SOC 2010 predecessors"
    }


def test_knowledge_comes_from_the_most_related_rated_occupation(
    estimated_mini: OnetRelease, mini_release: OnetRelease
) -> None:
    # 47-9908.00 lists only 15-9901.00 (#6); 43-9907.00 lists 11-9905.00 first
    for code, donor, rank in (("47-9908.00", "15-9901.00", 6), ("43-9907.00", "11-9905.00", 1)):
        estimated = _of(estimated_mini, code, KNOWLEDGE)
        own = _of(mini_release, donor, KNOWLEDGE)
        assert [(r.element_id, r.importance, r.level) for r in estimated] == [
            (r.element_id, r.importance, r.level) for r in own
        ]
        assert all(r.estimated_from == [donor] for r in estimated)
        assert {r.estimate_source for r in estimated} == {
            "O*NET 99.1 Knowledge of the most related rated occupation"
            f" (Related Occupations #{rank})"
        }


def test_rated_occupations_keep_their_own_ratings(
    estimated_mini: OnetRelease, mini_release: OnetRelease
) -> None:
    added = [r for r in estimated_mini.ratings if r.estimated]
    assert {(r.code, r.kind) for r in added} == {
        ("47-9908.00", SKILL),
        ("47-9908.00", KNOWLEDGE),
        ("43-9907.00", KNOWLEDGE),
    }
    # 15-9901.00 has a rated predecessor (15-9911.00) but O*NET rates it: untouched
    assert _of(estimated_mini, "15-9901.00", SKILL) == _of(mini_release, "15-9901.00", SKILL)


def test_without_the_older_release_skills_come_from_the_related_list(
    mini_release: OnetRelease,
) -> None:
    release = add_estimated_ratings(mini_release, transitions_dir=None, onet_soc2010_dir=None)
    skills = _of(release, "47-9908.00", SKILL)
    assert skills and all(r.estimated_from == ["15-9901.00"] for r in skills)


def test_residuals_without_related_list_take_their_soc_group_mean() -> None:
    def occ(code: str) -> Occupation:
        return Occupation(code=code, title=code, description="")

    def rating(code: str, importance: float, level: float) -> DescriptorRating:
        return DescriptorRating(
            code=code, element_id="2.A.1.a", kind=SKILL, importance=importance, level=level
        )

    occupations = [occ("19-1021.00"), occ("19-1022.00"), occ("19-1029.00"), occ("19-2011.00")]
    occupations += [occ("55-1011.00")]
    ratings = [rating("19-1021.00", 3.0, 4.0), rating("19-1022.00", 4.0, 5.0)]
    ratings += [rating("19-2011.00", 1.0, 1.0)]
    estimated = estimate_missing_ratings(occupations, ratings, [], release="29.3")
    skills = [r for r in estimated if r.kind is SKILL]
    assert [(r.code, r.importance, r.level, r.estimated_from) for r in skills] == [
        ("19-1029.00", 3.5, 4.5, ["19-1021.00", "19-1022.00"])
    ]
    assert skills[0].estimate_source == (
        "O*NET 29.3 Skills, mean of the rated occupations of SOC broad group 19-1020"
    )


def test_stores_mark_estimates_in_profile_gap_and_hops(estimated_mini: OnetRelease) -> None:
    store = NetworkxStore()
    store.load(estimated_mini)
    profile = store.get_occupation_profile("47-9908.00")
    assert profile is not None
    assert {tuple(s.estimated_from) for s in profile.skills} == {("47-9918.00",)}
    assert profile.estimated_ratings == [
        "Lighthouse Keepers: skills estimated from 47-9918.00 (O*NET 22.x Skills of the"
        " O*NET-SOC 2010 predecessors)",
        "Lighthouse Keepers: knowledge estimated from 15-9901.00 (O*NET 99.1 Knowledge of the"
        " most related rated occupation (Related Occupations #6))",
    ]
    own = store.get_occupation_profile("15-9901.00")
    assert own is not None and own.estimated_ratings == []
    assert all(s.estimated_from == [] and s.estimate_source is None for s in own.skills)
    hop = store.explain_hop("47-9908.00", "15-9901.00", relationship="RELATED_TO")
    assert hop.estimated_ratings == profile.estimated_ratings
    # the source is rated now: gaps compare levels instead of listing the target's profile
    assert hop.skills_to_gain and all(g.from_level is not None for g in hop.skills_to_gain)
    gap = store.get_occupation_gap("47-9908.00", "15-9901.00")
    assert gap is not None and gap.estimated_ratings == profile.estimated_ratings


def test_malformed_older_skills_name_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "db_22_soc2010"
    folder.mkdir()
    lines = (SOC2010_MINI / "Skills.txt").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("\t3.00\t", "\t9.00\t", 1)  # IM 9 on line 4
    (folder / "Skills.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError) as caught:
        read_older_skills(folder)
    assert (caught.value.line, caught.value.column) == (4, "Data Value")
    assert "outside 1.0..5.0" in caught.value.reason


# -- the real data ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def estimated_real(real_tsv_release: OnetRelease) -> OnetRelease:
    shared = shared_data_dir()
    return add_estimated_ratings(
        real_tsv_release,
        transitions_dir=shared / "transitions",
        onet_soc2010_dir=shared / "onet" / "db_23_soc2010",
    )


def test_real_software_developers_skills_from_their_predecessors(
    estimated_real: OnetRelease,
) -> None:
    _, older = read_older_skills(shared_data_dir() / "onet" / "db_23_soc2010")
    before = {(r.code, r.element_id): r for r in older}
    skills = _of(estimated_real, "15-1252.00", SKILL)
    assert len(skills) == 35
    assert {tuple(r.estimated_from) for r in skills} == {("15-1132.00", "15-1133.00")}
    assert {r.estimate_source for r in skills} == {
        "O*NET 23.x Skills of the O*NET-SOC 2010 predecessors"
    }
    for r in skills:
        a, b = before[("15-1132.00", r.element_id)], before[("15-1133.00", r.element_id)]
        assert r.importance == round((a.importance + b.importance) / 2, 2)
        assert r.level == round((a.level + b.level) / 2, 2)
    knowledge = _of(estimated_real, "15-1252.00", KNOWLEDGE)
    assert len(knowledge) == 33 and all(r.estimated_from == ["15-1299.08"] for r in knowledge)


def test_real_only_the_military_codes_stay_unrated(
    estimated_real: OnetRelease, real_tsv_release: OnetRelease
) -> None:
    own = {(r.code, r.kind) for r in real_tsv_release.ratings}
    added = {(r.code, r.kind) for r in estimated_real.ratings if r.estimated}
    assert not own & added
    rated = {code for code, _ in own | added}
    unrated = {o.code for o in estimated_real.occupations} - rated
    assert len(unrated) == 19 and all(code.startswith("55-") for code in unrated)
