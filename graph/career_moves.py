"""``LEADS_TO``: the career moves people take, priced by the fitted move model.

Which pairs become moves (A -> B), for every occupation A:

1. O*NET 29.3 ``Related Occupations``: A lists B (any tier);
2. the same lists read backwards: B lists A in a Primary tier (a manager occupation lists
   its feeder jobs); a Supplemental reverse listing alone, O*NET's weakest link, makes a
   move only through 7;
3. O*NET 25.1 ``Career Changers Matrix`` (codes still valid in 29.3);
4. ``SIMILAR_TO``: B among A's ten most skill-similar occupations with ``score >= 0.9``;
5. the ladders: A's first-line supervisor, or a supervisor's manager (:mod:`graph.ladders`);
6. observed moves: at least 2 % of A's movers were found in B a year later (CPS ASEC);
7. the model's :data:`TOP_N_BY_MODEL` most probable next steps of A;

and of those, a pair whose fitted probability is below :data:`MIN_MOVE_PROBABILITY` is
dropped unless it is an O*NET listing of B by A (1), a Career Changers pair (3) or a ladder
pair (5): what is left out is a reverse listing, a skill-similarity or a model pick only.

Every move carries ``probability`` = P(B | A leaves A) from :mod:`graph.move_model` and
``cost = -ln probability`` (cost points, multiples of 1/1024), so the cheapest route is the
most probable sequence of moves. Its ``kind`` comes from the job-zone and wage change:
``progress = job_zone_delta + wage_delta_pct / 20`` (a 20 % raise weighs as much as one job
zone); ``advancement`` if ``progress >= 0.5``, ``step_back`` if ``<= -0.5``, else
``lateral``.

Reasons state each piece of evidence with its direction and strength ("Computer and
Information Systems Managers list Software Developers as their #1 related occupation"),
strongest first: the order is each evidence's contribution to the move's log-probability
in the fitted model. A weak listing (Supplemental tier) is worded as weak.

Rationale and evaluation: ``docs/pathfinding.md``, ``docs/evaluation.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from careergraph.graph.kinship import OccupationKinship
from careergraph.graph.ladders import LadderRelation, derive_ladder_pairs, read_ladders
from careergraph.graph.model import (
    CareerChange,
    CareerMove,
    LaborMarketFigures,
    MoveKind,
    NextStepDistribution,
    ObservedMove,
    Occupation,
    RelatednessTier,
    RelatedOccupation,
    SimilarOccupation,
)
from careergraph.graph.move_model import (
    COST_QUANTUM,
    FEATURE_COLUMN,
    FloatArray,
    MoveFeatures,
    MoveModel,
    ObservedShares,
    load_move_model,
    move_cost,
    observed_shares_from_moves,
)
from careergraph.graph.similarity import SkillProfiles

MIN_SIMILARITY_FOR_MOVE = 0.9
MIN_OBSERVED_SHARE_FOR_MOVE = 0.02
TOP_N_BY_MODEL = 8
WAGE_PCT_PER_ZONE = 20.0
OBSERVED_SOURCE = "CPS ASEC"
MANAGEMENT = "11-"
"""SOC major group of management occupations (the rung above first-line supervisors)."""
MIN_MOVE_PROBABILITY = 0.001
"""A candidate whose fitted probability is below this (cost above 6.9) is not a move unless
A lists B in O*NET Related Occupations, the Career Changers Matrix pairs them or they are a
ladder pair: such moves never make a cheap route, and leaving them out keeps ``LEADS_TO``
(and the one-transaction Neo4j load) small."""
MIN_NEXT_STEP_PROBABILITY = 0.001
"""Floor of :class:`graph.model.NextStepDistribution`: about a uniform guess over the
~1,000 occupations of a release (below it the model says less than chance)."""
MIN_CONTRIBUTION_FOR_REASON = 0.1
"""Evidence that adds less than this to the log-probability is not worth a reason line
(other than O*NET listings and observed moves, which are always stated)."""


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


@dataclass(frozen=True)
class RankedSteps:
    """Next steps of one origin: candidate codes, cheapest first, with their probability
    and the model's feature rows (for reasons)."""

    origin: str
    codes: list[str]
    probabilities: list[float]
    model_probabilities: list[float]
    features: FloatArray
    contributions: dict[str, FloatArray]
    distribution: NextStepDistribution
    """Every occupation at least :data:`MIN_NEXT_STEP_PROBABILITY` likely, not only the
    candidates."""


