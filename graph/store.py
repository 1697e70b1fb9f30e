"""The :class:`GraphStore` protocol both backends implement, and its result records."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol, runtime_checkable

from pydantic import BaseModel

from careergraph.graph.model import (
    GraphCounts,
    LaborMarketFigures,
    ObservedMove,
    Occupation,
    OnetRelease,
)
from careergraph.graph.paths import RawPath, RouteFilters, SkillGap
from careergraph.graph.titles import TitleIndex
from careergraph.graph.titles import (
    TitleMatch as TitleMatch,  # re-exported: results live with titles
)

LoadProgress = Callable[[str, int, int], None]
"""``progress(step, done, total)`` reports load progress in rows."""


class EducationCategory(BaseModel):
    """An O*NET RL (Required Level of Education) category, 1-12, and its name."""

    category: int
    name: str


class HopExplanation(BaseModel):
    """Why and at what price one hop of a route is taken.

    ``relationship`` is the edge followed (``LEADS_TO`` or ``RELATED_TO``) and ``cost`` its
    cost points. ``tier``/``rank`` come from O*NET ``Related Occupations`` (None when the
    two are not listed as related); ``kind``, ``reasons``, ``similarity`` and
    ``career_changers_rank`` from the ``LEADS_TO`` move. ``skills_to_gain`` and
    ``knowledge_to_gain`` list elements where the target's LV level is higher (see
    :class:`graph.paths.SkillGap`); ``technologies_to_learn`` are the target's In Demand
    technologies (O*NET ``Technology Skills``, ``In Demand`` = Y for the target) that the
    source does not use, hot ones first, then by name, at most 5, none when none qualify.
    ``job_zone_change`` = target zone - source zone; wages are BLS median annual wages
    (USD), ``wage_change_pct`` in percent of the source's; ``to_growth_pct`` the target's
    BLS 2024-34 employment growth; ``education_change`` the change in BLS typical entry
    education rank (1-8); ``from_rl`` / ``to_rl`` the O*NET RL category most respondents
    report. ``observed_move`` is the
    ``MOVED_TO`` edge (CPS ASEC: share of the source's movers found in the target a year
    later) and ``observed_move_text`` says it in words; both None when no such move was
    observed. None = no data.
    """

    from_code: str
    from_title: str
    to_code: str
    to_title: str
    relationship: str = "RELATED_TO"
    cost: float
    tier: str | None
    rank: int | None
    kind: str | None = None
    reasons: list[str] = []
    similarity: float | None = None
    career_changers_rank: int | None = None
    from_job_zone: int | None
    to_job_zone: int | None
    job_zone_change: int | None
    skills_to_gain: list[SkillGap]
    knowledge_to_gain: list[SkillGap]
    technologies_to_learn: list[str] = []
    from_median_wage_usd: float | None = None
    to_median_wage_usd: float | None = None
    wage_change_usd: float | None = None
    wage_change_pct: float | None = None
    to_growth_pct: float | None = None
    to_bright_outlook: bool | None = None
    from_entry_education: str | None = None
    to_entry_education: str | None = None
    education_change: int | None = None
    from_rl: EducationCategory | None = None
    to_rl: EducationCategory | None = None
    from_figures_for: str | None = None
    """The BLS group whose figures the source carries when they are not its own (O*NET
    specialties, BLS aggregates), e.g. "15-1299 Computer occupations, all other"."""
    to_figures_for: str | None = None
    """The same for the target."""
    same_bls_group: str | None = None
    """The BLS group both carry the figures of: ``wage_change_usd``, ``wage_change_pct`` and
    ``education_change`` are then None (the same group's figures, not a measured change)."""
    estimated_ratings: list[str] = []
    """Which ratings of the two occupations are estimates and from what (skills and
    knowledge O*NET does not rate, :mod:`graph.estimated_ratings`); empty when none are."""
    observed_move: ObservedMove | None = None
    observed_move_text: str | None = None


class RatedElement(BaseModel):
    """A skill or knowledge area an occupation needs, with its O*NET ratings.

    ``kind`` is ``skill`` or ``knowledge``; ``importance`` is the IM scale (1-5),
    ``level`` the LV scale (0-7). Source: ``Skills`` / ``Knowledge``, ``Data Value`` of
    the IM and LV rows.
    """

    element_id: str
    name: str
    kind: str
    importance: float
    level: float
    estimated_from: list[str] = []
    """O*NET-SOC codes the value is taken from when it is an estimate (empty = the
    occupation's own O*NET rating); see :class:`graph.model.DescriptorRating`."""
    estimate_source: str | None = None


class TechnologyUse(BaseModel):
    """A technology (software product) an occupation uses.

    Source: ``Technology Skills`` columns ``Example`` (``name``), ``Commodity Title``,
    ``Hot Technology`` (``hot``) and ``In Demand`` (``in_demand``).
    """

    name: str
    commodity_title: str
    hot: bool
    in_demand: bool


class EducationLevelShare(BaseModel):
    """Percent of incumbents (0-100) who say an education level is required.

    ``category`` is the O*NET RL category (1 = less than high school ... 12 =
    post-doctoral). Source: ``Education, Training, and Experience`` (Scale ID RL) and its
    ``Categories`` table.
    """

    category: int
    name: str
    share_pct: float


class OccupationProfile(BaseModel):
    """What an occupation is and needs: the answer of :meth:`GraphStore.get_occupation_profile`.

    ``skills``/``knowledge``: the top ``limit`` elements by importance (IM) descending, then
    level (LV) descending, then element ID. ``hot_technologies``: the top ``limit`` products
    flagged Hot Technology, in-demand ones first, then by name; ``hot_technology_count`` and
    ``technology_count`` count all of them. ``education``: every RL category with a share
    above 0 %, by category.
    """

    code: str
    title: str
    description: str
    job_zone: int | None
    skills: list[RatedElement]
    knowledge: list[RatedElement]
    hot_technologies: list[TechnologyUse]
    hot_technology_count: int
    technology_count: int
    education: list[EducationLevelShare]
    labor_market: LaborMarketFigures | None = None
    """BLS wages (USD/year), employment (thousands), 2024-34 growth (%), typical entry
    education and bright outlook; None where BLS publishes nothing or none was loaded."""
    estimated_ratings: list[str] = []
    """Which of the listed ratings are estimates and from what; empty when O*NET rates the
    occupation (:func:`graph.explain.describe_rating_estimates`)."""


class RelatedOccupationLink(BaseModel):
    """One O*NET related occupation of an occupation (a ``RELATED_TO`` edge).

    ``tier`` and ``rank`` (``Index``, 1-20, 1 = most related) come from O*NET ``Related
    Occupations``; ``cost`` is the hop cost in cost points (:mod:`graph.cost`).
    """

    code: str
    title: str
    job_zone: int | None
    tier: str
    rank: int
    cost: float


class NextStep(BaseModel):
    """One career move (``LEADS_TO``) out of an occupation, as built by
    :func:`graph.career_moves.derive_moves_and_distributions`.

    ``kind`` is ``advancement``, ``lateral`` or ``step_back``; ``cost`` the move's cost in
    cost points (``docs/pathfinding.md``); ``related_tier``/``related_rank`` from O*NET
    Related Occupations, ``career_changers_rank`` from the Career Changers Matrix,
    ``similarity`` the skill similarity (0-1); deltas are target minus source
    (``wage_delta_pct`` in percent). None = no data.
    """

    code: str
    title: str
    job_zone: int | None
    kind: str
    cost: float
    related_tier: str | None
    related_rank: int | None
    career_changers_rank: int | None
    similarity: float | None
    job_zone_delta: int | None
    wage_delta_pct: float | None
    reasons: list[str]
    figures_for: str | None = None
    """The BLS group whose figures the next occupation carries when not its own."""
    same_bls_group: str | None = None
    """The BLS group both occupations carry the figures of; ``wage_delta_pct`` is then None."""


class LikelyNextStep(BaseModel):
    """One occupation people who leave an occupation are likely to work in next
    (:class:`graph.model.NextStepDistribution`).

    ``rank`` is 1 for the most likely; ``probability`` (0-1) is the move model's estimate
    (fitted on CPS ASEC moves; ``docs/pathfinding.md``), not an observed share;
    ``observed_share`` is the CPS ASEC share of movers (0-1) where observed, else None;
    ``career_move`` says whether routes can take this step (a ``LEADS_TO`` move exists).
    """

    rank: int
    code: str
    title: str
    job_zone: int | None
    probability: float
    observed_share: float | None
    career_move: bool


class NextStepTitle(NamedTuple):
    """A job title of an occupation one career move away: ``code`` the occupation, ``name``
    the title, ``source`` ``occupation``/``alternate``/``reported``, ``cost`` the move's
    cost in cost points. A tuple, not a model: a route question reads ~3 k of them (every
    title of every next step of its source, :func:`graph.service.find_field_alternatives`),
    which as pydantic models took about half of the answer's CPU."""

    code: str
    name: str
    source: str
    cost: float


class OccupationSummary(BaseModel):
    """An occupation's code, title and job zone (1-5, None when unrated)."""

    code: str
    title: str
    job_zone: int | None


class OccupationGap(BaseModel):
    """What the target occupation needs that the source does not: the answer of
    :meth:`GraphStore.get_occupation_gap`.

    ``skills_to_gain``/``knowledge_to_gain``: the top ``limit`` elements whose LV level is
    higher in the target, by importance-weighted gain (:class:`graph.paths.SkillGap`; as
    :func:`graph.paths.compute_skill_gaps`: the target's key requirements when the source is
    unrated, empty when the target is). ``technologies_to_learn``: the target's In Demand
    technologies (``In Demand`` = Y for the target) that the source does not use, hot ones
    first, then by name, at most ``min(limit, 5)``; ``technologies_to_learn_count`` counts all
    of them and ``shared_technology_count`` the products both use. ``job_zone_change`` =
    target zone - source zone (None when either is unrated).
    """

    source: OccupationSummary
    target: OccupationSummary
    job_zone_change: int | None
    skills_to_gain: list[SkillGap]
    knowledge_to_gain: list[SkillGap]
    technologies_to_learn: list[TechnologyUse]
    technologies_to_learn_count: int
    shared_technology_count: int
    estimated_ratings: list[str] = []
    """Which ratings of the two occupations are estimates and from what; empty when none."""


class ScoredElement(BaseModel):
    """A rated element of an occupation for the role page: an interest (OI 1-7), a work
    style (IM 1-5), a work value (EX 1-7) or an education level (``element_id`` = the RL
    category 1-12, ``value`` = percent of respondents 0-100).

    ``estimated_from``/``estimate_source`` mark a value O*NET does not give for the
    occupation itself (:class:`graph.model.Estimate`); empty for its own values.
    """

    element_id: str
    name: str
    description: str = ""
    value: float
    estimated_from: list[str] = []
    estimate_source: str | None = None


class TaskItem(BaseModel):
    """A task of an occupation (O*NET ``Task Statements``; see
    :class:`graph.model.TaskStatement`)."""

    task_id: int
    statement: str
    task_type: str | None
    incumbents_responding: int | None
    position: int


class IncomingMove(BaseModel):
    """A move *into* an occupation: where its people come from.

    ``relationship`` is the edge followed backwards: ``MOVED_TO`` (an observed move, CPS
    ASEC: ``share_of_movers`` (0-1] of the people who left ``code`` were in the occupation a
    year later, ``observed_rank`` its place among ``code``'s destinations, ``text`` the
    sentence of :meth:`graph.model.ObservedMove.describe`) or ``LEADS_TO`` (a derived career
    move, with its ``kind``, ``cost`` and ``reasons``).
    """

    code: str
    title: str
    job_zone: int | None
    relationship: str = "LEADS_TO"
    kind: str | None = None
    cost: float | None = None
    reasons: list[str] = []
    share_of_movers: float | None = None
    observed_rank: int | None = None
    text: str | None = None
    source_employment_thousands: float | None = None
    """The source's BLS 2024 employment (thousands of jobs), split evenly among the O*NET
    occupations that carry the same BLS figures; None without BLS figures."""

    @classmethod
    def observed(
        cls,
        source: Mapping[str, Any],
        target: Mapping[str, Any],
        properties: Mapping[str, Any],
    ) -> IncomingMove:
        """The observed move ``source -> target`` (occupation properties ``code``,
        ``title``, ``job_zone``; the source's ``employment_2024_thousands`` and
        ``bls_group_size``) from its ``MOVED_TO`` edge properties."""
        values = {k: v for k, v in properties.items() if k in OBSERVED_MOVE_FIELDS}
        move = ObservedMove(code=source["code"], next_code=target["code"], **values)
        return cls(
            code=source["code"],
            title=source["title"],
            job_zone=source.get("job_zone"),
            relationship="MOVED_TO",
            share_of_movers=move.share_of_movers,
            observed_rank=move.rank,
            text=move.describe(source["title"], target["title"]),
            source_employment_thousands=_own_share(
                source.get("employment_2024_thousands"), source.get("bls_group_size")
            ),
        )


def _own_share(employment: float | None, group_size: int | None) -> float | None:
    """Employment split evenly among the occupations sharing one BLS figure."""
    if employment is None:
        return None
    return employment / group_size if group_size else employment


OBSERVED_MOVE_FIELDS = frozenset(ObservedMove.model_fields) - {"code", "next_code"}


class RoleFacts(BaseModel):
    """What the role page needs beyond :class:`OccupationProfile`: the answer of
    :meth:`GraphStore.get_role_facts`; ranking and wording happen in
    :mod:`graph.role_profile`.

    ``tasks``: every task by ``position``; ``interests``, ``work_styles``, ``work_values``:
    every rated element by value descending, then element ID; ``education``: every RL
    category with a share above 0, by category; ``incoming``: the moves into the occupation,
    observed ones (``MOVED_TO``) first by share of movers descending, then code, then the
    career moves (``LEADS_TO``) by cost, then code; ``bls_group_size``: how many occupations
    carry the figures of the occupation's BLS code (``bls_soc_code``; 1 for an occupation's
    own figures, None without BLS figures).
    """

    code: str
    tasks: list[TaskItem]
    tasks_release: str | None = None
    interests: list[ScoredElement]
    work_styles: list[ScoredElement]
    work_values: list[ScoredElement]
    education: list[ScoredElement]
    incoming: list[IncomingMove]
    bls_group_size: int | None = None


@runtime_checkable
class GraphStore(Protocol):
    """A place the career graph lives: the networkx (memory) or Neo4j backend.

    Both must give the same counts, the same best paths with the same costs and the
    same hop explanations for the same loaded release.
    """

    backend: str

    def load(self, release: OnetRelease, progress: LoadProgress | None = None) -> GraphCounts:
        """Replace the graph with ``release``; all-or-nothing; returns the new counts."""
        ...

    def counts(self) -> GraphCounts:
        """Node counts per label and relationship counts per type."""
        ...

    def loaded_release(self) -> str | None:
        """The O*NET release label of the loaded graph, or None if empty."""
        ...

    def loaded_table_rows(self) -> dict[str, int] | None:
        """Data rows per source table of the loaded release (``OnetRelease.table_rows``),
        recorded with it at load time; None if nothing is loaded or the graph was loaded
        before counts were recorded."""
        ...

    def get_occupation(self, code: str) -> Occupation | None:
        """The occupation with this O*NET-SOC code, or None."""
        ...

    def title_index(self) -> TitleIndex:
        """The loaded release's job titles, indexed for resolution and search
        (:mod:`graph.titles`); built from the same title records on both backends.

        Raises
        ------
        NotLoadedError
            Nothing is loaded.
        """
        ...

    def find_k_cheapest_paths(
        self,
        sources: Sequence[str],
        targets: Sequence[str],
        k: int,
        max_hops: int,
        filters: RouteFilters | None = None,
    ) -> list[RawPath]:
        """k cheapest distinct routes over ``filters.relationship`` (default ``LEADS_TO``);
        see :func:`graph.paths.find_k_cheapest_paths` for the contract."""
        ...

    def explain_hops(
        self, pairs: Sequence[tuple[str, str]], limit: int = 5, relationship: str = "LEADS_TO"
    ) -> list[HopExplanation]:
        """:meth:`explain_hop` for several hops at once (one round trip on Neo4j).

        Raises
        ------
        KeyError
            A pair is joined by no such edge.
        """
        ...

    def explain_hop(
        self, from_code: str, to_code: str, limit: int = 5, relationship: str = "LEADS_TO"
    ) -> HopExplanation:
        """Explain the hop ``from_code -> to_code``; ``cost`` is that of ``relationship``.

        Raises
        ------
        KeyError
            No such edge.
        """
        ...

    def get_occupation_profile(self, code: str, limit: int = 10) -> OccupationProfile | None:
        """Skills, knowledge, hot technologies and education of one occupation, or None
        if the code is unknown; ``limit`` caps each list (see :class:`OccupationProfile`)."""
        ...

    def list_related_occupations(self, code: str) -> list[RelatedOccupationLink]:
        """O*NET related occupations of ``code`` by rank (1 first); empty if none or unknown."""
        ...

    def list_next_steps(self, code: str) -> list[NextStep]:
        """Career moves (``LEADS_TO``) out of ``code`` by cost, then code; empty if none."""
        ...

    def rank_likely_next_steps(self, code: str, limit: int) -> list[LikelyNextStep]:
        """The ``limit`` most likely next occupations of ``code`` over every occupation
        (:class:`LikelyNextStep`), most likely first; empty if none or unknown."""
        ...

    def get_occupation_gap(
        self, from_code: str, to_code: str, limit: int = 10
    ) -> OccupationGap | None:
        """The skill, knowledge and technology gap from one occupation to another, or
        None if either code is unknown (see :class:`OccupationGap`)."""
        ...

    def get_role_facts(self, code: str) -> RoleFacts | None:
        """Tasks, interests, work styles, work values, education shares, incoming moves and
        the BLS group size of one occupation, or None if the code is unknown (see
        :class:`RoleFacts`)."""
        ...

    def list_next_step_titles(self, code: str) -> list[NextStepTitle]:
        """Every title (occupation, alternate, reported) of the occupations ``code`` has a
        career move (``LEADS_TO``) to, with the move's cost; by code, name, source. Empty
        when none or unknown."""
        ...

    def suggest_occupations_by_code(self, code: str, limit: int = 5) -> list[OccupationSummary]:
        """Occupations whose codes share the longest prefix with ``code`` (e.g.
        ``15-1252.00`` for ``15-1252.07``), by code; at most ``limit``."""
        ...

    def close(self) -> None:
        """Release connections and resources."""
        ...
