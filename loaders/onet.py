"""O*NET database loader: raw release files -> :class:`graph.model.OnetRelease`.

Reads the tables careergraph uses from an O*NET release (folder or zip; text or Excel
form, see :mod:`loaders.tables`), validates every value it keeps and cross-references
codes between tables. Any problem stops the load with a :class:`DataFormatError` that
names file, line, column and reason; nothing is written anywhere by this module.

Source: O*NET Database (USDOL/ETA), CC BY 4.0, https://www.onetcenter.org/database.html;
column meanings from the O*NET data dictionary of the release.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import Any

from careergraph.graph.errors import DataFormatError
from careergraph.graph.model import (
    CareerChange,
    Descriptor,
    DescriptorKind,
    DescriptorRating,
    EducationLevel,
    EducationShare,
    Interest,
    InterestScore,
    JobZoneReference,
    Occupation,
    OccupationTitle,
    OnetRelease,
    RelatednessTier,
    RelatedOccupation,
    Scale,
    TechnologySkill,
    TitleSource,
    WorkStyle,
    WorkStyleRating,
    WorkValue,
    WorkValueScore,
)
from careergraph.loaders.tables import ReleaseSource, TableRow

CODE = "O*NET-SOC Code"

TABLES: dict[str, tuple[str, ...]] = {
    "Occupation Data": (CODE, "Title", "Description"),
    "Alternate Titles": (CODE, "Alternate Title", "Short Title", "Source(s)"),
    "Sample of Reported Titles": (CODE, "Reported Job Title", "Shown in My Next Move"),
    "Related Occupations": (CODE, "Related O*NET-SOC Code", "Relatedness Tier", "Index"),
    "Skills": (CODE, "Element ID", "Element Name", "Scale ID", "Data Value"),
    "Knowledge": (CODE, "Element ID", "Element Name", "Scale ID", "Data Value"),
    "Technology Skills": (
        CODE,
        "Example",
        "Commodity Code",
        "Commodity Title",
        "Hot Technology",
        "In Demand",
    ),
    "Education, Training, and Experience": (
        CODE,
        "Element ID",
        "Scale ID",
        "Category",
        "Data Value",
    ),
    "Education, Training, and Experience Categories": (
        "Element ID",
        "Scale ID",
        "Category",
        "Category Description",
    ),
    "Job Zones": (CODE, "Job Zone"),
    "Job Zone Reference": (
        "Job Zone",
        "Name",
        "Experience",
        "Education",
        "Job Training",
        "Examples",
        "SVP Range",
    ),
    "Interests": (CODE, "Element ID", "Element Name", "Scale ID", "Data Value"),
    "Work Styles": (CODE, "Element ID", "Element Name", "Scale ID", "Data Value"),
    "Work Values": (CODE, "Element ID", "Element Name", "Scale ID", "Data Value"),
    "Content Model Reference": ("Element ID", "Element Name", "Description"),
    "Scales Reference": ("Scale ID", "Scale Name", "Minimum", "Maximum"),
}
"""Tables read, with the columns each must have (header validation)."""

ProgressCallback = Callable[[str, int], None]
"""``progress(table, rows_read)`` is called once per table after it is read."""

_RELEASE_IN_README = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database")
_RELEASE_IN_NAME = re.compile(r"db_(\d+)_(\d+)")


def detect_release(source: ReleaseSource) -> str:
    """Return the release number (``"29.3"``) from ``Read Me.txt`` or the path name.

    Returns ``"unknown"`` when neither names it.
    """
    readme = source.read_text("Read Me.txt")
    if readme:
        match = _RELEASE_IN_README.search(readme)
        if match:
            return match.group(1)
    match = _RELEASE_IN_NAME.search(str(source.path))
    if match:
        return f"{match.group(1)}.{match.group(2)}"
    return "unknown"


MANIFEST_PATH = Path(__file__).with_name("onet_releases.json")
"""Row counts of known O*NET releases (data, not code): see :func:`read_release_manifest`."""

TIER_INDEX_RANGES: dict[RelatednessTier, tuple[int, int]] = {
    RelatednessTier.PRIMARY_SHORT: (1, 5),
    RelatednessTier.PRIMARY_LONG: (6, 10),
    RelatednessTier.SUPPLEMENTAL: (11, 20),
}
"""Index range of each relatedness tier (O*NET data dictionary, Related Occupations)."""


@cache
def read_release_manifest() -> dict[str, dict[str, Any]]:
    """Known O*NET releases: label -> ``{"table_rows": {table: data rows},
    "related_per_occupation": n}`` from ``loaders/onet_releases.json``."""
    data: dict[str, dict[str, Any]] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))[
        "releases"
    ]
    return data


class _DuplicateGuard:
    """Remembers the value and line of each key of one table, so a repeated key with a
    different value (a conflicting duplicate) stops the load; an identical repeat is
    reported as such (the caller skips it)."""

    def __init__(self) -> None:
        self._seen: dict[Hashable, tuple[str, int]] = {}

    def is_repeat(
        self, row: TableRow, key: Hashable, what: str, column: str, value: str | None = None
    ) -> bool:
        """False for a new key, True for an identical repeat. The value compared is
        ``value``, by default the cell of ``column`` (the column the error names).

        Raises
        ------
        DataFormatError
            ``key`` was seen with another value of ``column`` (names both lines).
        """
        value = row.cells[column].strip() if value is None else value
        seen = self._seen.get(key)
        if seen is None:
            self._seen[key] = (value, row.line)
            return False
        if seen[0] != value:
            raise row.error(
                column,
                f"conflicting duplicate: {what} is {value!r} here but {seen[0]!r} on line "
                f"{seen[1]}",
            )
        return True


def check_table_rows(source: ReleaseSource, release: str, table: str) -> None:
    """Compare the data rows read from ``table`` with the manifest's count for ``release``
    (no check for a release or table the manifest does not list).

    Raises
    ------
    DataFormatError
        The counts differ: the file is truncated, padded or from another release.
    """
    expected = read_release_manifest().get(release, {}).get("table_rows", {}).get(table)
    rows = source.rows_read.get(table)
    if expected is None or rows is None or rows == expected:
        return
    cause = "truncated" if rows < expected else "not the official file"
    raise DataFormatError(
        source.describe(table),
        f"{rows:,} data rows, but O*NET {release} has {expected:,} "
        f"({MANIFEST_PATH.name}): the file is {cause}",
        line=rows + 1,
    )


def _check_code(row: TableRow, column: str, known: set[str]) -> str:
    code = row.onet_code(column)
    if code not in known:
        raise row.error(column, f"{code} is not in 'Occupation Data'")
    return code


def read_scales(source: ReleaseSource) -> dict[str, Scale]:
    """Read ``Scales Reference``: Scale ID -> :class:`Scale` (min/max of each scale)."""
    scales: dict[str, Scale] = {}
    guard = _DuplicateGuard()
    for row in source.read_table("Scales Reference", TABLES["Scales Reference"]):
        scale_id = row.text("Scale ID")
        if guard.is_repeat(row, ("Minimum", scale_id), f"scale {scale_id} minimum", "Minimum"):
            guard.is_repeat(row, ("Maximum", scale_id), f"scale {scale_id} maximum", "Maximum")
            continue
        guard.is_repeat(row, ("Maximum", scale_id), f"scale {scale_id} maximum", "Maximum")
        scale = Scale(
            scale_id=row.text("Scale ID"),
            name=row.text("Scale Name"),
            minimum=row.number("Minimum"),
            maximum=row.number("Maximum"),
        )
        scales[scale.scale_id] = scale
    for needed in ("IM", "LV", "RL", "OI", "EX"):
        if needed not in scales:
            raise DataFormatError(source.describe("Scales Reference"), f"scale {needed} is missing")
    return scales


def read_occupations(source: ReleaseSource) -> list[Occupation]:
    """Read ``Occupation Data`` and ``Job Zones`` into occupations (job zone may be None)."""
    job_zones: dict[str, int] = {}
    raw: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for row in source.read_table("Occupation Data", TABLES["Occupation Data"]):
        code = row.onet_code(CODE)
        if code in seen:
            raise row.error(CODE, f"duplicate occupation {code}")
        seen.add(code)
        raw.append((code, row.text("Title"), row.text("Description")))
    guard = _DuplicateGuard()
    for row in source.read_table("Job Zones", TABLES["Job Zones"]):
        code = _check_code(row, CODE, seen)
        zone = row.integer("Job Zone", low=1, high=5)
        if not guard.is_repeat(row, code, f"the job zone of {code}", "Job Zone"):
            job_zones[code] = zone
    return [
        Occupation(code=c, title=t, description=d, job_zone=job_zones.get(c)) for c, t, d in raw
    ]


ONET_TITLE_SOURCE_CODES = frozenset(f"{n:02d}" for n in range(1, 11))
"""Codes of the ``Alternate Titles`` column ``Source(s)`` (O*NET data dictionary, 01-10)."""


def _title_sources(row: TableRow) -> tuple[str, ...]:
    """The ``Source(s)`` cell of an ``Alternate Titles`` row: comma-separated codes 01-10."""
    raw = row.text("Source(s)")
    codes = [c.strip() for c in raw.split(",")]
    for c in codes:
        if c not in ONET_TITLE_SOURCE_CODES:
            raise row.error("Source(s)", f"{c!r} is not an O*NET title source code (01-10)")
    return tuple(sorted(set(codes)))


def read_titles(source: ReleaseSource, occupations: list[Occupation]) -> list[OccupationTitle]:
    """Read occupation, alternate and reported titles, one record per distinct
    (title, code, source).

    Alternate titles carry their ``Source(s)`` codes (``onet_sources``; O*NET 29.3 lists two
    (title, code) pairs twice: their codes are merged), reported titles their ``Shown in My
    Next Move`` flag (Y/N). Title resolution ranks occupations by this evidence
    (:mod:`graph.titles`).

    Raises
    ------
    DataFormatError
        A code not in ``Occupation Data``, a missing title, a source code outside 01-10,
        or a ``Shown in My Next Move`` cell other than Y/N.
    """
    known = {o.code for o in occupations}
    titles: dict[tuple[str, str, TitleSource], OccupationTitle] = {}
    for occ in occupations:
        key = (occ.title, occ.code, TitleSource.OCCUPATION)
        titles[key] = OccupationTitle(name=occ.title, code=occ.code, source=TitleSource.OCCUPATION)
    for row in source.read_table("Alternate Titles", TABLES["Alternate Titles"]):
        code = _check_code(row, CODE, known)
        name = row.text("Alternate Title")
        sources = _title_sources(row)
        key = (name, code, TitleSource.ALTERNATE)
        if key in titles:
            sources = tuple(sorted({*titles[key].onet_sources, *sources}))
        titles[key] = OccupationTitle(
            name=name, code=code, source=TitleSource.ALTERNATE, onet_sources=sources
        )
    for row in source.read_table("Sample of Reported Titles", TABLES["Sample of Reported Titles"]):
        code = _check_code(row, CODE, known)
        name = row.text("Reported Job Title")
        shown = row.flag("Shown in My Next Move")
        key = (name, code, TitleSource.REPORTED)
        if key in titles:
            shown = shown or titles[key].shown_in_my_next_move
        titles[key] = OccupationTitle(
            name=name, code=code, source=TitleSource.REPORTED, shown_in_my_next_move=shown
        )
    return list(titles.values())


def read_related_occupations(
    source: ReleaseSource, occupations: list[Occupation], list_length: int | None = None
) -> list[RelatedOccupation]:
    """Read ``Related Occupations``: directed, tiered, ranked relatedness (Index 1-20).

    Parameters
    ----------
    list_length
        The number of related occupations every listed occupation has in this release
        (20 in O*NET 29.3, from the release manifest), or None when unknown.

    Raises
    ------
    DataFormatError
        Unknown code, tier or Index; an Index outside its tier's range
        (:data:`TIER_INDEX_RANGES`); a repeated pair or Index for one occupation; an
        occupation whose list is shorter than ``list_length`` (a cut file).
    """
    known = {o.code for o in occupations}
    tiers = {t.value: t for t in RelatednessTier}
    related: list[RelatedOccupation] = []
    seen: set[tuple[str, str]] = set()
    indexes: dict[str, dict[int, int]] = {}
    for row in source.read_table("Related Occupations", TABLES["Related Occupations"]):
        code = _check_code(row, CODE, known)
        other = _check_code(row, "Related O*NET-SOC Code", known)
        tier_text = row.text("Relatedness Tier")
        if tier_text not in tiers:
            raise row.error("Relatedness Tier", f"{tier_text!r} is not one of {sorted(tiers)}")
        if (code, other) in seen:
            raise row.error("Related O*NET-SOC Code", f"duplicate pair {code} -> {other}")
        seen.add((code, other))
        tier = tiers[tier_text]
        rank = row.integer("Index", low=1, high=20)
        low, high = TIER_INDEX_RANGES[tier]
        if not low <= rank <= high:
            raise row.error("Index", f"Index {rank} is outside {low}..{high} of tier {tier_text}")
        of_code = indexes.setdefault(code, {})
        if rank in of_code:
            raise row.error(
                "Index",
                f"conflicting duplicate: {code} has Index {rank} twice (also on line "
                f"{of_code[rank]})",
            )
        of_code[rank] = row.line
        related.append(RelatedOccupation(code=code, related_code=other, tier=tier, rank=rank))
    if list_length is not None:
        full = set(range(1, list_length + 1))
        for code, ranks in indexes.items():
            if ranks.keys() != full:
                missing = sorted(full - ranks.keys())
                shown = ", ".join(map(str, missing[:5])) + ("..." if len(missing) > 5 else "")
                gap = f"Index {shown} missing" if missing else "Index beyond the list"
                raise DataFormatError(
                    source.describe("Related Occupations"),
                    f"{code} lists {len(ranks)} related occupations ({gap}); every listed "
                    f"occupation has Index 1..{list_length}: the list is cut or altered",
                    line=max(ranks.values()),
                    column="Index",
                )
    return related


def read_descriptor_ratings(
    source: ReleaseSource,
    table: str,
    kind: DescriptorKind,
    occupations: list[Occupation],
    scales: dict[str, Scale],
    descriptions: dict[str, str],
) -> tuple[list[Descriptor], list[DescriptorRating]]:
    """Read ``Skills`` or ``Knowledge``: descriptors and one rating per (occupation,
    element) joining the IM (importance) and LV (level) rows; other scales are ignored.

    Raises
    ------
    DataFormatError
        A value outside its scale's range, an unknown code, an element with only one
        of IM/LV for an occupation, or two different values for one (occupation, element,
        scale).
    """
    known = {o.code for o in occupations}
    im, lv = scales["IM"], scales["LV"]
    names: dict[str, str] = {}
    importance: dict[tuple[str, str], float] = {}
    level: dict[tuple[str, str], float] = {}
    first_line: dict[tuple[str, str], int] = {}
    file = source.describe(table)
    guard = _DuplicateGuard()
    for row in source.read_table(table, TABLES[table]):
        code = _check_code(row, CODE, known)
        element = row.text("Element ID")
        names.setdefault(element, row.text("Element Name"))
        scale = row.text("Scale ID")
        what = f"the {scale} rating of {code} element {element}"
        if guard.is_repeat(row, (code, element, scale), what, "Data Value"):
            continue
        key = (code, element)
        first_line.setdefault(key, row.line)
        if scale == "IM":
            importance[key] = row.number("Data Value", low=im.minimum, high=im.maximum)
        elif scale == "LV":
            level[key] = row.number("Data Value", low=lv.minimum, high=lv.maximum)
    for key in importance.keys() ^ level.keys():
        raise DataFormatError(
            file,
            f"{key[0]} element {key[1]} has only one of the IM/LV scales",
            line=first_line[key],
            column="Scale ID",
        )
    descriptors = [
        Descriptor(element_id=e, name=n, kind=kind, description=descriptions.get(e, ""))
        for e, n in sorted(names.items())
    ]
    ratings = [
        DescriptorRating(code=c, element_id=e, kind=kind, importance=importance[(c, e)], level=lv_)
        for (c, e), lv_ in level.items()
    ]
    return descriptors, ratings


def read_technologies(
    source: ReleaseSource, occupations: list[Occupation]
) -> list[TechnologySkill]:
    """Read ``Technology Skills`` (Example, commodity, Hot Technology, In Demand)."""
    known = {o.code for o in occupations}
    table = "Technology Skills"
    guard = _DuplicateGuard()
    technologies: list[TechnologySkill] = []
    for row in source.read_table(table, TABLES[table]):
        code = _check_code(row, CODE, known)
        name = row.text("Example")
        technology = TechnologySkill(
            code=code,
            name=name,
            commodity_code=row.text("Commodity Code"),
            commodity_title=row.text("Commodity Title"),
            hot=row.flag("Hot Technology"),
            in_demand=row.flag("In Demand"),
        )
        facts = " ".join(
            row.cells[c].strip() for c in ("Commodity Code", "Hot Technology", "In Demand")
        )
        what = f"{code} technology {name!r} (commodity, hot, in demand)"
        if guard.is_repeat(row, (code, name), what, "Example", facts):
            continue
        technologies.append(technology)
    return technologies


def read_education(
    source: ReleaseSource, occupations: list[Occupation], scales: dict[str, Scale]
) -> tuple[list[EducationLevel], list[EducationShare]]:
    """Read the RL (Required Level of Education) categories and per-occupation shares.

    Source: ``Education, Training, and Experience Categories`` (RL rows: category 1-12
    and its description) and ``Education, Training, and Experience`` (RL rows: percent
    of respondents per category in ``Data Value``).
    """
    known = {o.code for o in occupations}
    levels: dict[int, EducationLevel] = {}
    cat_table = "Education, Training, and Experience Categories"
    guard = _DuplicateGuard()
    for row in source.read_table(cat_table, TABLES[cat_table]):
        key = tuple(row.cells[c].strip() for c in ("Element ID", "Scale ID", "Category"))
        what = f"element {key[0]} scale {key[1]} category {key[2]}"
        if guard.is_repeat(row, key, what, "Category Description") or key[1] != "RL":
            continue
        category = row.integer("Category", low=1, high=12)
        levels[category] = EducationLevel(category=category, name=row.text("Category Description"))
    if not levels:
        raise DataFormatError(source.describe(cat_table), "no RL (education level) categories")
    rl = scales["RL"]
    shares: list[EducationShare] = []
    table = "Education, Training, and Experience"
    guard = _DuplicateGuard()
    for row in source.read_table(table, TABLES[table]):
        key = tuple(row.cells[c].strip() for c in (CODE, "Element ID", "Scale ID", "Category"))
        what = f"{key[0]} element {key[1]} scale {key[2]} category {key[3]}"
        if guard.is_repeat(row, key, what, "Data Value") or key[2] != "RL":
            continue
        code = _check_code(row, CODE, known)
        category = row.integer("Category", low=1, high=12)
        if category not in levels:
            raise row.error("Category", f"RL category {category} is not in {cat_table}")
        shares.append(
            EducationShare(
                code=code,
                category=category,
                share_pct=row.number("Data Value", low=rl.minimum, high=rl.maximum),
            )
        )
    return sorted(levels.values(), key=lambda lvl: lvl.category), shares


def read_interests(
    source: ReleaseSource,
    occupations: list[Occupation],
    scales: dict[str, Scale],
    descriptions: dict[str, str],
) -> tuple[list[Interest], list[InterestScore]]:
    """Read RIASEC interests and per-occupation OI scores (scale 1-7) from ``Interests``."""
    known = {o.code for o in occupations}
    oi = scales["OI"]
    names: dict[str, str] = {}
    scores: list[InterestScore] = []
    guard = _DuplicateGuard()
    for row in source.read_table("Interests", TABLES["Interests"]):
        key = tuple(row.cells[c].strip() for c in (CODE, "Element ID", "Scale ID"))
        what = f"the {key[2]} score of {key[0]} element {key[1]}"
        if guard.is_repeat(row, key, what, "Data Value") or key[2] != "OI":
            continue
        element = row.text("Element ID")
        names.setdefault(element, row.text("Element Name"))
        scores.append(
            InterestScore(
                code=_check_code(row, CODE, known),
                element_id=element,
                score=row.number("Data Value", low=oi.minimum, high=oi.maximum),
            )
        )
    interests = [
        Interest(element_id=e, name=n, description=descriptions.get(e, ""))
        for e, n in sorted(names.items())
    ]
    return interests, scores


def read_work_styles(
    source: ReleaseSource,
    occupations: list[Occupation],
    scales: dict[str, Scale],
    descriptions: dict[str, str],
) -> tuple[list[WorkStyle], list[WorkStyleRating]]:
    """Read ``Work Styles``: the work styles (content model 1.C) and each occupation's
    importance rating (IM rows, 1-5; other scales are ignored).

    Raises
    ------
    DataFormatError
        An unknown code, a value outside the IM scale or a repeated (code, element) pair
        (file, line, column).
    """
    elements, scores = _read_element_scores(source, "Work Styles", "IM", occupations, scales)
    styles = [
        WorkStyle(element_id=e, name=n, description=descriptions.get(e, "")) for e, n in elements
    ]
    ratings = [WorkStyleRating(code=c, element_id=e, importance=v) for c, e, v in scores]
    return styles, ratings


def read_work_values(
    source: ReleaseSource,
    occupations: list[Occupation],
    scales: dict[str, Scale],
    descriptions: dict[str, str],
) -> tuple[list[WorkValue], list[WorkValueScore]]:
    """Read ``Work Values``: the six work values (content model 1.B.2) and the extent
    (EX rows, 1-7) to which each occupation satisfies them. The ``VH`` rows (first to third
    high-point, restating the top three extents as element numbers) are not kept.

    Raises
    ------
    DataFormatError
        As :func:`read_work_styles`, for the EX scale.
    """
    elements, scores = _read_element_scores(source, "Work Values", "EX", occupations, scales)
    values = [
        WorkValue(element_id=e, name=n, description=descriptions.get(e, "")) for e, n in elements
    ]
    extents = [WorkValueScore(code=c, element_id=e, extent=v) for c, e, v in scores]
    return values, extents


def _read_element_scores(
    source: ReleaseSource,
    table: str,
    scale_id: str,
    occupations: list[Occupation],
    scales: dict[str, Scale],
) -> tuple[list[tuple[str, str]], list[tuple[str, str, float]]]:
    """``table``'s elements ``(element ID, name)``, sorted, and its ``(code, element ID,
    value)`` rows on ``scale_id`` (one per occupation and element, within the scale)."""
    known = {o.code for o in occupations}
    scale = scales[scale_id]
    names: dict[str, str] = {}
    scores: list[tuple[str, str, float]] = []
    seen: set[tuple[str, str]] = set()
    for row in source.read_table(table, TABLES[table]):
        if row.text("Scale ID") != scale_id:
            continue
        code = _check_code(row, CODE, known)
        element = row.text("Element ID")
        if (code, element) in seen:
            raise row.error("Element ID", f"duplicate {scale_id} rating of {element} for {code}")
        seen.add((code, element))
        names.setdefault(element, row.text("Element Name"))
        scores.append(
            (code, element, row.number("Data Value", low=scale.minimum, high=scale.maximum))
        )
    return sorted(names.items()), scores


def read_job_zone_reference(source: ReleaseSource) -> list[JobZoneReference]:
    """Read ``Job Zone Reference`` (names and typical preparation of zones 1-5)."""
    table = "Job Zone Reference"
    guard = _DuplicateGuard()
    zones: list[JobZoneReference] = []
    for row in source.read_table(table, TABLES[table]):
        zone = row.integer("Job Zone", low=1, high=5)
        if guard.is_repeat(row, zone, f"the name of job zone {zone}", "Name"):
            continue
        zones.append(
            JobZoneReference(
                job_zone=zone,
                name=row.text("Name"),
                experience=row.text("Experience", required=False),
                education=row.text("Education", required=False),
                job_training=row.text("Job Training", required=False),
                examples=row.text("Examples", required=False),
                svp_range=row.text("SVP Range", required=False),
            )
        )
    return zones


def read_content_model(source: ReleaseSource) -> dict[str, str]:
    """Read ``Content Model Reference``: Element ID -> description."""
    table = "Content Model Reference"
    guard = _DuplicateGuard()
    descriptions: dict[str, str] = {}
    for row in source.read_table(table, TABLES[table]):
        element = row.text("Element ID")
        if not guard.is_repeat(row, element, f"the description of {element}", "Description"):
            descriptions[element] = row.text("Description", required=False)
    return descriptions


def read_onet_release(
    path: Path,
    *,
    release: str | None = None,
    progress: ProgressCallback | None = None,
) -> OnetRelease:
    """Read and validate an O*NET release from a folder or zip.

    Parameters
    ----------
    path
        Folder or zip with the O*NET tables as ``.txt`` (tab-delimited) or ``.xlsx``.
    release
        Release label such as ``"29.3"``; detected from ``Read Me.txt`` or the path
        (``db_29_3_...``) when omitted.
    progress
        Optional callback ``(table, rows)`` called after each table.

    Returns
    -------
    OnetRelease
        All records; e.g. for 29.3: 1,016 occupations, 18,460 related pairs; its
        ``table_rows`` holds the data rows read per table.

    Raises
    ------
    DataFormatError
        Missing, empty or unreadable table, bad header, bad value, truncated row,
        conflicting duplicate, a cut Related Occupations list, or (for a release in the
        manifest, ``loaders/onet_releases.json``) a table whose row count differs from the
        official one; each names file, line, column and reason where they apply.
    """
    source = ReleaseSource(path)
    try:
        for table in TABLES:
            if not source.has_table(table):
                raise DataFormatError(
                    source.describe(table),
                    f"table {table!r} is missing (no {table}.txt or {table}.xlsx)",
                )
        label = release or detect_release(source)
        known = read_release_manifest().get(label, {})
        checked: set[str] = set()

        def tick(table: str, rows: int) -> None:
            for name in source.rows_read.keys() - checked:
                check_table_rows(source, label, name)
                checked.add(name)
            if progress is not None:
                progress(table, rows)

        scales = read_scales(source)
        tick("Scales Reference", len(scales))
        descriptions = read_content_model(source)
        tick("Content Model Reference", len(descriptions))
        occupations = read_occupations(source)
        tick("Occupation Data + Job Zones", len(occupations))
        titles = read_titles(source, occupations)
        tick("Alternate Titles + Sample of Reported Titles", len(titles))
        related = read_related_occupations(source, occupations, known.get("related_per_occupation"))
        tick("Related Occupations", len(related))
        skills, skill_ratings = read_descriptor_ratings(
            source, "Skills", DescriptorKind.SKILL, occupations, scales, descriptions
        )
        tick("Skills", len(skill_ratings))
        knowledge, knowledge_ratings = read_descriptor_ratings(
            source, "Knowledge", DescriptorKind.KNOWLEDGE, occupations, scales, descriptions
        )
        tick("Knowledge", len(knowledge_ratings))
        technologies = read_technologies(source, occupations)
        tick("Technology Skills", len(technologies))
        levels, shares = read_education(source, occupations, scales)
        tick("Education, Training, and Experience", len(shares))
        interests, interest_scores = read_interests(source, occupations, scales, descriptions)
        tick("Interests", len(interest_scores))
        styles, style_ratings = read_work_styles(source, occupations, scales, descriptions)
        values, value_scores = read_work_values(source, occupations, scales, descriptions)
        tick("Work Styles + Work Values", len(style_ratings) + len(value_scores))
        job_zone_reference = read_job_zone_reference(source)
        tick("Job Zone Reference", len(job_zone_reference))
        return OnetRelease(
            release=label,
            table_rows=dict(source.rows_read),
            occupations=occupations,
            titles=titles,
            related=related,
            descriptors=skills + knowledge,
            ratings=skill_ratings + knowledge_ratings,
            technologies=technologies,
            education_levels=levels,
            education_shares=shares,
            interests=interests,
            interest_scores=interest_scores,
            job_zone_reference=job_zone_reference,
            scales=list(scales.values()),
            work_styles=styles,
            work_style_ratings=style_ratings,
            work_values=values,
            work_value_scores=value_scores,
        )
    finally:
        source.close()


CAREER_CHANGERS_TABLE = "Career Changers Matrix"
CAREER_CHANGERS_COLUMNS = (CODE, "Related O*NET-SOC Code", "Index")


def read_career_changers(path: Path, known_codes: set[str]) -> tuple[list[CareerChange], int]:
    """Read O*NET's older ``Career Changers Matrix`` (release 25.1) from a folder or zip.

    Parameters
    ----------
    path
        Folder or zip holding ``Career Changers Matrix.txt`` or ``.xlsx``.
    known_codes
        O*NET-SOC codes of the loaded release; pairs naming other codes are dropped.

    Returns
    -------
    tuple[list[CareerChange], int]
        The kept pairs and how many were dropped for unknown codes.

    Raises
    ------
    DataFormatError
        Missing table, bad header or value (file, line, column).
    """
    source = ReleaseSource(path, required_table=CAREER_CHANGERS_TABLE)
    try:
        kept: list[CareerChange] = []
        dropped = 0
        for row in source.read_table(CAREER_CHANGERS_TABLE, CAREER_CHANGERS_COLUMNS):
            code = row.onet_code(CODE)
            other = row.onet_code("Related O*NET-SOC Code")
            rank = row.integer("Index", low=1, high=10)
            if code in known_codes and other in known_codes:
                kept.append(CareerChange(code=code, related_code=other, rank=rank))
            else:
                dropped += 1
        return kept, dropped
    finally:
        source.close()


OLDER_SKILLS_TABLE = "Skills"
_OLDER_RELEASE_IN_NAME = re.compile(r"db_(\d+)(?:_(\d+))?")


def read_older_skills(path: Path) -> tuple[str, list[DescriptorRating]]:
    """Read ``Skills`` of an older O*NET release coded in O*NET-SOC 2010.

    Parameters
    ----------
    path
        Folder or zip holding ``Skills.xlsx`` or ``Skills.txt`` (in the project:
        ``shared/data/onet/db_23_soc2010``, O*NET 23.x, latest rating date 08/2018).

    Returns
    -------
    tuple[str, list[DescriptorRating]]
        The release label (``Read Me.txt``, else the folder name: ``db_23_soc2010`` ->
        ``23.x``) and one rating per (O*NET-SOC 2010 code, element) joining its IM and LV
        rows (other scales are ignored).

    Raises
    ------
    DataFormatError
        Missing table or column, a code that is not ``NN-NNNN.NN``, a value outside the IM
        (1-5) or LV (0-7) scale, or an element with only one of IM/LV (file, line, column).
    """
    source = ReleaseSource(path, required_table=OLDER_SKILLS_TABLE)
    try:
        release = detect_release(source)
        if release == "unknown":
            match = _OLDER_RELEASE_IN_NAME.search(path.name)
            if match:
                release = f"{match.group(1)}.{match.group(2) or 'x'}"
        importance: dict[tuple[str, str], float] = {}
        level: dict[tuple[str, str], float] = {}
        first_line: dict[tuple[str, str], int] = {}
        for row in source.read_table(OLDER_SKILLS_TABLE, TABLES["Skills"]):
            key = (row.onet_code(CODE), row.text("Element ID"))
            first_line.setdefault(key, row.line)
            scale = row.text("Scale ID")
            if scale == "IM":
                importance[key] = row.number("Data Value", low=1.0, high=5.0)
            elif scale == "LV":
                level[key] = row.number("Data Value", low=0.0, high=7.0)
        for key in sorted(importance.keys() ^ level.keys()):
            raise DataFormatError(
                source.describe(OLDER_SKILLS_TABLE),
                f"{key[0]} element {key[1]} has only one of the IM/LV scales",
                line=first_line[key],
                column="Scale ID",
            )
        ratings = [
            DescriptorRating(
                code=code,
                element_id=element,
                kind=DescriptorKind.SKILL,
                importance=importance[(code, element)],
                level=value,
            )
            for (code, element), value in sorted(level.items())
        ]
        return release, ratings
    finally:
        source.close()
