"""Skill similarity, the LEADS_TO rule and title normalisation, on the fixture and by hand."""

from __future__ import annotations

import math

import pytest

from careergraph.graph.career_moves import (
    MIN_NEXT_STEP_PROBABILITY,
    apply_ladder_rungs,
    classify_move,
    derive_moves_and_distributions,
)
from careergraph.graph.ladders import LadderRelation
from careergraph.graph.model import (
    CareerChange,
    CareerMove,
    DescriptorKind,
    DescriptorRating,
    LaborMarketFigures,
    MoveKind,
    OnetRelease,
)
from careergraph.graph.move_model import COST_QUANTUM, move_cost
from careergraph.graph.paths import RouteFilters
from careergraph.graph.similarity import LEVEL_MAX, SHORTFALL_WEIGHT, SkillProfiles
from careergraph.graph.titles import normalize_title, title_keys
from careergraph.loaders.pipeline import build_career_data

from .support import A, B, C, D, E, F, G


def _rating(code: str, element: str, importance: float, level: float) -> DescriptorRating:
    return DescriptorRating(
        code=code,
        element_id=element,
        kind=DescriptorKind.SKILL,
        importance=importance,
        level=level,
    )


def test_similarity_recomputes_from_the_formula() -> None:
    ratings = [
        _rating("11-0001.00", "x", 5, 6),
        _rating("11-0001.00", "y", 1, 1),
        _rating("11-0002.00", "x", 4, 3),
        _rating("11-0002.00", "y", 2, 4),
    ]
    profiles = SkillProfiles(ratings)
    up = profiles.similarity("11-0002.00", "11-0001.00")  # towards the demanding job
    down = profiles.similarity("11-0001.00", "11-0002.00")
    a, b = (5 * 6, 1 * 1), (4 * 3, 2 * 4)
    cosine = (a[0] * b[0] + a[1] * b[1]) / (math.hypot(*a) * math.hypot(*b))
    shortfall_up = (5 * (6 - 3) + 1 * 0) / 6 / LEVEL_MAX
    assert up.shortfall == pytest.approx(shortfall_up, abs=1e-4)
    assert up.coverage == pytest.approx((5 * 3 / 6 + 1 * 1) / 6, abs=1e-4)
    assert up.score == pytest.approx(cosine - SHORTFALL_WEIGHT * shortfall_up, abs=1e-4)
    assert down.score > up.score, "moving to the simpler job is the easier direction"


def test_top_similar_is_exact_and_sorted(mini_release: OnetRelease) -> None:
    profiles = SkillProfiles(mini_release.ratings)
    fast = profiles.top_similar(3, candidates=2)
    full = profiles.top_similar(3, candidates=100)
    assert fast == full
    for code in profiles.codes:
        scores = [s.score for s in fast if s.code == code]
        assert scores == sorted(scores, reverse=True)
        assert all(s.other_code != code for s in fast if s.code == code)


@pytest.mark.parametrize(
    ("zone", "wage", "kind"),
    [
        (1, None, MoveKind.ADVANCEMENT),
        (0, 10.0, MoveKind.ADVANCEMENT),
        (0, 5.0, MoveKind.LATERAL),
        (1, -20.0, MoveKind.LATERAL),
        (1, -30.0, MoveKind.STEP_BACK),
        (0, -10.0, MoveKind.STEP_BACK),
        (-1, 5.0, MoveKind.STEP_BACK),
        (None, None, MoveKind.LATERAL),
    ],
)
def test_classify_move(zone: int | None, wage: float | None, kind: MoveKind) -> None:
    assert classify_move(zone, wage) is kind


def test_move_cost_is_minus_log_probability_on_a_dyadic_grid() -> None:
    for p in (0.9, 0.5, 0.1, 1e-3, 1e-6):
        cost = move_cost(p)
        assert cost == pytest.approx(-math.log(p), abs=COST_QUANTUM)
        assert cost > 0 and (cost / COST_QUANTUM).is_integer()
    assert move_cost(1.0) == COST_QUANTUM, "a certain move still costs something"
    costs = [move_cost(p) for p in (0.3, 0.07, 0.011, 0.2, 0.5, 0.002)]
    assert sum(costs) == sum(reversed(costs)), "route sums do not depend on the order"


def test_derived_moves_on_the_fixture(mini_release: OnetRelease) -> None:
    wages = {A: 50_000.0, B: 80_000.0, C: 60_000.0, D: 100_000.0, E: 150_000.0}
    labor = [
        LaborMarketFigures(code=c, bls_soc_code=c[:7], bls_is_aggregate=False, median_wage_usd=w)
        for c, w in wages.items()
    ]
    changes = [
        CareerChange(code=F, related_code=E, rank=1),
        CareerChange(code=A, related_code=G, rank=2),
    ]
    profiles = SkillProfiles(mini_release.ratings)
    moves, _ = derive_moves_and_distributions(
        mini_release.occupations,
        mini_release.related,
        changes,
        profiles.top_similar(2),
        labor,
        profiles,
    )
    by_pair = {(m.code, m.next_code): m for m in moves}
    assert {(r.code, r.related_code) for r in mini_release.related} <= set(by_pair)
    assert {(c.code, c.related_code) for c in changes} <= set(by_pair)
    a_to_b = by_pair[(A, B)]
    assert a_to_b.related_tier == "Primary-Short" and a_to_b.related_rank == 1
    assert a_to_b.wage_delta_usd == 30_000 and a_to_b.wage_delta_pct == 60.0
    assert a_to_b.kind is MoveKind.ADVANCEMENT and a_to_b.job_zone_delta == 1
    assert any("median wage +30,000 USD" in r for r in a_to_b.reasons)
    assert by_pair[(F, E)].career_changers_rank == 1
    assert all(m.cost > 0 and 0 < (m.probability or 0) <= 1 for m in moves)


