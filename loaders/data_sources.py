"""The catalog of every data source careergraph's graph uses, and how each file is checked.

Each :class:`DataSource` is one publication (the O*NET release, BLS Employment
Projections + OEWS, the Career Changers Matrix, observed occupation moves, the older SOC
2010 skills, the O*NET 30.1 task statements). Each of its :class:`DataFile` entries names
the official address, the web page a person opens to download it by hand, where the file
lands in the cache folder (``CAREERGRAPH_CACHE_DIR``; the folder settings such as
``CAREERGRAPH_BLS_DIR`` default to these places) and the :class:`FileCheck` it must pass:
a minimum size (a truncated body or an HTML error page fails it), the workbook opens with
the expected sheets, the header names the columns the loaders read.

``careergraph data fetch`` (:mod:`loaders.download`) fetches and checks them; the sources,
licences and addresses are documented in ``docs/data-sources.md``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict

from careergraph.graph.errors import DownloadError

ONET_DATABASE_URL = "https://www.onetcenter.org/dl_files/database"
"""Base address of the O*NET Resource Center's release files (``CAREERGRAPH_ONET_DOWNLOAD_URL``)."""
ONET_DATABASE_PAGE = "https://www.onetcenter.org/database.html"
ONET_LICENCE = "CC BY 4.0 (USDOL/ETA, O*NET Resource Center)"
BLS_LICENCE = "public domain (U.S. Bureau of Labor Statistics)"

# Cache-relative folders: the defaults of the folder settings (api/settings.py).
ONET_CACHE_DIR = "onet"
BLS_CACHE_DIR = "bls"
CAREER_CHANGERS_CACHE_DIR = "onet/db_25_1_excel"
TRANSITIONS_CACHE_DIR = "transitions"
ONET_SOC2010_CACHE_DIR = "onet/db_23_0_excel"
TASKS_CACHE_DIR = "onet/db_30_1_text"

TRANSITIONS_EDGELIST = "cps_asec/asec_to_bls_mobility_edgelist.csv"
CROSSWALK_2010_2019 = "2010_to_2019_Crosswalk.csv"
SOC_HIERARCHY = "soc_hierarchy.xlsx"
SOC2010_SKILLS = "Skills.xlsx"
TASK_STATEMENTS = "Task Statements.txt"
EP_WORKBOOK = "occupation.xlsx"
"""BLS Employment Projections 2024-34 workbook (Table 1.2, :mod:`loaders.bls`)."""
OEWS_WORKBOOK = "national_M2024_dl.xlsx"
"""BLS OEWS May 2024 national workbook (:mod:`loaders.bls`)."""

_CPS_REPOSITORY = (
    "https://raw.githubusercontent.com/RMariaDelRioChanona/CanadaLaborApplication/"
    "87fc83391e991a772fe810c9d47ef0bd45c4cee3"
)
_JOBHOPPER = (
    "https://raw.githubusercontent.com/codeforboston/jobhopper/"
    "71d3b2722e23a70b547704e427bffea902653b1e"
)


@dataclass(frozen=True)
class FileCheck:
    """What a fetched (or hand-placed) file must be.

    Attributes
    ----------
    min_bytes
        Smallest plausible size, bytes (about half the current file's).
    sheets
        Workbook only: sheets that must exist; the columns are looked up in the first one.
    columns
        Header cells that must be present (workbook sheet, CSV or tab-delimited text).
    alternative_columns
        Another accepted header (e.g. a re-saved copy with renamed columns), or empty.
    header_within_rows
        Workbook only: the header is searched among this many top rows (BLS tables carry
        a title row above it).
    zip_members
        Zip only: file names (at any depth) that must be inside.
    """

    min_bytes: int
    sheets: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    alternative_columns: tuple[str, ...] = ()
    header_within_rows: int = 1
    zip_members: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataFile:
    """One file of a data source.

    Attributes
    ----------
    key
        Short stable name, e.g. ``bls-projections`` (``careergraph data fetch --only``).
    title
        What it is, for people.
    url
        The official address it is downloaded from.
    page
        The web page a person opens to download it by hand.
    path
        Where it lands, relative to the cache folder (POSIX form).
    check
        What the file must be (:func:`check_file`).
    member
        If ``url`` serves a zip: the file (base name) taken out of it; else None.
    """

    key: str
    title: str
    url: str
    page: str
    path: str
    check: FileCheck
    member: str | None = None

    def target(self, cache_dir: Path) -> Path:
        """The file's place in ``cache_dir``."""
        return cache_dir / PurePosixPath(self.path)

    def download_name(self) -> str:
        """File name of what ``url`` serves (``oesm24nat.zip``), without a query string."""
        return PurePosixPath(self.url.split("?", 1)[0]).name


