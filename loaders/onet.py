"""O*NET database loader: raw release files -> :class:`graph.model.OnetRelease`.

Reads the tables careergraph uses from an O*NET release (folder or zip; text or Excel
form, see :mod:`loaders.tables`), validates every value it keeps and cross-references
codes between tables. Any problem stops the load with a :class:`DataFormatError` that
names file, line, column and reason; nothing is written anywhere by this module.

Source: O*NET Database (USDOL/ETA), CC BY 4.0, https://www.onetcenter.org/database.html;
column meanings from the O*NET data dictionary of the release.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from graph.errors import DataFormatError
from graph.model import (
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
from loaders.tables import ReleaseSource, TableRow

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


def _check_code(row: TableRow, column: str, known: set[str]) -> str:
    code = row.onet_code(column)
    if code not in known:
        raise row.error(column, f"{code} is not in 'Occupation Data'")
    return code


def read_scales(source: ReleaseSource) -> dict[str, Scale]:
    """Read ``Scales Reference``: Scale ID -> :class:`Scale` (min/max of each scale)."""
    scales: dict[str, Scale] = {}
    for row in source.read_table("Scales Reference", TABLES["Scales Reference"]):
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
    for row in source.read_table("Job Zones", TABLES["Job Zones"]):
        code = _check_code(row, CODE, seen)
        job_zones[code] = row.integer("Job Zone", low=1, high=5)
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
    source: ReleaseSource, occupations: list[Occupation]
) -> list[RelatedOccupation]:
    """Read ``Related Occupations``: directed, tiered, ranked relatedness (Index 1-20)."""
    known = {o.code for o in occupations}
    tiers = {t.value: t for t in RelatednessTier}
    related: list[RelatedOccupation] = []
    seen: set[tuple[str, str]] = set()
    for row in source.read_table("Related Occupations", TABLES["Related Occupations"]):
        code = _check_code(row, CODE, known)
        other = _check_code(row, "Related O*NET-SOC Code", known)
        tier_text = row.text("Relatedness Tier")
        if tier_text not in tiers:
            raise row.error("Relatedness Tier", f"{tier_text!r} is not one of {sorted(tiers)}")
        if (code, other) in seen:
            raise row.error("Related O*NET-SOC Code", f"duplicate pair {code} -> {other}")
        seen.add((code, other))
        related.append(
            RelatedOccupation(
                code=code,
                related_code=other,
                tier=tiers[tier_text],
                rank=row.integer("Index", low=1, high=20),
            )
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
        A value outside its scale's range, an unknown code, or an element with only one
        of IM/LV for an occupation.
    """
    known = {o.code for o in occupations}
    im, lv = scales["IM"], scales["LV"]
    names: dict[str, str] = {}
    importance: dict[tuple[str, str], float] = {}
    level: dict[tuple[str, str], float] = {}
    first_line: dict[tuple[str, str], int] = {}
    file = source.describe(table)
    for row in source.read_table(table, TABLES[table]):
        code = _check_code(row, CODE, known)
        element = row.text("Element ID")
        names.setdefault(element, row.text("Element Name"))
        scale = row.text("Scale ID")
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
    return [
        TechnologySkill(
            code=_check_code(row, CODE, known),
            name=row.text("Example"),
            commodity_code=row.text("Commodity Code"),
            commodity_title=row.text("Commodity Title"),
            hot=row.flag("Hot Technology"),
            in_demand=row.flag("In Demand"),
        )
        for row in source.read_table(table, TABLES[table])
    ]


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
    for row in source.read_table(cat_table, TABLES[cat_table]):
        if row.text("Scale ID") != "RL":
            continue
        category = row.integer("Category", low=1, high=12)
        levels[category] = EducationLevel(category=category, name=row.text("Category Description"))
    if not levels:
        raise DataFormatError(source.describe(cat_table), "no RL (education level) categories")
    rl = scales["RL"]
    shares: list[EducationShare] = []
    table = "Education, Training, and Experience"
    for row in source.read_table(table, TABLES[table]):
        if row.text("Scale ID") != "RL":
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
    for row in source.read_table("Interests", TABLES["Interests"]):
        if row.text("Scale ID") != "OI":
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
    return [
        JobZoneReference(
            job_zone=row.integer("Job Zone", low=1, high=5),
            name=row.text("Name"),
            experience=row.text("Experience", required=False),
            education=row.text("Education", required=False),
            job_training=row.text("Job Training", required=False),
            examples=row.text("Examples", required=False),
            svp_range=row.text("SVP Range", required=False),
        )
        for row in source.read_table(table, TABLES[table])
    ]


def read_content_model(source: ReleaseSource) -> dict[str, str]:
    """Read ``Content Model Reference``: Element ID -> description."""
    table = "Content Model Reference"
    return {
        row.text("Element ID"): row.text("Description", required=False)
        for row in source.read_table(table, TABLES[table])
    }


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
        All records; e.g. for 29.3: 1,016 occupations, 18,460 related pairs.

    Raises
    ------
    DataFormatError
        Missing table, bad header, bad value or truncated row (file, line, column,
        reason).
    """
    source = ReleaseSource(path)
    try:
        for table in TABLES:
            if not source.has_table(table):
                raise DataFormatError(f"{table}.txt", f"table {table!r} is missing from {path}")

        def tick(table: str, rows: int) -> None:
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
        related = read_related_occupations(source, occupations)
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
            release=release or detect_release(source),
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
