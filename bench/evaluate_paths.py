"""Evaluate careergraph's next steps and routes against observed moves and expert lists.

Run:  .venv/bin/python -m bench.evaluate_paths      # writes docs/evaluation.md and
                                                     # bench/results/evaluation.json

Sections (docs/evaluation.md):
1. observed CPS ASEC moves, k-fold by origin: the move model is refitted without the
   held-out origins, whose own observed shares are also removed from every feature;
2. resume-based moves (SST, ``transitions/ladder_destinations.csv``): an independent source,
   ranked by the product as built (fitted model, all CPS moves);
3. ``eval/routes_expected.csv``: best route per question, with the product's title
   resolution and with the accepted end codes given;
4. expert lists (skill similarity alone against O*NET Primary-Short lists);
5. agreement with the Career Changers Matrix.
Every figure has O*NET's own Related Occupations list (ranked by Index) beside it, measured
in the same run.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from bench.fit_move_model import (
    L2,
    OBSERVED_WEIGHT,
    SHARED,
    load_release,
    move_features,
    observed_shares,
)
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.career_moves import MIN_SIMILARITY_FOR_MOVE, MoveRanker, RankedSteps
from careergraph.graph.errors import CareerGraphError
from careergraph.graph.ladders import derive_ladder_pairs, read_ladders
from careergraph.graph.model import OnetRelease, RelatednessTier
from careergraph.graph.move_model import (
    MoveFeatures,
    MoveModel,
    ObservedShares,
    fit_move_model,
    load_move_model,
    observed_choices,
)
from careergraph.graph.paths import RouteFilters
from careergraph.graph.service import find_career_paths, resolve_title
from careergraph.graph.similarity import SkillProfiles
from careergraph.loaders.onet import read_career_changers
from careergraph.loaders.transitions import (
    CPS_EDGELIST_FILE,
    CROSSWALK_FILE,
    find_shared_census_groups,
    map_oes_codes,
    movers_shares,
    read_cps_flows,
)
from careergraph.loaders.transitions import read_crosswalk as read_soc_crosswalk

REPO_ROOT = Path(__file__).resolve().parents[1]
FOLDS = 5
SEED = 20261130
TRUTH_PER_ORIGIN = 8
ROUTES_FILE = SHARED / "eval" / "routes_expected.csv"
DEFAULT_MAX_HOPS = 4


# -- metrics ---------------------------------------------------------------------------------
def rank_metrics(ranked: Sequence[str], truth: Sequence[str], k: int = 10) -> tuple[float, float]:
    """(mean reciprocal rank over the true items, recall@k); 0 for an item not ranked."""
    rr = [1.0 / (ranked.index(t) + 1) if t in ranked else 0.0 for t in truth]
    recall = sum(t in ranked[:k] for t in truth) / len(truth)
    return sum(rr) / len(rr), recall


def collapse(codes: Iterable[str], unit: dict[str, list[str]]) -> list[str]:
    """Map a ranked list of O*NET-SOC codes to distinct units, first occurrence kept."""
    seen: dict[str, None] = {}
    for code in codes:
        for u in unit.get(code, []):
            seen.setdefault(u, None)
    return list(seen)


def by_probability(
    steps: Iterable[tuple[str, float]], unit: dict[str, list[str]], n_origins: int
) -> list[str]:
    """Units ranked by the summed probability of their O*NET codes (the probability that
    the next occupation falls in the unit), averaged over the origin's codes."""
    total: dict[str, float] = defaultdict(float)
    for code, p in steps:
        for u in unit.get(code, []):
            total[u] += p / n_origins
    return sorted(total, key=lambda u: (-total[u], u))


def distribution_pairs(steps: RankedSteps) -> list[tuple[str, float]]:
    """``(code, probability)`` of the product's likely next occupations of one origin
    (:class:`graph.model.NextStepDistribution`, what ``GET /v1/occupations/{code}/next-steps``
    lists)."""
    d = steps.distribution
    return list(zip(d.next_codes, d.probabilities, strict=True))