@dataclass(frozen=True)
class DataSource:
    """One publication the graph reads: its files, licence and the folder setting."""

    key: str
    title: str
    licence: str
    setting: str
    folder: str
    files: tuple[DataFile, ...]
    required: bool = False
    used_for: str = ""


class ReleaseSources(BaseModel):
    """Where each source of the graph is (``api.settings.Settings.release_sources``).

    Attributes
    ----------
    onet
        O*NET release folder or zip (29.3: ``db_29_3_tsv``, ``db_29_3_text.zip``).
    bls_dir
        BLS EP 2024-34 ``occupation.xlsx`` and OEWS May 2024 ``national_M2024_dl.xlsx``.
    career_changers_dir
        Folder or zip with O*NET 25.1 ``Career Changers Matrix``.
    transitions_dir
        Folder laid out like ``shared/data/transitions``: ``cps_asec/``,
        ``2010_to_2019_Crosswalk.csv`` (``soc_hierarchy.xlsx``, ``ladder_destinations.csv``).
    onet_soc2010_dir
        Folder with the older O*NET (SOC 2010 taxonomy) ``Skills.xlsx``.
    tasks_dir
        Folder or zip with O*NET 30.1 ``Task Statements`` (the role page's tasks).

    None = the source is not used.
    """

    model_config = ConfigDict(frozen=True)

    onet: Path
    bls_dir: Path | None = None
    career_changers_dir: Path | None = None
    transitions_dir: Path | None = None
    onet_soc2010_dir: Path | None = None
    tasks_dir: Path | None = None

    def paths(self) -> list[Path | None]:
        """Every source path, in a fixed order (for the memory store's snapshot key)."""
        return [
            self.onet,
            self.bls_dir,
            self.career_changers_dir,
            self.transitions_dir,
            self.onet_soc2010_dir,
            self.tasks_dir,
        ]


def onet_release_path(release: str) -> str:
    """Cache-relative path of a release's text zip: ``"29.3"`` -> ``onet/db_29_3_text.zip``."""
    return f"{ONET_CACHE_DIR}/db_{release.replace('.', '_')}_text.zip"


