"""loaders.bls: counts and spot values against the real BLS workbooks, xlsx/TSV
equivalence, the O*NET join (specialties, aggregates, military), Bright Outlook, errors."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import TypeVar

import pytest

from careergraph.graph.bls_model import (
    TOP_CODED_ANNUAL_WAGE_USD,
    BrightOutlookReason,
    EntryEducation,
    OccupationOutlook,
    OccupationWages,
    OnetLaborMarket,
    OnTheJobTraining,
    WorkExperience,
)
from careergraph.graph.errors import DataFormatError
from careergraph.loaders.bls import (
    BRIGHT_OUTLOOK_MIN_GROWTH_PCT,
    EP_EMPLOYMENT_2024,
    EP_TSV,
    EP_WORKBOOK,
    OEWS_TSV,
    OEWS_WORKBOOK,
    attach_to_onet,
    bright_outlook_reasons,
    derive_soc_aggregates,
    flatten_labor_market,
    onet_soc_code,
    read_employment_projections,
    read_labor_market,
    read_oews_wages,
    summarize_coverage,
)

from .support import read_tsv, shared_data_dir

EP_EDUCATION = "Typical education needed for entry"
EP_CHANGE = "Employment change, numeric, 2024\u201334"

README_AGGREGATES = {
    "13-1020": ["13-1021", "13-1022", "13-1023"],
    "13-2020": ["13-2022", "13-2023"],
    "21-1018": ["21-1011", "21-1014"],
    "25-2052": ["25-2055", "25-2056"],
    "25-9045": ["25-9042", "25-9043", "25-9049"],
    "29-2010": ["29-2011", "29-2012"],
    "31-1120": ["31-1121", "31-1122"],
    "39-7010": ["39-7011", "39-7012"],
    "47-4090": ["47-4091", "47-4099"],
    "51-2028": ["51-2022", "51-2023"],
    "51-2090": ["51-2092", "51-2099"],
    "53-1047": ["53-1042", "53-1043", "53-1044", "53-1049"],
}
"""The table "Joining O*NET and BLS" of shared/data/README.md: aggregate -> O*NET SOC codes."""


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bls_dir() -> Path:
    folder = shared_data_dir() / "bls"
    assert (folder / EP_WORKBOOK).is_file(), f"BLS data missing at {folder}"
    return folder


@pytest.fixture(scope="module")
def outlook(bls_dir: Path) -> list[OccupationOutlook]:
    return read_employment_projections(bls_dir)


@pytest.fixture(scope="module")
def wages(bls_dir: Path) -> list[OccupationWages]:
    return read_oews_wages(bls_dir)


@pytest.fixture(scope="module")
def onet_codes() -> list[str]:
    path = shared_data_dir() / "onet" / "db_29_3_tsv" / "Occupation Data.txt"
    return [row["O*NET-SOC Code"] for row in read_tsv(path)]


@pytest.fixture(scope="module")
def labor(
    onet_codes: list[str], outlook: list[OccupationOutlook], wages: list[OccupationWages]
) -> dict[str, OnetLaborMarket]:
    return attach_to_onet(onet_codes, outlook, wages)


Figures = TypeVar("Figures", OccupationOutlook, OccupationWages)


def by_code(records: list[Figures], code: str) -> Figures:
    (record,) = [r for r in records if r.soc_code == code]
    return record


@pytest.fixture
def tsv_copy(bls_dir: Path, tmp_path: Path) -> Path:
    """A writable folder with the two BLS TSV extracts."""
    for name in (EP_TSV, OEWS_TSV):
        shutil.copy(bls_dir / name, tmp_path / name)
    return tmp_path


def edit_tsv_cell(path: Path, code: str, column: str, value: str) -> int:
    """Set ``column`` of the row whose cells include ``code``; return its 1-based line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if code in cells:
            cells[header.index(column)] = value
            lines[number - 1] = "\t".join(cells)
            path.write_text("\n".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"{code} not in {path}")


