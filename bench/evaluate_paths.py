"""Evaluate careergraph's career moves and routes against real and expert data.

Run:  .venv/bin/python bench/evaluate_paths.py [--json bench/results/evaluation.json]

Prints four tables (see docs/evaluation.md):
1. real moves: where our next-step ranking (LEADS_TO by cost) puts the real destinations
   of 12 healthcare origins (SST resume data, shared/data/transitions), against O*NET
   Related Occupations' own ranking;
2. expert lists: O*NET Primary-Short related occupations predicted from skill similarity
   alone, against a plain cosine baseline;
3. agreement of next steps with O*NET's older Career Changers Matrix;
4. the reviewed role pairs: the best route careergraph gives for each.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from graph.backends.networkx_store import NetworkxStore
from graph.errors import CareerGraphError
from graph.model import OnetRelease, RelatednessTier
from graph.service import find_career_paths
from graph.similarity import SkillProfiles
from loaders.onet import read_career_changers, read_onet_release
from loaders.pipeline import build_career_data

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CAREERGRAPH_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))

REVIEWED_PAIRS: list[tuple[str, str, str]] = [
    # (sector, from, to)
    ("health", "Licensed Practical Nurse", "Registered Nurse"),
    ("health", "Nursing Assistant", "Licensed Practical Nurse"),
    ("health", "Medical Assistant", "Medical and Health Services Manager"),
    ("health", "Pharmacy Technician", "Pharmacist"),
    ("health", "Emergency Medical Technician", "Physician Assistant"),
    ("health", "Registered Nurse", "Nurse Practitioner"),
    ("trades", "Electrician Apprentice", "Electrical Engineer"),
    ("trades", "Carpenter", "Construction Manager"),
    ("trades", "Plumber", "Construction and Building Inspector"),
    ("trades", "Automotive Mechanic", "Maintenance Supervisor"),
    ("trades", "Welder", "Welding Engineer"),
    ("retail", "Cashier", "Retail Store Manager"),
    ("retail", "Retail Salesperson", "Sales Manager"),
    ("retail", "Stock Clerk", "Purchasing Agent"),
    ("retail", "Waiter", "Restaurant Manager"),
    ("office", "Receptionist", "Executive Assistant"),
    ("office", "Bookkeeper", "Accountant"),
    ("office", "Data Entry Clerk", "Database Administrator"),
    ("office", "Administrative Assistant", "Human Resources Manager"),
    ("office", "Customer Service Representative", "Customer Success Manager"),
    ("tech", "Software Systems Engineer", "Engineering Director"),
    ("tech", "Help Desk Technician", "Network Administrator"),
    ("tech", "Web Developer", "Software Engineer"),
    ("tech", "Data Analyst", "Data Scientist"),
    ("tech", "Software Engineer", "Chief Technology Officer"),
    ("education", "Teacher Assistant", "Elementary School Teacher"),
    ("education", "High School Teacher", "School Principal"),
    ("education", "Preschool Teacher", "Childcare Center Director"),
    ("public service", "Police Officer", "Detective"),
    ("public service", "Firefighter", "Fire Chief"),
    ("public service", "Social Worker", "Social and Community Service Manager"),
    ("public service", "Correctional Officer", "Probation Officer"),
]


# -- data ----------------------------------------------------------------------------------
def load_release(with_career_changers: bool = True) -> OnetRelease:
    """O*NET 29.3 + BLS + (optionally) Career Changers, with derived edges."""
    release = read_onet_release(SHARED / "onet" / "db_29_3_tsv")
    return build_career_data(
        release,
        bls_dir=SHARED / "bls",
        career_changers_dir=SHARED / "onet" / "db_25_1_tsv" if with_career_changers else None,
    )


def read_crosswalk() -> dict[str, set[str]]:
    """SOC 2010 (7 chars) -> O*NET-SOC 2019 codes (O*NET 2010->2019 crosswalk)."""
    mapping: dict[str, set[str]] = defaultdict(set)
    path = SHARED / "transitions" / "2010_to_2019_Crosswalk.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            mapping[row["soc2010_code"][:7]].add(row["soc2019_code"])
    return mapping


def read_real_moves() -> dict[str, list[tuple[str, float]]]:
    """SOC 2010 origin -> [(SOC 2018 destination, share)], largest share first."""
    moves: dict[str, list[tuple[str, float]]] = defaultdict(list)
    with (SHARED / "transitions" / "ladder_destinations.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            moves[row["soc1"]].append((row["soc18"], float(row["share"])))
    return {k: sorted(v, key=lambda t: -t[1]) for k, v in moves.items()}


# -- metrics ---------------------------------------------------------------------------------
def ranked_soc(codes: Iterable[str]) -> list[str]:
    """Collapse a ranked list of O*NET-SOC codes to distinct SOC 2018 codes, order kept."""
    seen: list[str] = []
    for code in codes:
        soc = code[:7]
        if soc not in seen:
            seen.append(soc)
    return seen


def rank_metrics(ranked: Sequence[str], truth: Sequence[str], k: int = 10) -> tuple[float, float]:
    """(mean reciprocal rank over the true items, recall@k)."""
    rr = [1.0 / (ranked.index(t) + 1) if t in ranked else 0.0 for t in truth]
    recall = sum(t in ranked[:k] for t in truth) / len(truth)
    return sum(rr) / len(rr), recall


def next_steps_by_cost(release: OnetRelease, origins: set[str]) -> list[str]:
    """LEADS_TO targets of ``origins``, cheapest first (min cost over origins)."""
    best: dict[str, float] = {}
    for m in release.career.moves:
        if m.code in origins and m.next_code not in origins:
            best[m.next_code] = min(best.get(m.next_code, 1e9), m.cost)
    return sorted(best, key=lambda c: (best[c], c))


def next_steps_by_onet(release: OnetRelease, origins: set[str]) -> list[str]:
    """O*NET Related Occupations of ``origins`` by Index (best over origins)."""
    best: dict[str, int] = {}
    for r in release.related:
        if r.code in origins and r.related_code not in origins:
            best[r.related_code] = min(best.get(r.related_code, 99), r.rank)
    return sorted(best, key=lambda c: (best[c], c))


def evaluate_real_moves(release: OnetRelease) -> dict[str, float]:
    crosswalk = read_crosswalk()
    ours_mrr, ours_rec, base_mrr, base_rec, top1_ours, top1_base = [], [], [], [], [], []
    for soc2010, dests in read_real_moves().items():
        origins = crosswalk.get(soc2010, set())
        truth = [d for d, _ in dests]
        ours = ranked_soc(next_steps_by_cost(release, origins))
        base = ranked_soc(next_steps_by_onet(release, origins))
        m, r = rank_metrics(ours, truth)
        ours_mrr.append(m)
        ours_rec.append(r)
        m, r = rank_metrics(base, truth)
        base_mrr.append(m)
        base_rec.append(r)
        top1_ours.append(rank_metrics(ours, truth[:1])[0])
        top1_base.append(rank_metrics(base, truth[:1])[0])
    return {
        "origins": len(ours_mrr),
        "ours_mrr": float(np.mean(ours_mrr)),
        "ours_recall_at_10": float(np.mean(ours_rec)),
        "onet_mrr": float(np.mean(base_mrr)),
        "onet_recall_at_10": float(np.mean(base_rec)),
        "ours_top1_mrr": float(np.mean(top1_ours)),
        "onet_top1_mrr": float(np.mean(top1_base)),
    }


def evaluate_expert_lists(release: OnetRelease) -> dict[str, float]:
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
    summary = {k: float(np.mean(v)) for k, v in result.items()}
    summary["occupations"] = float(len(result["ours_precision_at_5"]))
    return summary


def evaluate_career_changers(release: OnetRelease, without_ccm: OnetRelease) -> dict[str, float]:
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
        top = next_steps_by_onet(release, {code})[:10]
        scores["onet_related"].append(len(set(top) & expected) / len(expected))
    summary = {f"{k}_overlap_at_10": float(np.mean(v)) for k, v in scores.items()}
    summary["occupations"] = float(len(truth))
    return summary


def review_pairs(release: OnetRelease) -> list[dict[str, object]]:
    store = NetworkxStore()
    store.load(release)
    rows: list[dict[str, object]] = []
    for sector, source, target in REVIEWED_PAIRS:
        try:
            result = find_career_paths(store, source, target, k=1)
            path = result.paths[0]
            route = " -> ".join(path.titles)
            kinds = ", ".join(h.kind or "-" for h in path.hops)
            wage = [h.wage_change_pct for h in path.hops]
            rows.append(
                {
                    "sector": sector,
                    "from": source,
                    "to": target,
                    "resolved": f"{result.source.codes[0]} -> {result.target.codes[0]}",
                    "route": route,
                    "kinds": kinds,
                    "wage_change_pct": wage,
                    "cost": round(path.total_cost, 1),
                }
            )
        except CareerGraphError as exc:
            rows.append({"sector": sector, "from": source, "to": target, "route": f"ERROR {exc}"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "bench/results/evaluation.json")
    args = parser.parse_args()
    started = time.perf_counter()
    release = load_release()
    without_ccm = load_release(with_career_changers=False)
    metrics = {
        "real_moves": evaluate_real_moves(release),
        "expert_lists": evaluate_expert_lists(release),
        "career_changers": evaluate_career_changers(release, without_ccm),
    }
    reviewed = review_pairs(release)
    for section, values in metrics.items():
        print(f"\n## {section}")
        for key, value in values.items():
            print(f"  {key:<32} {value:.3f}")
    print("\n## reviewed pairs")
    for row in reviewed:
        print(f"  [{row['sector']}] {row['from']} -> {row['to']}: {row['route']}")
        if "kinds" in row:
            detail = f"kinds: {row['kinds']}  wage %: {row['wage_change_pct']}"
            print(f"      {row['resolved']}  {detail}")
    report: dict[str, object] = {**metrics, "reviewed_pairs": reviewed}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwritten {args.json} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