def data_sources(onet_release: str = "29.3") -> tuple[DataSource, ...]:
    """Every source careergraph reads, with the O*NET release ``onet_release`` (``NN.N``).

    Returns
    -------
    tuple[DataSource, ...]
        In fetch order; only the O*NET release is ``required`` (without the others the
        graph loads with fewer facts per occupation and move).
    """
    # Imported here: the readers' modules are not needed to locate the sources
    # (``careergraph serve`` restoring its snapshot never reads a table).
    from careergraph.loaders.bls import EP_COLUMNS, EP_SHEET, OEWS_COLUMNS
    from careergraph.loaders.onet import (
        CAREER_CHANGERS_COLUMNS,
        CAREER_CHANGERS_TABLE,
        CODE,
        TABLES,
    )

    rel = onet_release.replace(".", "_")
    onet_zip = f"db_{rel}_text.zip"
    return (
        DataSource(
            key="onet",
            title=f"O*NET {onet_release} Database (text form)",
            licence=ONET_LICENCE,
            setting="CAREERGRAPH_ONET_DIR",
            folder=ONET_CACHE_DIR,
            required=True,
            used_for="occupations, titles, related occupations, skills, knowledge, technology",
            files=(
                DataFile(
                    key="onet-release",
                    title=f"O*NET {onet_release} database, all tables (zip)",
                    url=f"{ONET_DATABASE_URL}/{onet_zip}",
                    page=ONET_DATABASE_PAGE,
                    path=onet_release_path(onet_release),
                    check=FileCheck(
                        min_bytes=1_000_000,
                        zip_members=tuple(f"{table}.txt" for table in TABLES),
                    ),
                ),
            ),
        ),
        DataSource(
            key="bls",
            title="BLS Employment Projections 2024-34 and OEWS May 2024",
            licence=BLS_LICENCE,
            setting="CAREERGRAPH_BLS_DIR",
            folder=BLS_CACHE_DIR,
            used_for="median wage, wage percentiles, employment growth, openings, outlook",
            files=(
                DataFile(
                    key="bls-projections",
                    title="Employment Projections 2024-34, occupation.xlsx (Table 1.2)",
                    url="https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
                    page="https://www.bls.gov/emp/data/occupational-data.htm",
                    path=f"{BLS_CACHE_DIR}/{EP_WORKBOOK}",
                    check=FileCheck(
                        min_bytes=200_000,
                        sheets=(EP_SHEET,),
                        columns=EP_COLUMNS,
                        header_within_rows=10,
                    ),
                ),
                DataFile(
                    key="bls-oews",
                    title="OEWS May 2024 national estimates, national_M2024_dl.xlsx",
                    url="https://www.bls.gov/oes/special-requests/oesm24nat.zip",
                    page="https://www.bls.gov/oes/tables.htm",
                    path=f"{BLS_CACHE_DIR}/{OEWS_WORKBOOK}",
                    member=OEWS_WORKBOOK,
                    check=FileCheck(
                        min_bytes=100_000, sheets=("national_M2024_dl",), columns=OEWS_COLUMNS
                    ),
                ),
            ),
        ),
        DataSource(
            key="career-changers",
            title="O*NET 25.1 Career Changers Matrix",
            licence=ONET_LICENCE,
            setting="CAREERGRAPH_CAREER_CHANGERS_DIR",
            folder=CAREER_CHANGERS_CACHE_DIR,
            used_for="career moves (LEADS_TO evidence)",
            files=(
                DataFile(
                    key="career-changers",
                    title="Career Changers Matrix.xlsx (O*NET 25.1, Nov 2020)",
                    url=f"{ONET_DATABASE_URL}/db_25_1_excel/Career%20Changers%20Matrix.xlsx",
                    page="https://www.onetcenter.org/db_releases.html",
                    path=f"{CAREER_CHANGERS_CACHE_DIR}/{CAREER_CHANGERS_TABLE}.xlsx",
                    check=FileCheck(
                        min_bytes=80_000,
                        sheets=(CAREER_CHANGERS_TABLE,),
                        columns=CAREER_CHANGERS_COLUMNS,
                    ),
                ),
            ),
        ),
        DataSource(
            key="transitions",
            title="Observed occupation moves (CPS ASEC) and SOC 2010 crosswalks",
            licence="CC BY 4.0 (del Rio-Chanona et al. 2021); O*NET crosswalk CC BY 4.0; "
            "SOC hierarchy from the SST data set (cite Schubert, Stansbury and Taska)",
            setting="CAREERGRAPH_TRANSITIONS_DIR",
            folder=TRANSITIONS_CACHE_DIR,
            used_for="observed year-to-year moves between occupations",
            files=(
                DataFile(
                    key="cps-moves",
                    title="CPS ASEC occupation mobility edge list (BLS OES 2010-SOC codes)",
                    url=f"{_CPS_REPOSITORY}/labour_abm_canada/data/ONET/"
                    "asec_to_bls_mobility_edgelist.csv",
                    page="https://github.com/RMariaDelRioChanona/CanadaLaborApplication",
                    path=f"{TRANSITIONS_CACHE_DIR}/{TRANSITIONS_EDGELIST}",
                    check=FileCheck(
                        min_bytes=1_000_000,
                        columns=(
                            "OCC_source",
                            "OCC_target",
                            "transition_prob_BLS_ASECnorm_corr",
                            "OCC_TITLE_OCC",
                            "OCC_TITLE_OCCLY",
                        ),
                    ),
                ),
                DataFile(
                    key="crosswalk-2010-2019",
                    title="O*NET-SOC 2010 to O*NET-SOC 2019 crosswalk",
                    url="https://www.onetcenter.org/taxonomy/2019/walk/"
                    "2010_to_2019_Crosswalk.csv?fmt=csv",
                    page="https://www.onetcenter.org/taxonomy/2019/walk.html",
                    path=f"{TRANSITIONS_CACHE_DIR}/{CROSSWALK_2010_2019}",
                    check=FileCheck(
                        min_bytes=50_000,
                        columns=("O*NET-SOC 2010 Code", "O*NET-SOC 2019 Code"),
                        alternative_columns=("soc2010_code", "soc2019_code"),
                    ),
                ),
                DataFile(
                    key="soc-hierarchy",
                    title="SOC 2010 hierarchy (SST Jan 2021 public data set)",
                    url=f"{_JOBHOPPER}/api/data/soc_hierarchy.xlsx",
                    page="https://github.com/codeforboston/jobhopper",
                    path=f"{TRANSITIONS_CACHE_DIR}/{SOC_HIERARCHY}",
                    check=FileCheck(
                        min_bytes=25_000,
                        sheets=("Sheet1",),
                        columns=("detailedoccupation", "detailedname", "majorgroup"),
                    ),
                ),
            ),
        ),
        DataSource(
            key="onet-soc2010",
            title="O*NET 23.0 Skills (O*NET-SOC 2010 taxonomy)",
            licence=ONET_LICENCE,
            setting="CAREERGRAPH_ONET_SOC2010_DIR",
            folder=ONET_SOC2010_CACHE_DIR,
            used_for="skill ratings of SOC 2010 predecessors of occupations 29.3 leaves unrated",
            files=(
                DataFile(
                    key="soc2010-skills",
                    title="Skills.xlsx (O*NET 23.0, Aug 2018)",
                    url=f"{ONET_DATABASE_URL}/db_23_0_excel/Skills.xlsx",
                    page="https://www.onetcenter.org/db_releases.html",
                    path=f"{ONET_SOC2010_CACHE_DIR}/{SOC2010_SKILLS}",
                    check=FileCheck(
                        min_bytes=1_500_000,
                        sheets=("Skills",),
                        columns=TABLES["Skills"],
                    ),
                ),
                DataFile(
                    key="soc2010-occupations",
                    title="Occupation Data.xlsx (O*NET 23.0)",
                    url=f"{ONET_DATABASE_URL}/db_23_0_excel/Occupation%20Data.xlsx",
                    page="https://www.onetcenter.org/db_releases.html",
                    path=f"{ONET_SOC2010_CACHE_DIR}/Occupation Data.xlsx",
                    check=FileCheck(
                        min_bytes=50_000,
                        sheets=("Occupation Data",),
                        columns=TABLES["Occupation Data"],
                    ),
                ),
            ),
        ),
        DataSource(
            key="tasks",
            title="O*NET 30.1 Task Statements",
            licence=ONET_LICENCE,
            setting="CAREERGRAPH_TASKS_DIR",
            folder=TASKS_CACHE_DIR,
            used_for="what each occupation does (task statements)",
            files=(
                DataFile(
                    key="task-statements",
                    title="Task Statements.txt (O*NET 30.1, Dec 2025)",
                    url=f"{ONET_DATABASE_URL}/db_30_1_text/Task%20Statements.txt",
                    page="https://www.onetcenter.org/database.html",
                    path=f"{TASKS_CACHE_DIR}/{TASK_STATEMENTS}",
                    check=FileCheck(
                        min_bytes=1_000_000,
                        columns=(CODE, "Task ID", "Task", "Task Type"),
                    ),
                ),
            ),
        ),
    )


