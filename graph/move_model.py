"""The fitted move model: how likely a person leaving occupation A goes to B.

A conditional logit (McFadden 1974) over every other occupation of the release::

    P_model(B | A) = exp(beta . z(A, B)) / sum_B' exp(beta . z(A, B'))
    z(A, B)        = (x(A, B) - center) / scale       (features, standardised)

The features ``x`` (:data:`FEATURES`, built by :class:`MoveFeatures`) are what the graph
knows about the pair: O*NET relatedness tier and rank in both directions, the Career
Changers Matrix, skill similarity and shortfall, job-zone, education and wage changes,
B's employment, SOC group kinship, the supervisor/manager ladder, and observed moves of
*other* origins (how often B's movers go to A; how popular B is as a destination). The
coefficients are fitted on the observed CPS ASEC moves by ``bench/fit_move_model.py`` and
kept in ``graph/data/move_model.json`` (why offline: ``docs/pathfinding.md``).

Where A's own moves were observed, they are mixed in as the strongest evidence::

    P(B | A) = (1 - w) * P_model(B | A) + w * s(A -> B)

with ``s`` the CPS ASEC share of A's movers found in B and ``w`` the model's
``observed_weight``. The cost of the move is ``-ln P(B | A)``, so a route's cost is minus the
log of the product of its moves' probabilities and the cheapest route is the most probable
one; costs are positive and are rounded to multiples of 1/1024, so sums of up to six hops
are exact in floating point and both backends order routes identically.

numpy is used as in :mod:`graph.similarity` (all-pairs arithmetic over ~1,000 occupations).

References
----------
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
P. Zarembka (ed.), Frontiers in Econometrics, 105-142. Academic Press.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from careergraph.graph.kinship import KINSHIP_FEATURES, OccupationKinship
from careergraph.graph.ladders import LadderRelation
from careergraph.graph.model import (
    CareerChange,
    LaborMarketFigures,
    ObservedMove,
    Occupation,
    Record,
    RelatedOccupation,
)
from careergraph.graph.similarity import LEVEL_MAX, SHORTFALL_WEIGHT, SkillProfiles

FloatArray = npt.NDArray[np.floating[Any]]
MODEL_FILE = "move_model.json"
COST_QUANTUM = 1.0 / 1024.0
MIN_COST = COST_QUANTUM
TIERS = ("Primary-Short", "Primary-Long", "Supplemental")

FEATURES: tuple[str, ...] = (
    "related_primary_short",
    "related_primary_long",
    "related_supplemental",
    "related_rank",
    "reverse_primary_short",
    "reverse_primary_long",
    "reverse_supplemental",
    "reverse_rank",
    "career_changers",
    "career_changers_rank",
    "similarity",
    "similarity_squared",
    "similarity_top10",
    "similarity_log_rank",
    "similarity_unknown",
    "shortfall",
    "job_zone_up_one",
    "job_zone_up_more",
    "job_zone_down",
    "job_zone_unknown",
    "education_up",
    "education_down",
    "wage_up_log",
    "wage_down_log",
    "wage_unknown",
    "demand",
    "demand_unknown",
    "same_major_group",
    "same_minor_group",
    "same_broad_group",
    "ladder_to_supervisor",
    "ladder_to_manager",
    "observed_reverse",
    "observed_reverse_any",
    "observed_inflow",
    "observed_inflow_log_rank",
    "neighbours_skill",
    "neighbours_related",
    "neighbours_inflow",
    *(name for kind in KINSHIP_FEATURES for name in (kind, kind + "_log_rank")),
)
"""Feature names, in column order. Ranks are scaled to 0-1 (``rank / 20``, ``rank / 10``),
0 when not listed; ``similarity`` is the :mod:`graph.similarity` score; wages are log
ratios of BLS medians; ``demand`` is ``log10(employment / 100 thousand)``; the
``observed_*`` features come from other origins' CPS ASEC moves only."""

EVIDENCE_GROUPS: dict[str, tuple[str, ...]] = {
    "related": FEATURES[0:4],
    "reverse": FEATURES[4:8],
    "career_changers": FEATURES[8:10],
    "similarity": FEATURES[10:16],
    "ladder": FEATURES[30:32],
    "observed_reverse": FEATURES[32:34],
    "observed_inflow": FEATURES[34:36],
    "neighbours": FEATURES[36:39],
    "kinship": FEATURES[39:],
}
"""Features that make up each kind of evidence a reason can name (their joint contribution
to the log-probability orders the reasons of a move)."""

