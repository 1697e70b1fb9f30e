"""The memory store's warm-start snapshot (graph/backends/snapshot.py), on the fixture release.

A restored store must answer exactly like a freshly loaded one; any change to a source file
must make the snapshot unusable (a new key), and a broken snapshot is only a cache miss.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from graph.backends import snapshot
from graph.backends.networkx_store import NetworkxStore
from graph.backends.snapshot import (
    load_or_build_store,
    load_snapshot,
    prune_snapshots,
    save_snapshot,
    snapshot_key,
    snapshot_path,
)
from graph.model import OnetRelease
from graph.paths import RouteFilters
from graph.service import find_career_paths, resolve_title
from loaders.onet import read_onet_release
from loaders.pipeline import build_career_data

RELATED = RouteFilters(relationship="RELATED_TO")
MOVES = RouteFilters()


def _build(folder: Path) -> NetworkxStore:
    """The memory store ``careergraph`` builds from a release folder (no BLS data)."""
    release = build_career_data(read_onet_release(folder), bls_dir=None, career_changers_dir=None)
    store = NetworkxStore()
    store.load(release)
    return store


class CountingBuild:
    """A build callable that counts its calls."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.calls = 0

    def __call__(self) -> NetworkxStore:
        self.calls += 1
        return _build(self.folder)


@pytest.fixture
def fresh_and_restored(mini_copy: Path, tmp_path: Path) -> tuple[NetworkxStore, NetworkxStore]:
    """A store loaded from the fixture, and the same store saved and restored."""
    fresh = _build(mini_copy)
    key = snapshot_key([mini_copy])
    path = snapshot_path(tmp_path / "cache", key)
    assert save_snapshot(fresh, path, key) > 0
    restored = load_snapshot(path, key)
    assert restored is not None and restored is not fresh
    return fresh, restored


def test_restored_store_answers_like_a_fresh_one(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_release: OnetRelease
) -> None:
    fresh, restored = fresh_and_restored
    assert restored.counts() == fresh.counts()
    assert restored.loaded_release() == fresh.loaded_release()
    codes = sorted(o.code for o in mini_release.occupations)
    routes = 0
    for a, b in itertools.permutations(codes, 2):
        for filters in (MOVES, RELATED):
            want = fresh.find_k_cheapest_paths([a], [b], 3, 4, filters)
            got = restored.find_k_cheapest_paths([a], [b], 3, 4, filters)
            assert got == want
            for path in want:
                routes += 1
                for x, y in itertools.pairwise(path.codes):
                    assert restored.explain_hop(x, y, 5, filters.relationship) == (
                        fresh.explain_hop(x, y, 5, filters.relationship)
                    )
        assert restored.get_occupation_gap(a, b) == fresh.get_occupation_gap(a, b)
    assert routes > 0
    for code in codes:
        assert restored.get_occupation(code) == fresh.get_occupation(code)
        assert restored.get_occupation_profile(code) == fresh.get_occupation_profile(code)
        assert restored.list_related_occupations(code) == fresh.list_related_occupations(code)
        assert restored.suggest_occupations_by_code(code) == fresh.suggest_occupations_by_code(code)


def test_restored_store_resolves_titles_like_a_fresh_one(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_release: OnetRelease
) -> None:
    fresh, restored = fresh_and_restored
    queries = [t.name for t in mini_release.titles] + ["nurse", "enginer", "xyzzy-not-a-job"]
    for text in queries:
        assert restored.find_titles_exact(text) == fresh.find_titles_exact(text)
        assert restored.search_titles(text, 10) == fresh.search_titles(text, 10)
    for title in mini_release.titles:
        got, want = resolve_title(restored, title.name), resolve_title(fresh, title.name)
        assert got.model_dump() == want.model_dump()
        # pydantic's "fields set" survive too (they decide exclude_unset dumps)
        assert got.model_dump(exclude_unset=True) == want.model_dump(exclude_unset=True)


def test_restored_store_gives_the_same_explained_routes(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_release: OnetRelease
) -> None:
    fresh, restored = fresh_and_restored
    first, last = mini_release.occupations[0].code, mini_release.occupations[3].code
    want = find_career_paths(fresh, first, last, k=3, max_hops=4)
    got = find_career_paths(restored, first, last, k=3, max_hops=4)
    assert got.model_dump(mode="json") == want.model_dump(mode="json")


