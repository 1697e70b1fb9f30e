"""BLS loader: Employment Projections 2024-34 and OEWS May 2024 -> labor-market records.

Reads two U.S. Bureau of Labor Statistics sources from one folder (in the project:
``shared/data/bls/``), validates every value it keeps, and attaches the figures to O*NET-SOC
occupations:

* **Employment Projections (EP) 2024-34**, ``occupation.xlsx`` sheet ``Table 1.2``
  "Occupational projections, 2024-34, and worker characteristics, 2024" -> one
  :class:`~graph.bls_model.OccupationOutlook` per ``Line item`` row (832 detailed
  occupations). The header row is found by its content (the sheet starts with a title row
  and ends with footnotes).
* **OEWS May 2024 national**, ``national_M2024_dl.xlsx`` (first sheet) -> one
  :class:`~graph.bls_model.OccupationWages` per ``O_GROUP = detailed`` row (831).

Each workbook may be replaced by its tab-delimited extract with the same columns
(``occupation_Table_1.2.txt``, ``national_M2024_dl.txt``; ``form="tsv"``); both forms give
identical records. Any problem stops the load with a :class:`~graph.errors.DataFormatError`
naming the file (and sheet), the line (spreadsheet row or text line, 1-based), the column and
the reason. Nothing is written anywhere by this module.

The O*NET join (:func:`attach_to_onet`) and the Bright Outlook rule
(:func:`bright_outlook_reasons`) are documented in ``docs/data-sources.md``.

Source: U.S. Bureau of Labor Statistics, Employment Projections program (2024-34) and
Occupational Employment and Wage Statistics (May 2024); public domain.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from careergraph.graph.bls_model import (
    TOP_CODED_ANNUAL_WAGE_USD,
    BrightOutlookReason,
    EntryEducation,
    OccupationOutlook,
    OccupationWages,
    OnetLaborMarket,
    OnTheJobTraining,
    SocFigures,
    WorkExperience,
)
from careergraph.graph.errors import DataFormatError
from careergraph.graph.model import ONET_SOC_CODE, LaborMarketFigures
from careergraph.loaders.data_sources import EP_WORKBOOK as EP_WORKBOOK  # (re-exported:
from careergraph.loaders.data_sources import OEWS_WORKBOOK as OEWS_WORKBOOK  # the catalog's)
from careergraph.loaders.tables import (
    TableRow,
    check_cells,
    decode_text,
    read_workbook_rows,
    split_text_rows,
)

SourceForm = Literal["xlsx", "tsv"]
"""``"xlsx"``: the original BLS workbooks; ``"tsv"``: their tab-delimited extracts."""

# -- Employment Projections 2024-34, Table 1.2 ------------------------------------------------

EP_SHEET = "Table 1.2"
EP_TSV = "occupation_Table_1.2.txt"

EP_TITLE = "2024 National Employment Matrix title"
EP_CODE = "2024 National Employment Matrix code"
EP_TYPE = "Occupation type"
EP_EMPLOYMENT_2024 = "Employment, 2024"
EP_EMPLOYMENT_2034 = "Employment, 2034"
EP_CHANGE = "Employment change, numeric, 2024\u201334"  # \u2013: en dash, as in the BLS header
EP_GROWTH = "Employment change, percent, 2024\u201334"
EP_SELF_EMPLOYED = "Percent self employed, 2024"
EP_OPENINGS = "Occupational openings, 2024\u201334 annual average"
EP_MEDIAN_WAGE = "Median annual wage, dollars, 2024[1]"
EP_EDUCATION = "Typical education needed for entry"
EP_EXPERIENCE = "Work experience in a related occupation"
EP_TRAINING = "Typical on-the-job training needed to attain competency in the occupation"

EP_COLUMNS = (
    EP_TITLE,
    EP_CODE,
    EP_TYPE,
    EP_EMPLOYMENT_2024,
    EP_EMPLOYMENT_2034,
    EP_CHANGE,
    EP_GROWTH,
    EP_SELF_EMPLOYED,
    EP_OPENINGS,
    EP_MEDIAN_WAGE,
    EP_EDUCATION,
    EP_EXPERIENCE,
    EP_TRAINING,
)
"""Columns of Table 1.2 the loader reads (others, e.g. the distribution shares, may exist)."""

EP_LINE_ITEM = "Line item"
EP_SUMMARY = "Summary"
EP_NOT_AVAILABLE = "—"
EP_TOP_CODED_WAGE = ">=$239,200"

# -- OEWS May 2024 national -----------------------------------------------------------------

OEWS_TSV = "national_M2024_dl.txt"

OEWS_CODE = "OCC_CODE"
OEWS_TITLE = "OCC_TITLE"
OEWS_GROUP = "O_GROUP"
OEWS_AREA_TYPE = "AREA_TYPE"
OEWS_INDUSTRY_GROUP = "I_GROUP"
OEWS_EMPLOYMENT = "TOT_EMP"
OEWS_WAGE_COLUMNS: dict[str, str] = {
    "wage_p10_usd": "A_PCT10",
    "wage_p25_usd": "A_PCT25",
    "median_wage_usd": "A_MEDIAN",
    "wage_p75_usd": "A_PCT75",
    "wage_p90_usd": "A_PCT90",
    "mean_wage_usd": "A_MEAN",
}
"""OccupationWages field -> OEWS annual wage column (US dollars)."""

OEWS_PERCENTILE_FIELDS = (
    "wage_p10_usd",
    "wage_p25_usd",
    "median_wage_usd",
    "wage_p75_usd",
    "wage_p90_usd",
)
OEWS_COLUMNS = (
    OEWS_AREA_TYPE,
    OEWS_INDUSTRY_GROUP,
    OEWS_CODE,
    OEWS_TITLE,
    OEWS_GROUP,
    OEWS_EMPLOYMENT,
    *OEWS_WAGE_COLUMNS.values(),
)
OEWS_GROUPS = ("total", "major", "minor", "broad", "detailed")
OEWS_NATIONAL_AREA_TYPE = "1"
OEWS_CROSS_INDUSTRY = "cross-industry"
OEWS_TOP_CODED = "#"
OEWS_WAGE_NOT_AVAILABLE = "*"
OEWS_EMPLOYMENT_NOT_AVAILABLE = "**"

# -- limits used in validation ----------------------------------------------------------------

MAX_EMPLOYMENT_THOUSANDS = 200_000.0
"""Upper bound for any EP employment figure (total U.S. employment 2024: 169,956.1)."""
MAX_GROWTH_PCT = 1_000.0
MAX_ANNUAL_WAGE_USD = 10_000_000.0
ROUNDING_TOLERANCE_THOUSANDS = 0.1 + 1e-6
"""EP rounds each employment figure to 0.1 thousand, so the published change may differ
from ``employment_2034 - employment_2024`` by up to 0.1."""

# -- O*NET Bright Outlook ---------------------------------------------------------------------

BRIGHT_OUTLOOK_MIN_GROWTH_PCT = 7.0
"""Criterion "Grow Rapidly": projected employment growth over 2024-34 of at least this many
percent ("much faster than average"). UNVERIFIED for 2024-34: O*NET re-sets the figure with
each projection cycle (10 % for 2016-26 on the O*NET Resource Center's Bright Outlook page);
O*NET Web Services (2024-34) confirm only that it lies above 5 %. See docs/data-sources.md."""

BRIGHT_OUTLOOK_MIN_OPENINGS_THOUSANDS = 100.0
"""Criterion "Numerous Job Openings": at least 100,000 projected job openings over the
10-year period, i.e. an annual average of at least 10.0 thousand (O*NET Resource Center)."""

MILITARY_MAJOR_GROUP = "55"
"""SOC major group of military occupations, which EP and OEWS do not cover."""

_SOC_CODE = re.compile(r"\d{2}-\d{4}")

_Figures = TypeVar("_Figures", bound=SocFigures)
_Category = TypeVar("_Category", bound=StrEnum)


# -- reading sheets and text files ------------------------------------------------------------


def _source_file(folder: Path, form: SourceForm, workbook: str, tsv: str) -> Path:
    if form not in ("xlsx", "tsv"):
        raise ValueError(f"form must be 'xlsx' or 'tsv', not {form!r}")
    path = folder / (workbook if form == "xlsx" else tsv)
    if not path.is_file():
        raise DataFormatError(str(path), f"no such file (BLS {form} form expected in {folder})")
    return path


def _raw_rows(path: Path, sheet: str | None) -> tuple[str, list[list[str]]]:
    """Return the error label (file, and sheet for workbooks) and all rows as text cells.

    ``sheet`` names the worksheet of an ``.xlsx`` file; None takes the first.

    Raises
    ------
    DataFormatError
        Unreadable file, not UTF-8 text (line, column), not a workbook, no such sheet.
    """
    if path.suffix.lower() != ".xlsx":
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DataFormatError(str(path), f"cannot read the file: {exc.strerror}") from None
        return str(path), list(split_text_rows(decode_text(raw, str(path))))
    name, rows = read_workbook_rows(path, str(path), sheet)
    return f"{path}, sheet {name!r}", rows


def _read_rows(
    path: Path, sheet: str | None, key_column: str, columns: Sequence[str]
) -> tuple[str, Iterator[TableRow]]:
    """Locate the header row (the first row holding ``key_column``), check it has every
    column in ``columns``, and return the error label and the data rows after it.

    Blank rows and note rows (text in the first cell only: titles, footnotes) are skipped.
    ``TableRow.line`` is the spreadsheet row or text line number, 1-based.
    """
    label, rows = _raw_rows(path, sheet)
    if not any(any(cell.strip() for cell in cells) for cells in rows):
        raise DataFormatError(label, "file is empty", line=1)
    found = next(
        (
            (line, [cell.strip() for cell in cells])
            for line, cells in enumerate(rows, start=1)
            if key_column in (cell.strip() for cell in cells)
        ),
        None,
    )
    if found is None:
        raise DataFormatError(label, f"no header row holding column {key_column!r}")
    header_line, header = found
    for column in columns:
        if column not in header:
            raise DataFormatError(
                label, f"header lacks column {column!r}", line=header_line, column=column
            )

    def data_rows() -> Iterator[TableRow]:
        for line, cells in enumerate(rows[header_line:], start=header_line + 1):
            if not any(cell.strip() for cell in cells):
                continue
            check_cells(label, line, header, cells)
            if len(cells) != len(header):
                raise DataFormatError(
                    label,
                    f"row has {len(cells)} cells, the header has {len(header)}",
                    line=line,
                    column=header[len(cells)] if len(cells) < len(header) else None,
                )
            if not any(cell.strip() for cell in cells[1:]):
                continue
            yield TableRow(label, line, dict(zip(header, cells, strict=True)))

    return label, data_rows()


# -- cell parsing -----------------------------------------------------------------------------


def _soc_code(row: TableRow, column: str) -> str:
    raw = row.text(column)
    if not _SOC_CODE.fullmatch(raw):
        raise row.error(column, f"{raw!r} is not a SOC code (NN-NNNN)")
    return raw


def _category(row: TableRow, column: str, kind: type[_Category]) -> _Category:
    raw = row.text(column)
    try:
        return kind(raw)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in kind)
        raise row.error(column, f"{raw!r} is not a BLS category ({allowed})") from None


def _optional_number(
    row: TableRow, column: str, missing: str, *, low: float, high: float
) -> float | None:
    """The cell as a number in ``[low, high]``, or None when it equals ``missing``."""
    if row.text(column) == missing:
        return None
    return row.number(column, low=low, high=high)


def _wage(row: TableRow, column: str, missing: str, top_coded: str) -> tuple[float | None, bool]:
    """An annual wage cell: ``(value, is_top_coded)``; missing -> None; top code ->
    :data:`TOP_CODED_ANNUAL_WAGE_USD`."""
    if row.text(column) == top_coded:
        return TOP_CODED_ANNUAL_WAGE_USD, True
    return _optional_number(row, column, missing, low=0, high=MAX_ANNUAL_WAGE_USD), False


def _detailed_records(
    label: str,
    rows: Iterable[TableRow],
    code_column: str,
    group_column: str,
    groups: Collection[str],
    detailed: str,
    build: Callable[[TableRow, str], _Figures],
) -> list[_Figures]:
    """Check every row's SOC code and group, and build one record per ``detailed`` row.

    Raises DataFormatError for a bad code, a group not in ``groups``, a repeated detailed
    code, or a table without any detailed row.
    """
    records: list[_Figures] = []
    seen: dict[str, int] = {}
    for row in rows:
        code = _soc_code(row, code_column)
        group = row.text(group_column)
        if group not in groups:
            raise row.error(group_column, f"{group!r} is not one of {sorted(groups)}")
        if group != detailed:
            continue
        if code in seen:
            repeated = f"{code} repeats the {detailed!r} row on line {seen[code]}"
            raise row.error(code_column, repeated)
        seen[code] = row.line
        records.append(build(row, code))
    if not records:
        raise DataFormatError(label, f"no rows with {group_column!r} = {detailed!r}")
    return records


_Model = TypeVar("_Model", bound=BaseModel)


def _build(row: TableRow, model: type[_Model], data: dict[str, Any]) -> _Model:
    """Validate ``data`` as ``model``; a failure becomes a DataFormatError for ``row``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise DataFormatError(row.file, f"{where}: {first['msg']}", line=row.line) from None


# -- Employment Projections -------------------------------------------------------------------


def _outlook(row: TableRow, code: str) -> OccupationOutlook:
    employment_2024 = row.number(EP_EMPLOYMENT_2024, low=0, high=MAX_EMPLOYMENT_THOUSANDS)
    employment_2034 = row.number(EP_EMPLOYMENT_2034, low=0, high=MAX_EMPLOYMENT_THOUSANDS)
    change = row.number(EP_CHANGE, low=-MAX_EMPLOYMENT_THOUSANDS, high=MAX_EMPLOYMENT_THOUSANDS)
    if abs(employment_2034 - employment_2024 - change) > ROUNDING_TOLERANCE_THOUSANDS:
        raise row.error(
            EP_CHANGE,
            f"{change} is not {EP_EMPLOYMENT_2034!r} minus {EP_EMPLOYMENT_2024!r} "
            f"({employment_2034} - {employment_2024}) within rounding",
        )
    median_wage, top_coded = _wage(row, EP_MEDIAN_WAGE, EP_NOT_AVAILABLE, EP_TOP_CODED_WAGE)
    data = {
        "soc_code": code,
        "source_soc_code": code,
        "title": row.text(EP_TITLE),
        "employment_2024_thousands": employment_2024,
        "employment_2034_thousands": employment_2034,
        "employment_change_thousands": change,
        "growth_pct": row.number(EP_GROWTH, low=-100, high=MAX_GROWTH_PCT),
        "annual_openings_thousands": row.number(EP_OPENINGS, low=0, high=MAX_EMPLOYMENT_THOUSANDS),
        "self_employed_pct": _optional_number(
            row, EP_SELF_EMPLOYED, EP_NOT_AVAILABLE, low=0, high=100
        ),
        "median_wage_usd": median_wage,
        "median_wage_top_coded": top_coded,
        "typical_entry_education": _category(row, EP_EDUCATION, EntryEducation),
        "related_work_experience": _category(row, EP_EXPERIENCE, WorkExperience),
        "on_the_job_training": _category(row, EP_TRAINING, OnTheJobTraining),
    }
    return _build(row, OccupationOutlook, data)


def read_employment_projections(
    folder: Path, *, form: SourceForm = "xlsx"
) -> list[OccupationOutlook]:
    """Read the detailed occupations of BLS Employment Projections 2024-34, Table 1.2.

    Parameters
    ----------
    folder
        Folder holding ``occupation.xlsx`` (``form="xlsx"``, sheet ``Table 1.2``) or
        ``occupation_Table_1.2.txt`` (``form="tsv"``, same columns, tab-delimited UTF-8).
    form
        Which of the two files to read; both give identical records.

    Returns
    -------
    list of OccupationOutlook
        One record per ``Line item`` row, in file order (832 for 2024-34); ``Summary``
        rows (281 group totals) are checked for a valid code and type, then skipped.
        Employment and openings in thousands, growth in percent over 2024-34, median wage
        in US dollars per year (OEWS May 2024), ``is_aggregate`` False and
        ``source_soc_code == soc_code``.

    Raises
    ------
    DataFormatError
        Missing file or sheet, no header row, a missing column, a row of the wrong width,
        an empty or non-numeric cell, a value out of range (employment 0-200,000 thousand,
        growth -100-1,000 %, self-employed 0-100 %), a change that is not 2034 minus 2024
        within rounding, an unknown education/experience/training category, an occupation
        type other than ``Line item``/``Summary``, or a repeated code. The error names the
        file (and sheet), the line, the column and the reason.
    ValueError
        If ``form`` is neither ``"xlsx"`` nor ``"tsv"``.
    """
    path = _source_file(folder, form, EP_WORKBOOK, EP_TSV)
    label, rows = _read_rows(path, EP_SHEET if form == "xlsx" else None, EP_CODE, EP_COLUMNS)
    return _detailed_records(
        label, rows, EP_CODE, EP_TYPE, (EP_LINE_ITEM, EP_SUMMARY), EP_LINE_ITEM, _outlook
    )


# -- OEWS ---------------------------------------------------------------------------------------


def _wages(row: TableRow, code: str) -> OccupationWages:
    data: dict[str, Any] = {"soc_code": code, "source_soc_code": code}
    data["title"] = row.text(OEWS_TITLE)
    raw_employment = row.text(OEWS_EMPLOYMENT)
    data["employment"] = (
        None
        if raw_employment == OEWS_EMPLOYMENT_NOT_AVAILABLE
        else row.integer(OEWS_EMPLOYMENT, low=0)
    )
    for field, column in OEWS_WAGE_COLUMNS.items():
        value, top_coded = _wage(row, column, OEWS_WAGE_NOT_AVAILABLE, OEWS_TOP_CODED)
        data[field] = value
        data[field.removesuffix("_usd") + "_top_coded"] = top_coded
    previous: tuple[str, float] | None = None
    for field in OEWS_PERCENTILE_FIELDS:
        value = data[field]
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            raise row.error(
                OEWS_WAGE_COLUMNS[field],
                f"{value:g} is below {OEWS_WAGE_COLUMNS[previous[0]]} ({previous[1]:g})",
            )
        previous = (field, value)
    return _build(row, OccupationWages, data)


def _national_rows(rows: Iterable[TableRow]) -> Iterator[TableRow]:
    """Pass rows through, raising DataFormatError for any that is not a national
    (``AREA_TYPE`` 1) cross-industry (``I_GROUP``) estimate, e.g. a state or industry file."""
    for row in rows:
        for column, expected in (
            (OEWS_AREA_TYPE, OEWS_NATIONAL_AREA_TYPE),
            (OEWS_INDUSTRY_GROUP, OEWS_CROSS_INDUSTRY),
        ):
            if row.text(column) != expected:
                raise row.error(
                    column, f"{row.text(column)!r}: not a national cross-industry estimate"
                )
        yield row


def read_oews_wages(folder: Path, *, form: SourceForm = "xlsx") -> list[OccupationWages]:
    """Read the detailed occupations of the OEWS May 2024 national estimates.

    Parameters
    ----------
    folder
        Folder holding ``national_M2024_dl.xlsx`` (``form="xlsx"``, first sheet) or
        ``national_M2024_dl.txt`` (``form="tsv"``, same columns).
    form
        Which of the two files to read; both give identical records.

    Returns
    -------
    list of OccupationWages
        One record per ``O_GROUP = detailed`` row, in file order (831 for May 2024). Annual
        wages in US dollars (``A_PCT10`` ... ``A_PCT90``, ``A_MEAN``); ``*`` -> None; ``#``
        -> 239,200 with the field's ``*_top_coded`` flag; ``employment`` = ``TOT_EMP`` (a
        count of jobs; ``**`` -> None).

    Raises
    ------
    DataFormatError
        Missing file, no header row, a missing column, a row of the wrong width, a row
        that is not a national (``AREA_TYPE`` 1) cross-industry estimate, an unknown
        ``O_GROUP``, a bad code, a non-numeric or negative value, percentiles that
        decrease, or a repeated detailed code; naming file (and sheet), line, column and
        reason.
    ValueError
        If ``form`` is neither ``"xlsx"`` nor ``"tsv"``.
    """
    path = _source_file(folder, form, OEWS_WORKBOOK, OEWS_TSV)
    label, rows = _read_rows(path, None, OEWS_CODE, OEWS_COLUMNS)
    return _detailed_records(
        label, _national_rows(rows), OEWS_CODE, OEWS_GROUP, OEWS_GROUPS, "detailed", _wages
    )


# -- joining to O*NET ---------------------------------------------------------------------------


def onet_soc_code(onet_code: str) -> str:
    """Return the SOC 2018 code of an O*NET-SOC code: its first 7 characters.

    ``15-1252.00`` -> ``15-1252``; an O*NET-only specialty maps to its parent SOC code
    (``15-1299.08`` -> ``15-1299``).

    Raises
    ------
    ValueError
        If ``onet_code`` is not of the form ``NN-NNNN.NN``.
    """
    if not ONET_SOC_CODE.fullmatch(onet_code):
        raise ValueError(f"{onet_code!r} is not an O*NET-SOC code (NN-NNNN.NN)")
    return onet_code[:7]


def derive_soc_aggregates(
    onet_soc_codes: Iterable[str], published_codes: Iterable[str]
) -> dict[str, str]:
    """Find the BLS aggregate that holds each O*NET SOC code BLS does not publish.

    EP and OEWS publish some SOC 2018 detailed occupations only combined (e.g. 13-1020
    "Buyers and purchasing agents" for 13-1021, 13-1022 and 13-1023). The rule: an O*NET
    SOC code absent from ``published_codes`` belongs to the published code that (a) has
    the same first six characters (the same SOC broad group, e.g. ``13-102``) and (b) is
    not itself an O*NET SOC code; it is attached only if exactly one code qualifies.

    Parameters
    ----------
    onet_soc_codes
        SOC codes (``NN-NNNN``) of the O*NET occupations (e.g. the 867 of O*NET 29.3).
    published_codes
        Codes BLS publishes as detailed occupations (EP line items or OEWS detailed).

    Returns
    -------
    dict
        O*NET SOC code -> aggregate code. For EP 2024-34 and OEWS May 2024 with O*NET 29.3:
        28 codes -> 12 aggregates (the table in ``docs/data-sources.md``). Codes with no or
        several candidates (the 19 military 55-xxxx codes; 45-3031 in OEWS) are left out.
    """
    onet = set(onet_soc_codes)
    published = set(published_codes)
    by_broad_group: dict[str, list[str]] = defaultdict(list)
    for code in sorted(published - onet):
        by_broad_group[code[:6]].append(code)
    return {
        code: by_broad_group[code[:6]][0]
        for code in sorted(onet - published)
        if len(by_broad_group.get(code[:6], ())) == 1
    }


def bright_outlook_reasons(
    outlook: OccupationOutlook,
    *,
    min_growth_pct: float = BRIGHT_OUTLOOK_MIN_GROWTH_PCT,
    min_openings_thousands: float = BRIGHT_OUTLOOK_MIN_OPENINGS_THOUSANDS,
) -> tuple[BrightOutlookReason, ...]:
    """Return the O*NET Bright Outlook criteria an occupation's projection meets.

    O*NET flags an occupation Bright Outlook when it meets at least one criterion; the two
    computable from BLS projections are applied here:

    * ``GROW_RAPIDLY``: ``growth_pct >= min_growth_pct`` (employment change 2024-34, %);
    * ``NUMEROUS_JOB_OPENINGS``: openings over the 10-year period (annual average x 10,
      thousands) ``>= min_openings_thousands`` (100 = 100,000 openings).

    O*NET's third criterion, "New & Emerging" occupation, is an O*NET designation not in
    the BLS data (nor in the O*NET 29.3 files the project holds) and is not applied.

    Returns
    -------
    tuple of BrightOutlookReason
        Empty when no criterion is met, else the criteria met in the order above.

    References
    ----------
    O*NET Resource Center, "Bright Outlook occupations" (onetcenter.org/initiatives.html);
    thresholds and their verification status in ``docs/data-sources.md``.
    """
    reasons: list[BrightOutlookReason] = []
    if outlook.growth_pct >= min_growth_pct:
        reasons.append(BrightOutlookReason.GROW_RAPIDLY)
    if round(outlook.openings_over_period_thousands, 6) >= min_openings_thousands:
        reasons.append(BrightOutlookReason.NUMEROUS_JOB_OPENINGS)
    return tuple(reasons)


def _index_by_soc(records: Iterable[_Figures]) -> dict[str, _Figures]:
    index: dict[str, _Figures] = {}
    for record in records:
        if record.soc_code in index:
            raise ValueError(f"two {type(record).__name__} records for {record.soc_code}")
        index[record.soc_code] = record
    return index


def _figures_for(
    soc_code: str, published: Mapping[str, _Figures], aggregates: Mapping[str, str]
) -> _Figures | None:
    if soc_code in published:
        return published[soc_code]
    source = aggregates.get(soc_code)
    if source is None:
        return None
    return published[source].model_copy(update={"soc_code": soc_code, "is_aggregate": True})


def attach_to_onet(
    codes: Sequence[str],
    outlook: Iterable[OccupationOutlook],
    wages: Iterable[OccupationWages],
    *,
    min_growth_pct: float = BRIGHT_OUTLOOK_MIN_GROWTH_PCT,
    min_openings_thousands: float = BRIGHT_OUTLOOK_MIN_OPENINGS_THOUSANDS,
) -> dict[str, OnetLaborMarket]:
    """Attach BLS projections and wages to O*NET-SOC occupations.

    Each O*NET code is joined on its SOC code (first 7 characters, :func:`onet_soc_code`),
    so O*NET-only specialties get their parent SOC code's figures. A SOC code BLS publishes
    only inside an aggregate (:func:`derive_soc_aggregates`, derived separately for EP and
    OEWS) gets a copy of the aggregate's record with ``soc_code`` = its own SOC code,
    ``source_soc_code`` = the aggregate code and ``is_aggregate`` = True. Military codes
    (55-xxxx) get neither projections nor wages: BLS does not cover the armed forces.

    Parameters
    ----------
    codes
        O*NET-SOC codes (``NN-NNNN.NN``), e.g. the 1,016 of O*NET 29.3 ``Occupation Data``.
    outlook
        Records from :func:`read_employment_projections` (EP 2024-34).
    wages
        Records from :func:`read_oews_wages` (OEWS May 2024).
    min_growth_pct, min_openings_thousands
        Bright Outlook thresholds, see :func:`bright_outlook_reasons`.

    Returns
    -------
    dict
        O*NET-SOC code -> :class:`OnetLaborMarket`, one per code, in the order of
        ``codes``. With the 2024 data and O*NET 29.3: 997 of 1,016 codes get projections,
        996 get wages (coverage in ``docs/data-sources.md``).

    Raises
    ------
    ValueError
        A malformed O*NET-SOC code, or two records with the same SOC code in ``outlook``
        or in ``wages``.
    """
    soc_of = {code: onet_soc_code(code) for code in codes}
    onet_socs = set(soc_of.values())
    outlook_by_soc = _index_by_soc(outlook)
    wages_by_soc = _index_by_soc(wages)
    outlook_aggregates = derive_soc_aggregates(onet_socs, outlook_by_soc)
    wage_aggregates = derive_soc_aggregates(onet_socs, wages_by_soc)
    result: dict[str, OnetLaborMarket] = {}
    for code, soc in soc_of.items():
        projection = _figures_for(soc, outlook_by_soc, outlook_aggregates)
        reasons = (
            ()
            if projection is None
            else bright_outlook_reasons(
                projection,
                min_growth_pct=min_growth_pct,
                min_openings_thousands=min_openings_thousands,
            )
        )
        result[code] = OnetLaborMarket(
            onet_code=code,
            soc_code=soc,
            outlook=projection,
            wages=_figures_for(soc, wages_by_soc, wage_aggregates),
            bright_outlook=None if projection is None else bool(reasons),
            bright_outlook_reasons=reasons,
        )
    return result


def read_labor_market(
    folder: Path, codes: Sequence[str], *, form: SourceForm = "xlsx"
) -> dict[str, OnetLaborMarket]:
    """Read both BLS sources from ``folder`` and attach them to ``codes``.

    Shorthand for :func:`read_employment_projections`, :func:`read_oews_wages` and
    :func:`attach_to_onet` with the default Bright Outlook thresholds; raises what they
    raise.
    """
    return attach_to_onet(
        codes,
        read_employment_projections(folder, form=form),
        read_oews_wages(folder, form=form),
    )


def flatten_labor_market(market: OnetLaborMarket) -> LaborMarketFigures:
    """One occupation's BLS projections and wages as flat graph properties
    (:class:`graph.model.LaborMarketFigures`); the median wage is EP's, else OEWS's;
    ``figures_for`` names the BLS group for specialties and aggregates (title: EP's, else
    OEWS's)."""
    outlook, wages = market.outlook, market.wages
    source = outlook or wages
    bls_code = source.source_soc_code if source else market.soc_code
    bls_title = source.title.strip() if source else None
    group = market.is_specialty or market.is_aggregate
    return LaborMarketFigures(
        code=market.onet_code,
        bls_soc_code=bls_code,
        bls_is_aggregate=market.is_aggregate,
        bls_title=bls_title,
        figures_for=f"{bls_code} {bls_title}" if group and bls_title else None,
        median_wage_usd=(outlook.median_wage_usd if outlook else None)
        or (wages.median_wage_usd if wages else None),
        wage_p10_usd=wages.wage_p10_usd if wages else None,
        wage_p25_usd=wages.wage_p25_usd if wages else None,
        wage_p75_usd=wages.wage_p75_usd if wages else None,
        wage_p90_usd=wages.wage_p90_usd if wages else None,
        employment_2024_thousands=outlook.employment_2024_thousands if outlook else None,
        employment_2034_thousands=outlook.employment_2034_thousands if outlook else None,
        growth_pct=outlook.growth_pct if outlook else None,
        annual_openings_thousands=outlook.annual_openings_thousands if outlook else None,
        typical_entry_education=outlook.typical_entry_education.value if outlook else None,
        typical_entry_education_rank=outlook.typical_entry_education.rank if outlook else None,
        related_work_experience=outlook.related_work_experience.value if outlook else None,
        on_the_job_training=outlook.on_the_job_training.value if outlook else None,
        bright_outlook=market.bright_outlook,
    )


@dataclass(frozen=True, slots=True)
class BlsCoverage:
    """How many O*NET-SOC codes received BLS figures, by kind of match.

    ``*_direct`` counts codes whose own SOC code BLS publishes (including specialties,
    which share their parent's code); ``*_aggregate`` codes with an aggregate's figures.
    """

    onet_codes: int
    specialties: int
    military: int
    outlook_direct: int
    outlook_aggregate: int
    wages_direct: int
    wages_aggregate: int
    bright_outlook: int
    without_outlook: tuple[str, ...]
    without_wages: tuple[str, ...]

    @property
    def with_outlook(self) -> int:
        """Codes with EP projections (direct or aggregate)."""
        return self.outlook_direct + self.outlook_aggregate

    @property
    def with_wages(self) -> int:
        """Codes with OEWS wages (direct or aggregate)."""
        return self.wages_direct + self.wages_aggregate


def summarize_coverage(labor: Mapping[str, OnetLaborMarket]) -> BlsCoverage:
    """Count what :func:`attach_to_onet` attached (figures quoted in the docs)."""
    items = list(labor.values())

    def count(kind: str, aggregate: bool) -> int:
        figures = [getattr(item, kind) for item in items]
        return sum(1 for f in figures if f is not None and f.is_aggregate == aggregate)

    return BlsCoverage(
        onet_codes=len(items),
        specialties=sum(item.is_specialty for item in items),
        military=sum(item.soc_code.startswith(MILITARY_MAJOR_GROUP + "-") for item in items),
        outlook_direct=count("outlook", False),
        outlook_aggregate=count("outlook", True),
        wages_direct=count("wages", False),
        wages_aggregate=count("wages", True),
        bright_outlook=sum(item.bright_outlook is True for item in items),
        without_outlook=tuple(item.onet_code for item in items if item.outlook is None),
        without_wages=tuple(item.onet_code for item in items if item.wages is None),
    )
