"""Warm start of the in-memory backend: a loaded :class:`NetworkxStore` saved to a file.

Building the memory store from the O*NET files takes ~10 s for 29.3 (read and validate
the tables, derive BLS figures, ``SIMILAR_TO`` and ``LEADS_TO``, then build the networkx
graph and its indexes). A snapshot holds the *built* store, so a later process restores it
in well under a second instead.

Format
------
One file, two pickles (protocol 5) in a row: a small header ``{"magic", "format", "key"}``,
then the store object. The store is pickled as plain objects (its networkx graph is dicts
of builtins; its indexes are dicts, lists and tuples) except for pydantic models, which a
:class:`_SnapshotPickler` writes as ``(class, field dict, fields-set)``; they are restored
without validation by :func:`_restore_model` (the data were validated when the store was
first built). Unpickling runs with the garbage collector paused, which alone halves the
time (millions of small containers). Measured on O*NET 29.3: ~60 MB, see
``docs/benchmarks.md`` (start-up).

Key
---
A snapshot is valid only for the exact inputs and code that built it: the key is a
SHA-256 over the snapshot format, the careergraph, networkx and pydantic versions, the
Python version, every source file (path, mtime, size; folders recursively), and the
mtime and size of careergraph's own ``graph`` and ``loaders`` modules (an editable install
keeps its version number while the code that derives the graph changes). Any change gives
a new key, so a stale snapshot is never read; the newest :data:`KEEP_SNAPSHOTS` files are
kept, older ones deleted.

Trust
-----
Pickle runs code while loading, so a snapshot is only read from the user's own cache
folder (``CAREERGRAPH_CACHE_DIR``), written by careergraph itself, never from elsewhere.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from graph.backends.networkx_store import NetworkxStore

logger = logging.getLogger("careergraph.snapshot")

SNAPSHOT_FORMAT = 1
"""Bumped whenever the file layout or the pickled objects change incompatibly."""
MAGIC = "careergraph-memory-snapshot"
KEEP_SNAPSHOTS = 3
"""Snapshot files kept in the cache folder (newest first); older ones are deleted."""
SNAPSHOT_SUBDIR = "snapshots"
_CODE_PACKAGES = ("graph", "loaders")
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def _restore_model(cls: type[BaseModel], values: dict[str, Any], fields_set: frozenset[str]) -> Any:
    """Rebuild a pydantic model instance from its field dict without validation.

    The same four slots pydantic's own ``__setstate__`` fills; ``fields_set`` is copied so
    no two instances share a mutable set.
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(fields_set))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class _SnapshotPickler(pickle.Pickler):
    """Pickler that writes pydantic models compactly (see :func:`_restore_model`).

    Equal ``fields_set`` frozensets are interned, so the pickle memo writes each distinct
    set once. Models with extra or private attributes fall back to pydantic's own pickling.
    """

    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file, protocol=5)
        self._fields_sets: dict[frozenset[str], frozenset[str]] = {}

    def reducer_override(self, obj: Any) -> Any:
        """Reduce a pydantic model to ``(_restore_model, (cls, __dict__, fields_set))``."""
        if (
            isinstance(obj, BaseModel)
            and obj.__pydantic_extra__ is None
            and obj.__pydantic_private__ is None
        ):
            fields_set = frozenset(obj.__pydantic_fields_set__)
            fields_set = self._fields_sets.setdefault(fields_set, fields_set)
            return _restore_model, (type(obj), obj.__dict__, fields_set)
        return NotImplemented


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _stat_entries(path: Path) -> Iterator[list[Any]]:
    """``[path, mtime_ns, size]`` of ``path`` or, for a folder, of every file below it."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        stat = file.stat()
        yield [str(file), stat.st_mtime_ns, stat.st_size]


def snapshot_key(sources: Iterable[Path | None]) -> str:
    """SHA-256 (hex) identifying the store built from ``sources`` by this code.

    Parameters
    ----------
    sources
        The inputs of the build: the O*NET release folder or zip, the BLS folder, the
        Career Changers folder; None for an input not used. A missing path counts as
        "missing" (building from it fails anyway).

    Returns
    -------
    str
        64 hex digits; changes when any source file's path, mtime or size changes, or the
        versions of careergraph, networkx, pydantic or Python, or careergraph's own
        ``graph``/``loaders`` code files.
    """
    inputs: list[Any] = []
    for source in sources:
        if source is None:
            inputs.append(None)
        elif not source.exists():
            inputs.append([str(source), "missing"])
        else:
            inputs.append([str(source.resolve()), list(_stat_entries(source.resolve()))])
    code = [
        [str(p.relative_to(_PACKAGE_ROOT)), p.stat().st_mtime_ns, p.stat().st_size]
        for package in _CODE_PACKAGES
        for p in sorted((_PACKAGE_ROOT / package).rglob("*.py"))
    ]
    identity = {
        "format": SNAPSHOT_FORMAT,
        "python": list(sys.version_info[:2]),
        "careergraph": _package_version("careergraph"),
        "networkx": _package_version("networkx"),
        "pydantic": _package_version("pydantic"),
        "code": code,
        "sources": inputs,
    }
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_path(cache_dir: Path, key: str) -> Path:
    """Location of the snapshot with ``key``: ``<cache_dir>/snapshots/memory-<key[:24]>.pickle``."""
    return cache_dir / SNAPSHOT_SUBDIR / f"memory-{key[:24]}.pickle"


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (unpickling creates millions of containers,
    each of which would otherwise count towards a collection of everything so far)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save_snapshot(store: NetworkxStore, path: Path, key: str) -> int:
    """Write ``store`` to ``path`` atomically (temporary file, then rename).

    Parameters
    ----------
    store
        A loaded memory store.
    path
        Destination file; its folder is created.
    key
        :func:`snapshot_key` of the inputs the store was built from.

    Returns
    -------
    int
        Size of the file written, bytes.

    Raises
    ------
    ValueError
        The store is empty (nothing loaded).
    OSError
        The file cannot be written (the temporary file is removed).
    """
    if store.loaded_release() is None:
        raise ValueError("refusing to snapshot an empty memory store")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as out:
            pickle.dump({"magic": MAGIC, "format": SNAPSHOT_FORMAT, "key": key}, out, protocol=5)
            _SnapshotPickler(out).dump(store)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def load_snapshot(path: Path, key: str) -> NetworkxStore | None:
    """Restore the store saved at ``path`` if it was saved under ``key``.

    Returns
    -------
    NetworkxStore or None
        The restored store, ready for queries; None if the file is missing, was written
        for another key or format, or cannot be read (a warning is logged; the caller
        rebuilds and overwrites it).
    """
    try:
        # One read, then unpickling from memory: ~0.25 s faster than from the file object.
        buffer = io.BytesIO(path.read_bytes())
        header = pickle.load(buffer)
        if not (
            isinstance(header, dict)
            and header.get("magic") == MAGIC
            and header.get("format") == SNAPSHOT_FORMAT
            and header.get("key") == key
        ):
            return None
        with _gc_paused():
            store = pickle.load(buffer)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file is a cache miss, never fatal
        logger.warning("ignoring unreadable snapshot %s: %s", path, exc)
        return None
    if not isinstance(store, NetworkxStore) or store.loaded_release() is None:
        logger.warning("ignoring snapshot %s: it holds no loaded memory store", path)
        return None
    return store


def prune_snapshots(cache_dir: Path, keep: int = KEEP_SNAPSHOTS) -> list[Path]:
    """Delete all but the ``keep`` most recently written snapshots; return those deleted."""
    folder = cache_dir / SNAPSHOT_SUBDIR
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("memory-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    deleted = []
    for old in files[keep:]:
        old.unlink(missing_ok=True)
        deleted.append(old)
    return deleted


def load_or_build_store(
    cache_dir: Path, sources: Sequence[Path | None], build: Callable[[], NetworkxStore]
) -> NetworkxStore:
    """The memory store for ``sources``: restored from its snapshot, or built and saved.

    Parameters
    ----------
    cache_dir
        careergraph's cache folder (``CAREERGRAPH_CACHE_DIR``); snapshots go to its
        ``snapshots/`` subfolder.
    sources
        The build's inputs, as for :func:`snapshot_key`.
    build
        Builds the store from the sources (read the release, then ``store.load``); called
        only on a cache miss. Its errors propagate.

    Returns
    -------
    NetworkxStore
        A loaded store. A snapshot that cannot be written (read-only or full disk) is
        logged and skipped: the freshly built store is returned all the same.
    """
    key = snapshot_key(sources)
    path = snapshot_path(cache_dir, key)
    restored = load_snapshot(path, key)
    if restored is not None:
        return restored
    store = build()
    try:
        save_snapshot(store, path, key)
        prune_snapshots(cache_dir)
    except (OSError, ValueError, pickle.PicklingError) as exc:
        logger.warning("could not write the memory snapshot %s: %s", path, exc)
    return store