FEATURE_COLUMN = {name: i for i, name in enumerate(FEATURES)}
"""Column of each feature in a feature matrix."""
_COL = FEATURE_COLUMN
_GROUP_COLUMNS = {g: [_COL[f] for f in names] for g, names in EVIDENCE_GROUPS.items()}


class MoveModel(Record):
    """Fitted coefficients of the move model (``graph/data/move_model.json``).

    Attributes
    ----------
    features
        Feature names, must equal :data:`FEATURES`.
    center, scale
        Standardisation of each feature (mean and standard deviation over the training
        pairs); ``scale`` is 1 where a feature was constant.
    coefficients
        ``beta`` per standardised feature (log-odds per standard deviation).
    observed_weight
        ``w`` in ``P = (1 - w) P_model + w s``: weight of an origin's own observed shares.
    l2
        Ridge penalty the fit used.
    fitted_on
        Provenance: data, origins and command of the fit.
    """

    features: list[str]
    center: list[float]
    scale: list[float]
    coefficients: list[float]
    observed_weight: float
    l2: float
    fitted_on: str

    def utilities(self, x: FloatArray) -> FloatArray:
        """``beta . z`` for each row of a ``(m, len(FEATURES))`` feature matrix."""
        center = np.asarray(self.center)
        scale = np.asarray(self.scale)
        return np.asarray(((x - center) / scale) @ np.asarray(self.coefficients))

    def probabilities(self, x: FloatArray) -> FloatArray:
        """Softmax of :meth:`utilities` over the rows (the choice set of one origin)."""
        return softmax(self.utilities(x))

    def contributions(self, x: FloatArray) -> dict[str, FloatArray]:
        """Each row's log-probability gain from each :data:`EVIDENCE_GROUPS` group, against
        the training mean of its features: ``sum_f beta_f (x_f - center_f) / scale_f``."""
        z = (x - np.asarray(self.center)) / np.asarray(self.scale)
        beta = np.asarray(self.coefficients)
        return {
            group: np.asarray(z[:, cols] @ beta[cols]) for group, cols in _GROUP_COLUMNS.items()
        }


def softmax(u: FloatArray) -> FloatArray:
    """Numerically stable softmax of a vector."""
    e = np.exp(u - u.max())
    return np.asarray(e / e.sum())


def load_move_model(path: Path | None = None) -> MoveModel:
    """Read the fitted model (default: the package's ``graph/data/move_model.json``).

    Raises
    ------
    ValueError
        The file's features differ from :data:`FEATURES` (refit with
        ``bench/fit_move_model.py``).
    """
    if path is None:
        text = (
            resources.files("careergraph.graph.data")
            .joinpath(MODEL_FILE)
            .read_text(encoding="utf-8")
        )
    else:
        text = path.read_text(encoding="utf-8")
    model = MoveModel.model_validate(json.loads(text))
    if tuple(model.features) != FEATURES:
        raise ValueError(
            f"{MODEL_FILE}: features differ from careergraph.graph.move_model.FEATURES; refit with "
            "bench/fit_move_model.py"
        )
    return model


def move_cost(probability: float) -> float:
    """Cost points of a move of probability ``p``: ``-ln p``, rounded to a multiple of
    1/1024 and at least 1/1024 (so costs stay positive and route sums are exact)."""
    raw = -math.log(max(probability, 1e-300))
    return max(MIN_COST, round(raw / COST_QUANTUM) * COST_QUANTUM)