def copy_workbook_with_text_cell(
    source: Path, target: Path, sheet: str, cell: str, text: str
) -> Path:
    """Copy an .xlsx, replacing cell ``cell`` (e.g. ``D6``) of ``sheet`` by inline text."""
    with zipfile.ZipFile(source) as original:
        workbook = original.read("xl/workbook.xml").decode()
        rels = original.read("xl/_rels/workbook.xml.rels").decode()
        rel_id = re.search(rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook)
        assert rel_id, sheet
        relation = re.search(rf'<Relationship [^>]*Id="{rel_id.group(1)}"[^>]*>', rels)
        assert relation, rel_id.group(1)
        member = "xl/" + re.search(r'Target="([^"]+)"', relation.group(0)).group(1)  # type: ignore[union-attr]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in original.infolist():
                data = original.read(item.filename)
                if item.filename == member:
                    xml, count = re.subn(
                        rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)',
                        f'<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>',
                        data.decode(),
                        count=1,
                    )
                    assert count == 1, cell
                    data = xml.encode()
                copy.writestr(item, data)
    return target


# -- counts, forms ------------------------------------------------------------------------------


def test_counts_match_the_workbooks(
    outlook: list[OccupationOutlook], wages: list[OccupationWages]
) -> None:
    assert len(outlook) == 832  # Table 1.2 "Line item" rows
    assert len(wages) == 831  # OEWS O_GROUP "detailed"
    assert len({o.soc_code for o in outlook}) == 832
    assert len({w.soc_code for w in wages}) == 831
    assert {o.soc_code for o in outlook} - {w.soc_code for w in wages} == {"45-3031"}
    assert all(not o.is_aggregate and o.source_soc_code == o.soc_code for o in outlook)


def test_xlsx_and_tsv_give_identical_records(
    bls_dir: Path, outlook: list[OccupationOutlook], wages: list[OccupationWages]
) -> None:
    assert read_employment_projections(bls_dir, form="tsv") == outlook
    assert read_oews_wages(bls_dir, form="tsv") == wages


# -- spot values (shared/data/README.md "Sanity checks", checked against the workbooks) ---------


@pytest.mark.parametrize(
    ("code", "employment_2024", "employment_2034", "growth", "median_wage", "education"),
    [
        ("15-1252", 1693.8, 1961.4, 15.8, 133_080, EntryEducation.BACHELOR),
        ("11-3021", 667.1, 768.7, 15.2, 171_200, EntryEducation.BACHELOR),
        ("11-9041", 212.5, 220.5, 3.8, 167_740, EntryEducation.BACHELOR),
        ("15-1299", 472.0, 510.5, 8.2, 108_970, EntryEducation.BACHELOR),
    ],
)
def test_projection_spot_values(
    outlook: list[OccupationOutlook],
    code: str,
    employment_2024: float,
    employment_2034: float,
    growth: float,
    median_wage: float,
    education: EntryEducation,
) -> None:
    record = by_code(outlook, code)
    assert record.employment_2024_thousands == employment_2024
    assert record.employment_2034_thousands == employment_2034
    assert record.growth_pct == growth
    assert record.median_wage_usd == median_wage
    assert not record.median_wage_top_coded
    assert record.typical_entry_education is education


def test_software_developers_full_record(outlook: list[OccupationOutlook]) -> None:
    record = by_code(outlook, "15-1252")
    assert record.title == "Software developers"  # indentation stripped
    assert record.employment_change_thousands == 267.7
    assert record.annual_openings_thousands == 115.2
    assert record.openings_over_period_thousands == pytest.approx(1152.0)
    assert record.self_employed_pct == 1.6
    assert record.related_work_experience is WorkExperience.NONE
    assert record.on_the_job_training is OnTheJobTraining.NONE
    managers = by_code(outlook, "11-9041")
    assert managers.related_work_experience is WorkExperience.FIVE_YEARS_OR_MORE
    assert EntryEducation.BACHELOR.rank == 6
    assert EntryEducation.DOCTORAL_OR_PROFESSIONAL.rank == 8


def test_oews_percentiles_of_software_developers(wages: list[OccupationWages]) -> None:
    record = by_code(wages, "15-1252")
    assert record.title == "Software Developers"
    assert record.employment == 1_654_440
    assert (
        record.wage_p10_usd,
        record.wage_p25_usd,
        record.median_wage_usd,
        record.wage_p75_usd,
        record.wage_p90_usd,
        record.mean_wage_usd,
    ) == (79_850, 103_050, 133_080, 169_000, 211_450, 144_570)
    assert not record.wage_p90_top_coded


