"""The memory store's warm-start snapshot (graph/backends/snapshot.py), on the fixture release.

A restored store must answer exactly like a freshly loaded one; any change to a source file
must make the snapshot unusable (a new key), a broken snapshot is only a cache miss, and
nothing in the cache is unpickled before it is authenticated with the install key.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from careergraph.api.deps import memory_graph_sources
from careergraph.api.settings import Settings
from careergraph.graph.backends import snapshot
from careergraph.graph.backends.compact import CompactModels
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.backends.snapshot import (
    SnapshotKeyError,
    latest_snapshot_header,
    load_or_build_store,
    load_snapshot,
    prune_snapshots,
    read_install_key,
    read_snapshot_header,
    save_snapshot,
    snapshot_key,
    snapshot_path,
)
from careergraph.graph.model import OnetRelease
from careergraph.graph.paths import RouteFilters
from careergraph.graph.service import find_career_paths, resolve_title
from careergraph.graph.titles import TitleIndex
from careergraph.loaders.onet import read_onet_release
from careergraph.loaders.pipeline import build_career_data

RELATED = RouteFilters(relationship="RELATED_TO")
MOVES = RouteFilters()
SECRET = b"k" * 32


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
    assert save_snapshot(fresh, path, key, SECRET) > 0
    restored = load_snapshot(path, key, SECRET)
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
        got_search = restored.title_index().look_up(text, 10)
        assert got_search == fresh.title_index().look_up(text, 10)
    for title in mini_release.titles:
        got, want = resolve_title(restored, title.name), resolve_title(fresh, title.name)
        assert got.model_dump() == want.model_dump()
        # pydantic's "fields set" survive too (they decide exclude_unset dumps)
        assert got.model_dump(exclude_unset=True) == want.model_dump(exclude_unset=True)


def test_restored_title_index_unpickles_its_fuzzy_part_on_first_use(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore],
    mini_release: OnetRelease,
    tmp_path: Path,
) -> None:
    """An exact lookup (what a route query needs) leaves the fuzzy-search structures
    packed; the first fuzzy search unpacks them; saved again either way, the index
    answers alike."""
    fresh, restored = fresh_and_restored
    index = restored.title_index()
    assert not TitleIndex.DEFERRED & vars(index).keys()
    exact = mini_release.titles[0].name
    assert resolve_title(restored, exact).model_dump() == resolve_title(fresh, exact).model_dump()
    assert not TitleIndex.DEFERRED & vars(index).keys()
    key = snapshot_key([tmp_path])
    again = tmp_path / "again.snapshot"
    save_snapshot(restored, again, key, SECRET)  # still packed
    assert index.look_up("enginer") == fresh.title_index().look_up("enginer")
    assert vars(index).keys() >= TitleIndex.DEFERRED
    twice = load_snapshot(again, key, SECRET)
    assert twice is not None
    save_snapshot(restored, again, key, SECRET)  # unpacked: packed again
    thrice = load_snapshot(again, key, SECRET)
    assert thrice is not None
    for store in (twice, thrice):
        for text in ("nurse", "enginer", "xyzzy-not-a-job", exact):
            assert store.title_index().look_up(text) == fresh.title_index().look_up(text)


def test_restored_indexes_unpickle_what_a_route_query_does_not_read_at_first_use(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_release: OnetRelease
) -> None:
    fresh, restored = fresh_and_restored
    idx = restored._require()
    deferred = type(idx).DEFERRED
    assert deferred and not deferred & vars(idx).keys()
    first, last = mini_release.occupations[0].code, mini_release.occupations[3].code
    got = find_career_paths(restored, first, last, k=3, max_hops=4)
    want = find_career_paths(fresh, first, last, k=3, max_hops=4)
    assert got.model_dump(mode="json") == want.model_dump(mode="json")
    assert not deferred & vars(idx).keys()  # a route query reads none of them
    assert restored.get_occupation(first) == fresh.get_occupation(first)
    assert vars(idx).keys() >= deferred


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
    first = load_or_build_store(tmp_path, [mini_copy, None], build, tmp_path / "key")
    second = load_or_build_store(tmp_path, [mini_copy, None], build, tmp_path / "key")
    assert build.calls == 1
    assert second is not first and second.counts() == first.counts()
    assert len(list((tmp_path / "snapshots").glob("memory-*.snapshot"))) == 1


def test_changed_source_file_invalidates_the_snapshot(mini_copy: Path, tmp_path: Path) -> None:
    build = CountingBuild(mini_copy)
    load_or_build_store(tmp_path, [mini_copy], build, tmp_path / "key")
    key_before = snapshot_key([mini_copy])

    table = mini_copy / "Occupation Data.txt"
    stat = table.stat()
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched
    assert snapshot_key([mini_copy]) != key_before
    load_or_build_store(tmp_path, [mini_copy], build, tmp_path / "key")
    assert build.calls == 2

    key_touched = snapshot_key([mini_copy])
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited
    assert snapshot_key([mini_copy]) != key_touched
    load_or_build_store(tmp_path, [mini_copy], build, tmp_path / "key")
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
    assert load_snapshot(path, key, SECRET) is None
    build = CountingBuild(mini_copy)
    store = load_or_build_store(tmp_path, [mini_copy], build, tmp_path / "key")
    assert build.calls == 1 and store.loaded_release() is not None
    secret = read_install_key(tmp_path / "key")
    assert load_snapshot(path, key, secret) is not None  # replaced by a good one
    assert load_snapshot(path, "another-key", secret) is None
    assert load_snapshot(tmp_path / "absent.snapshot", key, secret) is None


def test_truncated_snapshot_is_a_miss(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_copy: Path, tmp_path: Path
) -> None:
    fresh, _ = fresh_and_restored
    key = snapshot_key([mini_copy])
    path = tmp_path / "truncated.snapshot"
    save_snapshot(fresh, path, key, SECRET)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert load_snapshot(path, key, SECRET) is None


def test_empty_store_is_not_saved(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty memory store"):
        save_snapshot(NetworkxStore(), tmp_path / "s.snapshot", "k", SECRET)
    assert not (tmp_path / "s.snapshot").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_unwritable_cache_still_gives_the_store(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder should be", encoding="utf-8")
    build = CountingBuild(mini_copy)
    store = load_or_build_store(cache, [mini_copy], build, tmp_path / "key")
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


# -- authentication: nothing from the cache runs before it verifies ----------------------


class _WritesMarker:
    """Unpickling this object creates ``path`` (what a planted snapshot would do)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.path,))


