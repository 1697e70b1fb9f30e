"""Helpers shared by the unit tests (paths, TSV reading/editing, brute-force paths)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from careergraph.graph.paths import RawPath, RouteFilters, path_sort_key, route_key

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "onet_mini"


def checkout_files() -> list[str]:
    """The repository's files as a fresh clone would have them, plus new files git does not
    ignore: paths relative to :data:`REPO_ROOT`, ``/``-separated."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name]


def shared_data_dir() -> Path:
    """The project's shared data folder: ``$CAREERGRAPH_SHARED_DATA`` or ``../shared/data``."""
    env = os.environ.get("CAREERGRAPH_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-delimited file as dicts (header = first line)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def table_path(folder: Path, table: str) -> Path:
    return folder / f"{table}.txt"


def fixture_rows(table: str) -> list[dict[str, str]]:
    """Data rows of a fixture table."""
    return read_tsv(table_path(FIXTURE_DIR, table))


def copy_fixture(destination: Path) -> Path:
    """Copy the mini release to ``destination`` (a new folder) and return it."""
    shutil.copytree(FIXTURE_DIR, destination)
    return destination


def edit_lines(path: Path, edit: Callable[[list[list[str]]], None]) -> None:
    """Rewrite a tab-delimited file after ``edit`` changed its rows of cells in place
    (``rows[0]`` is the header, ``rows[i]`` is file line ``i + 1``)."""
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    edit(rows)
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")


def find_line(path: Path, predicate: Callable[[dict[str, str]], bool]) -> int:
    """1-based file line (header = 1) of the first data row matching ``predicate``."""
    for index, row in enumerate(read_tsv(path), start=2):
        if predicate(row):
            return index
    raise AssertionError(f"no row of {path.name} matches")


def zip_folder(
    folder: Path,
    destination: Path,
    *,
    top: str,
    names: Iterable[str] | None = None,
    crlf: bool = False,
) -> Path:
    """Zip ``folder``'s files (or only ``names``) under one top folder ``top/``."""
    files = sorted(folder.iterdir()) if names is None else [folder / n for n in names]
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for file in files:
            if crlf:
                text = file.read_text(encoding="utf-8").replace("\n", "\r\n")
                archive.writestr(f"{top}/{file.name}", text.encode("utf-8"))
            else:
                archive.write(file, f"{top}/{file.name}")
    return destination


def brute_force_paths(
    adjacency: Mapping[str, Sequence[tuple[str, float]]],
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    k: int,
    max_hops: int,
    via: str | None = None,
) -> list[RawPath]:
    """Reference answer: every loop-free path of 1..max_hops hops from a source to a
    target that passes through no other target (and through ``via`` if given), sorted by
    ``path_sort_key``, one per ``route_key``, first k."""
    target_set = set(targets)
    found: list[RawPath] = []

    def dfs(codes: list[str], costs: list[float]) -> None:
        last = codes[-1]
        if costs and last in target_set:
            if via is None or via in codes:
                found.append(RawPath(codes=list(codes), hop_costs=list(costs)))
            return
        if len(costs) == max_hops:
            return
        for nxt, cost in adjacency.get(last, ()):
            if nxt not in codes:
                dfs([*codes, nxt], [*costs, cost])

    for source in dict.fromkeys(sources):
        dfs([source], [])
    found.sort(key=path_sort_key)
    distinct: list[RawPath] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for path in found:  # same occupations in another order: not a new route
        if route_key(path.codes) not in seen:
            seen.add(route_key(path.codes))
            distinct.append(path)
    return distinct[:k]


# Fixture codes (see tests/fixtures/onet_mini/Related Occupations.txt)
A, B, C, D, E, F, G, H = (
    "15-9901.00",
    "15-9902.00",
    "15-9903.00",
    "15-9904.00",
    "11-9905.00",
    "43-9906.00",
    "43-9907.00",
    "47-9908.00",
)


RELATED = RouteFilters(relationship="RELATED_TO")
"""Route over O*NET Related Occupations (the v0 cost), as the fixture tests expect."""
