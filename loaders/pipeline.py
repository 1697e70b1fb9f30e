"""The release pipeline: read every source and derive the graph, in one place.

:func:`read_release` is the one entry point the CLI (``careergraph load``, ``path``), the
HTTP API (memory backend) and the benchmarks call. It reads, in order:

1. the O*NET release (:func:`loaders.onet.read_onet_release`), with estimated ratings for
   the occupations it does not rate (:mod:`graph.estimated_ratings`; the older O*NET
   ``Skills`` in O*NET-SOC 2010 via the crosswalk);
2. BLS figures per occupation (:mod:`loaders.bls`);
3. O*NET 25.1 Career Changers pairs (:func:`loaders.onet.read_career_changers`);
4. observed moves, CPS ASEC, ``MOVED_TO`` (:mod:`loaders.transitions`);

then derives the ``SIMILAR_TO`` skill similarities (:mod:`graph.similarity`) and the
``LEADS_TO`` career moves (:mod:`graph.career_moves`). Every source but O*NET is optional:
a missing folder leaves its part empty and the graph still loads. This is build time (once
per release); query time lives in :mod:`graph.service`.
"""

from __future__ import annotations

from pathlib import Path

from careergraph.graph.career_moves import derive_moves_and_distributions
from careergraph.graph.estimated_profiles import estimate_missing_profiles
from careergraph.graph.estimated_ratings import estimate_missing_ratings
from careergraph.graph.kinship import OccupationKinship
from careergraph.graph.model import (
    CareerChange,
    CareerData,
    DescriptorRating,
    LaborMarketFigures,
    ObservedMove,
    OnetRelease,
    TaskStatement,
)
from careergraph.graph.similarity import SkillProfiles
from careergraph.loaders.bls import flatten_labor_market, read_labor_market
from careergraph.loaders.data_sources import ReleaseSources
from careergraph.loaders.onet import (
    ProgressCallback,
    read_career_changers,
    read_older_skills,
    read_onet_release,
)
from careergraph.loaders.onet_tasks import read_task_statements
from careergraph.loaders.transitions import CROSSWALK_FILE, read_crosswalk, read_observed_moves

SIMILAR_TOP_N = 10


def read_release(sources: ReleaseSources, progress: ProgressCallback | None = None) -> OnetRelease:
    """Read every source and derive the graph: what ``careergraph load`` writes.

    Parameters
    ----------
    sources
        Where the sources are; only ``onet`` is required.
    progress
        Called ``(table, rows)`` after each O*NET table is read.

    Returns
    -------
    OnetRelease
        The O*NET records with ``career`` filled in (:func:`build_career_data`).

    Raises
    ------
    DataFormatError
        A missing or malformed file of any source (file, line, column, reason).
    """
    release = read_onet_release(sources.onet, progress=progress)
    return build_career_data(
        release,
        bls_dir=sources.bls_dir,
        career_changers_dir=sources.career_changers_dir,
        transitions_dir=sources.transitions_dir,
        onet_soc2010_dir=sources.onet_soc2010_dir,
        tasks_dir=sources.tasks_dir,
    )


def add_estimated_ratings(
    release: OnetRelease, *, transitions_dir: Path | None, onet_soc2010_dir: Path | None
) -> OnetRelease:
    """Return ``release`` with estimated ratings added for the occupations O*NET does not
    rate (:func:`graph.estimated_ratings.estimate_missing_ratings`): skills from the
    O*NET-SOC 2010 predecessors when both the crosswalk (``transitions_dir``) and the older
    ``Skills`` (``onet_soc2010_dir``) are given, else (and for knowledge) from the most
    related rated occupation or the SOC group."""
    predecessors: dict[str, list[str]] | None = None
    older_release: str | None = None
    older: list[DescriptorRating] = []
    if transitions_dir is not None and onet_soc2010_dir is not None:
        predecessors = read_crosswalk(transitions_dir / CROSSWALK_FILE).predecessors()
        older_release, older = read_older_skills(onet_soc2010_dir)
    estimated = estimate_missing_ratings(
        release.occupations,
        release.ratings,
        release.related,
        release=release.release,
        predecessors=predecessors,
        older_skills=older,
        older_release=older_release,
    )
    return release.model_copy(update={"ratings": [*release.ratings, *estimated]})


def build_career_data(
    release: OnetRelease,
    *,
    bls_dir: Path | None,
    career_changers_dir: Path | None,
    transitions_dir: Path | None = None,
    onet_soc2010_dir: Path | None = None,
    tasks_dir: Path | None = None,
) -> OnetRelease:
    """Return ``release`` with its ``career`` part filled in (for a release already read),
    estimated (marked) skills and knowledge, work styles, work values, education shares and
    interests for the occupations O*NET does not rate (:mod:`graph.estimated_ratings`,
    :mod:`graph.estimated_profiles`), and the O*NET 30.1 task statements.

    Parameters
    ----------
    release
        O*NET release read by :func:`loaders.onet.read_onet_release`.
    bls_dir, career_changers_dir, transitions_dir, onet_soc2010_dir, tasks_dir
        As in :class:`ReleaseSources`; None skips the source.

    Raises
    ------
    DataFormatError
        A malformed BLS, Career Changers, transitions or Task Statements file (file, line,
        column).
    """
    release = add_estimated_ratings(
        release, transitions_dir=transitions_dir, onet_soc2010_dir=onet_soc2010_dir
    )
    release = estimate_missing_profiles(release)
    codes = [o.code for o in release.occupations]
    labor: list[LaborMarketFigures] = []
    if bls_dir is not None:
        markets = read_labor_market(bls_dir, codes)
        labor = [flatten_labor_market(m) for m in markets.values() if m.outlook or m.wages]
    changes: list[CareerChange] = []
    if career_changers_dir is not None:
        changes, _ = read_career_changers(career_changers_dir, set(codes))
    observed: list[ObservedMove] = []
    if transitions_dir is not None:
        observed = read_observed_moves(transitions_dir, release.occupations, labor)
    tasks: list[TaskStatement] = []
    tasks_release: str | None = None
    if tasks_dir is not None:
        tasks_release, tasks, _ = read_task_statements(tasks_dir, set(codes))
    profiles = SkillProfiles(release.ratings)
    similar = profiles.top_similar(SIMILAR_TOP_N)
    moves, distributions = derive_moves_and_distributions(
        release.occupations,
        release.related,
        changes,
        similar,
        labor,
        profiles,
        observed_moves=observed,
        kinship=OccupationKinship.from_release(release, tasks),
    )
    career = CareerData(
        labor_market=labor,
        career_changes=changes,
        similarities=similar,
        moves=moves,
        next_step_distributions=distributions,
        observed_moves=observed,
        tasks=tasks,
        tasks_release=tasks_release,
    )
    return release.model_copy(update={"career": career})