@dataclass(frozen=True)
class ObservedShares:
    """Observed year-to-year moves (CPS ASEC ``MOVED_TO``) as a dense share matrix.

    Parameters
    ----------
    codes
        O*NET-SOC codes, the matrix order.
    shares
        ``(origin, destination) -> share of the origin's movers`` (0-1).
    units
        Origin code -> the observation unit it was read from (the BLS OES codes): origins
        of one unit share one observed row, so "an origin's own data" is its unit's.
    weights
        Origin code -> weight of its row in the destination popularity (employment).

    Attributes
    ----------
    matrix
        ``matrix[i, j]`` = share of origin i's movers found in j.
    """

    codes: tuple[str, ...]
    matrix: FloatArray
    unit_of: tuple[str, ...]
    weight: FloatArray
    stated: FloatArray
    """Shares as the source states them (a SOC code's share, carried by each of its O*NET
    occupations); ``matrix`` splits them so that rows sum to 1."""

    @classmethod
    def build(
        cls,
        codes: Sequence[str],
        shares: Mapping[tuple[str, str], float],
        units: Mapping[str, str],
        weights: Mapping[str, float],
        stated: Mapping[tuple[str, str], float] | None = None,
    ) -> ObservedShares:
        """Assemble the matrices (``stated`` defaults to ``shares``); pairs naming unknown
        codes are ignored."""
        index = {c: i for i, c in enumerate(codes)}
        n = len(codes)
        matrix, stated_matrix = np.zeros((n, n)), np.zeros((n, n))
        for (a, b), share in shares.items():
            if a in index and b in index and a != b:
                matrix[index[a], index[b]] = share
                stated_matrix[index[a], index[b]] = (stated or shares).get((a, b), share)
        has_row = matrix.sum(axis=1) > 0
        weight = np.array([weights.get(c, 0.0) for c in codes]) * has_row
        unit_of = tuple(units.get(c, c) if has_row[i] else "" for i, c in enumerate(codes))
        return cls(tuple(codes), matrix, unit_of, weight, stated_matrix)

    @classmethod
    def empty(cls, codes: Sequence[str]) -> ObservedShares:
        """No observed moves at all."""
        n = len(codes)
        return cls(tuple(codes), np.zeros((n, n)), ("",) * n, np.zeros(n), np.zeros((n, n)))

    def without_units(self, units: Iterable[str]) -> ObservedShares:
        """The same data with the rows of ``units`` removed (held-out origins)."""
        drop = set(units)
        keep = np.array([u not in drop and u != "" for u in self.unit_of])
        matrix = self.matrix * keep[:, None]
        unit_of = tuple(u if k else "" for u, k in zip(self.unit_of, keep, strict=True))
        stated = self.stated * keep[:, None]
        return ObservedShares(self.codes, matrix, unit_of, self.weight * keep, stated)

    @cached_property
    def _units(self) -> npt.NDArray[np.str_]:
        return np.array(self.unit_of, dtype=str)

    @cached_property
    def column_squares(self) -> FloatArray:
        """Sum over origins of each destination's squared share (for column norms)."""
        return np.asarray((self.matrix**2).sum(axis=0))

    @cached_property
    def _weighted_total(self) -> FloatArray:
        return np.asarray(self.weight @ self.matrix)

    def own_rows(self, i: int) -> npt.NDArray[np.bool_]:
        """Rows that are origin i's own data (its observation unit, and i itself)."""
        unit = self.unit_of[i]
        own = (self._units == unit) if unit else np.zeros(len(self.codes), dtype=bool)
        own[i] = True
        return own

    def others(self, i: int) -> tuple[FloatArray, FloatArray]:
        """``(reverse, inflow)`` vectors for origin i from other origins' rows only:
        ``reverse[j]`` = share of j's movers found in i; ``inflow[j]`` = employment-weighted
        mean share of movers (over the other observed origins) that go to j."""
        own = self.own_rows(i)
        reverse = np.where(own, 0.0, self.matrix[:, i])
        total = float(self.weight.sum() - self.weight[own].sum())
        inflow = self._weighted_total - self.weight[own] @ self.matrix[own]
        inflow = inflow / total if total > 0 else np.zeros(len(self.codes))
        return np.asarray(reverse), np.asarray(np.maximum(inflow, 0.0))

    def row(self, i: int) -> FloatArray:
        """Origin i's own observed shares (zeros where none)."""
        return np.asarray(self.matrix[i])


def observed_shares_from_moves(
    codes: Sequence[str],
    moves: Iterable[ObservedMove],
    labor_market: Iterable[LaborMarketFigures],
) -> ObservedShares:
    """:class:`ObservedShares` from ``MOVED_TO`` records.

    A record's share belongs to the destination's SOC 2018 code and is carried by each of
    its O*NET occupations; here it is split evenly over them, so an origin's shares sum to
    1 over occupations. Origins whose rows were read from overlapping BLS OES codes
    (``from_oes_codes``) form one observation unit (their rows are one origin's data); a
    row's weight in the destination popularity is the origin's BLS 2024 employment.
    """
    moves = list(moves)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in moves:
        for oes in m.from_oes_codes[1:]:
            parent[find(oes)] = find(m.from_oes_codes[0])
    units = {m.code: find(m.from_oes_codes[0]) if m.from_oes_codes else m.code for m in moves}
    per_soc: dict[tuple[str, str], int] = defaultdict(int)
    for m in moves:
        per_soc[(m.code, m.next_code[:7])] += 1
    shares = {
        (m.code, m.next_code): m.share_of_movers / per_soc[(m.code, m.next_code[:7])] for m in moves
    }
    employment = {f.code: f.employment_2024_thousands or 0.0 for f in labor_market}
    stated = {(m.code, m.next_code): m.share_of_movers for m in moves}
    return ObservedShares.build(codes, shares, units, employment, stated)