def test_build_career_data_without_bls_gives_moves_and_routes(
    mini_release: OnetRelease,
) -> None:
    from careergraph.graph.backends.networkx_store import NetworkxStore

    release = build_career_data(mini_release, bls_dir=None, career_changers_dir=None)
    assert release.career.labor_market == []
    assert len(release.career.moves) >= len(release.related)
    store = NetworkxStore()
    counts = store.load(release)
    assert counts.relationships["LEADS_TO"] == len(release.career.moves)
    assert counts.relationships["SIMILAR_TO"] == len(release.career.similarities)
    routes = store.find_k_cheapest_paths([A], [D], 3, 4, RouteFilters())
    assert routes and all(r.codes[0] == A and r.codes[-1] == D for r in routes)
    hop = store.explain_hop(routes[0].codes[0], routes[0].codes[1])
    assert hop.relationship == "LEADS_TO" and hop.kind in {k.value for k in MoveKind}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Registered Nurses", "registered nurse"),
        ("registered  nurse", "registered nurse"),
        ("Executive Secretaries", "executive secretary"),
        ("Data-Wranglers", "data wrangler"),
        ("C++ Developer", "c++ developer"),
        ("Business Analysis", "business analysis"),
        ("Glass Blowers", "glass blower"),
    ],
)
def test_normalize_title(text: str, key: str) -> None:
    assert normalize_title(text) == key


def test_title_keys_cover_the_parenthesised_forms() -> None:
    assert title_keys("Automotive Mechanic (Auto Mechanic)") == (
        "automotive mechanic auto mechanic",
        "automotive mechanic",
        "auto mechanic",
    )
    assert title_keys("Registered Nurses") == ("registered nurse", None, None)
    assert normalize_title("Teacher\u2019s Assistant") == "teacher assistant"


def _move(a: str, b: str, cost: float) -> CareerMove:
    return CareerMove(code=a, next_code=b, kind=MoveKind.LATERAL, cost=cost, reasons=["x"])


def test_ladder_rungs_price_skip_level_moves_and_other_supervisors_after_the_own_one() -> None:
    worker, own, twin, manager = "47-2111.00", "47-1011.00", "47-1011.03", "11-9021.00"
    ladders = {
        (worker, own): LadderRelation.TO_SUPERVISOR,
        (own, manager): LadderRelation.TO_MANAGER,
        (twin, manager): LadderRelation.TO_MANAGER,
    }
    moves = [
        _move(worker, own, 4.0),
        _move(worker, twin, 3.5),  # same SOC code as the own supervisor: one CPS figure
        _move(own, manager, 3.0),
        _move(twin, manager, 2.0),
        _move(worker, manager, 5.0),  # skip-level: cheaper than 4 + 3 through the rung
        _move(worker, "47-2031.00", 1.0),  # not into management: unchanged
        _move(own, "11-1021.00", 4.5),
        _move(worker, "11-1021.00", 6.0),  # any manager: also through the rung
        _move(worker, "11-3071.00", 2.0),  # no supervisor of W has a move there: unchanged
    ]
    out = {(m.code, m.next_code): m for m in apply_ladder_rungs(moves, ladders, {})}
    assert out[(worker, twin)].cost == 4.0 + COST_QUANTUM
    assert out[(worker, manager)].cost == 4.0 + 3.0 + COST_QUANTUM
    assert "skip-level" in out[(worker, manager)].reasons[-1]
    assert out[(worker, "47-2031.00")] == moves[5]
    assert out[(own, manager)] == moves[2]
    assert out[(worker, "11-1021.00")].cost == 4.0 + 4.5 + COST_QUANTUM
    assert out[(worker, "11-3071.00")] == moves[-1]
    # a skip-level move already dearer than the route through the rung keeps its cost
    dear = apply_ladder_rungs([*moves[:4], _move(worker, manager, 9.0)], ladders, {})
    assert dear[-1].cost == 9.0


def test_next_step_distributions_on_the_fixture(mini_release: OnetRelease) -> None:
    profiles = SkillProfiles(mini_release.ratings)
    moves, distributions = derive_moves_and_distributions(
        mini_release.occupations,
        mini_release.related,
        [],
        profiles.top_similar(2),
        [],
        profiles,
    )
    codes = sorted(o.code for o in mini_release.occupations)
    assert [d.code for d in distributions] == codes
    by_origin = {
        d.code: dict(zip(d.next_codes, d.probabilities, strict=True)) for d in distributions
    }
    for d in distributions:
        assert d.code not in d.next_codes and len(set(d.next_codes)) == len(d.next_codes)
        keys = [(-p, c) for c, p in zip(d.next_codes, d.probabilities, strict=True)]
        assert keys == sorted(keys), "most likely first, ties by code"
        assert all(MIN_NEXT_STEP_PROBABILITY <= p <= 1 for p in d.probabilities)
        assert sum(d.probabilities) <= 1 + 1e-5
    for m in moves:  # every likely enough career move is listed with its own probability
        if (m.probability or 0) >= MIN_NEXT_STEP_PROBABILITY:
            assert by_origin[m.code][m.next_code] == pytest.approx(m.probability, abs=1e-6)