def test_the_planted_payload_would_run(tmp_path: Path) -> None:
    """The payload the tests plant does run code when unpickled naively."""
    marker = tmp_path / "marker"
    pickle.loads(pickle.dumps(_WritesMarker(marker)))
    assert marker.exists()


def _planted_files(key: str, marker: Path) -> list[bytes]:
    """Files an attacker could plant at the snapshot's path: the old format (two pickles),
    the new format with a forged or copied-from-elsewhere header tag, a bare pickle."""
    payload = pickle.dumps(_WritesMarker(marker))
    old_header = pickle.dumps({"magic": "careergraph-memory-snapshot", "format": 1, "key": key})
    header = (
        json.dumps(
            {
                "format": snapshot.SNAPSHOT_FORMAT,
                "key": key,
                "release": "99.1",
                "table_rows": {},
                "body_size": len(payload),
                "body_sha256": hashlib.sha256(payload).hexdigest(),
                "created": "2026-01-01T00:00:00+00:00",
            }
        ).encode()
        + b"\n"
    )
    other_key_tag = hmac.new(b"x" * 32, snapshot.MAGIC + header, hashlib.sha256).hexdigest()
    return [
        pickle.dumps(_WritesMarker(marker)),
        old_header + payload,
        snapshot.MAGIC + header + b"0" * 64 + b"\n" + payload,
        snapshot.MAGIC + header + other_key_tag.encode() + b"\n" + payload,
    ]


def test_planted_snapshot_never_runs(
    mini_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = snapshot_key([mini_copy])
    path = snapshot_path(tmp_path / "cache", key)
    path.parent.mkdir(parents=True)
    marker = tmp_path / "marker"
    build = CountingBuild(mini_copy)
    for number, planted in enumerate(_planted_files(key, marker), start=1):
        path.write_bytes(planted)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="careergraph.snapshot"):
            store = load_or_build_store(tmp_path / "cache", [mini_copy], build, tmp_path / "key")
        assert not marker.exists(), f"planted file {number} ran code"
        assert store.loaded_release() == "99.1" and build.calls == number  # rebuilt
        warnings = [r.getMessage() for r in caplog.records]
        assert len(warnings) == 1 and "ignoring memory snapshot" in warnings[0], warnings
        assert read_snapshot_header(path, read_install_key(tmp_path / "key")) is not None


def test_a_flipped_body_byte_is_refused_before_unpickling(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_copy: Path, tmp_path: Path
) -> None:
    fresh, _ = fresh_and_restored
    key = snapshot_key([mini_copy])
    path = tmp_path / "flipped.snapshot"
    save_snapshot(fresh, path, key, SECRET)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.write_bytes(bytes(data))
    assert load_snapshot(path, key, SECRET) is None
    assert load_snapshot(path, key, b"another install's key!!") is None


