"""Refit the move model's coefficients on the observed CPS ASEC moves.

Run:  .venv/bin/python -m bench.fit_move_model          # writes graph/data/move_model.json
      .venv/bin/python -m bench.fit_move_model --check  # refit, compare, write nothing

Reads O*NET 29.3, BLS, the Career Changers Matrix and the CPS ASEC moves from
``../shared/data`` (``CAREERGRAPH_SHARED_DATA``), builds the move features of every observed
origin from the *other* origins' moves (:func:`graph.move_model.observed_choices`), fits the
conditional logit (:func:`graph.move_model.fit_move_model`) and writes the coefficients with
their provenance. The fit is deterministic (Newton's method on a concave objective), so a
refit on the same data reproduces the file; ``--check`` says whether it does.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from careergraph.graph.kinship import OccupationKinship
from careergraph.graph.ladders import derive_ladder_pairs, read_ladders
from careergraph.graph.model import OnetRelease
from careergraph.graph.move_model import (
    MODEL_FILE,
    MoveFeatures,
    MoveModel,
    ObservedShares,
    fit_move_model,
    observed_choices,
    observed_shares_from_moves,
)
from careergraph.graph.similarity import SkillProfiles
from careergraph.loaders.onet import read_onet_release
from careergraph.loaders.pipeline import build_career_data

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CAREERGRAPH_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
MODEL_PATH = REPO_ROOT / "graph" / "data" / MODEL_FILE
CPS_FILE = SHARED / "transitions" / "cps_asec" / "asec_to_bls_mobility_edgelist.csv"
OBSERVED_WEIGHT = 0.5
"""Weight of an origin's own observed shares against the model (not fitted: no second
sample of the same origins exists to fit it on; docs/pathfinding.md)."""
L2 = 1.0


def load_release(with_career_changers: bool = True) -> OnetRelease:
    """O*NET 29.3 + BLS + (optionally) Career Changers + CPS ASEC observed moves + estimated
    skills of unrated occupations, with derived edges: what ``careergraph load`` builds."""
    release = read_onet_release(SHARED / "onet" / "db_29_3_tsv")
    return build_career_data(
        release,
        bls_dir=SHARED / "bls",
        career_changers_dir=SHARED / "onet" / "db_25_1_tsv" if with_career_changers else None,
        transitions_dir=SHARED / "transitions",
        onet_soc2010_dir=SHARED / "onet" / "db_23_soc2010",
        tasks_dir=SHARED / "onet" / "db_30_1_tasks",
    )


def observed_shares(release: OnetRelease) -> ObservedShares:
    """The release's ``MOVED_TO`` records as :class:`ObservedShares`."""
    return observed_shares_from_moves(
        [o.code for o in release.occupations],
        release.career.observed_moves,
        release.career.labor_market,
    )


def move_features(release: OnetRelease) -> MoveFeatures:
    """The move model's feature builder for ``release``."""
    codes = [o.code for o in release.occupations]
    return MoveFeatures(
        release.occupations,
        release.related,
        release.career.career_changes,
        release.career.labor_market,
        SkillProfiles(release.ratings),
        derive_ladder_pairs(codes, read_ladders()),
        OccupationKinship.from_release(release),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file only")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    started = time.perf_counter()
    release = load_release()
    features = move_features(release)
    observed = observed_shares(release)
    choices = observed_choices(features, observed)
    units = {u for u in observed.unit_of if u}
    model = fit_move_model(
        choices,
        observed_weight=OBSERVED_WEIGHT,
        l2=L2,
        fitted_on=(
            f"CPS ASEC moves ({CPS_FILE.name}) of {len(units)} origin units (BLS OES)"
            f" ({len(choices)} O*NET-SOC origins); O*NET {release.release}, BLS EP 2024-34,"
            " Career Changers 25.1; command: python -m bench.fit_move_model"
        ),
    )
    for name, beta in sorted(
        zip(model.features, model.coefficients, strict=True), key=lambda t: -abs(t[1])
    ):
        print(f"  {name:<28} {beta:+.3f}")
    text = json.dumps(model.model_dump(), indent=1) + "\n"
    if args.check:
        current = MoveModel.model_validate_json(args.out.read_text(encoding="utf-8"))
        diff = np.max(np.abs(np.subtract(current.coefficients, model.coefficients)))
        print(f"largest coefficient difference from {args.out}: {diff:.2e}")
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"written {args.out}")
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
