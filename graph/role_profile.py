"""The role page: everything careergraph knows about one role, for a person to read (query
time).

:func:`build_role_profile` answers ``careergraph show ROLE``, ``GET /v1/roles`` and the web
page's role view on either backend: it resolves the role (:mod:`graph.titles`), reads what
the store supplies (:meth:`GraphStore.get_occupation_profile`, :meth:`GraphStore.get_role_facts`,
related occupations and career moves) and ranks and words it here, once, so both backends
give the same page.

Sections, in the order a career page is read: summary and description; top tasks; who
thrives (RIASEC interests in words, top work styles and work values); core skills and
knowledge; typical education; pay (median and 10th-90th percentile range); employment and
outlook; closely related roles; where it leads; where people come from. When the title
names several occupations (an O*NET alternate title of each, e.g. "Software Systems
Engineer": 15-1252.00, 15-1299.08, 15-1253.00), the page says so, names them and gives the
range and an employment-weighted figure across them (:class:`TitleSpan`, method stated).

Sources: O*NET 29.3 (``Occupation Data``, ``Interests``, ``Work Styles``, ``Work Values``,
``Skills``, ``Knowledge``, ``Education, Training, and Experience``, ``Related
Occupations``), O*NET 30.1 ``Task Statements``, BLS Employment Projections 2024-34 and
OEWS May 2024.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from careergraph.graph.errors import UnknownOccupationError
from careergraph.graph.model import LaborMarketFigures
from careergraph.graph.store import (
    GraphStore,
    IncomingMove,
    NextStep,
    OccupationProfile,
    RatedElement,
    RelatedOccupationLink,
    RoleFacts,
    ScoredElement,
    TaskItem,
)
from careergraph.graph.titles import TitleMatch, TitleResolution, resolve_title

TOP_TASKS = 8
TOP_SKILLS = 5
TOP_WORK_STYLES = 5
TOP_WORK_VALUES = 3
TOP_LINKS = 5
SPAN_MATCH_KINDS = frozenset({"exact", "alternate"})
"""Match kinds that make a title an O*NET title *of* an occupation (not a fuzzy guess or a
reported title)."""

RIASEC_WORDS: dict[str, str] = {
    "Realistic": "hands-on work with things, tools and machines",
    "Investigative": "working with ideas, researching and solving problems",
    "Artistic": "creating, designing and expressing ideas",
    "Social": "helping, teaching and serving people",
    "Enterprising": "leading people, persuading and making decisions",
    "Conventional": "working with data and details, following set procedures",
}
"""What each RIASEC interest means in plain words (after O*NET's own descriptions in
``Content Model Reference``, 1.B.1.a-f)."""

BLS_SOURCE = "BLS Employment Projections 2024-34 and OEWS May 2024"

INCOMING_METHOD = (
    "Observed moves into the role (CPS ASEC), ranked by the share of the source's movers who"
    " went to the role times the source's BLS 2024 employment (split evenly among O*NET"
    " occupations that share one BLS figure): an estimate of how many people make the move,"
    " assuming every occupation's people move as often. Without observed moves: the career"
    " moves (LEADS_TO) into the role, cheapest first."
)
"""How :attr:`RoleProfile.incoming` (where people come from) is chosen and ranked."""


class SpannedOccupation(BaseModel):
    """One occupation a title names, with its BLS figures (None = none published).

    ``weight_thousands`` is the employment the occupation counts with in the weighted
    figures (thousands of jobs): its own BLS 2024 employment, or its BLS group's split
    evenly among the group's occupations when it has only group figures (``figures_for``).
    """

    code: str
    title: str
    match_kind: str
    median_wage_usd: float | None = None
    growth_pct: float | None = None
    employment_2024_thousands: float | None = None
    figures_for: str | None = None
    weight_thousands: float | None = None


class FigureAcross(BaseModel):
    """One figure across the occupations of a title: lowest, highest, employment-weighted
    mean and plain mean of those that have it (``count``)."""

    low: float
    high: float
    weighted: float
    plain_mean: float
    count: int


class TitleSpan(BaseModel):
    """A title that names several occupations, and its figures across them."""

    title: str
    occupations: list[SpannedOccupation]
    median_wage_usd: FigureAcross | None = None
    growth_pct: FigureAcross | None = None
    employment_2024_thousands: float | None = None
    """Sum of the occupations' weights (thousands of jobs)."""
    method: str
    note: str


class Pay(BaseModel):
    """BLS annual wages (USD, OEWS May 2024; median from EP 2024-34 where published).

    ``figures_for`` names the BLS group when the figures are the group's, not the
    occupation's own."""

    median_wage_usd: float | None = None
    wage_p10_usd: float | None = None
    wage_p25_usd: float | None = None
    wage_p75_usd: float | None = None
    wage_p90_usd: float | None = None
    figures_for: str | None = None
    source: str = BLS_SOURCE


