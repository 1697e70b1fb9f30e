"""loaders.onet: the mini fixture, zip/text/Excel equivalence, and every error path."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from careergraph.graph.errors import DataFormatError
from careergraph.graph.model import (
    DescriptorKind,
    OnetRelease,
    RelatednessTier,
    TitleSource,
)
from careergraph.loaders import onet as onet_module
from careergraph.loaders.onet import TABLES, detect_release, read_onet_release
from careergraph.loaders.tables import ReleaseSource

from .support import (
    FIXTURE_DIR,
    edit_lines,
    find_line,
    fixture_rows,
    table_path,
    zip_folder,
)

CODE = "O*NET-SOC Code"


# -- the fixture ------------------------------------------------------------------------


def test_fixture_has_every_table_in_official_text_layout() -> None:
    for table, columns in TABLES.items():
        path = table_path(FIXTURE_DIR, table)
        assert path.is_file(), table
        header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
        assert set(columns) <= set(header), table
        assert "Title" not in header or table == "Occupation Data", table
    related_header = table_path(FIXTURE_DIR, "Related Occupations").read_text().splitlines()[0]
    assert related_header.split("\t") == [
        CODE,
        "Related O*NET-SOC Code",
        "Relatedness Tier",
        "Index",
    ]
    assert "n/a" in table_path(FIXTURE_DIR, "Skills").read_text(encoding="utf-8")


def test_fixture_counts_match_the_files(mini_release: OnetRelease) -> None:
    occupation_rows = fixture_rows("Occupation Data")
    assert len(mini_release.occupations) == len(occupation_rows) == 8
    assert [o.code for o in mini_release.occupations] == [r[CODE] for r in occupation_rows]

    alternate = {(r["Alternate Title"], r[CODE]) for r in fixture_rows("Alternate Titles")}
    reported = {
        (r["Reported Job Title"], r[CODE]) for r in fixture_rows("Sample of Reported Titles")
    }
    # the fixture repeats one alternate pair, as O*NET 29.3 does: kept once
    assert len(alternate) < len(fixture_rows("Alternate Titles"))
    by_source = Counter(t.source for t in mini_release.titles)
    assert by_source == {
        TitleSource.OCCUPATION: len(occupation_rows),
        TitleSource.ALTERNATE: len(alternate),
        TitleSource.REPORTED: len(reported),
    }

    assert len(mini_release.related) == len(fixture_rows("Related Occupations"))

    for table, kind in (("Skills", DescriptorKind.SKILL), ("Knowledge", DescriptorKind.KNOWLEDGE)):
        rows = fixture_rows(table)
        pairs = {(r[CODE], r["Element ID"]) for r in rows}
        assert len(rows) == 2 * len(pairs)  # one IM and one LV row each
        ratings = [r for r in mini_release.ratings if r.kind is kind]
        assert {(r.code, r.element_id) for r in ratings} == pairs
        descriptors = [d for d in mini_release.descriptors if d.kind is kind]
        assert {d.element_id for d in descriptors} == {e for _, e in pairs}

    assert len(mini_release.technologies) == len(fixture_rows("Technology Skills"))

    categories = fixture_rows("Education, Training, and Experience Categories")
    assert len(mini_release.education_levels) == sum(r["Scale ID"] == "RL" for r in categories)
    assert [lvl.category for lvl in mini_release.education_levels] == list(range(1, 13))
    ete = fixture_rows("Education, Training, and Experience")
    assert any(r["Scale ID"] != "RL" for r in ete)  # RW rows exist and are skipped
    assert len(mini_release.education_shares) == sum(r["Scale ID"] == "RL" for r in ete)

    interests = fixture_rows("Interests")
    assert any(r["Scale ID"] == "IH" for r in interests)  # IH rows exist and are skipped
    oi_rows = [r for r in interests if r["Scale ID"] == "OI"]
    assert len(mini_release.interest_scores) == len(oi_rows)
    assert {i.element_id for i in mini_release.interests} == {r["Element ID"] for r in oi_rows}
    assert len(mini_release.interests) == 6

    assert len(mini_release.job_zone_reference) == 5
    assert len(mini_release.scales) == len(fixture_rows("Scales Reference"))


def test_fixture_values(mini_release: OnetRelease) -> None:
    occ = {o.code: o for o in mini_release.occupations}
    zones = {r[CODE]: int(r["Job Zone"]) for r in fixture_rows("Job Zones")}
    for code, o in occ.items():
        assert o.job_zone == zones.get(code)
    assert occ["47-9908.00"].job_zone is None  # no Job Zones row
    assert occ["15-9902.00"].title == "Pipeline Engineers"

    rel = {(r.code, r.related_code): r for r in mini_release.related}
    a_to_d = rel[("15-9901.00", "15-9904.00")]
    assert (a_to_d.tier, a_to_d.rank) == (RelatednessTier.SUPPLEMENTAL, 11)

    rating = next(
        r for r in mini_release.ratings if (r.code, r.element_id) == ("15-9902.00", "2.B.3.e")
    )
    assert (rating.importance, rating.level) == (4.5, 5.12)
    tech = next(t for t in mini_release.technologies if t.name == "Apache Airflow")
    assert (tech.hot, tech.in_demand, tech.commodity_code) == (False, True, "43232306")
    share = next(
        s for s in mini_release.education_shares if (s.code, s.category) == ("15-9901.00", 5)
    )
    assert share.share_pct == 25.5
    assert {s.scale_id: (s.minimum, s.maximum) for s in mini_release.scales}["RL"] == (0, 100)


def test_na_cells_read_as_missing(mini_release: OnetRelease) -> None:
    # Content Model Reference has "n/a" as the Programming description,
    # Job Zone Reference has "n/a" as zone 4's Examples: both optional, both read as "".
    descriptions = {d.element_id: d.description for d in mini_release.descriptors}
    assert descriptions["2.B.3.e"] == ""
    assert descriptions["2.A.1.a"].startswith("Understanding written sentences")
    zone4 = next(z for z in mini_release.job_zone_reference if z.job_zone == 4)
    assert zone4.examples == ""
    assert zone4.svp_range == "7.0 to < 8.0"
    # "n/a" never leaks into any loaded text field
    assert "n/a" not in mini_release.model_dump_json()


def test_release_is_detected_from_read_me(mini_release: OnetRelease) -> None:
    assert mini_release.release == "99.1"


def test_release_argument_overrides_detection() -> None:
    assert read_onet_release(FIXTURE_DIR, release="12.0").release == "12.0"


def test_release_detected_from_folder_name_without_read_me(tmp_path: Path) -> None:
    folder = tmp_path / "db_27_2_text"
    shutil.copytree(FIXTURE_DIR, folder)
    (folder / "Read Me.txt").unlink()
    assert read_onet_release(folder).release == "27.2"
    plain = tmp_path / "plain"
    folder.rename(plain)
    source = ReleaseSource(plain)
    try:
        assert detect_release(source) == "unknown"
    finally:
        source.close()


def test_progress_is_reported_per_table() -> None:
    calls: list[tuple[str, int]] = []
    release = read_onet_release(FIXTURE_DIR, progress=lambda t, n: calls.append((t, n)))
    names = [t for t, _ in calls]
    assert len(names) == len(set(names)) == 12
    assert dict(calls)["Related Occupations"] == len(release.related)
    styles_and_values = len(release.work_style_ratings) + len(release.work_value_scores)
    assert dict(calls)["Work Styles + Work Values"] == styles_and_values


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_zip_gives_identical_records(tmp_path: Path, mini_release: OnetRelease, crlf: bool) -> None:
    archive = zip_folder(FIXTURE_DIR, tmp_path / "mini.zip", top="onet_mini", crlf=crlf)
    from_zip = read_onet_release(archive)
    assert from_zip == mini_release
    assert from_zip.release == "99.1"


# -- real O*NET 29.3: Excel vs converted text -------------------------------------------


def test_real_excel_and_tsv_give_identical_releases(
    real_onet_dir: Path, real_tsv_release: OnetRelease
) -> None:
    excel = read_onet_release(real_onet_dir / "db_29_3_excel")
    tsv = real_tsv_release
    assert excel.release == tsv.release == "29.3"
    assert len(tsv.occupations) == 1016
    assert len(tsv.related) == 18460
    for name in OnetRelease.model_fields:
        if name in ("release", "career"):  # career: derived data, not read here
            continue
        a, b = getattr(excel, name), getattr(tsv, name)
        assert len(a) == len(b), name
        if isinstance(a, dict):  # table_rows
            assert a == b, name
            continue
        assert a[:25] == b[:25], name
        assert a[-25:] == b[-25:], name
    assert excel == tsv


def test_real_release_sanity(real_tsv_release: OnetRelease) -> None:
    occ = {o.code: o for o in real_tsv_release.occupations}
    assert occ["15-1252.00"].title == "Software Developers"
    assert occ["15-1252.00"].job_zone == 4
    assert occ["11-9041.00"].job_zone == 5
    rel = {(r.code, r.related_code): r for r in real_tsv_release.related}
    assert (rel[("11-3021.00", "15-1252.00")].tier, rel[("11-3021.00", "15-1252.00")].rank) == (
        RelatednessTier.PRIMARY_SHORT,
        1,
    )
    assert rel[("15-1252.00", "11-3021.00")].tier is RelatednessTier.SUPPLEMENTAL
    alt = {(t.name, t.code) for t in real_tsv_release.titles if t.source is TitleSource.ALTERNATE}
    assert {c for n, c in alt if n == "Software Systems Engineer"} == {
        "15-1252.00",
        "15-1253.00",
        "15-1299.08",
    }


# -- error cases ------------------------------------------------------------------------


def _load_error(folder: Path) -> DataFormatError:
    with pytest.raises(DataFormatError) as info:
        read_onet_release(folder)
    return info.value


def _assert_points_at(
    err: DataFormatError, folder: Path, table: str, line: int | None, column: str | None
) -> None:
    assert err.file == str(table_path(folder, table))
    assert err.line == line
    assert err.column == column
    where = f"{err.file}, line {line}" + (f", column {column!r}" if column else "")
    assert str(err) == f"{where}: {err.reason}"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_missing_table(mini_copy: Path, table: str) -> None:
    table_path(mini_copy, table).unlink()
    err = _load_error(mini_copy)
    if table == "Occupation Data":
        assert err.file == str(mini_copy)
        assert "no 'Occupation Data' table" in err.reason
    else:
        assert err.file == f"{mini_copy}/{table}.txt"  # where it was expected
        assert (err.line, err.column) == (None, None)
        assert f"table {table!r} is missing" in str(err)


def test_wrong_header(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Skills")

    def rename(rows: list[list[str]]) -> None:
        rows[0][rows[0].index("Data Value")] = "Data Val"

    edit_lines(path, rename)
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Skills", 1, "Data Value")
    assert "header lacks column 'Data Value'" in err.reason


def _set_cell(path: Path, line: int, column: str, value: str) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[line - 1][rows[0].index(column)] = value

    edit_lines(path, edit)


@pytest.mark.parametrize(
    ("table", "column", "pick", "value", "reason"),
    [
        ("Knowledge", "Data Value", lambda r: r["Scale ID"] == "LV", "high", "is not a number"),
        ("Skills", "Data Value", lambda r: r["Scale ID"] == "IM", "5.5", "outside 1.0..5.0"),
        ("Skills", "Data Value", lambda r: r["Scale ID"] == "LV", "7.01", "outside 0.0..7.0"),
        ("Skills", "Data Value", lambda r: r["Scale ID"] == "LV", "n/a", "value is missing"),
        ("Job Zones", "Job Zone", lambda r: True, "9", "'9' is outside 1..5"),
        ("Job Zones", "Job Zone", lambda r: True, "3.5", "not a whole number"),
        ("Technology Skills", "Hot Technology", lambda r: True, "X", "'X' is not Y or N"),
        ("Technology Skills", "In Demand", lambda r: True, "n", "'n' is not Y or N"),
        ("Occupation Data", CODE, lambda r: True, "15-990.00", "is not an O*NET-SOC code"),
        ("Occupation Data", "Title", lambda r: True, "n/a", "value is missing"),
        ("Related Occupations", "Index", lambda r: True, "21", "'21' is outside 1..20"),
        ("Related Occupations", "Relatedness Tier", lambda r: True, "Primary", "is not one of"),
        (
            "Related Occupations",
            "Related O*NET-SOC Code",
            lambda r: True,
            "15-9999.00",
            "15-9999.00 is not in 'Occupation Data'",
        ),
        ("Alternate Titles", CODE, lambda r: True, "99-9999.00", "is not in 'Occupation Data'"),
        ("Interests", "Data Value", lambda r: r["Scale ID"] == "OI", "0.5", "outside 1.0..7.0"),
        (
            "Education, Training, and Experience",
            "Data Value",
            lambda r: r["Scale ID"] == "RL",
            "101",
            "outside 0.0..100.0",
        ),
        (
            "Education, Training, and Experience",
            "Category",
            lambda r: r["Scale ID"] == "RL",
            "13",
            "outside 1..12",
        ),
        ("Job Zone Reference", "Job Zone", lambda r: True, "6", "outside 1..5"),
        ("Scales Reference", "Maximum", lambda r: True, "max", "is not a number"),
    ],
    ids=lambda v: None if callable(v) else str(v),
)
def test_bad_value(
    mini_copy: Path,
    table: str,
    column: str,
    pick: Callable[[dict[str, str]], bool],
    value: str,
    reason: str,
) -> None:
    path = table_path(mini_copy, table)
    line = find_line(path, pick)
    _set_cell(path, line, column, value)
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, table, line, column)
    assert reason in err.reason


def test_truncated_row(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Related Occupations")
    line = 5

    def cut(rows: list[list[str]]) -> None:
        rows[line - 1] = rows[line - 1][:2]  # drop Relatedness Tier and Index

    edit_lines(path, cut)
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Related Occupations", line, "Relatedness Tier")
    assert "truncated row: 2 cells, header has 4" in err.reason


def test_truncated_last_cell_only(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Skills")
    last_line = len(fixture_rows("Skills")) + 1

    def cut(rows: list[list[str]]) -> None:
        rows[last_line - 1] = rows[last_line - 1][:-1]  # file cut mid-row

    edit_lines(path, cut)
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Skills", last_line, "Domain Source")


def test_importance_without_level(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Skills")
    im_line = find_line(
        path, lambda r: (r[CODE], r["Element ID"], r["Scale ID"]) == ("15-9903.00", "2.A.2.a", "IM")
    )
    lv_line = find_line(
        path, lambda r: (r[CODE], r["Element ID"], r["Scale ID"]) == ("15-9903.00", "2.A.2.a", "LV")
    )

    def drop(rows: list[list[str]]) -> None:
        del rows[lv_line - 1]

    edit_lines(path, drop)
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Skills", im_line, "Scale ID")
    assert "15-9903.00 element 2.A.2.a has only one of the IM/LV scales" in err.reason


def test_level_without_importance(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Knowledge")
    im_line = find_line(
        path, lambda r: (r[CODE], r["Element ID"], r["Scale ID"]) == ("11-9905.00", "2.C.4.a", "IM")
    )

    def drop(rows: list[list[str]]) -> None:
        del rows[im_line - 1]

    edit_lines(path, drop)
    err = _load_error(mini_copy)
    # the LV row moved up into the IM row's line
    _assert_points_at(err, mini_copy, "Knowledge", im_line, "Scale ID")
    assert "11-9905.00 element 2.C.4.a" in err.reason


def test_duplicate_occupation(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Occupation Data")

    def dup(rows: list[list[str]]) -> None:
        rows.append(list(rows[1]))

    edit_lines(path, dup)
    err = _load_error(mini_copy)
    appended_line = len(fixture_rows("Occupation Data")) + 2
    _assert_points_at(err, mini_copy, "Occupation Data", appended_line, CODE)
    assert "duplicate occupation 15-9901.00" in err.reason


def test_duplicate_related_pair(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Related Occupations")
    count = len(fixture_rows("Related Occupations"))

    def dup(rows: list[list[str]]) -> None:
        rows.append(list(rows[1]))

    edit_lines(path, dup)
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Related Occupations", count + 2, "Related O*NET-SOC Code")
    assert "duplicate pair 15-9901.00 -> 15-9902.00" in err.reason


def test_rl_category_without_description(mini_copy: Path) -> None:
    cat_path = table_path(mini_copy, "Education, Training, and Experience Categories")

    def drop_category_11(rows: list[list[str]]) -> None:
        rows[:] = [r for r in rows if not (r[2] == "RL" and r[3] == "11")]

    edit_lines(cat_path, drop_category_11)
    path = table_path(mini_copy, "Education, Training, and Experience")
    line = find_line(path, lambda r: r["Scale ID"] == "RL" and r["Category"] == "11")
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Education, Training, and Experience", line, "Category")
    assert "RL category 11 is not in" in err.reason


def test_missing_scale(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Scales Reference")

    def drop_lv(rows: list[list[str]]) -> None:
        rows[:] = [r for r in rows if r[0] != "LV"]

    edit_lines(path, drop_lv)
    err = _load_error(mini_copy)
    assert err.file == str(path)
    assert "scale LV is missing" in str(err)


def test_error_in_zip_names_the_member(tmp_path: Path, mini_copy: Path) -> None:
    path = table_path(mini_copy, "Job Zones")
    _set_cell(path, 3, "Job Zone", "9")
    archive = zip_folder(mini_copy, tmp_path / "bad.zip", top="db_99_1_text")
    err = _load_error(archive)
    assert err.file == f"{archive}!db_99_1_text/Job Zones.txt"
    assert (err.line, err.column) == (3, "Job Zone")


def test_non_utf8_file_is_a_data_format_error(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Occupation Data")
    path.write_bytes(path.read_bytes().replace(b"Lighthouse Keepers", b"Lighthouse Keepers \xe9"))
    err = _load_error(mini_copy)
    assert err.file == str(path)


# -- release integrity -------------------------------------------------------------------


def _duplicate_line(path: Path, line: int, column: str | None = None, value: str = "") -> int:
    """Append a copy of file line ``line`` (optionally with ``column`` set to ``value``);
    return the new line's number."""
    appended: list[int] = []

    def dup(rows: list[list[str]]) -> None:
        copy = list(rows[line - 1])
        if column is not None:
            copy[rows[0].index(column)] = value
        rows.append(copy)
        appended.append(len(rows))

    edit_lines(path, dup)
    return appended[0]