class MoveRanker:
    """Scores and selects the ``LEADS_TO`` moves of each origin (build time).

    Parameters
    ----------
    features
        Feature builder for the release (:class:`graph.move_model.MoveFeatures`).
    model
        Fitted coefficients (:func:`graph.move_model.load_move_model`).
    observed
        Observed moves (the origin's own row is mixed in; other rows feed the
        ``observed_*`` features).
    similar
        ``(A, B)`` pairs of ``SIMILAR_TO`` with ``score >= 0.9``.
    career_changes
        Career Changers Matrix pairs.
    related
        O*NET Related Occupations ``(code, related_code, tier)``.
    ladders
        Ladder pairs (:func:`graph.ladders.derive_ladder_pairs`).
    """

    def __init__(
        self,
        features: MoveFeatures,
        model: MoveModel,
        observed: ObservedShares,
        similar: Iterable[tuple[str, str]],
        career_changes: Iterable[tuple[str, str]],
        related: Iterable[tuple[str, str, str]],
        ladders: Mapping[tuple[str, str], LadderRelation],
    ) -> None:
        self.features = features
        self.model = model
        self.observed = observed
        self._evidence: dict[str, set[int]] = {}
        self._kept: dict[str, set[int]] = {}
        index = features.index
        pairs = list(similar) + list(career_changes) + list(ladders)
        kept = list(career_changes) + list(ladders)
        for a, b, tier in related:
            pairs.append((a, b))
            kept.append((a, b))
            if tier != RelatednessTier.SUPPLEMENTAL.value:
                pairs.append((b, a))
        for a, b in pairs:
            if a in index and b in index and a != b:
                self._evidence.setdefault(a, set()).add(index[b])
        for a, b in kept:
            if a in index and b in index and a != b:
                self._kept.setdefault(a, set()).add(index[b])

    def rank(self, origin: str) -> RankedSteps:
        """The origin's moves (candidates 1-7 of the module docstring), cheapest first;
        ties broken by code."""
        i = self.features.index[origin]
        x = self.features.matrix(origin, self.observed)
        u = self.model.utilities(x)
        u[i] = -np.inf
        model_p = np.exp(u - u[np.isfinite(u)].max())
        model_p /= model_p.sum()
        own = self.observed.row(i)
        weight = self.model.observed_weight if own.sum() > 0 else 0.0
        p = (1.0 - weight) * model_p + weight * own
        chosen = set(self._evidence.get(origin, set()))
        stated = self.observed.stated[i]
        chosen |= set(np.flatnonzero(stated >= MIN_OBSERVED_SHARE_FOR_MOVE).tolist())
        order = np.argsort(-p, kind="stable")
        chosen |= {int(j) for j in order[: TOP_N_BY_MODEL + 1] if j != i}
        kept = self._kept.get(origin, set())
        chosen = {j for j in chosen if p[j] >= MIN_MOVE_PROBABILITY or j in kept}
        chosen.discard(i)
        ranked = sorted(chosen, key=lambda j: (move_cost(float(p[j])), self.features.codes[j]))
        rounded = {
            self.features.codes[j]: round(float(p[j]), 6)
            for j in np.flatnonzero(p >= MIN_NEXT_STEP_PROBABILITY)
            if j != i
        }
        likely = sorted(rounded, key=lambda c: (-rounded[c], c))
        return RankedSteps(
            origin=origin,
            codes=[self.features.codes[j] for j in ranked],
            probabilities=[float(p[j]) for j in ranked],
            model_probabilities=[float(model_p[j]) for j in ranked],
            features=x[ranked],
            contributions=self.model.contributions(x[ranked]),
            distribution=NextStepDistribution(
                code=origin,
                next_codes=likely,
                probabilities=[rounded[c] for c in likely],
            ),
        )