class Outlook(BaseModel):
    """BLS employment (thousands of jobs), 2024-34 growth (%), annual openings (thousands)
    and bright outlook (``docs/data-sources.md``); ``figures_for`` as in :class:`Pay`."""

    employment_2024_thousands: float | None = None
    employment_2034_thousands: float | None = None
    growth_pct: float | None = None
    annual_openings_thousands: float | None = None
    bright_outlook: bool | None = None
    figures_for: str | None = None
    source: str = BLS_SOURCE


class Education(BaseModel):
    """Typical education: BLS typical entry education and the share of O*NET respondents
    by required level (RL category, percent); ``headline`` says it in words."""

    typical_entry_education: str | None = None
    headline: str | None = None
    shares: list[ScoredElement] = []


class WhoThrives(BaseModel):
    """Who tends to thrive: the RIASEC interest profile (all six, highest first) and its
    ``interest_code`` (first letters of the top three), ``summary`` in words, the top work
    styles (IM 1-5) and work values (EX 1-7)."""

    interest_code: str = ""
    summary: str = ""
    interests: list[ScoredElement] = []
    work_styles: list[ScoredElement] = []
    work_values: list[ScoredElement] = []


class RoleProfile(BaseModel):
    """Everything the role page shows about one role (see the module notes).

    ``resolution`` says how the text was read; ``code``/``title`` are the occupation shown.
    ``skills``/``knowledge``: the top five by importance (IM), then level (LV); knowledge
    areas named like a listed skill (Mathematics) are left out. ``estimates`` lists, in
    words, every value on the page that is estimated rather than O*NET's own for the
    occupation; ``sources`` the data behind the page.
    """

    query: str
    resolution: TitleResolution
    code: str
    title: str
    job_zone: int | None
    summary: str
    description: str
    title_span: TitleSpan | None = None
    tasks: list[TaskItem]
    task_count: int
    tasks_release: str | None = None
    who_thrives: WhoThrives
    skills: list[RatedElement]
    knowledge: list[RatedElement]
    education: Education
    pay: Pay | None = None
    outlook: Outlook | None = None
    related: list[RelatedOccupationLink]
    next_steps: list[NextStep]
    incoming: list[IncomingMove]
    incoming_method: str = INCOMING_METHOD
    estimates: list[str] = []
    sources: list[str] = []


def figures_for(labor: LaborMarketFigures, group_size: int | None) -> str | None:
    """The BLS group whose figures an occupation carries when they are not its own: a BLS
    aggregate, or a SOC code shared by several O*NET occupations (``group_size`` > 1); None
    for the occupation's own figures. Uses ``LaborMarketFigures.figures_for`` where the
    loaded graph carries it."""
    if labor.figures_for:
        return labor.figures_for
    if labor.bls_is_aggregate:
        return f"{labor.bls_soc_code} (a BLS aggregate of several SOC codes)"
    if group_size is not None and group_size > 1:
        return f"{labor.bls_soc_code} (BLS figures shared by {group_size} O*NET occupations)"
    return None


def first_sentence(text: str) -> str:
    """The first sentence of an O*NET description (up to the first ". ")."""
    head, sep, _ = text.partition(". ")
    return head + "." if sep else text


def _interest_summary(interests: Sequence[ScoredElement]) -> tuple[str, str]:
    """(RIASEC code of the top three, the profile in words)."""
    top = list(interests[:3])
    if not top:
        return "", ""
    code = "".join(i.name[0] for i in top)
    first = top[0]
    words = f"Mostly {first.name} ({RIASEC_WORDS.get(first.name, first.description)})"
    if len(top) > 1:
        rest = " and ".join(i.name for i in top[1:])
        words += f", then {rest}"
    return code, words + "."


def short_level_name(name: str) -> str:
    """An O*NET RL category without its explanation: "Post-Secondary Certificate - awarded
    for ..." -> "Post-Secondary Certificate", "Associate's Degree (or other 2-year degree)"
    -> "Associate's Degree"."""
    return name.split(" - ")[0].split(" (")[0].strip()


def _education_headline(shares: Sequence[ScoredElement]) -> str | None:
    if not shares:
        return None
    best = min(shares, key=lambda s: (-s.value, int(s.element_id)))
    level = short_level_name(best.name).lower()
    return f"most say the job needs {level} ({best.value:.0f} % of O*NET respondents)"


