"""Damaged O*NET releases against a loaded graph, on both backends, through the real CLI.

Each corruption of the real O*NET 29.3 release (cut at a line boundary, cut mid-row, a
conflicting duplicate, a 10 MB field, a junk workbook, a non-UTF-8 byte, an empty file, a
missing table) makes ``careergraph load`` exit 1 with ONE line naming the file (and the line
and column where they apply), with no traceback, and leaves the loaded graph as it was: the
Neo4j graph keeps its counts and release metadata, the memory graph (its newest snapshot)
is untouched. A release that only lost rows is refused unless ``--allow-shrink``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from careergraph.api.settings import Settings
from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.backends.snapshot import (
    latest_snapshot_header,
    read_install_key,
    save_snapshot,
    snapshot_key,
    snapshot_path,
)
from careergraph.graph.errors import ReleaseShrinkError
from careergraph.graph.model import OnetRelease
from careergraph.loaders.integrity import replace_graph
from careergraph.loaders.onet import read_onet_release, read_release_manifest
from careergraph.loaders.pipeline import read_release
from tests.api.support import FIXTURE_DIR, careergraph_command

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Corruption:
    """How to damage one table of a release copy, and what the error line must name."""

    name: str
    table: str
    damage: Callable[[Path], None]  # gets the copied table file (.txt); may replace it
    line: int | None
    column: str | None
    reason: str
    file_suffix: str = ".txt"


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def _keep_lines(count: int) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.write_bytes(b"\n".join(_lines(path)[:count]) + b"\n")

    return damage


def _cut_mid_row(line: int) -> Callable[[Path], None]:
    """Cut the file inside line ``line`` (1-based), after its first tab and 3 characters."""

    def damage(path: Path) -> None:
        lines = _lines(path)
        row = lines[line - 1]
        lines[line - 1] = row[: row.index(b"\t") + 4]
        path.write_bytes(b"\n".join(lines[:line]))

    return damage


def _append_conflicting_job_zone(path: Path) -> None:
    lines = _lines(path)
    first = lines[1].split(b"\t")
    first[2] = b"5" if first[2] != b"5" else b"1"  # same occupation, another Job Zone
    body = b"\n".join(line for line in lines if line)
    path.write_bytes(body + b"\n" + b"\t".join(first) + b"\n")


def _set_cell(line: int, column: int, value: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        lines = _lines(path)
        cells = lines[line - 1].split(b"\t")
        cells[column] = value
        lines[line - 1] = b"\t".join(cells)
        path.write_bytes(b"\n".join(lines))

    return damage


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _junk_workbook(path: Path) -> None:
    path.unlink()
    path.with_suffix(".xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")


CORRUPTIONS = [
    # 9,000 of 18,460 rows: whole lines, every row well-formed, an occupation boundary
    Corruption(
        "cut at a line boundary",
        "Related Occupations",
        _keep_lines(9001),
        9001,
        None,
        "9,000 data rows, but O*NET 29.3 has 18,460",
    ),
    Corruption(
        "cut mid-row",
        "Job Zones",
        _cut_mid_row(501),
        501,
        "Job Zone",
        "truncated row: 2 cells, header has 5",
    ),
    Corruption(
        "conflicting duplicate",
        "Job Zones",
        _append_conflicting_job_zone,
        925,
        "Job Zone",
        "conflicting duplicate: the job zone of 11-1011.00",
    ),
    Corruption(
        "10 MB field",
        "Occupation Data",
        _set_cell(400, 2, b"x" * 10_000_000),
        400,
        "Description",
        "10,000,000-character value",
    ),
    Corruption(
        "junk .xlsx",
        "Occupation Data",
        _junk_workbook,
        None,
        None,
        "not a readable Excel workbook",
        ".xlsx",
    ),
    Corruption(
        "non-UTF-8 byte",
        "Occupation Data",
        _set_cell(300, 1, b"Caf\xe9 Workers"),
        300,
        "Title",
        "bytes e9 are not UTF-8 text",
    ),
    Corruption(
        "empty file",
        "Scales Reference",
        _empty,
        1,
        None,
        "file is empty",
    ),
    Corruption("missing table", "Job Zones", lambda path: path.unlink(), None, None, "is missing"),
]


def _damaged_release(source: Path, folder: Path, corruption: Corruption) -> Path:
    """A copy of ``source`` (links to its files) named like it (``db_29_3_tsv``, so the
    release label is detected), with ``corruption`` applied to a real copy of one table."""
    release = folder / source.name
    release.mkdir(parents=True)
    for file in source.iterdir():
        (release / file.name).symlink_to(file)
    table = release / f"{corruption.table}.txt"
    table.unlink()
    table.write_bytes((source / table.name).read_bytes())
    corruption.damage(table)
    return release


def _run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*careergraph_command(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        check=False,
    )


def _assert_one_error_line(done: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), lines[0]
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


def _expected_parts(release: Path, corruption: Corruption) -> list[str]:
    file = release / f"{corruption.table}{corruption.file_suffix}"
    parts = [str(file), corruption.reason]
    if corruption.line is not None:
        parts.append(f"line {corruption.line}")
    if corruption.column is not None:
        parts.append(f"column {corruption.column!r}")
    return parts


@dataclass
class MemoryGraph:
    """The loaded memory graph of a private cache: its newest (and only) snapshot."""

    env: dict[str, str]
    settings: Settings
    snapshot: Path

    def state(self) -> tuple[list[tuple[str, int, int]], object]:
        files = sorted(self.snapshot.parent.iterdir())
        stats = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files]
        secret = read_install_key(self.settings.snapshot_key_file)
        return stats, latest_snapshot_header(self.settings.cache_dir, secret)


@pytest.fixture(scope="module")
def memory_graph(
    memory_store: NetworkxStore, onet_tsv_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> MemoryGraph:
    """O*NET 29.3 (+ BLS, derived edges) as the loaded memory graph of a private cache
    and config folder (what `careergraph load --backend memory` leaves)."""
    root = tmp_path_factory.mktemp("memory-graph")
    env = {
        **os.environ,
        "CAREERGRAPH_CACHE_DIR": str(root / "cache"),
        "CAREERGRAPH_CONFIG_DIR": str(root / "config"),
        "CAREERGRAPH_ONET_DIR": str(onet_tsv_dir),
    }
    settings = Settings().model_copy(
        update={"cache_dir": root / "cache", "config_dir": root / "config"}
    )
    key = snapshot_key([onet_tsv_dir, settings.resolve_bls_dir()])
    path = snapshot_path(settings.cache_dir, key)
    save_snapshot(memory_store, path, key, read_install_key(settings.snapshot_key_file))
    return MemoryGraph(env, settings, path)


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=lambda c: c.name)
def test_damaged_release_is_refused_by_neo4j_load(
    corruption: Corruption, neo4j_store: Neo4jStore, onet_tsv_dir: Path, tmp_path: Path
) -> None:
    before = (neo4j_store.counts(), neo4j_store.loaded_release(), neo4j_store.loaded_table_rows())
    release = _damaged_release(onet_tsv_dir, tmp_path, corruption)
    done = _run_cli(["load", "--backend", "neo4j", "--onet", str(release)], dict(os.environ))
    _assert_one_error_line(done, *_expected_parts(release, corruption))
    after = (neo4j_store.counts(), neo4j_store.loaded_release(), neo4j_store.loaded_table_rows())
    assert after == before


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=lambda c: c.name)
def test_damaged_release_is_refused_by_memory_load(
    corruption: Corruption, memory_graph: MemoryGraph, onet_tsv_dir: Path, tmp_path: Path
) -> None:
    before = memory_graph.state()
    release = _damaged_release(onet_tsv_dir, tmp_path, corruption)
    done = _run_cli(["load", "--backend", "memory", "--onet", str(release)], memory_graph.env)
    _assert_one_error_line(done, *_expected_parts(release, corruption))
    assert memory_graph.state() == before


def test_serve_with_a_damaged_release_is_one_line_not_a_traceback(
    memory_graph: MemoryGraph, onet_tsv_dir: Path, tmp_path: Path
) -> None:
    corruption = next(c for c in CORRUPTIONS if c.name == "non-UTF-8 byte")
    release = _damaged_release(onet_tsv_dir, tmp_path, corruption)
    env = {**memory_graph.env, "CAREERGRAPH_ONET_DIR": str(release)}
    done = _run_cli(["serve", "--backend", "memory", "--port", "1"], env)
    _assert_one_error_line(done, *_expected_parts(release, corruption))


def test_memory_load_refuses_a_shrunk_release_unless_allowed(tmp_path: Path) -> None:
    """The fixture release (99.1: not in the manifest) as the loaded memory graph; a copy
    that lost half of Related Occupations at a line boundary is refused, and loaded with
    --allow-shrink."""
    store = NetworkxStore()
    store.load(read_onet_release(FIXTURE_DIR))
    env = {
        **os.environ,
        "CAREERGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "CAREERGRAPH_CONFIG_DIR": str(tmp_path / "config"),
    }
    secret = read_install_key(tmp_path / "config" / "snapshot.key")
    save_snapshot(store, snapshot_path(tmp_path / "cache", "loaded"), "loaded", secret)
    shrunk = Corruption("shrunk", "Related Occupations", _keep_lines(9), None, None, "")
    release = _damaged_release(FIXTURE_DIR, tmp_path / "copy", shrunk)

    done = _run_cli(["load", "--backend", "memory", "--onet", str(release)], env)
    _assert_one_error_line(done, "Related Occupations 17 -> 8 rows", "Pass --allow-shrink")
    header = latest_snapshot_header(tmp_path / "cache", secret)
    assert header is not None and header.key == "loaded"

    args = ["load", "--backend", "memory", "--onet", str(release), "--allow-shrink"]
    allowed = _run_cli(args, env)
    assert allowed.returncode == 0, allowed.stderr
    header = latest_snapshot_header(tmp_path / "cache", secret)
    assert header is not None and header.table_rows["Related Occupations"] == 8


@pytest.fixture
def fixture_release() -> OnetRelease:
    """The fixture release 99.1 with derived edges, as `careergraph load` reads it."""
    settings = Settings().model_copy(update={"onet_dir": FIXTURE_DIR})
    return read_release(settings.release_sources())


def test_replace_graph_checks_the_loaded_neo4j_graph(
    neo4j_store: Neo4jStore, fixture_release: OnetRelease
) -> None:
    """The shrink check reads the counts the last Neo4j load recorded (GraphRelease)."""
    before = neo4j_store.counts()
    assert neo4j_store.loaded_table_rows() == neo4j_store_release_rows(neo4j_store)
    with pytest.raises(ReleaseShrinkError, match="Alternate Titles 56,560 -> 10 rows, "):
        replace_graph(neo4j_store, fixture_release)
    assert neo4j_store.counts() == before


def neo4j_store_release_rows(store: Neo4jStore) -> dict[str, int] | None:
    """What the loaded 29.3 graph must have recorded: the manifest's counts."""
    assert store.loaded_release() == "29.3"
    rows: dict[str, int] = read_release_manifest()["29.3"]["table_rows"]
    return rows