class MoveFeatures:
    """Feature matrices of the move model for one release.

    Parameters
    ----------
    occupations, related, career_changes, labor_market, profiles
        The release's records (O*NET 29.3 Occupation Data / Job Zones, Related
        Occupations, Career Changers Matrix 25.1, BLS EP 2024-34 / OEWS May 2024, skill and
        knowledge ratings).
    ladders
        Ladder pairs (:func:`graph.ladders.derive_ladder_pairs`).
    kinship
        Similarities beyond skills (:class:`graph.kinship.OccupationKinship`, same
        occupations); None leaves the ``kinship`` columns constant (no effect on a choice).
    """

    def __init__(
        self,
        occupations: Iterable[Occupation],
        related: Iterable[RelatedOccupation],
        career_changes: Iterable[CareerChange],
        labor_market: Iterable[LaborMarketFigures],
        profiles: SkillProfiles,
        ladders: Mapping[tuple[str, str], LadderRelation],
        kinship: OccupationKinship | None = None,
    ) -> None:
        occ = sorted(occupations, key=lambda o: o.code)
        self.codes: tuple[str, ...] = tuple(o.code for o in occ)
        self.index = {c: i for i, c in enumerate(self.codes)}
        n = len(self.codes)
        labor = {f.code: f for f in labor_market}
        self._forward: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        self._reverse: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for r in related:
            if r.code in self.index and r.related_code in self.index:
                tier = TIERS.index(r.tier.value)
                self._forward[r.code].append((self.index[r.related_code], tier, r.rank))
                self._reverse[r.related_code].append((self.index[r.code], tier, r.rank))
        self._changers: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for c in career_changes:
            if c.code in self.index and c.related_code in self.index:
                self._changers[c.code].append((self.index[c.related_code], c.rank))
        self._ladder: dict[str, list[tuple[int, LadderRelation]]] = defaultdict(list)
        for (a, b), relation in ladders.items():
            if a in self.index and b in self.index:
                self._ladder[a].append((self.index[b], relation))
        self.profiles = profiles
        self._prow = np.array([profiles.row.get(c, -1) for c in self.codes])
        self._rated = self._prow >= 0
        self._cosine = profiles.profile_cosine()

        def figure(code: str, name: str) -> float:
            value = getattr(labor[code], name) if code in labor else None
            return float(value) if value else 0.0

        self.zone = np.array([float(o.job_zone or 0) for o in occ])
        self.education = np.array([figure(c, "typical_entry_education_rank") for c in self.codes])
        self.wage = np.array([figure(c, "median_wage_usd") for c in self.codes])
        self.employment = np.array([figure(c, "employment_2024_thousands") for c in self.codes])
        self._major = np.array([c[:2] for c in self.codes])
        self._minor = np.array([c[:4] for c in self.codes])
        self._broad = np.array([c[:6] for c in self.codes])
        demand = np.log10(np.maximum(self.employment, 1e-3) / 100.0)
        self._demand = np.where(self.employment > 0, demand, 0.0)
        self.n = n
        if kinship is not None and kinship.codes != self.codes:
            raise ValueError("kinship matrices are for other occupations")
        self.kinship = kinship

    def matrix(self, origin: str, observed: ObservedShares) -> FloatArray:
        """Features of every move out of ``origin``: a ``(n, len(FEATURES))`` array, one row
        per occupation in :attr:`codes` order (the origin's own row is meaningless; callers
        exclude it). ``observed`` supplies the ``observed_*`` columns from *other* origins'
        rows (see :meth:`ObservedShares.others`)."""
        i = self.index[origin]
        x = np.zeros((self.n, len(FEATURES)))
        for j, tier, rank in self._forward.get(origin, []):
            x[j, _COL["related_primary_short"] + tier] = 1.0
            x[j, _COL["related_rank"]] = rank / 20.0
        for j, tier, rank in self._reverse.get(origin, []):
            x[j, _COL["reverse_primary_short"] + tier] = 1.0
            x[j, _COL["reverse_rank"]] = rank / 20.0
        for j, rank in self._changers.get(origin, []):
            x[j, _COL["career_changers"]] = 1.0
            x[j, _COL["career_changers_rank"]] = rank / 10.0
        for j, relation in self._ladder.get(origin, []):
            name = "ladder_" + relation.value
            x[j, _COL[name]] = 1.0
        self._similarity_columns(i, x)
        self._change_columns(i, x)
        x[:, _COL["demand"]] = self._demand
        x[:, _COL["demand_unknown"]] = self.employment <= 0
        x[:, _COL["same_major_group"]] = self._major == self._major[i]
        x[:, _COL["same_minor_group"]] = self._minor == self._minor[i]
        x[:, _COL["same_broad_group"]] = self._broad == self._broad[i]
        reverse, inflow = observed.others(i)
        x[:, _COL["observed_reverse"]] = np.log1p(100.0 * reverse)
        x[:, _COL["observed_reverse_any"]] = reverse > 0
        x[:, _COL["observed_inflow"]] = np.log(inflow + 1e-4)
        x[:, _COL["observed_inflow_log_rank"]] = np.log(_ranks(inflow, i))
        self._neighbour_columns(i, observed, x)
        self._kinship_columns(i, x)
        return x

    def _kinship_columns(self, i: int, x: FloatArray) -> None:
        """Each kinship similarity of i to every occupation and the log of its rank; an
        origin without data for a kind (or no kinship at all) gets constant columns, which
        leave its choice probabilities unchanged."""
        for kind in KINSHIP_FEATURES:
            row = np.zeros(self.n)
            if self.kinship is not None:
                row = self.kinship.matrices[kind][i].astype(np.float64)
                row[i] = 0.0
            if not row.any():
                x[:, _COL[kind + "_log_rank"]] = math.log(self.n)
                continue
            x[:, _COL[kind]] = row
            x[:, _COL[kind + "_log_rank"]] = np.log(_ranks(row, i))

    def _neighbour_columns(self, i: int, observed: ObservedShares, x: FloatArray) -> None:
        """Collaborative filtering over the observed-move matrix: where the movers of
        origins *like* i went (i's own unit's rows never count). Three neighbourhoods:
        the :data:`NEIGHBOURS` most skill-similar observed origins (weights: similarity to
        the 8th power, so the closest dominate), the origins related to i in O*NET Related
        Occupations either way (weights ``1 / rank``, summed over both directions), and the
        origins whose inflow (who moves into them, from other origins' rows) is most
        like i's (cosine of the inflow columns)."""
        rows = observed.matrix
        usable = observed.weight > 0
        usable &= ~observed.own_rows(i)
        p = int(self._prow[i])
        sim = np.zeros(self.n)
        if p >= 0:
            sim = np.where(self._rated, self._cosine[p, np.maximum(self._prow, 0)], 0.0)
        x[:, _COL["neighbours_skill"]] = _neighbour_mean(rows, sim**8, usable)
        weights = np.zeros(self.n)
        for j, _, rank in self._forward.get(self.codes[i], []):
            weights[j] += 1.0 / rank
        for j, _, rank in self._reverse.get(self.codes[i], []):
            weights[j] += 1.0 / rank
        x[:, _COL["neighbours_related"]] = _neighbour_mean(rows, weights, usable)
        senders = np.flatnonzero(usable & (rows[:, i] > 0))
        cosine = np.zeros(self.n)
        if len(senders):
            own = ~usable & (observed.weight > 0)
            squares = observed.column_squares - (rows[own] ** 2).sum(axis=0)
            norms = np.sqrt(np.maximum(squares, 0.0))
            dots = rows[senders, i] @ rows[senders]
            cosine = np.where(norms > 0, dots / (norms * norms[i] + 1e-12), 0.0)
        x[:, _COL["neighbours_inflow"]] = _neighbour_mean(rows, cosine, usable)

    def _similarity_columns(self, i: int, x: FloatArray) -> None:
        p = int(self._prow[i])
        if p < 0:
            x[:, _COL["similarity_unknown"]] = 1.0
            x[:, _COL["similarity_log_rank"]] = math.log(self.n)
            return
        js = np.flatnonzero(self._rated)
        _, shortfall = self.profiles.coverage_shortfall([p], list(self._prow[js]))
        score = np.clip(self._cosine[p, self._prow[js]] - SHORTFALL_WEIGHT * shortfall[0], 0, 1)
        sim = np.zeros(self.n)
        sim[js] = score
        x[js, _COL["similarity"]] = score
        x[js, _COL["similarity_squared"]] = score**2
        x[js, _COL["shortfall"]] = np.minimum(shortfall[0], LEVEL_MAX)
        x[~self._rated, _COL["similarity_unknown"]] = 1.0
        sim[~self._rated] = -1.0
        ranks = _ranks(sim, i)
        x[:, _COL["similarity_top10"]] = (ranks <= 10) & self._rated
        x[:, _COL["similarity_log_rank"]] = np.log(ranks)

    def _change_columns(self, i: int, x: FloatArray) -> None:
        if self.zone[i] > 0:
            known = self.zone > 0
            delta = np.where(known, self.zone - self.zone[i], 0.0)
            x[:, _COL["job_zone_up_one"]] = delta == 1
            x[:, _COL["job_zone_up_more"]] = np.maximum(0.0, delta - 1)
            x[:, _COL["job_zone_down"]] = np.maximum(0.0, -delta)
            x[:, _COL["job_zone_unknown"]] = ~known
        else:
            x[:, _COL["job_zone_unknown"]] = 1.0
        if self.education[i] > 0:
            delta = np.where(self.education > 0, self.education - self.education[i], 0.0)
            x[:, _COL["education_up"]] = np.maximum(0.0, delta)
            x[:, _COL["education_down"]] = np.maximum(0.0, -delta)
        if self.wage[i] > 0:
            known = self.wage > 0
            ratio = np.log(np.where(known, self.wage, 1.0) / self.wage[i])
            ratio = np.where(known, ratio, 0.0)
            x[:, _COL["wage_up_log"]] = np.maximum(0.0, ratio)
            x[:, _COL["wage_down_log"]] = np.maximum(0.0, -ratio)
            x[:, _COL["wage_unknown"]] = ~known
        else:
            x[:, _COL["wage_unknown"]] = 1.0