@pytest.mark.parametrize(
    ("table", "column", "value", "what"),
    [
        ("Skills", "Data Value", "1.5", "the IM rating of 15-9901.00 element"),
        ("Knowledge", "Data Value", "6.5", "rating of"),
        ("Interests", "Data Value", "6.9", "score of"),
        ("Education, Training, and Experience", "Data Value", "99", "category"),
        ("Job Zones", "Job Zone", "1", "the job zone of"),
        ("Technology Skills", "Hot Technology", "N", "technology"),
        ("Scales Reference", "Maximum", "9", "maximum"),
        ("Content Model Reference", "Description", "Something else.", "the description of"),
        ("Job Zone Reference", "Name", "Another name", "the name of job zone"),
    ],
)
def test_conflicting_duplicate_names_both_lines(
    mini_copy: Path, table: str, column: str, value: str, what: str
) -> None:
    path = table_path(mini_copy, table)
    rows = fixture_rows(table)
    first = 2 + next(i for i, r in enumerate(rows) if r[column].strip() not in ("", value))
    if table == "Technology Skills":
        value = "N" if rows[first - 2][column] == "Y" else "Y"
    line = _duplicate_line(path, first, column, value)
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, table, line, "Example" if "Tech" in table else column)
    assert err.reason.startswith("conflicting duplicate: ")
    assert what in err.reason and f"on line {first}" in err.reason