def test_second_open_uses_the_snapshot(mini_copy: Path, tmp_path: Path) -> None:
    build = CountingBuild(mini_copy)
    first = load_or_build_store(tmp_path, [mini_copy, None], build)
    second = load_or_build_store(tmp_path, [mini_copy, None], build)
    assert build.calls == 1
    assert second is not first and second.counts() == first.counts()
    assert len(list((tmp_path / "snapshots").glob("memory-*.pickle"))) == 1


def test_changed_source_file_invalidates_the_snapshot(mini_copy: Path, tmp_path: Path) -> None:
    build = CountingBuild(mini_copy)
    load_or_build_store(tmp_path, [mini_copy], build)
    key_before = snapshot_key([mini_copy])

    table = mini_copy / "Occupation Data.txt"
    stat = table.stat()
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched
    assert snapshot_key([mini_copy]) != key_before
    load_or_build_store(tmp_path, [mini_copy], build)
    assert build.calls == 2

    key_touched = snapshot_key([mini_copy])
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited
    assert snapshot_key([mini_copy]) != key_touched
    load_or_build_store(tmp_path, [mini_copy], build)
    assert build.calls == 3


def test_key_depends_on_which_sources_and_on_the_code(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert snapshot_key([mini_copy]) == snapshot_key([mini_copy])
    assert snapshot_key([mini_copy]) != snapshot_key([mini_copy, None])
    assert snapshot_key([mini_copy, tmp_path / "absent"]) != snapshot_key([mini_copy, None])

    package = tmp_path / "code"
    (package / "graph").mkdir(parents=True)
    module = package / "graph" / "career_moves.py"
    module.write_text("COST = 10\n", encoding="utf-8")
    monkeypatch.setattr(snapshot, "_PACKAGE_ROOT", package)
    before = snapshot_key([mini_copy])
    module.write_text("COST = 12\n", encoding="utf-8")  # the code deriving the graph changed
    assert snapshot_key([mini_copy]) != before


def test_unreadable_snapshot_is_a_miss_and_is_rewritten(mini_copy: Path, tmp_path: Path) -> None:
    key = snapshot_key([mini_copy])
    path = snapshot_path(tmp_path, key)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert load_snapshot(path, key) is None
    build = CountingBuild(mini_copy)
    store = load_or_build_store(tmp_path, [mini_copy], build)
    assert build.calls == 1 and store.loaded_release() is not None
    assert load_snapshot(path, key) is not None  # replaced by a good one
    assert load_snapshot(path, "another-key") is None
    assert load_snapshot(tmp_path / "absent.pickle", key) is None


def test_truncated_snapshot_is_a_miss(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_copy: Path, tmp_path: Path
) -> None:
    fresh, _ = fresh_and_restored
    key = snapshot_key([mini_copy])
    path = tmp_path / "truncated.pickle"
    save_snapshot(fresh, path, key)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert load_snapshot(path, key) is None


def test_empty_store_is_not_saved(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty memory store"):
        save_snapshot(NetworkxStore(), tmp_path / "s.pickle", "k")
    assert not (tmp_path / "s.pickle").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_unwritable_cache_still_gives_the_store(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder should be", encoding="utf-8")
    build = CountingBuild(mini_copy)
    store = load_or_build_store(cache, [mini_copy], build)
    assert build.calls == 1 and store.loaded_release() is not None


def test_prune_keeps_the_newest_snapshots(tmp_path: Path) -> None:
    folder = tmp_path / "snapshots"
    folder.mkdir()
    for age in range(5):
        path = folder / f"memory-{age}.pickle"
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    deleted = prune_snapshots(tmp_path, keep=3)
    assert sorted(p.name for p in deleted) == ["memory-3.pickle", "memory-4.pickle"]
    assert sorted(p.name for p in folder.iterdir()) == [f"memory-{i}.pickle" for i in range(3)]
    assert prune_snapshots(tmp_path / "nothing-here") == []