def _top_elements(profile: OccupationProfile) -> tuple[list[RatedElement], list[RatedElement]]:
    skills = profile.skills[:TOP_SKILLS]
    names = {s.name.casefold() for s in skills}
    knowledge = [k for k in profile.knowledge if k.name.casefold() not in names][:TOP_SKILLS]
    return skills, knowledge


def incoming_flow(move: IncomingMove) -> float:
    """The ranking figure of an observed move into a role: share of the source's movers x
    the source's own employment (thousands); 0 when either is unknown."""
    return (move.share_of_movers or 0.0) * (move.source_employment_thousands or 0.0)


def _incoming(facts: RoleFacts) -> list[IncomingMove]:
    """Where people come from (:data:`INCOMING_METHOD`)."""
    observed = [m for m in facts.incoming if m.relationship == "MOVED_TO"]
    if observed:
        return sorted(observed, key=lambda m: (-incoming_flow(m), m.code))[:TOP_LINKS]
    return facts.incoming[:TOP_LINKS]


def _tasks(facts: RoleFacts) -> list[TaskItem]:
    """Core tasks first, each kind in O*NET's order."""
    ranked = sorted(facts.tasks, key=lambda t: (t.task_type != "Core", t.position))
    return ranked[:TOP_TASKS]


def _spanned(resolution: TitleResolution) -> list[TitleMatch]:
    """The occupations the title is an O*NET title of: the chosen one and the runners-up
    matched by the same exact or alternate title (empty for codes and fuzzy matches)."""
    if resolution.confidence not in SPAN_MATCH_KINDS:
        return []
    best = resolution.matches[0]
    same = [m for m in resolution.runners_up if m.match_kind in SPAN_MATCH_KINDS]
    return [best, *same] if same else []


def _across(values: Sequence[tuple[float, float | None]]) -> FigureAcross | None:
    """Range, weighted and plain mean of (value, weight) pairs (weightless pairs count in
    the range and the plain mean only)."""
    if not values:
        return None
    numbers = [v for v, _ in values]
    weighted = [(v, w) for v, w in values if w]
    total = sum(w for _, w in weighted)
    mean = sum(numbers) / len(numbers)
    return FigureAcross(
        low=min(numbers),
        high=max(numbers),
        weighted=sum(v * w for v, w in weighted) / total if total else mean,
        plain_mean=mean,
        count=len(numbers),
    )


def _title_span(store: GraphStore, resolution: TitleResolution) -> TitleSpan | None:
    matches = _spanned(resolution)
    if not matches:
        return None
    occupations: list[SpannedOccupation] = []
    for match in matches:
        profile = store.get_occupation_profile(match.code, 1)
        facts = store.get_role_facts(match.code)
        labor = profile.labor_market if profile else None
        entry = SpannedOccupation(
            code=match.code, title=match.occupation_title, match_kind=match.match_kind
        )
        if labor is not None:
            group_size = facts.bls_group_size if facts else None
            group = figures_for(labor, group_size)
            weight = labor.employment_2024_thousands
            if weight is not None and group is not None and group_size:
                weight = weight / group_size
            entry = entry.model_copy(
                update={
                    "median_wage_usd": labor.median_wage_usd,
                    "growth_pct": labor.growth_pct,
                    "employment_2024_thousands": labor.employment_2024_thousands,
                    "figures_for": group,
                    "weight_thousands": weight,
                }
            )
        occupations.append(entry)
    wages = [(o.median_wage_usd, o.weight_thousands) for o in occupations if o.median_wage_usd]
    growth = [(o.growth_pct, o.weight_thousands) for o in occupations if o.growth_pct is not None]
    weights = [o.weight_thousands for o in occupations if o.weight_thousands is not None]
    names = ", ".join(f"{o.code} {o.title}" for o in occupations)
    shown = occupations[0]
    return TitleSpan(
        title=resolution.matches[0].title,
        occupations=occupations,
        median_wage_usd=_across(wages),
        growth_pct=_across(growth),
        employment_2024_thousands=sum(weights) if weights else None,
        method=(
            "Range: the lowest and highest BLS figure of the occupations. Weighted: the mean"
            " weighted by BLS 2024 employment; an occupation with only its BLS group's figures"
            " counts with the group's employment split evenly among the group's O*NET"
            " occupations, and its wage and growth are the group's. Plain mean: the unweighted"
            " mean of the occupations' figures (as career sites often show)."
        ),
        note=(
            f"'{resolution.matches[0].title}' is an O*NET title of {len(occupations)}"
            f" occupations: {names}. This page shows {shown.code} {shown.title}, the"
            " best-supported; the figures across all of them are below."
        ),
    )