def test_top_coded_and_missing_wages(
    outlook: list[OccupationOutlook], wages: list[OccupationWages]
) -> None:
    anesthesiologists = by_code(wages, "29-1211")
    assert (anesthesiologists.wage_p10_usd, anesthesiologists.wage_p25_usd) == (124_450, 186_680)
    assert not anesthesiologists.wage_p25_top_coded
    assert anesthesiologists.median_wage_usd == TOP_CODED_ANNUAL_WAGE_USD
    assert anesthesiologists.median_wage_top_coded
    assert anesthesiologists.wage_p90_top_coded
    assert anesthesiologists.mean_wage_usd == 336_640  # the mean is never top-coded
    surgeons = by_code(outlook, "29-1022")  # EP shows ">=$239,200"
    assert surgeons.median_wage_usd == TOP_CODED_ANNUAL_WAGE_USD
    assert surgeons.median_wage_top_coded
    assert sum(o.median_wage_top_coded for o in outlook) == 17
    actors = by_code(wages, "27-2011")  # hourly wages only: annual "*"
    assert actors.employment == 38_800
    assert actors.median_wage_usd is None and actors.wage_p10_usd is None
    assert actors.mean_wage_usd is None
    assert by_code(outlook, "27-2011").median_wage_usd is None  # EP "—"
    assert by_code(outlook, "45-3031").median_wage_usd is None
    assert by_code(outlook, "45-3031").self_employed_pct == 57.1


# -- O*NET join -----------------------------------------------------------------------------------


def test_onet_soc_code() -> None:
    assert onet_soc_code("15-1252.00") == "15-1252"
    assert onet_soc_code("15-1299.08") == "15-1299"
    with pytest.raises(ValueError, match="not an O\\*NET-SOC code"):
        onet_soc_code("15-1252")


def test_derived_aggregates_are_the_readme_table(
    onet_codes: list[str], outlook: list[OccupationOutlook], wages: list[OccupationWages]
) -> None:
    expected = {soc: aggregate for aggregate, socs in README_AGGREGATES.items() for soc in socs}
    assert len(expected) == 28 and len(set(expected.values())) == 12
    onet_socs = {onet_soc_code(code) for code in onet_codes}
    for records in (outlook, wages):
        derived = derive_soc_aggregates(onet_socs, [r.soc_code for r in records])
        assert derived == expected


def test_derive_soc_aggregates_needs_one_candidate() -> None:
    assert derive_soc_aggregates(["13-1021"], ["13-1020"]) == {"13-1021": "13-1020"}
    assert derive_soc_aggregates(["13-1021"], ["13-1020", "13-1028"]) == {}  # ambiguous
    assert derive_soc_aggregates(["13-1021", "13-1020"], ["13-1020"]) == {}  # O*NET code
    assert derive_soc_aggregates(["55-1011"], ["13-1020"]) == {}


def test_every_aggregated_code_gets_the_aggregate_figures(
    labor: dict[str, OnetLaborMarket],
    outlook: list[OccupationOutlook],
    wages: list[OccupationWages],
) -> None:
    covered: dict[str, set[str]] = defaultdict(set)
    for item in labor.values():
        if item.outlook is not None and item.outlook.is_aggregate:
            covered[item.outlook.source_soc_code].add(item.soc_code)
    assert {k: sorted(v) for k, v in covered.items()} == README_AGGREGATES

    buyer = labor["13-1021.00"]
    assert buyer.is_aggregate and not buyer.is_specialty
    assert buyer.outlook is not None and buyer.wages is not None
    source = by_code(outlook, "13-1020")
    assert buyer.outlook.soc_code == "13-1021"
    assert buyer.outlook.source_soc_code == "13-1020"
    assert buyer.outlook.is_aggregate
    assert buyer.outlook.model_dump(exclude={"soc_code", "is_aggregate"}) == source.model_dump(
        exclude={"soc_code", "is_aggregate"}
    )
    assert buyer.outlook.title == "Buyers and purchasing agents"
    assert buyer.outlook.employment_2024_thousands == 522.2
    assert buyer.wages.source_soc_code == "13-1020" and buyer.wages.is_aggregate
    assert buyer.wages.median_wage_usd == by_code(wages, "13-1020").median_wage_usd
    counselor = labor["21-1014.00"]  # aggregate code not ending in 0
    assert counselor.outlook is not None and counselor.outlook.source_soc_code == "21-1018"