def test_a_flipped_pickle_byte_is_refused_before_it_is_unpickled(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_copy: Path, tmp_path: Path
) -> None:
    """Every chunk of the streamed pickle is checked before the unpickler reads it: a
    changed byte anywhere in it (first, middle or last chunk) is a miss."""
    fresh, _ = fresh_and_restored
    key = snapshot_key([mini_copy])
    path = tmp_path / "flipped.snapshot"
    save_snapshot(fresh, path, key, SECRET)
    good = path.read_bytes()
    header = read_snapshot_header(path, SECRET)
    assert header is not None
    fields = json.loads(good.split(b"\n")[1])
    body_start = len(good) - fields["body_size"]
    for at in (0, fields["pickle_size"] // 2, fields["pickle_size"] - 1):
        data = bytearray(good)
        data[body_start + at] ^= 0x01
        path.write_bytes(bytes(data))
        assert load_snapshot(path, key, SECRET) is None
    path.write_bytes(good)
    assert load_snapshot(path, key, SECRET) is not None


def test_restored_compact_tables_are_views_of_the_snapshot_and_save_again(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore], mini_copy: Path, tmp_path: Path
) -> None:
    """The compact tables' buffers and the route arrays come back out of band (views of
    one region, no copy); a restored store saves and restores again to the same answers."""
    fresh, restored = fresh_and_restored
    key = snapshot_key([mini_copy])
    moves = restored._require().moves
    assert isinstance(moves, CompactModels)
    assert isinstance(moves._fields._buffer, memoryview)
    route = restored._require().routes["LEADS_TO"]
    assert route.growth_pct.base is not None  # a view, not an array owning a copy
    path = tmp_path / "again.snapshot"
    save_snapshot(restored, path, key, SECRET)
    again = load_snapshot(path, key, SECRET)
    assert again is not None and again.counts() == fresh.counts()
    code = next(iter(fresh._require().occupations))
    assert again.list_next_steps(code) == fresh.list_next_steps(code)


def test_header_records_release_and_table_rows(
    fresh_and_restored: tuple[NetworkxStore, NetworkxStore],
    mini_copy: Path,
    tmp_path: Path,
    mini_release: OnetRelease,
) -> None:
    fresh, restored = fresh_and_restored
    assert restored.loaded_table_rows() == mini_release.table_rows
    cache = tmp_path / "cache2"
    key = snapshot_key([mini_copy])
    save_snapshot(fresh, snapshot_path(cache, key), key, SECRET)
    header = latest_snapshot_header(cache, SECRET)
    assert header is not None and header.key == key and header.release == "99.1"
    assert header.table_rows == mini_release.table_rows
    assert latest_snapshot_header(cache, b"another install's key!!") is None


def test_install_key_is_owner_only_and_stable(tmp_path: Path) -> None:
    key_file = tmp_path / "config" / "snapshot.key"
    key = read_install_key(key_file)
    assert len(key) == 32 and read_install_key(key_file) == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    key_file.chmod(0o644)
    with pytest.raises(SnapshotKeyError, match="may be read by others"):
        read_install_key(key_file)


def test_unusable_key_skips_snapshots_but_builds(mini_copy: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "snapshot.key"
    key_file.write_text("not hex\n", encoding="utf-8")
    key_file.chmod(0o600)
    build = CountingBuild(mini_copy)
    store = load_or_build_store(tmp_path / "cache", [mini_copy], build, key_file)
    assert build.calls == 1 and store.loaded_release() == "99.1"
    assert not (tmp_path / "cache" / "snapshots").exists()


def test_planted_snapshot_does_not_run_in_careergraph_path(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: a file planted at the snapshot's predictable path, that would create a
    marker file when unpickled, is ignored by `careergraph path` (one warning line), which
    rebuilds the graph, answers and replaces the file with an authenticated snapshot."""
    env = {
        **os.environ,
        "CAREERGRAPH_ONET_DIR": str(mini_copy),
        "CAREERGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "CAREERGRAPH_CONFIG_DIR": str(tmp_path / "config"),
        "CAREERGRAPH_BACKEND": "memory",
    }
    for name in ("CAREERGRAPH_ONET_DIR", "CAREERGRAPH_CACHE_DIR", "CAREERGRAPH_CONFIG_DIR"):
        monkeypatch.setenv(name, env[name])
    settings = Settings()
    key = snapshot_key(memory_graph_sources(settings))
    path = snapshot_path(settings.cache_dir, key)
    path.parent.mkdir(parents=True)
    marker = tmp_path / "marker"
    path.write_bytes(_planted_files(key, marker)[1])  # the old two-pickle layout
    command = [str(Path(sys.executable).parent / "careergraph"), "path", "15-9901.00", "15-9904.00"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), "the planted snapshot ran code"
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ignoring memory snapshot")
    assert "Traceback" not in done.stderr
    assert "Route 1" in done.stdout
    assert read_snapshot_header(path, read_install_key(settings.snapshot_key_file)) is not None