def derive_moves_and_distributions(
    occupations: Iterable[Occupation],
    related: Iterable[RelatedOccupation],
    career_changes: Iterable[CareerChange],
    similarities: Iterable[SimilarOccupation],
    labor_market: Iterable[LaborMarketFigures],
    profiles: SkillProfiles,
    *,
    observed_moves: Iterable[ObservedMove] = (),
    model: MoveModel | None = None,
    kinship: OccupationKinship | None = None,
) -> tuple[list[CareerMove], list[NextStepDistribution]]:
    """Build every ``LEADS_TO`` move (see the module docstring for the rule) and every
    occupation's likely next occupations (:class:`graph.model.NextStepDistribution`).

    Parameters
    ----------
    occupations, related, career_changes, similarities, labor_market, profiles
        The release's records (O*NET 29.3, Career Changers 25.1, BLS, skill similarity).
    observed_moves
        CPS ASEC ``MOVED_TO`` edges (:mod:`loaders.transitions`); none when not loaded.
    model
        Move model; default the package's fitted one (``graph/data/move_model.json``).
    kinship
        Similarities beyond skills (:meth:`graph.kinship.OccupationKinship.from_release`);
        None leaves those features out of every choice.

    Returns
    -------
    tuple
        The moves, sorted by code, then cost, then next code; the distributions, by code.
    """
    occ = {o.code: o for o in occupations}
    labor = {f.code: f for f in labor_market}
    related = list(related)
    changes = [c for c in career_changes if c.code in occ and c.related_code in occ]
    ladders = derive_ladder_pairs(occ, read_ladders())
    features = MoveFeatures(
        occ.values(), related, changes, labor.values(), profiles, ladders, kinship
    )
    observed_list = list(observed_moves)
    observed = observed_shares_from_moves(features.codes, observed_list, labor.values())
    sentences = {
        (m.code, m.next_code): m.describe(occ[m.code].title, occ[m.next_code].title)
        for m in observed_list
        if m.code in occ and m.next_code in occ
    }
    model = model or load_move_model()
    ranker = MoveRanker(
        features,
        model,
        observed,
        similar=[
            (s.code, s.other_code) for s in similarities if s.score >= MIN_SIMILARITY_FOR_MOVE
        ],
        career_changes=[(c.code, c.related_code) for c in changes],
        related=[(r.code, r.related_code, r.tier.value) for r in related],
        ladders=ladders,
    )
    context = _Context(
        occ=occ,
        labor=labor,
        forward={(r.code, r.related_code): r for r in related},
        changers={(c.code, c.related_code): c for c in changes},
        ladders=ladders,
        profiles=profiles,
        observed=observed,
        observed_text=sentences,
        model=model,
        features=features,
    )
    moves: list[CareerMove] = []
    distributions: list[NextStepDistribution] = []
    for origin in features.codes:
        steps = ranker.rank(origin)
        distributions.append(steps.distribution)
        for k, code in enumerate(steps.codes):
            moves.append(_build_move(context, steps, k, code))
    moves = apply_ladder_rungs(moves, ladders, {c: o.title for c, o in occ.items()})
    moves.sort(key=lambda m: (m.code, m.cost, m.next_code))
    return moves, distributions