def test_direct_match_and_specialty(labor: dict[str, OnetLaborMarket]) -> None:
    developers = labor["15-1252.00"]
    assert developers.soc_code == "15-1252"
    assert not developers.is_aggregate and not developers.is_specialty
    assert developers.outlook is not None and developers.outlook.median_wage_usd == 133_080

    architects = labor["15-1299.08"]  # Computer Systems Engineers/Architects
    assert architects.is_specialty and not architects.is_aggregate
    assert architects.outlook is not None and architects.wages is not None
    assert architects.outlook.soc_code == architects.outlook.source_soc_code == "15-1299"
    assert architects.outlook.employment_2024_thousands == 472.0
    assert architects.outlook.growth_pct == 8.2
    assert architects.wages.median_wage_usd == 108_970


def test_military_gets_nothing_and_fishers_get_no_wages(labor: dict[str, OnetLaborMarket]) -> None:
    military = [item for item in labor.values() if item.soc_code.startswith("55-")]
    assert len(military) == 19
    for item in military:
        assert item.outlook is None and item.wages is None
        assert item.bright_outlook is None and item.bright_outlook_reasons == ()
    fishers = labor["45-3031.00"]
    assert fishers.outlook is not None and fishers.wages is None


def test_coverage_of_onet_29_3(labor: dict[str, OnetLaborMarket]) -> None:
    coverage = summarize_coverage(labor)
    assert coverage.onet_codes == 1016
    assert coverage.specialties == 149
    assert coverage.military == 19
    assert (coverage.outlook_direct, coverage.outlook_aggregate) == (963, 34)
    assert (coverage.wages_direct, coverage.wages_aggregate) == (962, 34)
    assert (coverage.with_outlook, coverage.with_wages) == (997, 996)
    assert all(code.startswith("55-") for code in coverage.without_outlook)
    assert set(coverage.without_wages) == {*coverage.without_outlook, "45-3031.00"}
    assert coverage.bright_outlook == 448


def test_read_labor_market_in_both_forms(
    bls_dir: Path, onet_codes: list[str], labor: dict[str, OnetLaborMarket]
) -> None:
    assert read_labor_market(bls_dir, onet_codes) == labor
    assert read_labor_market(bls_dir, onet_codes, form="tsv") == labor


def test_attach_rejects_bad_input(outlook: list[OccupationOutlook]) -> None:
    with pytest.raises(ValueError, match="not an O\\*NET-SOC code"):
        attach_to_onet(["15-1252"], outlook, [])
    with pytest.raises(ValueError, match="two OccupationOutlook records for 11-1011"):
        attach_to_onet(["15-1252.00"], [outlook[0], *outlook], [])


# -- Bright Outlook ------------------------------------------------------------------------------


def test_bright_outlook_of_real_occupations(labor: dict[str, OnetLaborMarket]) -> None:
    both = (BrightOutlookReason.GROW_RAPIDLY, BrightOutlookReason.NUMEROUS_JOB_OPENINGS)
    assert labor["15-1252.00"].bright_outlook is True
    assert labor["15-1252.00"].bright_outlook_reasons == both
    # 11-9041: +3.8 % but 14.5 thousand openings a year = 145,000 over 2024-34
    assert labor["11-9041.00"].bright_outlook_reasons == (
        BrightOutlookReason.NUMEROUS_JOB_OPENINGS,
    )
    # 15-1299: +8.2 %, 31.3 thousand a year; its specialty inherits it
    assert labor["15-1299.08"].bright_outlook_reasons == both
    # 51-4062 Patternmakers, metal and plastic: -24.4 %, few openings
    assert labor["51-4062.00"].bright_outlook is False
    assert labor["51-4062.00"].bright_outlook_reasons == ()


def test_bright_outlook_thresholds(outlook: list[OccupationOutlook]) -> None:
    base = by_code(outlook, "51-4062")

    def reasons(growth: float, annual_openings: float) -> tuple[BrightOutlookReason, ...]:
        record = base.model_copy(
            update={"growth_pct": growth, "annual_openings_thousands": annual_openings}
        )
        return bright_outlook_reasons(record)

    assert BRIGHT_OUTLOOK_MIN_GROWTH_PCT == 7.0
    assert reasons(7.0, 0.1) == (BrightOutlookReason.GROW_RAPIDLY,)
    assert reasons(6.9, 0.1) == ()
    assert reasons(0.0, 10.0) == (BrightOutlookReason.NUMEROUS_JOB_OPENINGS,)  # 100,000
    assert reasons(0.0, 9.9) == ()
    assert bright_outlook_reasons(by_code(outlook, "15-1299"), min_growth_pct=10.0) == (
        BrightOutlookReason.NUMEROUS_JOB_OPENINGS,
    )


