"""The role page's data and profile on the hand-written fixture release: Task Statements,
Work Styles and Work Values loaders (with file/line/column errors), estimated (marked)
values for unrated occupations, and :func:`graph.role_profile.build_role_profile`."""

from __future__ import annotations

from pathlib import Path

import pytest

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.errors import DataFormatError, UnknownOccupationError
from careergraph.graph.estimated_profiles import RELATED_DONORS, estimate_missing_profiles
from careergraph.graph.model import OnetRelease, TaskType
from careergraph.graph.role_profile import build_role_profile, first_sentence, short_level_name
from careergraph.loaders.onet import read_onet_release
from careergraph.loaders.onet_tasks import read_task_statements
from careergraph.loaders.pipeline import build_career_data

from .support import FIXTURE_DIR, REPO_ROOT, edit_lines, find_line

TASKS_DIR = REPO_ROOT / "tests" / "fixtures" / "tasks_mini"


@pytest.fixture(scope="module")
def role_release(mini_release: OnetRelease) -> OnetRelease:
    """The fixture release with tasks and estimates, as the pipeline builds it."""
    return build_career_data(
        mini_release, bls_dir=None, career_changers_dir=None, tasks_dir=TASKS_DIR
    )


@pytest.fixture(scope="module")
def role_store(role_release: OnetRelease) -> NetworkxStore:
    store = NetworkxStore()
    store.load(role_release)
    return store


# -- loaders ------------------------------------------------------------------------------
def test_task_statements_read_crlf_na_and_drop_unknown_codes(mini_release: OnetRelease) -> None:
    known = {o.code for o in mini_release.occupations}
    release, tasks, dropped = read_task_statements(TASKS_DIR, known)
    assert release == "99.2"
    assert dropped == 1  # 99-9999.00 is not an occupation of the graph
    assert [(t.code, t.task_id, t.position) for t in tasks[:3]] == [
        ("15-9901.00", 901, 1),
        ("15-9901.00", 903, 2),
        ("15-9901.00", 902, 3),
    ]
    assert tasks[1].task_type is TaskType.SUPPLEMENTAL
    pipeline = next(t for t in tasks if t.task_id == 911)
    assert pipeline.incumbents_responding is None and pipeline.statement.endswith("pipelines.")
    assert next(t for t in tasks if t.task_id == 951).task_type is None


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Task ID", "901", "duplicate task 901"),
        ("Task ID", "x1", "'x1' is not a whole number"),
        ("Task Type", "Optional", "'Optional' is not Core, Supplemental or n/a"),
        ("Incumbents Responding", "-3", "'-3' is outside 0..None"),
        ("Task", "", "value is missing"),
    ],
)
def test_task_statement_errors_name_file_line_and_column(
    tmp_path: Path, column: str, value: str, reason: str
) -> None:
    folder = tmp_path / "tasks"
    folder.mkdir()
    path = folder / "Task Statements.txt"
    path.write_bytes((TASKS_DIR / "Task Statements.txt").read_bytes().replace(b"\r\n", b"\n"))
    line = find_line(path, lambda row: row["Task ID"] == "911")

    def edit(rows: list[list[str]]) -> None:
        rows[line - 1][rows[0].index(column)] = value

    edit_lines(path, edit)
    with pytest.raises(DataFormatError) as info:
        read_task_statements(folder, {"15-9901.00", "15-9902.00"})
    assert (info.value.line, info.value.column) == (line, column)
    assert info.value.file.endswith("Task Statements.txt")
    assert reason in str(info.value)


def test_work_styles_and_values_are_read(mini_release: OnetRelease) -> None:
    assert [w.name for w in mini_release.work_styles][:2] == ["Achievement/Effort", "Cooperation"]
    assert mini_release.work_styles[0].description.startswith("Job requires establishing")
    assert len(mini_release.work_style_ratings) == 6 * 4
    assert {v.element_id for v in mini_release.work_values} == {"1.B.2.a", "1.B.2.b", "1.B.2.f"}
    assert len(mini_release.work_value_scores) == 5 * 3  # the VH high-point rows are not kept
    assert not any(r.estimated for r in mini_release.work_style_ratings)


@pytest.mark.parametrize(
    ("table", "value", "reason"),
    [("Work Styles", "5.5", "outside 1.0..5.0"), ("Work Values", "0.5", "outside 1.0..7.0")],
)
def test_work_style_and_value_errors_name_the_cell(
    mini_copy: Path, table: str, value: str, reason: str
) -> None:
    path = mini_copy / f"{table}.txt"
    line = find_line(path, lambda row: row["O*NET-SOC Code"] == "43-9906.00")

    def edit(rows: list[list[str]]) -> None:
        rows[line - 1][rows[0].index("Data Value")] = value

    edit_lines(path, edit)
    with pytest.raises(DataFormatError) as info:
        read_onet_release(mini_copy)
    assert (info.value.line, info.value.column) == (line, "Data Value")
    assert info.value.file.endswith(f"{table}.txt") and reason in str(info.value)