def _estimate_notes(
    store: GraphStore, profile: OccupationProfile, facts: RoleFacts, title: str
) -> list[str]:
    """Sentences naming every estimated value on the page and where it comes from."""
    notes: list[str] = []
    sections: list[tuple[str, Sequence[RatedElement] | Sequence[ScoredElement]]] = [
        ("skills", profile.skills),
        ("knowledge", profile.knowledge),
        ("interests", facts.interests),
        ("work styles", facts.work_styles),
        ("work values", facts.work_values),
        ("education shares", facts.education),
    ]
    for label, items in sections:
        marked = next((i for i in items if getattr(i, "estimated_from", None)), None)
        if marked is None:
            continue
        donors: list[str] = list(getattr(marked, "estimated_from", []))
        named = []
        for code in donors[:3]:
            occupation = store.get_occupation(code)
            named.append(f"{code} {occupation.title}" if occupation else code)
        if len(donors) > 3:
            named.append(f"and {len(donors) - 3} more")
        source = getattr(marked, "estimate_source", None) or "an estimate"
        notes.append(
            f"{label}: O*NET does not rate {title}; estimated from {', '.join(named)} ({source})"
        )
    return notes


def build_role_profile(store: GraphStore, text: str) -> RoleProfile:
    """Everything the role page shows for a job title or O*NET-SOC code.

    Parameters
    ----------
    store
        A loaded graph store (either backend).
    text
        A job title (free text) or an O*NET-SOC code, 1-200 characters.

    Returns
    -------
    RoleProfile
        The sections of the page (see :class:`RoleProfile`); lists are cut to the top
        five (tasks: eight, work values: three), every estimate and group figure marked.

    Raises
    ------
    UnknownOccupationError
        The text names no occupation (with up to five suggestions).
    CareerGraphError
        Empty or over-long text.
    NotLoadedError, BackendUnavailableError
        The graph is empty or unreachable.
    """
    resolution = resolve_title(store, text)
    code = resolution.codes[0]
    profile = store.get_occupation_profile(code, 2 * TOP_SKILLS)
    facts = store.get_role_facts(code)
    if profile is None or facts is None:
        raise UnknownOccupationError(code, [])
    skills, knowledge = _top_elements(profile)
    interest_code, interest_words = _interest_summary(facts.interests)
    labor = profile.labor_market
    pay = outlook = None
    if labor is not None:
        group = figures_for(labor, facts.bls_group_size)
        pay = Pay(
            median_wage_usd=labor.median_wage_usd,
            wage_p10_usd=labor.wage_p10_usd,
            wage_p25_usd=labor.wage_p25_usd,
            wage_p75_usd=labor.wage_p75_usd,
            wage_p90_usd=labor.wage_p90_usd,
            figures_for=group,
        )
        outlook = Outlook(
            employment_2024_thousands=labor.employment_2024_thousands,
            employment_2034_thousands=labor.employment_2034_thousands,
            growth_pct=labor.growth_pct,
            annual_openings_thousands=labor.annual_openings_thousands,
            bright_outlook=labor.bright_outlook,
            figures_for=group,
        )
    sources = ["O*NET 29.3 Database (USDOL/ETA, CC BY 4.0)"]
    if any(m.relationship == "MOVED_TO" for m in facts.incoming):
        sources.append(
            "observed moves: CPS ASEC (del Rio-Chanona et al. 2021, J. R. Soc. Interface 18)"
        )
    if facts.tasks_release:
        sources.append(f"O*NET {facts.tasks_release} Task Statements (USDOL/ETA, CC BY 4.0)")
    if labor is not None:
        sources.append(BLS_SOURCE)
    return RoleProfile(
        query=resolution.query,
        resolution=resolution,
        code=profile.code,
        title=profile.title,
        job_zone=profile.job_zone,
        summary=first_sentence(profile.description),
        description=profile.description,
        title_span=_title_span(store, resolution),
        tasks=_tasks(facts),
        task_count=len(facts.tasks),
        tasks_release=facts.tasks_release,
        who_thrives=WhoThrives(
            interest_code=interest_code,
            summary=interest_words,
            interests=facts.interests,
            work_styles=facts.work_styles[:TOP_WORK_STYLES],
            work_values=facts.work_values[:TOP_WORK_VALUES],
        ),
        skills=skills,
        knowledge=knowledge,
        education=Education(
            typical_entry_education=labor.typical_entry_education if labor else None,
            headline=_education_headline(facts.education),
            shares=facts.education,
        ),
        pay=pay,
        outlook=outlook,
        related=store.list_related_occupations(code)[:TOP_LINKS],
        next_steps=store.list_next_steps(code)[:TOP_LINKS],
        incoming=_incoming(facts),
        estimates=_estimate_notes(store, profile, facts, profile.title),
        sources=sources,
    )