def onet_ranking(release: OnetRelease, origins: set[str]) -> list[str]:
    """O*NET Related Occupations of ``origins`` by Index (best over origins)."""
    best: dict[str, int] = {}
    for r in release.related:
        if r.code in origins and r.related_code not in origins:
            best[r.related_code] = min(best.get(r.related_code, 99), r.rank)
    return sorted(best, key=lambda c: (best[c], c))


def make_ranker(
    release: OnetRelease, features: MoveFeatures, model: MoveModel, observed: ObservedShares
) -> MoveRanker:
    """The product's next-step ranking for a given model and observed moves."""
    codes = [o.code for o in release.occupations]
    return MoveRanker(
        features,
        model,
        observed,
        similar=[
            (s.code, s.other_code)
            for s in release.career.similarities
            if s.score >= MIN_SIMILARITY_FOR_MOVE
        ],
        career_changes=[(c.code, c.related_code) for c in release.career.career_changes],
        related=[(r.code, r.related_code, r.tier.value) for r in release.related],
        ladders=derive_ladder_pairs(codes, read_ladders()),
    )


class Scores:
    """Per-origin metric lists, averaged at the end."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = defaultdict(list)

    def add(self, name: str, ranked: Sequence[str], truth: Sequence[str]) -> None:
        mrr, recall = rank_metrics(ranked, truth)
        self.values[f"{name}_mrr"].append(mrr)
        self.values[f"{name}_recall_at_10"].append(recall)
        self.values[f"{name}_top1_mrr"].append(rank_metrics(ranked, truth[:1])[0])

    def summary(self) -> dict[str, float]:
        out = {k: round(float(np.mean(v)), 4) for k, v in sorted(self.values.items())}
        out["origins"] = float(len(next(iter(self.values.values()), [])))
        return out


# -- 1. observed CPS moves, held out -------------------------------------------------------
def oes_truth(release: OnetRelease) -> tuple[dict[str, dict[str, float]], dict[str, list[str]]]:
    """CPS ASEC shares among movers per OES origin (:func:`loaders.transitions.movers_shares`:
    staying and shared-Census-code flows removed) and the OES -> O*NET-SOC mapping."""
    transitions = SHARED / "transitions"
    flows = read_cps_flows(transitions / CPS_EDGELIST_FILE)
    shares = movers_shares(flows, find_shared_census_groups(flows))
    crosswalk = read_soc_crosswalk(transitions / CROSSWALK_FILE)
    mapping = map_oes_codes(flows.codes, crosswalk, (o.code for o in release.occupations))
    return shares, mapping


def evaluate_cps(release: OnetRelease, features: MoveFeatures) -> dict[str, float]:
    """k-fold by origin unit on the CPS ASEC moves (module docstring, section 1)."""
    observed = observed_shares(release)
    shares, mapping = oes_truth(release)
    unit: dict[str, list[str]] = defaultdict(list)
    for oes, codes in mapping.items():
        for code in codes:
            unit[code].append(oes)
    members: dict[str, list[str]] = defaultdict(list)
    for i, code in enumerate(observed.codes):
        if observed.unit_of[i]:
            members[observed.unit_of[i]].append(code)
    units = sorted(members)
    order = np.random.default_rng(SEED).permutation(len(units))
    scores = Scores()
    for fold in range(FOLDS):
        test = {units[i] for i in order[fold::FOLDS]}
        train_observed = observed.without_units(test)
        model = fit_move_model(
            observed_choices(features, train_observed),
            observed_weight=OBSERVED_WEIGHT,
            l2=L2,
            fitted_on=f"fold {fold}",
        )
        ranker = make_ranker(release, features, model, train_observed)
        for u in sorted(test):
            ranked = {code: ranker.rank(code) for code in members[u]}
            origins_oes = sorted({o for code in members[u] for o in unit[code]})
            for oes in origins_oes:
                if oes not in shares:
                    continue
                codes = [c for c in members[u] if oes in unit[c]]
                row = shares[oes]
                truth = sorted(row, key=lambda b: (-row[b], b))
                truth = [b for b in truth if mapping.get(b)][:TRUTH_PER_ORIGIN]
                if not truth:
                    continue
                pairs = [
                    (c, p)
                    for code in codes
                    for c, p in zip(ranked[code].codes, ranked[code].probabilities, strict=True)
                ]
                likely = [pair for code in codes for pair in distribution_pairs(ranked[code])]
                best: dict[str, float] = {}
                for c, p in likely:
                    best[c] = max(best.get(c, 0.0), p)
                by_probability_first = sorted(best, key=lambda c: (-best[c], c))
                first = [o for o in collapse(by_probability_first, unit) if o != oes]
                summed = [o for o in by_probability(likely, unit, len(codes)) if o != oes]
                moves = [o for o in by_probability(pairs, unit, len(codes)) if o != oes]
                base = [o for o in collapse(onet_ranking(release, set(codes)), unit) if o != oes]
                scores.add("ours", summed, truth)
                scores.add("ours_first_occurrence", first, truth)
                scores.add("ours_leads_to_only", moves, truth)
                scores.add("onet", base, truth)
        print(f"  fold {fold + 1}/{FOLDS} done")
    return scores.summary()


# -- 2. resume-based moves -----------------------------------------------------------------
def read_resume_moves() -> dict[str, list[tuple[str, float]]]:
    """SOC 2010 origin -> [(SOC 2018 destination, share)], largest share first."""
    moves: dict[str, list[tuple[str, float]]] = defaultdict(list)
    with (SHARED / "transitions" / "ladder_destinations.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            moves[row["soc1"]].append((row["soc18"], float(row["share"])))
    return {k: sorted(v, key=lambda t: -t[1]) for k, v in moves.items()}


def evaluate_resume_moves(
    release: OnetRelease, features: MoveFeatures, model: MoveModel
) -> dict[str, float]:
    """SST top-8 destinations of 12 healthcare origins, at the SOC 2018 level."""
    crosswalk = read_soc_crosswalk(SHARED / "transitions" / CROSSWALK_FILE).successors
    observed = observed_shares(release)
    known = {o.code for o in release.occupations}
    soc = {c: [c[:7]] for c in known}
    variants = {
        "ours": make_ranker(release, features, model, observed),
        "ours_without_cps_rows": make_ranker(
            release, features, model, ObservedShares.empty(features.codes)
        ),
    }
    for weight in (0.25, 0.75, 1.0):
        tuned = model.model_copy(update={"observed_weight": weight})
        variants[f"ours_observed_weight_{weight}"] = make_ranker(release, features, tuned, observed)
    scores = Scores()
    for soc2010, dests in read_resume_moves().items():
        codes = sorted(
            {c for k, v in crosswalk.items() if k.startswith(soc2010) for c in v} & known
        )
        truth = [d for d, _ in dests]
        for name, ranker in variants.items():
            steps = [ranker.rank(code) for code in codes]
            likely = [pair for step in steps for pair in distribution_pairs(step)]
            ranked = [s for s in by_probability(likely, soc, len(codes)) if s != soc2010]
            scores.add(name, ranked, truth)
            if name == "ours":
                pairs = [
                    (c, p) for s in steps for c, p in zip(s.codes, s.probabilities, strict=True)
                ]
                moves = [s for s in by_probability(pairs, soc, len(codes)) if s != soc2010]
                scores.add("ours_leads_to_only", moves, truth)
        scores.add("onet", collapse(onet_ranking(release, set(codes)), soc), truth)
    return scores.summary()


# -- 3. expected routes --------------------------------------------------------------------
def read_expected_routes() -> list[dict[str, str]]:
    """Rows of ``eval/routes_expected.csv``."""
    with ROUTES_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def judge_route(codes: Sequence[str], row: dict[str, str]) -> tuple[bool, str]:
    """Whether a route ends at an accepted code within the hop limit and passes a listed
    step (when the row lists any); with the reason when not."""
    ends, via = row["end"].split(), row["via_any"].split()
    hops = len(codes) - 1
    if codes[-1] not in ends:
        return False, f"ends at {codes[-1]}"
    if hops > int(row["max_hops"]):
        return False, f"{hops} hops > {row['max_hops']}"
    if via and not any(c in via for c in codes[1:-1]):
        return False, "misses the listed steps"
    return True, ""


def evaluate_routes(store: NetworkxStore) -> list[dict[str, object]]:
    """Best route for each expected question, two ways (see the module docstring)."""
    rows: list[dict[str, object]] = []
    for row in read_expected_routes():
        result: dict[str, object] = {"from": row["from"], "to": row["to"], "end": row["end"]}
        try:
            source = resolve_title(store, row["from"])
            result["from_code"] = source.codes[0]
        except CareerGraphError as exc:
            result.update(product_ok=False, given_ends_ok=False, note=f"from: {exc}")
            rows.append(result)
            continue
        try:
            target = resolve_title(store, row["to"])
            result["to_code"] = target.codes[0]
            routes = store.find_k_cheapest_paths(
                source.codes, target.codes, 1, DEFAULT_MAX_HOPS, RouteFilters()
            )
            codes = routes[0].codes if routes else source.codes
            ok, why = judge_route(codes, row) if routes else (False, "no route")
            if source.codes[0] in row["end"].split() and source.codes == target.codes:
                ok, why = True, "same occupation"
            result.update(product_route=codes, product_ok=ok, product_why=why)
        except CareerGraphError as exc:
            result.update(product_ok=False, product_why=f"to: {exc}")
        ends = row["end"].split()
        if source.codes[0] in ends:
            result.update(given_ends_route=source.codes, given_ends_ok=True)
        else:
            routes = store.find_k_cheapest_paths(
                source.codes, ends, 1, DEFAULT_MAX_HOPS, RouteFilters()
            )
            codes = routes[0].codes if routes else source.codes
            ok, why = judge_route(codes, row) if routes else (False, "no route")
            result.update(given_ends_route=codes, given_ends_ok=ok, given_ends_why=why)
        rows.append(result)
    return rows


SEED_QUESTION = ("Software Systems Engineer", "Engineering Director")


def seed_answer(store: NetworkxStore) -> dict[str, object]:
    """The product's best route for the seed question, with every hop's reasons."""
    result = find_career_paths(store, *SEED_QUESTION, k=1)
    path = result.paths[0]
    reasons = [
        f"{hop.from_title} → {hop.to_title}: " + "; ".join(hop.reasons[:3]) for hop in path.hops
    ]
    return {"route": " → ".join(path.titles), "codes": path.codes, "reasons": reasons}


# -- 4. expert lists, 5. Career Changers ---------------------------------------------------
def evaluate_expert_lists(release: OnetRelease) -> dict[str, float]:
    """O*NET Primary-Short lists predicted from skill similarity alone."""
    profiles = SkillProfiles(release.ratings)
    primary: dict[str, set[str]] = defaultdict(set)
    for r in release.related:
        if r.tier is RelatednessTier.PRIMARY_SHORT:
            primary[r.code].add(r.related_code)
    ours: dict[str, list[str]] = defaultdict(list)
    for s in profiles.top_similar(10):
        ours[s.code].append(s.other_code)
    level = profiles.level
    unit = level / np.linalg.norm(level, axis=1, keepdims=True)
    cosine = unit @ unit.T
    np.fill_diagonal(cosine, -2)
    result: dict[str, list[float]] = defaultdict(list)
    for i, code in enumerate(profiles.codes):
        truth = {c for c in primary.get(code, set()) if c in profiles}
        if not truth:
            continue
        baseline = [profiles.codes[j] for j in np.argsort(-cosine[i], kind="stable")[:10]]
        for name, ranked in (("ours", ours[code]), ("cosine", baseline)):
            result[f"{name}_precision_at_5"].append(len(set(ranked[:5]) & truth) / 5)
            result[f"{name}_recall_at_10"].append(len(set(ranked[:10]) & truth) / len(truth))
    summary = {k: round(float(np.mean(v)), 4) for k, v in result.items()}
    summary["occupations"] = float(len(result["ours_precision_at_5"]))
    return summary


def next_steps_by_cost(release: OnetRelease, origins: set[str]) -> list[str]:
    """LEADS_TO targets of ``origins``, cheapest first (min cost over origins)."""
    best: dict[str, float] = {}
    for m in release.career.moves:
        if m.code in origins and m.next_code not in origins:
            best[m.next_code] = min(best.get(m.next_code, 1e9), m.cost)
    return sorted(best, key=lambda c: (best[c], c))


def evaluate_career_changers(release: OnetRelease, without_ccm: OnetRelease) -> dict[str, float]:
    """Overlap of the 10 cheapest next steps with the Career Changers lists."""
    known = {o.code for o in release.occupations}
    changes, _ = read_career_changers(SHARED / "onet" / "db_25_1_tsv", known)
    truth: dict[str, set[str]] = defaultdict(set)
    for c in changes:
        truth[c.code].add(c.related_code)
    scores: dict[str, list[float]] = defaultdict(list)
    for code, expected in truth.items():
        for name, rel in (("ours", release), ("ours_without_ccm", without_ccm)):
            top = next_steps_by_cost(rel, {code})[:10]
            scores[name].append(len(set(top) & expected) / len(expected))
        top = onet_ranking(release, {code})[:10]
        scores["onet_related"].append(len(set(top) & expected) / len(expected))
    summary = {f"{k}_overlap_at_10": round(float(np.mean(v)), 4) for k, v in scores.items()}
    summary["occupations"] = float(len(truth))
    return summary


# -- report --------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "bench/results/evaluation.json")
    parser.add_argument("--docs", type=Path, default=REPO_ROOT / "docs/evaluation.md")
    parser.add_argument("--skip", nargs="*", default=[], choices=["cps", "ccm"])
    args = parser.parse_args()
    started = time.perf_counter()
    release = load_release()
    features = move_features(release)
    model = load_move_model()
    report: dict[str, object] = {}
    if "cps" not in args.skip:
        print("## observed CPS moves, held-out origins")
        report["cps_held_out"] = evaluate_cps(release, features)
        print(json.dumps(report["cps_held_out"], indent=1))
    print("## resume-based moves")
    report["resume_moves"] = evaluate_resume_moves(release, features, model)
    print(json.dumps(report["resume_moves"], indent=1))
    store = NetworkxStore()
    store.load(release)
    routes = evaluate_routes(store)
    report["routes_expected"] = routes
    for r in routes:
        print(
            f"  {r['from']} -> {r['to']}: product {r.get('product_ok')} given ends "
            f"{r.get('given_ends_ok')} {r.get('product_route')} {r.get('product_why', '')}"
        )
    report["seed"] = seed_answer(store)
    print(json.dumps(report["seed"], indent=1))
    report["expert_lists"] = evaluate_expert_lists(release)
    if "ccm" not in args.skip:
        report["career_changers"] = evaluate_career_changers(
            release, load_release(with_career_changers=False)
        )
    report["model"] = {"fitted_on": model.fitted_on, "observed_weight": model.observed_weight}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    from bench.evaluation_report import write_evaluation_doc

    write_evaluation_doc(args.docs, report, release)
    print(f"\nwritten {args.json} and {args.docs} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