NEIGHBOURS = 40
"""How many neighbour origins the collaborative-filtering features average over (10, 20
and 40 measured alike, 40 slightly best; ``docs/pathfinding.md``)."""
NEIGHBOUR_FLOOR = 1e-4
"""Added to a neighbour share before its log (a destination no neighbour's movers reached)."""


def _neighbour_mean(
    rows: FloatArray, weights: FloatArray, usable: npt.NDArray[np.bool_]
) -> FloatArray:
    """``log(floor + sum_k w_k rows[k] / sum_k w_k)`` over the :data:`NEIGHBOURS` usable
    origins of largest positive weight; ``log(floor)`` everywhere when there are none."""
    w = np.where(usable & (weights > 0), weights, 0.0)
    chosen = np.flatnonzero(w)
    if len(chosen) > NEIGHBOURS:
        chosen = chosen[np.argsort(-w[chosen], kind="stable")[:NEIGHBOURS]]
    total = float(w[chosen].sum())
    if total <= 0:
        return np.full(rows.shape[1], math.log(NEIGHBOUR_FLOOR))
    return np.asarray(np.log(NEIGHBOUR_FLOOR + (w[chosen] @ rows[chosen]) / total))


def _ranks(values: FloatArray, exclude: int) -> FloatArray:
    """1-based rank of each entry by descending value (ties by position), ``exclude`` last."""
    v = values.astype(np.float64).copy()
    v[exclude] = -np.inf
    order = np.argsort(-v, kind="stable")
    ranks = np.empty(len(v))
    ranks[order] = np.arange(1, len(v) + 1)
    return ranks