@pytest.mark.parametrize("table", ["Skills", "Job Zones", "Technology Skills", "Interests"])
def test_identical_duplicate_rows_are_harmless(mini_copy: Path, table: str) -> None:
    _duplicate_line(table_path(mini_copy, table), 2)
    assert read_onet_release(mini_copy).model_dump(exclude={"table_rows"}) == read_onet_release(
        FIXTURE_DIR
    ).model_dump(exclude={"table_rows"})


def test_related_index_outside_its_tier(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Related Occupations")
    line = find_line(path, lambda r: r["Relatedness Tier"] == "Primary-Short")
    _set_cell(path, line, "Index", "7")
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Related Occupations", line, "Index")
    assert "Index 7 is outside 1..5 of tier Primary-Short" in err.reason


def test_related_index_twice_for_one_occupation(mini_copy: Path) -> None:
    path = table_path(mini_copy, "Related Occupations")
    first = find_line(path, lambda r: (r[CODE], r["Index"]) == ("15-9901.00", "1"))
    second = find_line(path, lambda r: (r[CODE], r["Index"]) == ("15-9901.00", "2"))
    _set_cell(path, second, "Index", "1")
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Related Occupations", second, "Index")
    assert f"15-9901.00 has Index 1 twice (also on line {first})" in err.reason


@pytest.fixture
def mini_in_manifest(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Pretend the fixture release 99.1 is a known release (manifest entry with its counts)."""
    counts = dict(read_onet_release(FIXTURE_DIR).table_rows)
    manifest = {"99.1": {"table_rows": counts, "related_per_occupation": None}}
    monkeypatch.setattr(onet_module, "read_release_manifest", lambda: manifest)
    return counts


def test_table_rows_are_recorded(mini_release: OnetRelease) -> None:
    assert mini_release.table_rows == {t: len(fixture_rows(t)) for t in TABLES}


def test_manifest_counts_hold_for_the_real_release(real_tsv_release: OnetRelease) -> None:
    manifest = onet_module.read_release_manifest()["29.3"]
    assert real_tsv_release.table_rows == manifest["table_rows"]
    assert Counter(Counter(r.code for r in real_tsv_release.related).values()) == {
        manifest["related_per_occupation"]: 923
    }


def test_table_cut_at_a_line_boundary_is_refused(
    mini_copy: Path, mini_in_manifest: dict[str, int]
) -> None:
    path = table_path(mini_copy, "Interests")

    def cut(rows: list[list[str]]) -> None:
        del rows[-7:]  # whole lines: every remaining row is well-formed

    edit_lines(path, cut)
    err = _load_error(mini_copy)
    kept = mini_in_manifest["Interests"] - 7
    _assert_points_at(err, mini_copy, "Interests", kept + 1, None)
    assert f"{kept:,} data rows, but O*NET 99.1 has {kept + 7:,}" in err.reason
    assert "truncated" in err.reason


def test_cut_related_list_is_refused(mini_copy: Path, mini_in_manifest: dict[str, int]) -> None:
    onet_module.read_release_manifest()["99.1"]["related_per_occupation"] = 2
    path = table_path(mini_copy, "Related Occupations")
    # every occupation gets Index 1 and 2 (Primary-Short), then the file loses its last line
    rows = [
        f"{code}\t{other}\tPrimary-Short\t{index}"
        for code, others in [
            ("15-9901.00", ("15-9902.00", "15-9903.00")),
            ("15-9902.00", ("15-9903.00", "15-9904.00")),
            ("15-9903.00", ("15-9904.00", "15-9902.00")),
        ]
        for index, other in enumerate(others, start=1)
    ]
    header = "O*NET-SOC Code\tRelated O*NET-SOC Code\tRelatedness Tier\tIndex"
    path.write_text("\n".join([header, *rows[:-1]]) + "\n", encoding="utf-8")
    err = _load_error(mini_copy)
    _assert_points_at(err, mini_copy, "Related Occupations", 6, "Index")
    assert "15-9903.00 lists 1 related occupations (Index 2 missing)" in err.reason
    assert "every listed occupation has Index 1..2: the list is cut" in err.reason