def apply_ladder_rungs(
    moves: Iterable[CareerMove],
    ladders: Mapping[tuple[str, str], LadderRelation],
    titles: Mapping[str, str],
) -> list[CareerMove]:
    """Make the cheapest route from a worker up to a manager climb through its own rung.

    Two rules (``docs/pathfinding.md``, "Ladder rungs"), over the ladder pairs of
    :mod:`graph.ladders` (``W -> S``: worker to its own first-line supervisor; ``S -> M``:
    supervisor to the manager of its function):

    1. **Own supervisor first.** A move from W to another O*NET occupation of the same SOC
       detailed code as one of W's own supervisors (47-1011.03 Solar Energy Installation
       Managers beside 47-1011.00 for an electrician) costs at least ``cost(W -> S)`` plus
       one cost quantum: the CPS ASEC figure of such a move is the same SOC code's figure,
       so the observed data cannot tell the two apart, and the ladder decides.
    2. **No skip-level shortcut.** A move from W straight into a management occupation M
       (SOC major group 11) costs at least ``min_S cost(W -> S) + cost(S -> M)`` plus one
       quantum, over W's supervisors S that have a move to M, so the cheapest route from W
       to M passes the supervisor rung (electrician -> construction supervisor ->
       construction manager); the direct move stays a listed next step. Without such an S
       the move is unchanged.

    ``probability`` keeps the fitted value and a reason line says the cost was raised;
    other moves are returned unchanged.

    Parameters
    ----------
    moves
        Every ``LEADS_TO`` move, costs as fitted.
    ladders
        Ladder pairs (:func:`graph.ladders.derive_ladder_pairs`).
    titles
        O*NET-SOC code -> occupation title, for the reason lines.
    """
    moves = list(moves)
    cost = {(m.code, m.next_code): m.cost for m in moves}
    supervisors: dict[str, list[str]] = {}
    for (a, b), relation in sorted(ladders.items()):
        if relation is LadderRelation.TO_SUPERVISOR:
            supervisors.setdefault(a, []).append(b)
    raised: list[CareerMove] = []
    for m in moves:
        own = [s for s in supervisors.get(m.code, []) if (m.code, s) in cost]
        twins = [s for s in own if s[:7] == m.next_code[:7] and s != m.next_code]
        if twins and m.next_code not in own:
            s = min(twins, key=lambda c: (cost[(m.code, c)], c))
            floor = cost[(m.code, s)] + COST_QUANTUM
            if m.cost < floor:
                reason = (
                    f"priced after {titles.get(s, s)}, the supervisor of this work (the"
                    " observed figure is one SOC code's, so the ladder decides)"
                )
                m = m.model_copy(update={"cost": floor, "reasons": [*m.reasons, reason]})
                cost[(m.code, m.next_code)] = floor
        raised.append(m)
    out: list[CareerMove] = []
    for m in raised:
        best: tuple[float, str] | None = None
        for s in supervisors.get(m.code, []) if m.next_code.startswith(MANAGEMENT) else []:
            if (m.code, s) in cost and (s, m.next_code) in cost:
                through = cost[(m.code, s)] + cost[(s, m.next_code)]
                if best is None or (through, s) < best:
                    best = (through, s)
        if best is None or m.cost > best[0]:
            out.append(m)
            continue
        floor = best[0] + COST_QUANTUM
        reason = (
            f"a skip-level move: priced as the route through {titles.get(best[1], best[1])},"
            " the supervisor rung between them (SOC ladder)"
        )
        out.append(m.model_copy(update={"cost": floor, "reasons": [*m.reasons, reason]}))
    return out


@dataclass(frozen=True)
class _Context:
    occ: dict[str, Occupation]
    labor: dict[str, LaborMarketFigures]
    forward: dict[tuple[str, str], RelatedOccupation]
    changers: dict[tuple[str, str], CareerChange]
    ladders: Mapping[tuple[str, str], LadderRelation]
    profiles: SkillProfiles
    observed: ObservedShares
    observed_text: dict[tuple[str, str], str]
    model: MoveModel
    features: MoveFeatures


def _build_move(ctx: _Context, steps: RankedSteps, k: int, b: str) -> CareerMove:
    a = steps.origin
    forward = ctx.forward.get((a, b))
    reverse = ctx.forward.get((b, a))
    changers = ctx.changers.get((a, b))
    ladder = ctx.ladders.get((a, b))
    i, j = ctx.features.index[a], ctx.features.index[b]
    observed_share = float(ctx.observed.stated[i, j]) or None
    similarity: float | None = None
    shortfall: float | None = None
    if a in ctx.profiles and b in ctx.profiles:
        row = steps.features[k]
        similarity = round(float(row[FEATURE_COLUMN["similarity"]]), 4)
        shortfall = round(float(row[FEATURE_COLUMN["shortfall"]]), 4)
    za, zb = ctx.occ[a].job_zone, ctx.occ[b].job_zone
    zone_delta = None if za is None or zb is None else zb - za
    la, lb = ctx.labor.get(a), ctx.labor.get(b)
    edu_delta = wage_delta = wage_pct = None
    if la and lb:
        if la.typical_entry_education_rank and lb.typical_entry_education_rank:
            edu_delta = lb.typical_entry_education_rank - la.typical_entry_education_rank
        if la.median_wage_usd and lb.median_wage_usd:
            wage_delta = round(lb.median_wage_usd - la.median_wage_usd, 2)
            wage_pct = round(100.0 * wage_delta / la.median_wage_usd, 2)
    probability = steps.probabilities[k]
    reasons = _evidence_reasons(ctx, steps, k, b, forward, reverse, changers, ladder, similarity)
    if zone_delta:
        reasons.append(f"job zone {za} -> {zb}")
    if wage_delta is not None and wage_pct is not None:
        reasons.append(f"median wage {wage_delta:+,.0f} USD ({wage_pct:+.1f} %)")
    return CareerMove(
        code=a,
        next_code=b,
        kind=classify_move(zone_delta, wage_pct),
        cost=move_cost(probability),
        probability=round(probability, 6),
        related_tier=forward.tier.value if forward else None,
        related_rank=forward.rank if forward else None,
        reverse_tier=reverse.tier.value if reverse else None,
        reverse_rank=reverse.rank if reverse else None,
        career_changers_rank=changers.rank if changers else None,
        ladder=ladder.value if ladder else None,
        observed_share=round(observed_share, 6) if observed_share else None,
        similarity=similarity,
        skill_shortfall=shortfall,
        job_zone_delta=zone_delta,
        education_delta=edu_delta,
        wage_delta_usd=wage_delta,
        wage_delta_pct=wage_pct,
        reasons=reasons,
    )


