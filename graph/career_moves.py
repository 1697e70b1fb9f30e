"""``LEADS_TO``: the data-driven rule for "a step up or across that people take".

Candidates (A -> B) come from four sources:

1. O*NET 29.3 ``Related Occupations`` (any tier): occupations O*NET lists as related;
2. the same lists read backwards: B lists A (a manager occupation lists its feeder jobs);
3. O*NET 25.1 ``Career Changers Matrix``: related occupations O*NET published for people
   who already work in A (codes still valid in 29.3);
4. ``SIMILAR_TO``: A's ten most skill-similar occupations with ``score >= 0.9``.

Every candidate becomes a move; its *kind* and its *cost* say how good a step it is:

* ``progress = job_zone_delta + wage_delta_pct / 20`` (a 20 % raise weighs as much as one
  job zone); ``advancement`` if ``progress >= 0.5``, ``step_back`` if ``<= -0.5``, else
  ``lateral``. Without wage data the job-zone delta alone decides, without either the move
  is ``lateral``.
* cost (cost points, floor 1, rounded to 0.001)::

      10                                       per hop: every job change is a cost
    + relatedness   Primary-Short 0, Primary-Long 3, Supplemental 6, listed only in
                    reverse: that tier + 3, not listed 9; + 0.2 x O*NET rank (1-20)
    - 2             listed in the Career Changers Matrix (people in A were pointed to B)
    + 10 x skill shortfall                     (0-1, see graph.similarity; ~0.05 typical)
      or + 3 when either side has no skill ratings (unknown gap)
    + 4 x max(0, job_zone_delta - 1)           jumping two or more zones at once
    + 2 x max(0, -job_zone_delta)              moving down a zone
    + 2 x max(0, education_delta)              each BLS entry-education rank to add
    + min(5, 0.1 x max(0, -wage_delta_pct))    a 20 % pay cut costs 2
    - clip(3 x log10(E_B / 100), -3, 3)        demand: B's BLS 2024 employment E_B in
                                               thousands; big occupations have more
                                               openings and take more movers

Rationale and the evaluation behind the weights: ``docs/pathfinding.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from graph.model import (
    CareerChange,
    CareerMove,
    LaborMarketFigures,
    MoveKind,
    ObservedMove,
    Occupation,
    RelatedOccupation,
    SimilarOccupation,
)
from graph.similarity import SkillProfiles

HOP_COST = 10.0
TIER_COST = {"Primary-Short": 0.0, "Primary-Long": 3.0, "Supplemental": 6.0}
NOT_RELATED_COST = 9.0
REVERSE_RELATED_EXTRA = 3.0
RANK_COST = 0.2
CAREER_CHANGERS_BONUS = 2.0
SHORTFALL_COST = 10.0
UNKNOWN_GAP_COST = 3.0
ZONE_JUMP_COST = 4.0
ZONE_DOWN_COST = 2.0
EDUCATION_STEP_COST = 2.0
WAGE_DROP_COST_PER_PCT = 0.1
WAGE_DROP_COST_MAX = 5.0
MIN_SIMILARITY_FOR_MOVE = 0.9
WAGE_PCT_PER_ZONE = 20.0
DEMAND_WEIGHT = 3.0
DEMAND_CENTER_THOUSANDS = 100.0
DEMAND_CLIP = 3.0


def classify_move(job_zone_delta: int | None, wage_delta_pct: float | None) -> MoveKind:
    """Advancement / lateral / step back from the job-zone and median-wage change."""
    if job_zone_delta is None and wage_delta_pct is None:
        return MoveKind.LATERAL
    progress = float(job_zone_delta or 0) + (wage_delta_pct or 0.0) / WAGE_PCT_PER_ZONE
    if progress >= 0.5:
        return MoveKind.ADVANCEMENT
    if progress <= -0.5:
        return MoveKind.STEP_BACK
    return MoveKind.LATERAL


def move_cost(
    *,
    related_tier: str | None,
    related_rank: int | None,
    career_changers: bool,
    reverse_tier: str | None = None,
    reverse_rank: int | None = None,
    shortfall: float | None,
    job_zone_delta: int | None,
    education_delta: int | None,
    wage_delta_pct: float | None,
    target_employment_thousands: float | None = None,
) -> float:
    """Cost points of one ``LEADS_TO`` hop (formula in the module docstring)."""
    cost = HOP_COST
    if related_tier is None and reverse_tier is not None:
        cost += (
            TIER_COST[reverse_tier] + REVERSE_RELATED_EXTRA + RANK_COST * float(reverse_rank or 0)
        )
    elif related_tier is None:
        cost += NOT_RELATED_COST
    else:
        cost += TIER_COST[related_tier] + RANK_COST * float(related_rank or 0)
    if career_changers:
        cost -= CAREER_CHANGERS_BONUS
    cost += UNKNOWN_GAP_COST if shortfall is None else SHORTFALL_COST * shortfall
    if job_zone_delta is not None:
        cost += ZONE_JUMP_COST * max(0, job_zone_delta - 1)
        cost += ZONE_DOWN_COST * max(0, -job_zone_delta)
    if education_delta is not None:
        cost += EDUCATION_STEP_COST * max(0, education_delta)
    if wage_delta_pct is not None:
        cost += min(WAGE_DROP_COST_MAX, WAGE_DROP_COST_PER_PCT * max(0.0, -wage_delta_pct))
    if target_employment_thousands:
        demand = DEMAND_WEIGHT * math.log10(target_employment_thousands / DEMAND_CENTER_THOUSANDS)
        cost -= max(-DEMAND_CLIP, min(DEMAND_CLIP, demand))
    return round(max(1.0, cost), 3)


def derive_career_moves(
    occupations: Iterable[Occupation],
    related: Iterable[RelatedOccupation],
    career_changes: Iterable[CareerChange],
    similarities: Iterable[SimilarOccupation],
    labor_market: Iterable[LaborMarketFigures],
    profiles: SkillProfiles,
    *,
    observed_moves: Iterable[ObservedMove] = (),
) -> list[CareerMove]:
    """Build every ``LEADS_TO`` move (see the module docstring for the rule).

    ``observed_moves`` are the CPS ASEC ``MOVED_TO`` edges (:mod:`loaders.transitions`),
    passed in for the move rule; the rule above does not use them yet.

    Returns
    -------
    list[CareerMove]
        One move per distinct (code, next_code) candidate, sorted by code, then cost.
    """
    occ = {o.code: o for o in occupations}
    labor = {f.code: f for f in labor_market}
    rel = {(r.code, r.related_code): r for r in related}
    ccm = {
        (c.code, c.related_code): c
        for c in career_changes
        if c.code in occ and c.related_code in occ
    }
    sim = {(s.code, s.other_code): s for s in similarities if s.score >= MIN_SIMILARITY_FOR_MOVE}
    moves: list[CareerMove] = []
    reverse = {(b, a): r for (a, b), r in rel.items()}
    for a, b in sorted(set(rel) | set(ccm) | set(sim) | set(reverse)):
        moves.append(
            _build_move(
                a, b, occ, labor, rel.get((a, b)), ccm.get((a, b)), profiles, reverse.get((a, b))
            )
        )
    moves.sort(key=lambda m: (m.code, m.cost, m.next_code))
    return moves


def _build_move(
    a: str,
    b: str,
    occ: dict[str, Occupation],
    labor: dict[str, LaborMarketFigures],
    related: RelatedOccupation | None,
    changers: CareerChange | None,
    profiles: SkillProfiles,
    reverse: RelatedOccupation | None = None,
) -> CareerMove:
    reasons: list[str] = []
    if related is not None:
        reasons.append(f"O*NET related occupation ({related.tier.value} #{related.rank})")
    elif reverse is not None:
        reasons.append(
            f"O*NET lists this occupation as related to the next ({reverse.tier.value}"
            f" #{reverse.rank}, reverse direction)"
        )
    if changers is not None:
        reasons.append(f"O*NET Career Changers Matrix #{changers.rank} (release 25.1)")
    similarity: float | None = None
    shortfall: float | None = None
    if a in profiles and b in profiles:
        record = profiles.similarity(a, b)
        similarity, shortfall = record.score, record.shortfall
        if related is None and changers is None and reverse is None:
            reasons.append(f"skill similarity {similarity:.2f} (among the 10 most similar)")
    za, zb = occ[a].job_zone, occ[b].job_zone
    zone_delta = None if za is None or zb is None else zb - za
    la, lb = labor.get(a), labor.get(b)
    edu_delta = wage_delta = wage_pct = None
    if la and lb:
        if la.typical_entry_education_rank and lb.typical_entry_education_rank:
            edu_delta = lb.typical_entry_education_rank - la.typical_entry_education_rank
        if la.median_wage_usd and lb.median_wage_usd:
            wage_delta = round(lb.median_wage_usd - la.median_wage_usd, 2)
            wage_pct = round(100.0 * wage_delta / la.median_wage_usd, 2)
    kind = classify_move(zone_delta, wage_pct)
    if zone_delta:
        reasons.append(f"job zone {za} -> {zb}")
    if wage_delta is not None and wage_pct is not None:
        reasons.append(f"median wage {wage_delta:+,.0f} USD ({wage_pct:+.1f} %)")
    return CareerMove(
        code=a,
        next_code=b,
        kind=kind,
        cost=move_cost(
            related_tier=related.tier.value if related else None,
            related_rank=related.rank if related else None,
            career_changers=changers is not None,
            reverse_tier=reverse.tier.value if reverse else None,
            reverse_rank=reverse.rank if reverse else None,
            shortfall=shortfall,
            job_zone_delta=zone_delta,
            education_delta=edu_delta,
            wage_delta_pct=wage_pct,
            target_employment_thousands=lb.employment_2024_thousands if lb else None,
        ),
        related_tier=related.tier.value if related else None,
        related_rank=related.rank if related else None,
        career_changers_rank=changers.rank if changers else None,
        similarity=similarity,
        skill_shortfall=shortfall,
        job_zone_delta=zone_delta,
        education_delta=edu_delta,
        wage_delta_usd=wage_delta,
        wage_delta_pct=wage_pct,
        reasons=reasons,
    )