def test_repeated_work_style_rating_is_an_error(mini_copy: Path) -> None:
    path = mini_copy / "Work Styles.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"duplicate IM rating of 1\.C\.1\.a") as info:
        read_onet_release(mini_copy)
    assert info.value.line == len(lines) + 1


# -- estimates ------------------------------------------------------------------------------
def test_unrated_occupations_get_marked_estimates(mini_release: OnetRelease) -> None:
    estimated = estimate_missing_profiles(mini_release)
    pipeline = [r for r in estimated.work_style_ratings if r.code == "15-9902.00"]
    # 15-9902.00 lists 15-9903.00 (#1) and 15-9904.00 (#2), both rated: their mean
    assert {r.element_id for r in pipeline} == {"1.C.1.a", "1.C.3.a", "1.C.5.b", "1.C.7.b"}
    own = {
        (r.code, r.element_id): r.importance
        for r in mini_release.work_style_ratings
        if r.code in ("15-9903.00", "15-9904.00")
    }
    for rating in pipeline:
        expected = (
            own[("15-9903.00", rating.element_id)] + own[("15-9904.00", rating.element_id)]
        ) / 2
        assert rating.importance == round(expected, 2)
        assert rating.estimated_from == ["15-9903.00", "15-9904.00"]
        assert "mean of the 2 most related rated occupations (Related Occupations #1, #2)" in (
            rating.estimate_source or ""
        )
    # rated occupations keep exactly their own values; estimating twice changes nothing
    assert [r for r in estimated.work_style_ratings if not r.estimated] == (
        mini_release.work_style_ratings
    )
    assert estimate_missing_profiles(estimated) == estimated
    assert RELATED_DONORS == 5
    # education: 15-9902.00 is rated, 47-9908.00 is not and takes 15-9901.00's (#6)
    lighthouse = [s for s in estimated.education_shares if s.code == "47-9908.00"]
    assert lighthouse and all(s.estimated_from == ["15-9901.00"] for s in lighthouse)


# -- the profile ------------------------------------------------------------------------------
def test_role_profile_sections(role_store: NetworkxStore) -> None:
    profile = build_role_profile(role_store, "Data Wranglers")
    assert (profile.code, profile.resolution.confidence) == ("15-9901.00", "exact")
    assert profile.summary == first_sentence(profile.description)
    assert [t.task_id for t in profile.tasks] == [901, 902, 903]  # core tasks first
    assert profile.task_count == 3 and profile.tasks_release == "99.2"
    thrives = profile.who_thrives
    assert thrives.interest_code == "".join(i.name[0] for i in thrives.interests[:3])
    assert thrives.summary.startswith(f"Mostly {thrives.interests[0].name} (")
    values = [w.value for w in thrives.work_styles]
    assert values == sorted(values, reverse=True) and thrives.work_styles[0].name == (
        "Attention to Detail"
    )
    skill_names = {s.name.casefold() for s in profile.skills}
    assert not skill_names & {k.name.casefold() for k in profile.knowledge}
    assert len(profile.skills) <= 5 and len(profile.knowledge) <= 5
    assert profile.education.headline is not None
    assert profile.pay is None and profile.outlook is None  # no BLS data in the fixture
    assert [r.rank for r in profile.related] == sorted(r.rank for r in profile.related)
    assert profile.estimates == []
    assert profile.title_span is None


def test_role_profile_marks_estimates(role_store: NetworkxStore) -> None:
    profile = build_role_profile(role_store, "15-9902.00")
    assert profile.resolution.confidence == "code"
    assert all(w.estimated_from for w in profile.who_thrives.work_styles)
    notes = " | ".join(profile.estimates)
    assert "work styles: O*NET does not rate Pipeline Engineers; estimated from 15-9903.00" in notes
    assert "Related Occupations #1, #2" in notes


def test_role_profile_unknown_title(role_store: NetworkxStore) -> None:
    with pytest.raises(UnknownOccupationError):
        build_role_profile(role_store, "astronaut pilot of submarines")


def test_short_level_name() -> None:
    assert short_level_name("Post-Secondary Certificate - awarded for training") == (
        "Post-Secondary Certificate"
    )
    assert short_level_name("Associate's Degree (or other 2-year degree)") == "Associate's Degree"
    assert short_level_name("Bachelor's Degree") == "Bachelor's Degree"


def test_fixture_release_has_the_tables() -> None:
    assert (FIXTURE_DIR / "Work Styles.txt").is_file() and (TASKS_DIR / "Read Me.txt").is_file()