def _listing(lister: str, listed: str, tier: str, rank: int) -> str:
    if tier == "Supplemental":
        return (
            f"{lister} list {listed} only #{rank} of 20 related occupations"
            " (O*NET Supplemental tier, the weakest)"
        )
    return f"{lister} list {listed} as their #{rank} related occupation (O*NET {tier} tier)"


def _evidence_reasons(
    ctx: _Context,
    steps: RankedSteps,
    k: int,
    b: str,
    forward: RelatedOccupation | None,
    reverse: RelatedOccupation | None,
    changers: CareerChange | None,
    ladder: LadderRelation | None,
    similarity: float | None,
) -> list[str]:
    """Evidence sentences, strongest contribution to the log-probability first."""
    a = steps.origin
    ta, tb = ctx.occ[a].title, ctx.occ[b].title
    model = ctx.model

    def strength(group: str) -> float:
        return float(steps.contributions[group][k])

    items: list[tuple[float, str]] = []
    i, j = ctx.features.index[a], ctx.features.index[b]
    share = float(ctx.observed.stated[i, j])
    if share > 0:
        model_part = (1.0 - model.observed_weight) * steps.model_probabilities[k]
        gain = math.log(steps.probabilities[k] / model_part) if model_part > 0 else 10.0
        text = ctx.observed_text.get((a, b)) or _observed_sentence(share, ta, tb)
        items.append((gain, text))
    if forward is not None:
        items.append((strength("related"), _listing(ta, tb, forward.tier.value, forward.rank)))
    if reverse is not None:
        items.append((strength("reverse"), _listing(tb, ta, reverse.tier.value, reverse.rank)))
    if changers is not None:
        items.append(
            (
                strength("career_changers"),
                f"O*NET's Career Changers Matrix (release 25.1) lists {tb} #{changers.rank}"
                f" for people leaving {ta}",
            )
        )
    if ladder is LadderRelation.TO_SUPERVISOR:
        items.append(
            (strength("ladder"), f"{tb} supervise the work of {ta} (SOC supervisor ladder)")
        )
    elif ladder is LadderRelation.TO_MANAGER:
        items.append((strength("ladder"), f"{tb} manage the function {ta} supervise (SOC ladder)"))
    sim_gain = strength("similarity")
    if similarity is not None and sim_gain >= MIN_CONTRIBUTION_FOR_REASON:
        items.append((sim_gain, f"skill similarity {similarity:.2f} (O*NET skills and knowledge)"))
    back = float(ctx.observed.stated[j, i])
    back_gain = strength("observed_reverse")
    if back > 0 and back_gain >= MIN_CONTRIBUTION_FOR_REASON:
        text = ctx.observed_text.get((b, a)) or _observed_sentence(back, tb, ta)
        items.append((back_gain, f"the move the other way is common: {text}"))
    inflow_gain = strength("observed_inflow")
    if inflow_gain >= MIN_CONTRIBUTION_FOR_REASON and not items:
        items.append(
            (
                inflow_gain,
                f"{tb} take many people changing occupation ({OBSERVED_SOURCE}), and the model"
                " ranks it among the likeliest next steps",
            )
        )
    items.sort(key=lambda t: -t[0])
    return [text for _, text in items]


def _observed_sentence(share: float, from_title: str, to_title: str) -> str:
    pct = 100.0 * share
    figure = f"{pct:.1f} %" if pct >= 0.1 else "under 0.1 %"
    return (
        f"{figure} of people who left {from_title} were {to_title} a year later ({OBSERVED_SOURCE})"
    )
