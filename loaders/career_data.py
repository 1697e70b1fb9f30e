"""Assemble everything the graph carries beyond O*NET 29.3 itself.

``build_career_data`` adds to an :class:`OnetRelease`: BLS figures per occupation
(:mod:`loaders.bls`), the Career Changers Matrix pairs (O*NET 25.1), the ``SIMILAR_TO``
top-10 skill similarities (:mod:`graph.similarity`) and the ``LEADS_TO`` career moves
(:mod:`graph.career_moves`). Each input is optional: a missing folder leaves its part empty.
"""

from __future__ import annotations

from pathlib import Path

from graph.bls_model import OnetLaborMarket
from graph.career_moves import derive_career_moves
from graph.estimated_profiles import estimate_missing_profiles
from graph.model import CareerChange, CareerData, LaborMarketFigures, OnetRelease, TaskStatement
from graph.similarity import SkillProfiles
from loaders.bls import read_labor_market
from loaders.onet import read_career_changers
from loaders.onet_tasks import read_task_statements

SIMILAR_TOP_N = 10


def flatten_labor_market(market: OnetLaborMarket) -> LaborMarketFigures:
    """One occupation's BLS projections and wages as flat graph properties."""
    outlook, wages = market.outlook, market.wages
    source = outlook or wages
    return LaborMarketFigures(
        code=market.onet_code,
        bls_soc_code=source.source_soc_code if source else market.soc_code,
        bls_is_aggregate=market.is_aggregate,
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


def build_career_data(
    release: OnetRelease,
    *,
    bls_dir: Path | None,
    career_changers_dir: Path | None,
    tasks_dir: Path | None = None,
) -> OnetRelease:
    """Return ``release`` with its ``career`` part filled in, and estimated (marked) work
    styles, work values, education shares and interests for the occupations O*NET does not
    rate (:func:`graph.estimated_profiles.estimate_missing_profiles`).

    Parameters
    ----------
    release
        O*NET release read by :func:`loaders.onet.read_onet_release`.
    bls_dir
        Folder with ``occupation.xlsx`` and ``national_M2024_dl.xlsx`` (BLS EP 2024-34,
        OEWS May 2024), or None to skip wages and outlook.
    career_changers_dir
        Folder or zip with ``Career Changers Matrix`` (O*NET 25.1), or None.
    tasks_dir
        Folder or zip with ``Task Statements`` (O*NET 30.1), or None to skip tasks.

    Raises
    ------
    DataFormatError
        A malformed BLS, Career Changers or Task Statements file (file, line, column).
    """
    release = estimate_missing_profiles(release)
    codes = [o.code for o in release.occupations]
    labor: list[LaborMarketFigures] = []
    if bls_dir is not None:
        markets = read_labor_market(bls_dir, codes)
        labor = [flatten_labor_market(m) for m in markets.values() if m.outlook or m.wages]
    changes: list[CareerChange] = []
    if career_changers_dir is not None:
        changes, _ = read_career_changers(career_changers_dir, set(codes))
    profiles = SkillProfiles(release.ratings)
    similar = profiles.top_similar(SIMILAR_TOP_N)
    moves = derive_career_moves(
        release.occupations, release.related, changes, similar, labor, profiles
    )
    tasks: list[TaskStatement] = []
    tasks_release: str | None = None
    if tasks_dir is not None:
        tasks_release, tasks, _ = read_task_statements(tasks_dir, set(codes))
    career = CareerData(
        labor_market=labor,
        career_changes=changes,
        similarities=similar,
        moves=moves,
        tasks=tasks,
        tasks_release=tasks_release,
    )
    return release.model_copy(update={"career": career})
