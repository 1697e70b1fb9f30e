"""Top-1 agreement of title resolution with careers-adviser labels, on both backends.

Run:  .venv/bin/python -m bench.evaluate_titles [--no-neo4j]

Data (``$CAREERGRAPH_SHARED_DATA``, default ``../shared/data``):

* ``eval/titles_expected.csv``: 84 titles people type, each with the O*NET-SOC codes a
  careers adviser accepts (``common``, ``misspelled``) or none (``no_match``: must resolve
  to nothing). Top-1 agreement: :func:`graph.titles.resolve_title` gives one of the
  accepted codes, or, for ``no_match``, raises UnknownOccupationError.
* ``eval/routes_expected.csv``: the ``from`` and ``to`` roles of the reviewed routes, a
  check on titles that are not in the file above: each ``to`` title should resolve to one
  of its row's ``end`` codes, each ``from`` title to some occupation.

Targets (issue 9): >= 95 % of common titles, >= 80 % of misspellings, 100 % of no-match
queries. The script also checks that both backends give identical resolutions (every
field) for every row, prints the misses, writes ``bench/results/evaluate_titles.json`` and
exits 1 when a target is missed or the backends disagree. The memory backend is built from
the same release as ``careergraph load``; Neo4j is (re)loaded when its title records differ.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import Report, argument_parser, bench_release, memory_store, neo4j_store
from careergraph.api.settings import REPO_ROOT, Settings
from careergraph.graph.errors import UnknownOccupationError
from careergraph.graph.store import GraphStore
from careergraph.graph.titles import TitleResolution, resolve_title

SHARED = Path(os.environ.get("CAREERGRAPH_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
TITLES_FILE = SHARED / "eval" / "titles_expected.csv"
ROUTES_FILE = SHARED / "eval" / "routes_expected.csv"
KINDS = ("common", "misspelled", "no_match")
TARGET_PCT = {"common": 95.0, "misspelled": 80.0, "no_match": 100.0}
"""Least top-1 agreement per kind, percent (issue 9, "Done when")."""


@dataclass(frozen=True)
class LabelledTitle:
    """One row of ``titles_expected.csv``: the text, the accepted codes (empty: none)."""

    query: str
    acceptable: frozenset[str]
    kind: str


def read_labels(path: Path = TITLES_FILE) -> list[LabelledTitle]:
    """The rows of ``titles_expected.csv`` (columns query, acceptable, kind, note)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LabelledTitle(row["query"], frozenset(row["acceptable"].split()), row["kind"])
            for row in csv.DictReader(handle)
        ]


def resolve_or_none(store: GraphStore, text: str) -> TitleResolution | None:
    """The resolution of ``text``, or None when it resolves to nothing."""
    try:
        return resolve_title(store, text)
    except UnknownOccupationError:
        return None


def agrees(label: LabelledTitle, resolution: TitleResolution | None) -> bool:
    """Top-1 agreement: an accepted code, or nothing for a ``no_match`` row."""
    if label.kind == "no_match":
        return resolution is None
    return resolution is not None and resolution.codes[0] in label.acceptable


def agreement_rows(
    backend: str, labels: Sequence[LabelledTitle], resolutions: Sequence[TitleResolution | None]
) -> tuple[list[list[object]], dict[str, dict[str, float]]]:
    """Table rows and JSON figures of top-1 agreement per kind."""
    rows: list[list[object]] = []
    data: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        idx = [i for i, label in enumerate(labels) if label.kind == kind]
        right = sum(agrees(labels[i], resolutions[i]) for i in idx)
        pct = 100.0 * right / len(idx) if idx else 0.0
        met = pct >= TARGET_PCT[kind]
        data[kind] = {"n": len(idx), "right": right, "pct": round(pct, 1), "met": met}
        rows.append(
            [backend, kind, len(idx), f"{right} ({pct:.1f} %)", f">= {TARGET_PCT[kind]:g} %", met]
        )
    return rows, data


