"""Domain records of the careergraph knowledge graph.

Every record is a frozen pydantic model. Loaders (``loaders/``) produce them from raw
source files; graph stores (``graph/backends/``) persist them. Field names are the
property names used in Neo4j (snake_case) and in the networkx backend.

Source: O*NET 29.3 Database (USDOL/ETA, CC BY 4.0), file and column given per field.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

ONET_SOC_CODE_PATTERN = r"^\d{2}-\d{4}\.\d{2}$"
"""An O*NET-SOC 2019 code such as ``15-1252.00`` (the project's one definition)."""

ONET_SOC_CODE = re.compile(ONET_SOC_CODE_PATTERN)
""":data:`ONET_SOC_CODE_PATTERN` compiled; use ``ONET_SOC_CODE.fullmatch(text)``."""


class Record(BaseModel):
    """Base of all domain records: immutable, no extra fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Estimate(Record):
    """Where a value comes from when O*NET does not rate the occupation itself.

    ``estimated_from`` names the O*NET-SOC codes the value is taken from (empty = the
    occupation's own O*NET value) and ``estimate_source`` the release, table and rule
    (:mod:`graph.estimated_profiles`), e.g. "O*NET 29.3 Work Styles of the most related
    rated occupation (Related Occupations #1)".
    """

    estimated_from: list[str] = []
    estimate_source: str | None = None

    @property
    def estimated(self) -> bool:
        """Whether the value is an estimate (not the occupation's own O*NET value)."""
        return bool(self.estimated_from)


class RelatednessTier(StrEnum):
    """O*NET ``Related Occupations`` ``Relatedness Tier`` values, closest first."""

    PRIMARY_SHORT = "Primary-Short"
    PRIMARY_LONG = "Primary-Long"
    SUPPLEMENTAL = "Supplemental"


class TitleSource(StrEnum):
    """Where a job title attached to an occupation comes from."""

    OCCUPATION = "occupation"  # Occupation Data / Title
    ALTERNATE = "alternate"  # Alternate Titles / Alternate Title
    REPORTED = "reported"  # Sample of Reported Titles / Reported Job Title


class DescriptorKind(StrEnum):
    """Rated O*NET descriptor domains loaded into the graph."""

    SKILL = "skill"  # content model 2.A / 2.B (Skills.txt)
    KNOWLEDGE = "knowledge"  # content model 2.C (Knowledge.txt)


class Occupation(Record):
    """An O*NET-SOC occupation.

    Source: ``Occupation Data`` (code, title, description) and ``Job Zones`` (job_zone).
    """

    code: str = Field(pattern=ONET_SOC_CODE_PATTERN, description="O*NET-SOC code, e.g. 15-1252.00")
    title: str
    description: str
    job_zone: int | None = Field(default=None, ge=1, le=5, description="O*NET job zone 1-5")

    @property
    def soc_major_group(self) -> str:
        """SOC 2018 major group: the first two digits of the code (``15`` for 15-1252.00)."""
        return self.code[:2]


class OccupationTitle(Record):
    """A job title that names an occupation (occupation title, alternate or reported title).

    Source: ``Alternate Titles`` / ``Alternate Title``; ``Sample of Reported Titles`` /
    ``Reported Job Title``; ``Occupation Data`` / ``Title``. ``onet_sources`` are the
    ``Alternate Titles`` ``Source(s)`` codes of an alternate title (O*NET data dictionary:
    01 associations, 02 incumbent data, 03 occupational code assignment, 04 SOC index,
    05 state agencies, 06 Census, 07 BLS, 08 USDOL-ETA, 09 user input, 10 employer job
    postings), sorted, empty for other sources. ``shown_in_my_next_move`` is the ``Sample of
    Reported Titles`` column ``Shown in My Next Move`` (Y) of a reported title, else False.
    """

    name: str
    code: str
    source: TitleSource
    onet_sources: tuple[str, ...] = ()
    shown_in_my_next_move: bool = False


class RelatedOccupation(Record):
    """Directed relatedness from ``code`` to ``related_code``.

    Source: ``Related Occupations`` columns ``O*NET-SOC Code``, ``Related O*NET-SOC Code``,
    ``Relatedness Tier`` and ``Index`` (rank 1-20, 1 = most related).
    """

    code: str
    related_code: str
    tier: RelatednessTier
    rank: int = Field(ge=1, le=20)


class Descriptor(Record):
    """A skill or knowledge area of the O*NET content model.

    Source: ``Skills`` / ``Knowledge`` (``Element ID``, ``Element Name``) and
    ``Content Model Reference`` (``Description``).
    """

    element_id: str
    name: str
    kind: DescriptorKind
    description: str = ""


class DescriptorRating(Record):
    """How much an occupation needs a skill or knowledge area.

    ``importance`` is the O*NET IM scale (1-5); ``level`` the LV scale (0-7). Source:
    ``Skills`` / ``Knowledge``, rows with ``Scale ID`` IM and LV, column ``Data Value``.

    An occupation O*NET does not rate (137 in 29.3, e.g. 15-1252.00) may carry *estimated*
    ratings (:mod:`graph.estimated_ratings`): ``estimated_from`` then names the O*NET-SOC
    codes the values are taken from and ``estimate_source`` the release and the rule (e.g.
    "O*NET 23.x Skills of the O*NET-SOC 2010 predecessors"); both are empty for the
    occupation's own ratings.
    """

    code: str
    element_id: str
    kind: DescriptorKind
    importance: float = Field(ge=1, le=5)
    level: float = Field(ge=0, le=7)
    estimated_from: list[str] = []
    estimate_source: str | None = None

    @property
    def estimated(self) -> bool:
        """Whether the value is an estimate (not the occupation's own O*NET rating)."""
        return bool(self.estimated_from)


class TechnologySkill(Record):
    """A technology (software product) used in an occupation.

    Source: ``Technology Skills`` columns ``Example``, ``Commodity Code``,
    ``Commodity Title``, ``Hot Technology`` (Y/N), ``In Demand`` (Y/N).
    """

    code: str
    name: str
    commodity_code: str
    commodity_title: str
    hot: bool
    in_demand: bool


class EducationLevel(Record):
    """A category of the O*NET Required Level of Education (RL) scale, 1-12.

    Source: ``Education, Training, and Experience Categories`` rows with Scale ID RL.
    """

    category: int = Field(ge=1, le=12)
    name: str


class EducationShare(Estimate):
    """Share of incumbents (percent, 0-100) reporting an education category as required.

    Source: ``Education, Training, and Experience`` rows with Scale ID RL, ``Category`` and
    ``Data Value``; estimated (and marked, :class:`Estimate`) for occupations O*NET does not
    rate.
    """

    code: str
    category: int = Field(ge=1, le=12)
    share_pct: float = Field(ge=0, le=100)


class Interest(Record):
    """A RIASEC occupational interest (Realistic, Investigative, ...).

    Source: ``Interests`` (Element ID, Element Name) and ``Content Model Reference``.
    """

    element_id: str
    name: str
    description: str = ""


class InterestScore(Estimate):
    """Occupational interest score (OI scale, 1-7) of an occupation.

    Source: ``Interests`` rows with Scale ID OI, column ``Data Value``; estimated (and
    marked, :class:`Estimate`) for occupations O*NET does not rate.
    """

    code: str
    element_id: str
    score: float = Field(ge=1, le=7)


class WorkStyle(Record):
    """A work style of the O*NET content model (1.C: Achievement/Effort, Integrity ...).

    Source: ``Work Styles`` (Element ID, Element Name) and ``Content Model Reference``.
    """

    element_id: str
    name: str
    description: str = ""


class WorkStyleRating(Estimate):
    """How important a work style is in an occupation (IM scale, 1-5).

    Source: ``Work Styles`` rows with Scale ID IM, column ``Data Value``; estimated (and
    marked) for occupations O*NET does not rate.
    """

    code: str
    element_id: str
    importance: float = Field(ge=1, le=5)


class WorkValue(Record):
    """A work value of the O*NET content model (1.B.2: Achievement, Independence ...).

    Source: ``Work Values`` (Element ID, Element Name) and ``Content Model Reference``.
    """

    element_id: str
    name: str
    description: str = ""


class WorkValueScore(Estimate):
    """To what extent an occupation satisfies a work value (EX scale, 1-7).

    Source: ``Work Values`` rows with Scale ID EX, column ``Data Value`` (the VH high-point
    rows restate the top three and are not kept); estimated (and marked) for occupations
    O*NET does not rate.
    """

    code: str
    element_id: str
    extent: float = Field(ge=1, le=7)


class TaskType(StrEnum):
    """O*NET ``Task Statements`` ``Task Type``: core tasks are critical to the occupation."""

    CORE = "Core"
    SUPPLEMENTAL = "Supplemental"


class TaskStatement(Record):
    """A task an occupation performs.

    Source: O*NET 30.1 ``Task Statements`` columns ``O*NET-SOC Code``, ``Task ID``, ``Task``,
    ``Task Type`` (Core, Supplemental, or n/a: None) and ``Incumbents Responding`` (None
    when n/a). ``position`` is the task's place among the occupation's rows of the file
    (1 = first), the order O*NET lists them in.
    """

    code: str
    task_id: int = Field(ge=1)
    statement: str
    task_type: TaskType | None = None
    incumbents_responding: int | None = Field(default=None, ge=0)
    position: int = Field(ge=1)


class JobZoneReference(Record):
    """Description of an O*NET job zone. Source: ``Job Zone Reference``."""

    job_zone: int = Field(ge=1, le=5)
    name: str
    experience: str
    education: str
    job_training: str
    examples: str
    svp_range: str


class Scale(Record):
    """An O*NET rating scale and its range. Source: ``Scales Reference``."""

    scale_id: str
    name: str
    minimum: float
    maximum: float


class OnetRelease(Record):
    """All O*NET records the graph is built from, for one release (e.g. ``29.3``)."""

    release: str
    occupations: list[Occupation]
    titles: list[OccupationTitle]
    related: list[RelatedOccupation]
    descriptors: list[Descriptor]
    ratings: list[DescriptorRating]
    technologies: list[TechnologySkill]
    education_levels: list[EducationLevel]
    education_shares: list[EducationShare]
    interests: list[Interest]
    interest_scores: list[InterestScore]
    job_zone_reference: list[JobZoneReference]
    scales: list[Scale]
    work_styles: list[WorkStyle] = []
    work_style_ratings: list[WorkStyleRating] = []
    work_values: list[WorkValue] = []
    work_value_scores: list[WorkValueScore] = []
    career: CareerData = Field(default_factory=lambda: CareerData())
    """BLS figures, Career Changers pairs and derived edges (empty for O*NET alone)."""
    table_rows: dict[str, int] = Field(default_factory=dict)
    """Data rows read per source table (e.g. ``{"Related Occupations": 18460}``); stored
    with the loaded graph so a later load can refuse a release that lost rows."""


class GraphCounts(BaseModel):
    """Node counts per label and relationship counts per type in a loaded graph."""

    nodes: dict[str, int]
    relationships: dict[str, int]


class LaborMarketFigures(Record):
    """BLS figures attached to one O*NET-SOC occupation (flat, for graph properties).

    Sources: BLS Employment Projections 2024-34, Table 1.2 (employment, growth, openings,
    median wage, typical entry education) and OEWS May 2024 national estimates (wage
    percentiles), joined on the SOC 2018 code (first 7 characters of the O*NET-SOC code).
    ``bls_is_aggregate`` marks figures BLS publishes only for an aggregate of codes
    (``bls_soc_code`` is then the aggregate's code); ``bls_title`` is the BLS title of
    ``bls_soc_code``. ``figures_for`` names the BLS group whose figures these are ("15-1299
    Computer occupations, all other") when they are not the occupation's own: for O*NET
    specialties (``.01`` ...: their parent SOC code's figures) and BLS aggregates; None for
    the occupation's own figures. ``bright_outlook`` follows the rule in
    ``docs/data-sources.md``. Wages in USD per year; employment in thousands of jobs.
    """

    code: str
    bls_soc_code: str
    bls_is_aggregate: bool
    bls_title: str | None = None
    figures_for: str | None = None
    median_wage_usd: float | None = None
    wage_p10_usd: float | None = None
    wage_p25_usd: float | None = None
    wage_p75_usd: float | None = None
    wage_p90_usd: float | None = None
    employment_2024_thousands: float | None = None
    employment_2034_thousands: float | None = None
    growth_pct: float | None = None
    annual_openings_thousands: float | None = None
    typical_entry_education: str | None = None
    typical_entry_education_rank: int | None = Field(default=None, ge=1, le=8)
    related_work_experience: str | None = None
    on_the_job_training: str | None = None
    bright_outlook: bool | None = None


class CareerChange(Record):
    """A pair from O*NET's older Career Changers Matrix (release 25.1).

    Source: ``Career Changers Matrix`` columns ``O*NET-SOC Code``, ``Related O*NET-SOC
    Code``, ``Index`` (1-10, 1 = most related for people already in the source job).
    """

    code: str
    related_code: str
    rank: int = Field(ge=1, le=10)


class SimilarOccupation(Record):
    """Directional skill similarity from ``code`` to ``other_code`` (``graph.similarity``).

    ``score`` in [0, 1]; ``coverage`` = share of the target's importance-weighted levels the
    source already reaches; ``shortfall`` = importance-weighted mean level gap / 7.
    """

    code: str
    other_code: str
    score: float = Field(ge=0, le=1)
    coverage: float = Field(ge=0, le=1)
    shortfall: float = Field(ge=0, le=1)


class MoveKind(StrEnum):
    """Direction of a career move (``LEADS_TO``)."""

    ADVANCEMENT = "advancement"
    LATERAL = "lateral"
    STEP_BACK = "step_back"


class CareerMove(Record):
    """A ``LEADS_TO`` edge: a step up or across that people take or plausibly could.

    Built by :func:`graph.career_moves.derive_moves_and_distributions`; ``probability`` is
    the fitted P(next | leaving code) (:mod:`graph.move_model`), ``cost`` = -ln probability in cost
    points (``docs/pathfinding.md``); deltas are target minus source. ``related_*`` is
    ``code``'s O*NET listing of ``next_code``, ``reverse_*`` the listing the other way;
    ``ladder`` is ``to_supervisor`` / ``to_manager`` (:mod:`graph.ladders`);
    ``observed_share`` the CPS ASEC share of ``code``'s movers found in ``next_code``.
    """

    code: str
    next_code: str
    kind: MoveKind
    cost: float = Field(gt=0)
    probability: float | None = Field(default=None, gt=0, le=1)
    related_tier: str | None = None
    related_rank: int | None = None
    reverse_tier: str | None = None
    reverse_rank: int | None = None
    ladder: str | None = None
    observed_share: float | None = Field(default=None, gt=0, le=1)
    career_changers_rank: int | None = None
    similarity: float | None = None
    skill_shortfall: float | None = None
    job_zone_delta: int | None = None
    education_delta: int | None = None
    wage_delta_usd: float | None = None
    wage_delta_pct: float | None = None
    reasons: list[str]


CPS_ASEC_SOURCE = "CPS ASEC"
"""Short name of the observed-moves source shown with every figure taken from it: the U.S.
Current Population Survey, Annual Social and Economic Supplement (year-to-year moves as
published by del Rio-Chanona et al. 2021, see ``docs/data-sources.md``)."""


class ObservedMove(Record):
    """A ``MOVED_TO`` edge: of the people who left occupation ``code`` in one year, the
    share found in ``next_code`` a year later.

    Built by :func:`loaders.transitions.read_observed_moves` from the CPS ASEC edge list
    (BLS OES codes on SOC 2010, mapped to O*NET-SOC 2019; rule in ``docs/data-sources.md``).

    Attributes
    ----------
    share_of_movers
        Share (0-1] of the movers out of ``code`` (staying and flows between codes that
        share a Census code removed, rows renormalised) who were in ``next_code``; the
        shares of one ``code`` sum to 1.
    rank
        Position of ``next_code`` among the destinations of ``code`` by share (1 = the
        most common destination; ties by code).
    source
        Where the figure comes from (:data:`CPS_ASEC_SOURCE`).
    from_oes_codes, to_oes_codes
        The BLS OES (SOC 2010) codes the figure is read from, e.g. ``15-1132``,
        ``15-1133`` for 15-1252.00 Software Developers.
    estimated
        True when an OES code on either side also covers other SOC 2018 codes, so the
        figure rests on the employment split of the mapping rather than being counted for
        these occupations alone.
    from_group_title, to_group_title
        Title of the occupation's SOC 2018 code (``code[:7]``, ``next_code[:7]``) when that
        code has several O*NET occupations: the figure is the SOC code's, shared by all of
        them (``Registered Nurses`` for 29-1141.01 Acute Care Nurses); None otherwise.
    """

    code: str
    next_code: str
    share_of_movers: float = Field(gt=0, le=1)
    rank: int = Field(ge=1)
    source: str = CPS_ASEC_SOURCE
    from_oes_codes: list[str] = []
    to_oes_codes: list[str] = []
    estimated: bool = False
    from_group_title: str | None = None
    to_group_title: str | None = None

    @property
    def share_of_movers_pct(self) -> float:
        """``share_of_movers`` in percent (0-100]."""
        return 100.0 * self.share_of_movers

    def describe(self, from_title: str, to_title: str) -> str:
        """The move as a sentence, e.g. "4.8 % of people who left Software Developers were
        Computer and Information Systems Managers a year later (CPS ASEC)"; an estimated
        figure says so and names the BLS OES codes it is read from."""
        pct = self.share_of_movers_pct
        about = "about " if self.estimated else ""
        figure = "under 0.1 %" if pct < 0.1 else f"{about}{pct:.1f} %"
        left = _in_group(from_title, self.from_group_title, self.code)
        went = _in_group(to_title, self.to_group_title, self.next_code)
        text = f"{figure} of people who left {left} were {went} a year later"
        if not self.estimated:
            return f"{text} ({self.source})"
        groups = f"{'/'.join(self.from_oes_codes)} -> {'/'.join(self.to_oes_codes)}"
        return f"{text} ({self.source}; estimated from BLS OES groups {groups})"


def _in_group(title: str, group_title: str | None, code: str) -> str:
    """``title``, or its SOC code's group when the figure is the group's and named else."""
    if group_title is None or group_title == title:
        return title
    return f"{group_title} (SOC {code[:7]}, which includes {title})"


class NextStepDistribution(Record):
    """Where people who leave one occupation are likely to work next: the move model's
    probability for every other occupation at least as likely as a uniform guess (about
    1 in 1,000), most likely first (ties by code). An estimate of the model
    (:mod:`graph.move_model`, fitted on CPS ASEC moves), not an observed figure.

    ``next_codes`` and ``probabilities`` (0-1, rounded to 6 decimals) are parallel; the
    ``LEADS_TO`` moves of the occupation are a subset of what routes use.
    """

    code: str
    next_codes: list[str]
    probabilities: list[float]


class CareerData(Record):
    """Everything beyond O*NET 29.3 itself that the graph carries (all optional)."""

    labor_market: list[LaborMarketFigures] = []
    career_changes: list[CareerChange] = []
    similarities: list[SimilarOccupation] = []
    moves: list[CareerMove] = []
    next_step_distributions: list[NextStepDistribution] = []
    """Every occupation's likely next occupations (:class:`NextStepDistribution`)."""
    observed_moves: list[ObservedMove] = []
    """``MOVED_TO``: observed year-to-year moves (CPS ASEC), empty without the data."""
    tasks: list[TaskStatement] = []
    """O*NET ``Task Statements`` (a newer release with the same O*NET-SOC codes), empty
    without the data."""
    tasks_release: str | None = None
    """Release the tasks come from, e.g. ``30.1``."""