def test_labor_market_record_checks_bright_outlook_consistency() -> None:
    with pytest.raises(ValueError, match="bright_outlook must be None"):
        OnetLaborMarket(onet_code="55-1011.00", soc_code="55-1011", bright_outlook=False)


# -- errors ---------------------------------------------------------------------------------------


def test_bad_number_in_tsv_names_file_line_and_column(tsv_copy: Path) -> None:
    line = edit_tsv_cell(tsv_copy / EP_TSV, "15-1252", EP_EMPLOYMENT_2024, "1,693.8")
    with pytest.raises(DataFormatError) as caught:
        read_employment_projections(tsv_copy, form="tsv")
    error = caught.value
    assert error.file == str(tsv_copy / EP_TSV)
    assert (error.line, error.column) == (line, EP_EMPLOYMENT_2024)
    assert "'1,693.8' is not a number" in str(error)


def test_bad_number_in_workbook_names_sheet_and_row(bls_dir: Path, tmp_path: Path) -> None:
    copy_workbook_with_text_cell(
        bls_dir / EP_WORKBOOK, tmp_path / EP_WORKBOOK, "Table 1.2", "D6", "n.a."
    )
    with pytest.raises(DataFormatError) as caught:
        read_employment_projections(tmp_path)
    error = caught.value  # row 6 = Chief executives (title on row 1, header on row 2)
    assert error.file == f"{tmp_path / EP_WORKBOOK}, sheet 'Table 1.2'"
    assert (error.line, error.column) == (6, EP_EMPLOYMENT_2024)
    assert str(error) == (
        f"{tmp_path / EP_WORKBOOK}, sheet 'Table 1.2', line 6, column 'Employment, 2024': "
        "'n.a.' is not a number"
    )


def test_bad_wage_in_oews_workbook(bls_dir: Path, tmp_path: Path) -> None:
    copy_workbook_with_text_cell(
        bls_dir / OEWS_WORKBOOK, tmp_path / OEWS_WORKBOOK, "national_M2024_dl", "AB6", "~"
    )
    with pytest.raises(DataFormatError) as caught:
        read_oews_wages(tmp_path)
    error = caught.value
    assert error.file == f"{tmp_path / OEWS_WORKBOOK}, sheet 'national_M2024_dl'"
    assert (error.line, error.column) == (6, "A_MEDIAN")


def test_missing_column_names_the_header_line(tsv_copy: Path) -> None:
    path = tsv_copy / EP_TSV
    path.write_text(
        path.read_text(encoding="utf-8").replace("Employment, 2034\t", "Employment 2034\t", 1),
        encoding="utf-8",
    )
    with pytest.raises(DataFormatError) as caught:
        read_employment_projections(tsv_copy, form="tsv")
    assert (caught.value.line, caught.value.column) == (1, "Employment, 2034")
    assert "header lacks column 'Employment, 2034'" in str(caught.value)


def test_missing_sheet_file_and_header(bls_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="no such file"):
        read_employment_projections(tmp_path)
    shutil.copy(bls_dir / OEWS_WORKBOOK, tmp_path / EP_WORKBOOK)  # a workbook without the sheet
    with pytest.raises(DataFormatError, match=r"no sheet 'Table 1\.2'"):
        read_employment_projections(tmp_path)
    (tmp_path / OEWS_TSV).write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="no header row holding column 'OCC_CODE'"):
        read_oews_wages(tmp_path, form="tsv")
    with pytest.raises(ValueError, match="form must be"):
        read_oews_wages(tmp_path, form="csv")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("file", "code", "column", "value", "reason"),
    [
        (EP_TSV, "15-1252", EP_EDUCATION, "PhD", "'PhD' is not a BLS category"),
        (EP_TSV, "15-1252", EP_CHANGE, "300", "within rounding"),
        (EP_TSV, "15-1252", "Occupation type", "Detail", "'Detail' is not one of"),
        (EP_TSV, "15-1252", "Employment change, percent, 2024\u201334", "-101", "outside"),
        (EP_TSV, "15-1252", "Percent self employed, 2024", "", "value is missing"),
        (EP_TSV, "15-1252", "2024 National Employment Matrix code", "15-125", "not a SOC code"),
        (OEWS_TSV, "15-1252", "A_PCT25", "70000", "70000 is below A_PCT10 (79850)"),
        (OEWS_TSV, "15-1252", "TOT_EMP", "1.5", "not a whole number"),
        (OEWS_TSV, "15-1252", "I_GROUP", "4-digit", "not a national cross-industry estimate"),
        (OEWS_TSV, "15-1252", "O_GROUP", "detail", "'detail' is not one of"),
    ],
)
def test_bad_cells_are_rejected(
    tsv_copy: Path, file: str, code: str, column: str, value: str, reason: str
) -> None:
    line = edit_tsv_cell(tsv_copy / file, code, column, value)
    reader = read_employment_projections if file == EP_TSV else read_oews_wages
    with pytest.raises(DataFormatError) as caught:
        reader(tsv_copy, form="tsv")
    assert (caught.value.file, caught.value.line) == (str(tsv_copy / file), line)
    assert caught.value.column == column
    assert reason in caught.value.reason