def describe(resolution: TitleResolution | None) -> str:
    """``code occupation (confidence[, ambiguous])`` or ``nothing``."""
    if resolution is None:
        return "nothing"
    best = resolution.matches[0]
    flag = ", ambiguous" if resolution.ambiguous else ""
    return f"{best.code} {best.occupation_title} ({resolution.confidence}{flag})"


def titles_match(a: GraphStore, b: GraphStore) -> bool:
    """Do two stores hold the same title records?"""
    return a.title_index().records == b.title_index().records


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate; print the tables; write the JSON; 0 if every target is met, else 1."""
    args = argument_parser(__doc__).parse_args(argv)
    settings = Settings()
    labels = read_labels()
    with ROUTES_FILE.open(encoding="utf-8", newline="") as handle:
        routes = list(csv.DictReader(handle))
    report = Report(
        "evaluate_titles",
        {"titles_file": str(TITLES_FILE), "routes_file": str(ROUTES_FILE), "rows": len(labels)},
    )
    release = bench_release(settings)
    stores: dict[str, GraphStore] = {"memory": memory_store(release)}
    if not args.no_neo4j:
        neo4j = neo4j_store(settings)
        if neo4j.loaded_release() is None or not titles_match(neo4j, stores["memory"]):
            print(f"loading O*NET {release.release} into Neo4j at {neo4j.uri} ...", flush=True)
            neo4j.load(release)
        stores["neo4j"] = neo4j

    table: list[list[object]] = []
    misses: list[list[object]] = []
    resolved: dict[str, list[TitleResolution | None]] = {}
    ok = True
    for backend, store in stores.items():
        started = time.perf_counter()
        resolved[backend] = [resolve_or_none(store, label.query) for label in labels]
        seconds = time.perf_counter() - started
        rows, data = agreement_rows(backend, labels, resolved[backend])
        table += rows
        report.results[backend] = {**data, "seconds": round(seconds, 2)}
        ok = ok and all(d["met"] for d in data.values())
        misses += [
            [backend, label.kind, label.query, describe(res), " ".join(sorted(label.acceptable))]
            for label, res in zip(labels, resolved[backend], strict=True)
            if not agrees(label, res)
        ]
    report.table(
        f"Title resolution: top-1 agreement with {TITLES_FILE.name} ({len(labels)} rows)",
        ["backend", "kind", "n", "agree", "target", "met"],
        table,
    )
    report.table(
        "Title resolution: rows that disagree",
        ["backend", "kind", "query", "resolved to", "accepted"],
        misses or [["-", "-", "-", "-", "-"]],
    )
    if "neo4j" in resolved:
        same = sum(a == b for a, b in zip(resolved["memory"], resolved["neo4j"], strict=True))
        report.results["backends_identical_rows"] = same
        report.table(
            "Title resolution: memory and Neo4j give identical resolutions (every field)",
            ["rows", "identical"],
            [[len(labels), same]],
        )
        ok = ok and same == len(labels)

    memory = stores["memory"]
    route_rows: list[list[object]] = []
    ends_right = 0
    for row in routes:
        source, target = resolve_or_none(memory, row["from"]), resolve_or_none(memory, row["to"])
        right = target is not None and target.codes[0] in row["end"].split()
        ends_right += right
        route_rows.append([row["from"], describe(source), row["to"], describe(target), right])
    report.results["routes"] = {"rows": len(routes), "to_title_resolves_to_an_end": ends_right}
    report.table(
        f"Route roles ({ROUTES_FILE.name}, memory): 'to' resolving to one of the row's end "
        f"codes: {ends_right} of {len(routes)}",
        ["from", "resolves to", "to", "resolves to", "to in end codes"],
        route_rows,
    )
    for store in stores.values():
        store.close()
    report.results["targets_met"] = ok
    report.save()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