def fit_conditional_logit(
    choices: Sequence[tuple[FloatArray, FloatArray, float]],
    *,
    l2: float = 1.0,
    max_iterations: int = 50,
    tolerance: float = 1e-8,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Fit a conditional logit with fractional outcomes by Newton's method.

    Maximises ``sum_o w_o sum_j y_oj ln P_oj - l2/2 |beta|^2`` where ``P_o = softmax(Z_o
    beta)`` over origin o's alternatives and ``Z_o`` the standardised features. The
    objective is concave, so Newton's method with step halving converges to the unique
    optimum; the result is deterministic.

    Parameters
    ----------
    choices
        One ``(x, y, w)`` per origin: features ``(m_o, d)``, observed shares ``(m_o,)``
        summing to 1, and the origin's weight.
    l2
        Ridge penalty on the standardised coefficients.

    Returns
    -------
    tuple
        ``(center, scale, beta)``, each of length ``d``.

    Raises
    ------
    ValueError
        No choices, or shares that do not sum to 1.
    """
    if not choices:
        raise ValueError("no choices to fit")
    for _, y, _ in choices:
        if not math.isclose(float(y.sum()), 1.0, abs_tol=1e-6):
            raise ValueError(f"shares must sum to 1, got {float(y.sum())}")
    sizes = np.array([x.shape[0] for x, _, _ in choices])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    segment = np.repeat(np.arange(len(choices)), sizes)
    z = np.concatenate([np.asarray(x, dtype=np.float64) for x, _, _ in choices])
    y = np.concatenate([np.asarray(y, dtype=np.float64) for _, y, _ in choices])
    w = np.array([w for _, _, w in choices], dtype=np.float64)
    center = z.mean(axis=0)
    scale = z.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z -= center
    z /= scale
    d = z.shape[1]
    wy = w[segment] * y
    observed_term = z.T @ wy

    def objective(beta: FloatArray, with_derivatives: bool) -> tuple[float, FloatArray, FloatArray]:
        u = z @ beta
        u -= np.maximum.reduceat(u, starts)[segment]
        e = np.exp(u)
        sums = np.add.reduceat(e, starts)
        value = float(wy @ u - w @ np.log(sums)) - 0.5 * l2 * float(beta @ beta)
        if not with_derivatives:
            return value, beta, beta
        p = e / sums[segment]
        wp = w[segment] * p
        grad = observed_term - z.T @ wp - l2 * beta
        means = np.add.reduceat(z * p[:, None], starts)
        hess = -(z.T @ (z * wp[:, None])) + (means * w[:, None]).T @ means - l2 * np.eye(d)
        return value, grad, hess

    beta = np.zeros(d)
    value, grad, hess = objective(beta, True)
    for _ in range(max_iterations):
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while True:
            candidate = beta - t * step
            new_value, _, _ = objective(candidate, False)
            if new_value >= value or t < 1e-6:
                break
            t /= 2.0
        beta = candidate
        converged = abs(new_value - value) <= tolerance * max(1.0, abs(value))
        value, grad, hess = objective(beta, True)
        if converged:
            break
    return center, scale, beta


def observed_choices(
    features: MoveFeatures, observed: ObservedShares, origins: Iterable[str] | None = None
) -> list[tuple[FloatArray, FloatArray, float]]:
    """Training rows of the move model: one ``(x, y, w)`` per observed origin.

    ``x`` holds the features of every other occupation (float32, the origin's own row
    removed), computed from *other* origins' observed moves only; ``y`` is the origin's
    observed share of movers per destination, renormalised to sum to 1; ``w`` = 1 / the
    number of origins read from the same observation unit, so each unit (BLS OES code)
    counts once.

    Parameters
    ----------
    origins
        Origins to use (default: every origin with an observed row).
    """
    units: dict[str, int] = defaultdict(int)
    for unit in observed.unit_of:
        if unit:
            units[unit] += 1
    wanted = None if origins is None else set(origins)
    rows: list[tuple[FloatArray, FloatArray, float]] = []
    for i, code in enumerate(features.codes):
        unit = observed.unit_of[i]
        if not unit or (wanted is not None and code not in wanted):
            continue
        y = np.delete(observed.row(i), i)
        if y.sum() <= 0:
            continue
        x = np.delete(features.matrix(code, observed), i, axis=0).astype(np.float32)
        rows.append((x, y / y.sum(), 1.0 / units[unit]))
    return rows


def fit_move_model(
    choices: Sequence[tuple[FloatArray, FloatArray, float]],
    *,
    observed_weight: float,
    l2: float,
    fitted_on: str,
) -> MoveModel:
    """Fit :class:`MoveModel` coefficients on ``choices`` (:func:`observed_choices`)."""
    center, scale, beta = fit_conditional_logit(choices, l2=l2)
    return MoveModel(
        features=list(FEATURES),
        center=[round(float(v), 8) for v in center],
        scale=[round(float(v), 8) for v in scale],
        coefficients=[round(float(v), 8) for v in beta],
        observed_weight=observed_weight,
        l2=l2,
        fitted_on=fitted_on,
    )