def _missing(columns: tuple[str, ...], header: list[str]) -> list[str]:
    present = {cell.strip() for cell in header}
    return [c for c in columns if c not in present]


def _check_header(label: str, check: FileCheck, headers: list[list[str]]) -> None:
    """Pass if one of ``headers`` holds ``check.columns`` (or the alternative set)."""
    if not check.columns:
        return
    for header in headers:
        if not _missing(check.columns, header):
            return
        if check.alternative_columns and not _missing(check.alternative_columns, header):
            return
    closest = min(headers, key=lambda h: len(_missing(check.columns, h)), default=[])
    raise DownloadError(f"{label}: header lacks column(s) {_missing(check.columns, closest)}")


def _check_workbook(path: Path, check: FileCheck, label: str) -> None:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for non-workbooks
        raise DownloadError(f"{label} is not an Excel workbook ({exc})") from None
    names = list(workbook.sheet_names)
    absent = [s for s in check.sheets if s not in names]
    if absent:
        raise DownloadError(f"{label}: workbook lacks sheet(s) {absent} (has {names})")
    sheet = (
        workbook.get_sheet_by_name(check.sheets[0])
        if check.sheets
        else workbook.get_sheet_by_index(0)
    )
    rows = sheet.to_python(nrows=check.header_within_rows)
    headers = [[str(cell) for cell in row] for row in rows]
    _check_header(f"{label}, sheet {sheet.name!r}", check, headers)


