"""loaders.tables: release sources (folder/zip, text/Excel), header and row validation."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from careergraph.graph.errors import DataFormatError
from careergraph.loaders.onet import TABLES
from careergraph.loaders.tables import MISSING_VALUES, ReleaseSource, TableRow, cell_to_text

from .support import FIXTURE_DIR, fixture_rows, read_tsv, table_path, zip_folder


def _row(**cells: str) -> TableRow:
    return TableRow("Some Table.txt", 7, dict(cells))


# -- TableRow ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", sorted(MISSING_VALUES))
def test_missing_values_read_as_empty_when_optional(missing: str) -> None:
    row = _row(Description=f" {missing} ")
    assert row.text("Description", required=False) == ""


@pytest.mark.parametrize("missing", ["", "n/a", "N/A", "  n/a  "])
def test_missing_value_is_an_error_when_required(missing: str) -> None:
    row = _row(Title=missing)
    with pytest.raises(DataFormatError) as info:
        row.text("Title")
    err = info.value
    assert (err.file, err.line, err.column) == ("Some Table.txt", 7, "Title")
    assert "value is missing" in err.reason
    assert str(err) == "Some Table.txt, line 7, column 'Title': value is missing"


def test_text_strips_but_keeps_inner_text() -> None:
    assert _row(Title="  Data  Wranglers \t").text("Title") == "Data  Wranglers"


def test_number_parses_and_checks_range() -> None:
    assert _row(v="4.12").number("v", low=1, high=5) == pytest.approx(4.12)
    assert _row(v="0").number("v", low=0, high=7) == 0.0
    assert _row(v="7").number("v", low=0, high=7) == 7.0
    for bad, reason in (
        ("abc", "is not a number"),
        ("5.01", "outside"),
        ("-0.5", "outside"),
        ("nan", "outside"),
    ):
        with pytest.raises(DataFormatError, match=reason) as info:
            _row(v=bad).number("v", low=0, high=5)
        assert info.value.column == "v"
        assert info.value.line == 7


def test_integer_accepts_whole_floats_only() -> None:
    assert _row(z="3").integer("z", low=1, high=5) == 3
    assert _row(z="3.0").integer("z", low=1, high=5) == 3  # Excel-exported integers
    for bad in ("3.5", "three", "0", "6"):
        with pytest.raises(DataFormatError) as info:
            _row(z=bad).integer("z", low=1, high=5)
        assert info.value.column == "z"
        assert repr(bad) in info.value.reason


def test_flag_is_strict_y_or_n() -> None:
    assert _row(f="Y").flag("f") is True
    assert _row(f="N").flag("f") is False
    for bad in ("X", "y", "yes", "1"):
        with pytest.raises(DataFormatError, match="is not Y or N"):
            _row(f=bad).flag("f")


@pytest.mark.parametrize(
    "bad", ["15-1252", "15-1252.0", "15-1252.000", "1-1252.00", "15.1252.00", "XX-1252.00"]
)
def test_onet_code_format(bad: str) -> None:
    assert _row(c="15-1252.00").onet_code("c") == "15-1252.00"
    with pytest.raises(DataFormatError, match="is not an O\\*NET-SOC code"):
        _row(c=bad).onet_code("c")


def test_cell_to_text_matches_tsv_conversion() -> None:
    assert cell_to_text(None) == ""
    assert cell_to_text(4.0) == "4"
    assert cell_to_text(4.12) == "4.12"
    assert cell_to_text(0.1637) == "0.1637"
    assert cell_to_text(43232202.0) == "43232202"
    assert cell_to_text(5) == "5"
    assert cell_to_text("Y") == "Y"


# -- ReleaseSource ----------------------------------------------------------------------


def test_folder_source_reads_rows_with_file_and_line() -> None:
    source = ReleaseSource(FIXTURE_DIR)
    try:
        assert all(source.has_table(t) for t in TABLES)
        assert not source.has_table("Work Context")
        rows = list(source.read_table("Job Zones", TABLES["Job Zones"]))
    finally:
        source.close()
    expected = fixture_rows("Job Zones")
    assert [r.cells for r in rows] == expected
    assert [r.line for r in rows] == list(range(2, len(expected) + 2))
    assert all(r.file == str(table_path(FIXTURE_DIR, "Job Zones")) for r in rows)


def test_read_me_is_readable() -> None:
    source = ReleaseSource(FIXTURE_DIR)
    try:
        readme = source.read_text("Read Me.txt")
        assert readme is not None and readme.startswith("O*NET 99.1 Database")
        assert source.read_text("No Such File.txt") is None
    finally:
        source.close()


def test_zip_source_finds_tables_under_a_top_folder(tmp_path: Path) -> None:
    archive = zip_folder(FIXTURE_DIR, tmp_path / "mini.zip", top="db_99_1_text")
    source = ReleaseSource(archive)
    try:
        assert source.describe("Skills") == f"{archive}!db_99_1_text/Skills.txt"
        rows = list(source.read_table("Skills", TABLES["Skills"]))
        readme = source.read_text("Read Me.txt")
    finally:
        source.close()
    assert [r.cells for r in rows] == fixture_rows("Skills")
    assert rows[0].file == f"{archive}!db_99_1_text/Skills.txt"
    assert readme is not None and "O*NET 99.1 Database" in readme


def test_crlf_and_bom_are_tolerated(tmp_path: Path) -> None:
    folder = tmp_path / "crlf"
    folder.mkdir()
    for file in FIXTURE_DIR.iterdir():
        text = file.read_text(encoding="utf-8").replace("\n", "\r\n")
        (folder / file.name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    source = ReleaseSource(folder)
    try:
        rows = list(source.read_table("Occupation Data", TABLES["Occupation Data"]))
    finally:
        source.close()
    assert [r.cells for r in rows] == fixture_rows("Occupation Data")


def test_blank_trailing_lines_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "blank"
    folder.mkdir()
    (folder / "Occupation Data.txt").write_text(
        "O*NET-SOC Code\tTitle\tDescription\n11-1011.00\tChief Executives\tRun things.\n\n\n",
        encoding="utf-8",
    )
    source = ReleaseSource(folder)
    try:
        rows = list(source.read_table("Occupation Data", TABLES["Occupation Data"]))
    finally:
        source.close()
    assert len(rows) == 1 and rows[0].cells["Title"] == "Chief Executives"


def test_extra_columns_are_allowed() -> None:
    # The Excel layout carries Title columns the text layout lacks: only required ones count.
    source = ReleaseSource(FIXTURE_DIR)
    try:
        rows = list(source.read_table("Alternate Titles", ("Alternate Title",)))
    finally:
        source.close()
    assert len(rows) == len(read_tsv(table_path(FIXTURE_DIR, "Alternate Titles")))
    assert "Source(s)" in rows[0].cells


def test_empty_table_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "Occupation Data.txt").write_text("", encoding="utf-8")
    source = ReleaseSource(folder)
    try:
        with pytest.raises(DataFormatError, match="file is empty") as info:
            list(source.read_table("Occupation Data", TABLES["Occupation Data"]))
    finally:
        source.close()
    assert info.value.line == 1


def test_row_with_too_many_cells_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "wide"
    folder.mkdir()
    (folder / "Occupation Data.txt").write_text(
        "O*NET-SOC Code\tTitle\tDescription\n11-1011.00\tChief Executives\tRun.\textra\n",
        encoding="utf-8",
    )
    source = ReleaseSource(folder)
    try:
        with pytest.raises(DataFormatError, match="row has 4 cells, header has 3") as info:
            list(source.read_table("Occupation Data", TABLES["Occupation Data"]))
    finally:
        source.close()
    assert info.value.line == 2
    assert info.value.file.endswith("Occupation Data.txt")


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="no such file or folder") as info:
        ReleaseSource(tmp_path / "nowhere")
    assert info.value.file == str(tmp_path / "nowhere")


def test_plain_file_is_not_a_release(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("hello", encoding="utf-8")
    with pytest.raises(DataFormatError, match="not a folder or a zip file"):
        ReleaseSource(file)


def test_folder_without_occupation_data_is_not_a_release(tmp_path: Path) -> None:
    (tmp_path / "Skills.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="no 'Occupation Data' table"):
        ReleaseSource(tmp_path)


def test_zip_without_occupation_data_is_not_a_release(tmp_path: Path) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("db_1_0_text/Skills.txt", "x\n")
    with pytest.raises(DataFormatError, match="no 'Occupation Data' table"):
        ReleaseSource(archive)


def test_missing_table_error_names_the_table() -> None:
    source = ReleaseSource(FIXTURE_DIR)
    try:
        with pytest.raises(DataFormatError, match="table 'Work Context' is missing") as info:
            list(source.read_table("Work Context", ("O*NET-SOC Code",)))
    finally:
        source.close()
    assert info.value.file == f"{FIXTURE_DIR}/Work Context.txt"  # where it was expected


# -- damaged files: every failure names file, line and column ----------------------------


def _read_all(folder: Path, table: str = "Occupation Data") -> list[TableRow]:
    source = ReleaseSource(folder)
    try:
        return list(source.read_table(table, TABLES.get(table, ())))
    finally:
        source.close()


def _occupation_file(folder: Path, body: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "Occupation Data.txt"
    path.write_bytes(b"O*NET-SOC Code\tTitle\tDescription\n" + body)
    return path


def test_huge_field_names_line_and_column(tmp_path: Path) -> None:
    huge = b"x" * (10 * 1024 * 1024)
    path = _occupation_file(tmp_path / "huge", b"11-1011.00\tChief\tok\n11-1021.00\tGM\t" + huge)
    with pytest.raises(DataFormatError) as info:
        _read_all(tmp_path / "huge")
    err = info.value
    assert (err.file, err.line, err.column) == (str(path), 3, "Description")
    assert "10,485,760-character value" in err.reason and "131,072" in err.reason
    assert "\n" not in str(err)


def test_nul_byte_names_line_and_column(tmp_path: Path) -> None:
    _occupation_file(tmp_path / "nul", b"11-1011.00\tChi\x00ef\tok\n")
    with pytest.raises(DataFormatError, match="NUL character") as info:
        _read_all(tmp_path / "nul")
    assert (info.value.line, info.value.column) == (2, "Title")


def test_non_utf8_byte_names_line_and_column(tmp_path: Path) -> None:
    path = _occupation_file(
        tmp_path / "latin1", b"11-1011.00\tChief\tok\n11-1021.00\tGeneral \xe9\tok\n"
    )
    with pytest.raises(DataFormatError) as info:
        _read_all(tmp_path / "latin1")
    err = info.value
    assert (err.file, err.line, err.column) == (str(path), 3, "Title")
    assert "bytes e9 are not UTF-8 text (character 20 of the line)" in err.reason


def test_header_only_table_is_an_error(tmp_path: Path) -> None:
    path = _occupation_file(tmp_path / "header", b"")
    with pytest.raises(DataFormatError, match="no data rows") as info:
        _read_all(tmp_path / "header")
    assert (info.value.file, info.value.line) == (str(path), 2)


def test_rows_read_counts_the_data_rows() -> None:
    source = ReleaseSource(FIXTURE_DIR)
    try:
        rows = list(source.read_table("Job Zones", TABLES["Job Zones"]))
    finally:
        source.close()
    assert source.rows_read == {"Job Zones": len(rows)} == {"Job Zones": 7}


@pytest.mark.parametrize("junk", [b"", b"not a workbook", b"PK\x03\x04 half a zip"])
def test_junk_xlsx_is_a_data_format_error(tmp_path: Path, junk: bytes) -> None:
    folder = tmp_path / "excel"
    folder.mkdir()
    (folder / "Occupation Data.xlsx").write_bytes(junk)
    with pytest.raises(DataFormatError, match="not a readable Excel workbook") as info:
        _read_all(folder)
    assert info.value.file == str(folder / "Occupation Data.xlsx")
    assert "\n" not in str(info.value)


def test_junk_xlsx_inside_a_zip_names_the_member(tmp_path: Path) -> None:
    archive = tmp_path / "excel.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("db_29_3_excel/Occupation Data.xlsx", b"junk")
    with pytest.raises(DataFormatError, match="not a readable Excel workbook") as info:
        _read_all(archive)
    assert info.value.file == f"{archive}!db_29_3_excel/Occupation Data.xlsx"


def test_damaged_zip_member_is_a_data_format_error(tmp_path: Path) -> None:
    archive = zip_folder(FIXTURE_DIR, tmp_path / "mini.zip", top="db_99_1_text")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("db_99_1_text/Occupation Data.txt")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5] ^= 0xFF  # flip a byte of the compressed data
    archive.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match="damaged zip member") as err:
        _read_all(archive)
    assert err.value.file == f"{archive}!db_99_1_text/Occupation Data.txt"