def test_truncated_and_repeated_rows(tsv_copy: Path) -> None:
    path = tsv_copy / EP_TSV
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if "\t15-1252\t" in line)
    original = lines[index]
    lines[index] = "\t".join(original.split("\t")[:5])
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataFormatError) as caught:
        read_employment_projections(tsv_copy, form="tsv")
    assert (caught.value.line, caught.value.column) == (
        index + 1,
        "Employment distribution, percent, 2024",
    )
    assert "row has 5 cells, the header has 16" in str(caught.value)

    lines[index] = original
    lines.insert(index + 1, original)
    path.write_text("\n".join(lines), encoding="utf-8")
    repeated = f"15-1252 repeats the 'Line item' row on line {index + 1}"
    with pytest.raises(DataFormatError, match=repeated):
        read_employment_projections(tsv_copy, form="tsv")


@pytest.mark.parametrize("junk", [b"", b"<html>not a workbook</html>", b"PK\x03\x04 cut zip"])
def test_junk_workbook_is_a_data_format_error(tmp_path: Path, junk: bytes) -> None:
    (tmp_path / EP_WORKBOOK).write_bytes(junk)
    with pytest.raises(DataFormatError, match="not a readable Excel workbook") as caught:
        read_employment_projections(tmp_path)
    assert caught.value.file == str(tmp_path / EP_WORKBOOK)
    assert "\n" not in str(caught.value)


def test_non_utf8_tsv_names_line_and_column(tsv_copy: Path) -> None:
    path = tsv_copy / EP_TSV
    line = edit_tsv_cell(path, "15-1252", EP_EDUCATION, "Bachelor-MARK")
    path.write_bytes(path.read_bytes().replace(b"-MARK", b"\xff"))
    with pytest.raises(DataFormatError, match="bytes ff are not UTF-8") as caught:
        read_employment_projections(tsv_copy, form="tsv")
    assert (caught.value.line, caught.value.column) == (line, EP_EDUCATION)


def test_huge_field_in_tsv_names_line_and_column(tsv_copy: Path) -> None:
    line = edit_tsv_cell(tsv_copy / OEWS_TSV, "15-1252", "OCC_TITLE", "x" * 10_000_000)
    with pytest.raises(DataFormatError, match="10,000,000-character value") as caught:
        read_oews_wages(tsv_copy, form="tsv")
    assert (caught.value.line, caught.value.column) == (line, "OCC_TITLE")


def test_empty_tsv_is_a_data_format_error(tsv_copy: Path) -> None:
    (tsv_copy / EP_TSV).write_bytes(b"")
    with pytest.raises(DataFormatError, match="file is empty") as caught:
        read_employment_projections(tsv_copy, form="tsv")
    assert caught.value.line == 1


def test_group_figures_name_the_bls_group(labor: dict[str, OnetLaborMarket]) -> None:
    """Figures that are not the occupation's own (specialties, aggregates) say whose they
    are; an occupation's own figures do not."""
    flat = {code: flatten_labor_market(labor[code]) for code in labor}
    assert flat["15-1299.08"].figures_for == "15-1299 Computer occupations, all other"
    assert flat["29-1141.01"].figures_for == "29-1141 Registered nurses"
    assert flat["13-1021.00"].figures_for == "13-1020 Buyers and purchasing agents"
    assert flat["15-1252.00"].figures_for is None
    assert flat["15-1252.00"].bls_title == "Software developers"
    assert flat["29-1141.00"].figures_for is None  # the SOC occupation itself
    specialties = [f for code, f in flat.items() if not code.endswith(".00") and f.bls_title]
    assert specialties and all(f.figures_for for f in specialties)