def _check_text(path: Path, check: FileCheck, label: str, delimiters: str) -> None:
    with path.open("rb") as handle:
        first = handle.readline(1 << 16)
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise DownloadError(f"{label}: header line is not UTF-8 text") from None
    if line.lstrip().lower().startswith(("<!doctype", "<html")):
        raise DownloadError(f"{label} is a web page, not the data file")
    headers = [next(csv.reader(io.StringIO(line), delimiter=d), []) for d in delimiters]
    _check_header(label, check, headers)


def _check_zip(path: Path, check: FileCheck, label: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = {PurePosixPath(n).name for n in archive.namelist()}
    except zipfile.BadZipFile:
        raise DownloadError(f"{label} is not a zip file") from None
    absent = [m for m in check.zip_members if m not in names]
    if absent:
        raise DownloadError(f"{label} holds no {', '.join(repr(m) for m in absent)}")


def check_file(
    path: Path, check: FileCheck, name: str | None = None, label: str | None = None
) -> int:
    """Check that ``path`` is the expected data file; return its size in bytes.

    The kind follows the file name ``name`` (default: ``path``'s own; a download in
    progress is checked under its final name): ``.zip`` (members), ``.xlsx`` (sheets,
    header among the top rows of the first named sheet), ``.csv`` (header line split at
    ``,`` or ``;``), otherwise tab-delimited text (header line). Messages start with
    ``label`` (default: the path), e.g. the URL the file came from.

    Raises
    ------
    DownloadError
        Missing file, smaller than ``check.min_bytes``, not a zip/workbook/text file, a
        web page instead of data, missing sheet, member or header column; the message
        names the file and what is wrong.
    """
    label = label or str(path)
    if not path.is_file():
        raise DownloadError(f"{label}: no such file")
    size = path.stat().st_size
    if size < check.min_bytes:
        raise DownloadError(
            f"{label}: {size:,} bytes, expected at least {check.min_bytes:,} "
            "(truncated download or an error page?)"
        )
    suffix = PurePosixPath(name or path.name).suffix.lower()
    if suffix == ".zip":
        _check_zip(path, check, label)
    elif suffix == ".xlsx":
        _check_workbook(path, check, label)
    elif suffix == ".csv":
        _check_text(path, check, label, ",;")
    else:
        _check_text(path, check, label, "\t")
    return size
