"""Warm start of the in-memory backend: a loaded :class:`NetworkxStore` saved to a file.

Building the memory store from the O*NET files takes ~10 s for 29.3 (read and validate
the tables, derive BLS figures, ``SIMILAR_TO`` and ``LEADS_TO``, then build the networkx
graph and its indexes). A snapshot holds the *built* store, so a later process restores it
in well under a second instead.

Format
------
One file: a magic line, a header line of JSON (format, key, release, ``table_rows``, body
size and SHA-256, the pickle's size and the SHA-256 of each of its 1 MB chunks, the sizes of
the out-of-band buffers and one SHA-256 over them, creation time), a line holding the
hex HMAC-SHA256 of the first two lines under the install key, then the body: the store as a pickle
(protocol 5), then its out-of-band buffers (numpy arrays and the compact tables' record
buffers, each padded to 64 bytes). The store is pickled as plain objects (dicts, lists,
tuples, arrays of builtins, :mod:`graph.backends.compact` tables) except for pydantic
models, which a :class:`_SnapshotPickler` writes as ``(class, field dict, fields-set)``;
they are restored without validation by :func:`_restore_model` (the data were validated
when the store was first built). A restore reads the buffer region into one block of
anonymous memory (``mmap``, not a file mapping) the store keeps (the buffers are views of
it, no copy) and streams the pickle through :class:`_VerifiedChunks`, so it never holds
the whole file beside the objects made from it (peak RSS ~310 MB instead of ~445 MB for
O*NET 29.3). Two threads read and hash the pickle's chunks and the buffer region while the
main thread unpickles (reads and SHA-256 release the GIL: ~60 ms of the restore's work
moves to another core; the store pickles the objects that name out-of-band buffers last).
Unpickling runs with the garbage collector paused (millions of small containers). The
title index's fuzzy-search structures are a pickle inside the pickle, unpacked at their
first use (:class:`graph.titles.TitleIndex`). ~69 MB for O*NET 29.3, see
``docs/benchmarks.md`` (warm start and restore).

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
Pickle runs code while loading, so nothing of a snapshot is unpickled before it is
authenticated: the header's HMAC must verify under the per-install key (32 random bytes in
a file only its owner may read, :func:`read_install_key`, kept outside the cache: a cache
copied from elsewhere brings no key), the header is parsed as JSON (data only), the buffer
region must have the size and SHA-256 the header names before the unpickler is given any
buffer of it, and each chunk of the pickle is checked against its SHA-256 before the
unpickler reads any byte of it. A file that fails
any of this (planted, damaged, written under another key) is ignored with one warning and
rebuilt.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import mmap
import os
import pickle
import queue
import secrets
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.collector import collector_paused

logger = logging.getLogger("careergraph.snapshot")

SNAPSHOT_FORMAT = 7
"""Bumped whenever the file layout or the pickled objects change incompatibly."""
MAGIC = b"careergraph-memory-snapshot\n"
MAX_HEADER_BYTES = 1 << 20
"""Longest header line read before it is authenticated."""
INSTALL_KEY_BYTES = 32
KEEP_SNAPSHOTS = 3
_BUFFER_ALIGN = 64
PICKLE_CHUNK_BYTES = 1 << 20
"""The pickle is authenticated per chunk of this many bytes (a SHA-256 each in the header),
so it is read, checked and unpickled a chunk at a time: restoring never holds the whole
pickle beside the objects made from it."""
"""Snapshot files kept in the cache folder (newest first); older ones are deleted."""
SNAPSHOT_SUBDIR = "snapshots"
_CODE_PACKAGES = ("graph", "loaders")
_CODE_SUFFIXES = frozenset({".py", ".csv", ".json"})
"""Files whose change makes a snapshot stale: code and the data files shipped with it (the
fitted move model, the ladders, the title abbreviations, the release manifest)."""
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
    """Pickler that writes pydantic models compactly (see :func:`_restore_model`) and,
    given a ``buffer_callback``, what pickles as a ``PickleBuffer`` out of band (numpy arrays,
    the compact tables' record buffers: :mod:`graph.backends.compact`).

    Equal ``fields_set`` frozensets are interned, so the pickle memo writes each distinct
    set once. Models with extra or private attributes fall back to pydantic's own pickling.
    """

    def __init__(
        self, file: BinaryIO, buffer_callback: Callable[[pickle.PickleBuffer], Any] | None = None
    ) -> None:
        super().__init__(file, protocol=5, buffer_callback=buffer_callback)
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


@cache
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
        for p in sorted((_PACKAGE_ROOT / package).rglob("*"))
        if p.suffix in _CODE_SUFFIXES and p.is_file()
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
    """Location of the snapshot with ``key``:
    ``<cache_dir>/snapshots/memory-<key[:24]>.snapshot``."""
    return cache_dir / SNAPSHOT_SUBDIR / f"memory-{key[:24]}.snapshot"


class SnapshotKeyError(Exception):
    """The install key file cannot be used (wrong owner, readable by others, unreadable)."""


def read_install_key(key_file: Path) -> bytes:
    """The per-install secret that authenticates snapshots, created on first use.

    Parameters
    ----------
    key_file
        e.g. ``~/.config/careergraph/snapshot.key``; created with mode 0600 (its folder
        0700) holding 32 random bytes as hex.

    Returns
    -------
    bytes
        The 32-byte key.

    Raises
    ------
    SnapshotKeyError
        The file belongs to another user, others may read or write it, or it cannot be read
        or created (snapshots are then not used).
    """
    try:
        key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            handle = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(INSTALL_KEY_BYTES) + "\n")
        info = key_file.stat()
        if info.st_uid != os.getuid():
            raise SnapshotKeyError(f"{key_file} belongs to another user")
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise SnapshotKeyError(f"{key_file} may be read by others (chmod 600 it)")
        key = bytes.fromhex(key_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as exc:
        raise SnapshotKeyError(f"cannot use the snapshot key {key_file}: {exc}") from exc
    if len(key) < 16:
        raise SnapshotKeyError(f"{key_file} holds no usable key")
    return key


@dataclass(frozen=True)
class SnapshotHeader:
    """The authenticated header of a snapshot file (JSON data, never code)."""

    key: str
    release: str
    table_rows: dict[str, int]
    body_size: int
    body_sha256: str
    created: str


def _tag(secret: bytes, header_line: bytes) -> bytes:
    return hmac.new(secret, MAGIC + header_line, hashlib.sha256).hexdigest().encode("ascii")


def write_authenticated(
    path: Path, body: bytes | Sequence[bytes | memoryview], secret: bytes, fields: dict[str, Any]
) -> int:
    """Write ``body`` (or its parts, one after the other) behind an authenticated header
    (``fields`` plus format, body size and SHA-256, creation time) to ``path`` atomically
    (temporary file, then rename).

    Returns
    -------
    int
        Size of the file written, bytes.

    Raises
    ------
    OSError
        The file cannot be written (the temporary file is removed).
    """
    parts = [body] if isinstance(body, bytes) else list(body)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    header = fields | {
        "format": SNAPSHOT_FORMAT,
        "body_size": sum(memoryview(part).nbytes for part in parts),
        "body_sha256": digest.hexdigest(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    header_line = json.dumps(header, sort_keys=True).encode("utf-8") + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as out:
            out.write(MAGIC + header_line + _tag(secret, header_line) + b"\n")
            for part in parts:
                out.write(part)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def _verified_header(data: bytes, secret: bytes) -> tuple[dict[str, Any], int]:
    """Authenticate and parse the header at the start of ``data``; return its fields and
    the offset of the body. Raises ValueError if anything does not verify."""
    if not data.startswith(MAGIC):
        raise ValueError("not a careergraph snapshot (no magic line)")
    header_end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES)
    if header_end < 0:
        raise ValueError("no header line")
    header_line = data[len(MAGIC) : header_end + 1]
    tag_end = data.find(b"\n", header_end + 1, header_end + 200)
    if tag_end < 0 or not hmac.compare_digest(
        data[header_end + 1 : tag_end], _tag(secret, header_line)
    ):
        raise ValueError("its header does not verify under this install's key")
    fields: dict[str, Any] = json.loads(header_line)  # data only: JSON, after the HMAC
    if fields.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"format {fields.get('format')}, this code reads {SNAPSHOT_FORMAT}")
    return fields, tag_end + 1


def read_authenticated(path: Path, secret: bytes) -> tuple[dict[str, Any], memoryview] | None:
    """The header fields and the body of a file written by :func:`write_authenticated`,
    both verified (header HMAC under ``secret``, body size and SHA-256); None if the file
    does not exist.

    Raises
    ------
    ValueError
        The file is unreadable, damaged, foreign or written under another key.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(f"cannot read it: {exc.strerror}") from exc
    try:
        fields, body_start = _verified_header(data, secret)
        body = memoryview(data)[body_start:]
        size, digest = int(fields["body_size"]), str(fields["body_sha256"])
    except (KeyError, TypeError) as exc:
        raise ValueError(f"its header lacks {exc}") from exc
    if len(body) != size or not hmac.compare_digest(hashlib.sha256(body).hexdigest(), digest):
        raise ValueError("its body does not match its header (damaged or altered)")
    return fields, body


def _header_from(fields: dict[str, Any]) -> SnapshotHeader:
    return SnapshotHeader(
        key=str(fields["key"]),
        release=str(fields["release"]),
        table_rows={str(k): int(v) for k, v in dict(fields["table_rows"]).items()},
        body_size=int(fields["body_size"]),
        body_sha256=str(fields["body_sha256"]),
        created=str(fields["created"]),
    )


def save_snapshot(store: NetworkxStore, path: Path, key: str, secret: bytes) -> int:
    """Write ``store`` to ``path`` atomically, authenticated under ``secret`` (see the
    module's Format and Trust sections).

    Parameters
    ----------
    store
        A loaded memory store.
    path
        Destination file; its folder is created.
    key
        :func:`snapshot_key` of the inputs the store was built from.
    secret
        The install key (:func:`read_install_key`).

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
    release = store.loaded_release()
    if release is None:
        raise ValueError("refusing to snapshot an empty memory store")
    stream = io.BytesIO()
    buffers: list[pickle.PickleBuffer] = []
    _SnapshotPickler(stream, buffers.append).dump(store)
    parts: list[bytes | memoryview] = [stream.getvalue()]
    sizes = []
    for buffer in buffers:
        raw = buffer.raw()
        sizes.append(raw.nbytes)
        parts += [raw, bytes(-raw.nbytes % _BUFFER_ALIGN)]
    pickled = memoryview(parts[0])
    region = hashlib.sha256()
    for part in parts[1:]:
        region.update(part)
    fields = {
        "key": key,
        "release": release,
        "table_rows": store.loaded_table_rows() or {},
        "pickle_size": len(pickled),
        "pickle_chunks_sha256": [
            hashlib.sha256(pickled[i : i + PICKLE_CHUNK_BYTES]).hexdigest()
            for i in range(0, len(pickled), PICKLE_CHUNK_BYTES)
        ],
        "buffer_sizes": sizes,
        "buffers_sha256": region.hexdigest(),
    }
    return write_authenticated(path, parts, secret, fields)


def _read_into(handle: io.RawIOBase, buffer: bytearray | memoryview) -> None:
    """Fill ``buffer`` from ``handle``; ValueError if the file ends first."""
    view, done = memoryview(buffer), 0
    while done < len(buffer):
        got = handle.readinto(view[done:])
        if not got:
            raise ValueError("the file is shorter than its header says")
        done += got


def _read_bytes(handle: io.RawIOBase, size: int) -> bytes:
    """The next ``size`` bytes of ``handle``; ValueError if the file ends first."""
    data = handle.read(size) or b""
    while len(data) < size:  # a short read (not at the end of a regular file)
        more = handle.read(size - len(data))
        if not more:
            raise ValueError("the file is shorter than its header says")
        data += more
    return data


_READ_BYTES = 1 << 22
"""The buffer region is read and hashed in parts of this many bytes (4 MB: each part is
hashed while it is still in the CPU's cache)."""


class _RegionCheck(threading.Thread):
    """Reads the snapshot's buffer region (``offset``, ``len(region)`` bytes) into
    ``region`` and checks its SHA-256 against ``digest``, in a thread of its own: file reads
    and hashing release the GIL, so this runs beside the unpickling on another core.
    :meth:`verified` waits for it and raises what it found."""

    def __init__(self, path: Path, offset: int, region: mmap.mmap | bytearray, digest: str) -> None:
        super().__init__(name="snapshot-region", daemon=True)
        self._path, self._offset, self._region, self._digest = path, offset, region, digest
        self._error: ValueError | None = None

    def run(self) -> None:
        try:
            with self._path.open("rb", buffering=0) as handle:
                handle.seek(self._offset)
                view, digest = memoryview(self._region), hashlib.sha256()
                for start in range(0, len(view), _READ_BYTES):
                    part = view[start : start + _READ_BYTES]
                    _read_into(handle, part)
                    digest.update(part)
                if handle.read(1):
                    raise ValueError("the file is longer than its header says")
            if not hmac.compare_digest(digest.hexdigest(), self._digest):
                raise ValueError("its body does not match its header (damaged or altered)")
        except OSError as exc:
            self._error = ValueError(f"cannot read it: {exc.strerror}")
        except ValueError as exc:
            self._error = exc

    def verified(self) -> None:
        """Wait for the check; ValueError if the region is short, long or altered."""
        self.join()
        if self._error is not None:
            raise self._error


class _VerifiedChunks(io.RawIOBase):
    """The snapshot's pickle as a readable stream that hands out no byte before the chunk
    holding it matches its authenticated SHA-256. A thread of its own reads and checks the
    chunks ahead of the unpickler (at most :data:`_CHUNKS_AHEAD` of them, so restoring
    never holds the whole pickle beside the objects made from it); ValueError on a
    mismatch or a short file. :meth:`close` stops that thread."""

    def __init__(self, path: Path, offset: int, size: int, digests: list[str]) -> None:
        """``digests``: one per :data:`PICKLE_CHUNK_BYTES` of ``size`` (checked by the
        caller)."""
        super().__init__()
        self._chunks: queue.Queue[bytes | ValueError | None] = queue.Queue(_CHUNKS_AHEAD)
        self._stop = threading.Event()
        self._chunk = memoryview(b"")
        self._done = False
        self._reader = threading.Thread(
            target=self._read, args=(path, offset, size, digests), name="snapshot-pickle"
        )
        self._reader.daemon = True
        self._reader.start()

    def _read(self, path: Path, offset: int, size: int, digests: list[str]) -> None:
        try:
            with path.open("rb", buffering=0) as handle:
                handle.seek(offset)
                for digest in digests:
                    # read(), not readinto(bytearray(...)): a new bytes object is filled by
                    # the read without the GIL; a bytearray is first zeroed holding it
                    chunk = _read_bytes(handle, min(PICKLE_CHUNK_BYTES, size))
                    if not hmac.compare_digest(hashlib.sha256(chunk).hexdigest(), digest):
                        raise ValueError("its body does not match its header (damaged or altered)")
                    size -= len(chunk)
                    if not self._put(chunk):
                        return
            self._put(None)
        except OSError as exc:
            self._put(ValueError(f"cannot read it: {exc.strerror}"))
        except ValueError as exc:
            self._put(exc)

    def _put(self, item: bytes | ValueError | None) -> bool:
        """Hand ``item`` to the reader; False if the stream was closed meanwhile."""
        while not self._stop.is_set():
            try:
                self._chunks.put(item, timeout=0.01)
                return True
            except queue.Full:
                continue
        return False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._chunk:
            if self._done:
                return 0
            item = self._chunks.get()
            if isinstance(item, ValueError):
                self._done = True
                raise item
            if item is None:
                self._done = True
                return 0
            self._chunk = memoryview(item)
        out = memoryview(buffer).cast("B")
        n = min(len(out), len(self._chunk))
        out[:n] = self._chunk[:n]
        self._chunk = self._chunk[n:]
        return n

    def close(self) -> None:
        self._stop.set()
        self._reader.join()  # no thread outlives the restore (``serve`` forks after it)
        super().close()


_CHUNKS_AHEAD = 4
"""Verified pickle chunks read ahead of the unpickler, at most."""


def _restore_body(path: Path, secret: bytes, key: str) -> Any:
    """Unpickle the store saved at ``path`` under ``key`` (None if the file is missing or
    has another key), authenticating every byte before the unpickler sees it: the header's
    HMAC under ``secret``, then each chunk of the pickle and the buffer region against the
    digests the header names (:func:`save_snapshot`).

    The buffer region is read into one block of anonymous memory that the restored
    store keeps (its out-of-band buffers are views of it); the pickle is streamed
    (:class:`_VerifiedChunks`), so restoring needs little memory beyond the restored
    objects. Both are read and
    checked by threads of their own while this one unpickles (reading and hashing release
    the GIL): the unpickler is given the region's buffers only once the whole region
    verified (:class:`_RegionCheck`), at its first out-of-band buffer.

    Raises
    ------
    ValueError
        The file is unreadable, damaged, foreign or written under another key.
    """
    try:
        handle = path.open("rb", buffering=0)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(f"cannot read it: {exc.strerror}") from exc
    with handle:
        try:
            fields, body_start = _verified_header(
                handle.read(len(MAGIC) + MAX_HEADER_BYTES + 200), secret
            )
            if fields.get("key") != key:
                return None
            body_size, pickle_size = int(fields["body_size"]), int(fields["pickle_size"])
            digests = [str(d) for d in fields["pickle_chunks_sha256"]]
            sizes = [int(size) for size in fields["buffer_sizes"]]
            region_digest = str(fields["buffers_sha256"])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"its header lacks {exc}") from exc
        except OSError as exc:
            raise ValueError(f"cannot read it: {exc.strerror}") from exc
    if not 0 <= pickle_size <= body_size:
        raise ValueError("its header's sizes disagree")
    # Anonymous memory, not a bytearray: no 39 MB memset on this thread (~25 ms of page
    # faults); the pages are made as the region check's thread reads into them.
    region = mmap.mmap(-1, body_size - pickle_size) if body_size > pickle_size else bytearray()
    buffers, offset, whole = [], 0, memoryview(region)
    for size in sizes:
        if size < 0 or offset + size > len(region):
            raise ValueError("its header's buffer sizes disagree with the body")
        buffers.append(whole[offset : offset + size])
        offset += size + (-size % _BUFFER_ALIGN)
    if len(digests) != -(-pickle_size // PICKLE_CHUNK_BYTES):
        raise ValueError("its header's pickle chunks disagree with its size")
    region_check = _RegionCheck(path, body_start + pickle_size, region, region_digest)
    region_check.start()

    def verified_buffers() -> Iterator[memoryview]:
        region_check.verified()  # before the unpickler gets any byte of the region
        yield from buffers

    pickled = _VerifiedChunks(path, body_start, pickle_size, digests)
    try:
        stream = io.BufferedReader(pickled, 1 << 16)
        with collector_paused():  # millions of containers made
            store = pickle.Unpickler(stream, buffers=verified_buffers()).load()
    finally:
        pickled.close()
        region_check.join()
    region_check.verified()  # also where the pickle named no buffer
    return store


def read_snapshot_header(path: Path, secret: bytes) -> SnapshotHeader | None:
    """The authenticated header of the snapshot at ``path`` (the body is not read), or
    None if the file is missing or its header does not verify."""
    try:
        with path.open("rb") as handle:
            start = handle.read(len(MAGIC) + MAX_HEADER_BYTES + 200)
        return _header_from(_verified_header(start, secret)[0])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_authenticated_pickle(path: Path, key: str, secret: bytes, what: str) -> Any | None:
    """Unpickle the body of ``path`` once it verifies (:func:`read_authenticated`) and its
    header's ``key`` is ``key``.

    Returns
    -------
    object or None
        None if the file is missing or belongs to another key (silently), or does not
        verify or unpickle (one warning naming ``what``; the caller rebuilds it).
    """
    try:
        verified = read_authenticated(path, secret)
        if verified is None or verified[0].get("key") != key:
            return None
        with collector_paused():  # many containers made at once
            return pickle.loads(verified[1])
    except Exception as exc:  # forged, damaged, or authentic but unreadable (code changed)
        logger.warning("ignoring %s %s and rebuilding it: %s", what, path, exc)
        return None


def load_snapshot(path: Path, key: str, secret: bytes) -> NetworkxStore | None:
    """Restore the store saved at ``path`` if it was saved under ``key`` and verifies.

    Nothing is unpickled before the header's HMAC (under ``secret``) and the body's size
    and SHA-256 verify.

    Returns
    -------
    NetworkxStore or None
        The restored store, ready for queries; None if the file is missing or was written
        for another key (silently), or fails authentication or cannot be read (one
        warning; the caller rebuilds and overwrites it).
    """
    try:
        store = _restore_body(path, secret, key)
        if store is None:
            return None
    except Exception as exc:  # forged, damaged, or authentic but unreadable (code changed)
        logger.warning("ignoring memory snapshot %s and rebuilding it: %s", path, exc)
        return None
    if not isinstance(store, NetworkxStore) or store.loaded_release() is None:
        logger.warning("ignoring memory snapshot %s: it holds no loaded memory store", path)
        return None
    return store


def latest_snapshot_header(cache_dir: Path, secret: bytes) -> SnapshotHeader | None:
    """The authenticated header of the most recently written snapshot in ``cache_dir``
    (the memory graph ``careergraph load`` last wrote), or None."""
    folder = cache_dir / SNAPSHOT_SUBDIR
    if not folder.is_dir():
        return None
    files = sorted(folder.glob("memory-*.snapshot"), key=lambda p: p.stat().st_mtime)
    for path in reversed(files):
        header = read_snapshot_header(path, secret)
        if header is not None:
            return header
    return None


def prune_snapshots(cache_dir: Path, keep: int = KEEP_SNAPSHOTS) -> list[Path]:
    """Delete all but the ``keep`` most recently written snapshots; return those deleted."""
    folder = cache_dir / SNAPSHOT_SUBDIR
    if not folder.is_dir():
        return []
    files = sorted(
        (*folder.glob("memory-*.snapshot"), *folder.glob("memory-*.pickle")),  # .pickle: format 1
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    deleted = []
    for old in files[keep:]:
        old.unlink(missing_ok=True)
        deleted.append(old)
    return deleted


def load_or_build_store(
    cache_dir: Path,
    sources: Sequence[Path | None],
    build: Callable[[], NetworkxStore],
    key_file: Path,
    *,
    restore: bool = True,
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
    key_file
        The install key file (:func:`read_install_key`); if it cannot be used, snapshots
        are skipped with a warning.
    restore
        False: build without trying the snapshot (the caller just did), then save it.

    Returns
    -------
    NetworkxStore
        A loaded store. A snapshot that cannot be written (read-only or full disk) is
        logged and skipped: the freshly built store is returned all the same.
    """
    try:
        secret: bytes | None = read_install_key(key_file)
    except SnapshotKeyError as exc:
        logger.warning("memory snapshots disabled: %s", exc)
        secret = None
    key = snapshot_key(sources)
    path = snapshot_path(cache_dir, key)
    if secret is not None and restore:
        restored = load_snapshot(path, key, secret)
        if restored is not None:
            return restored
    store = build()
    if secret is not None:
        write_snapshot(store, cache_dir, key, secret)
    return store


def write_snapshot(store: NetworkxStore, cache_dir: Path, key: str, secret: bytes) -> Path | None:
    """Save ``store`` as the snapshot for ``key`` and prune old ones; a failure to write is
    logged (warning) and gives None."""
    path = snapshot_path(cache_dir, key)
    try:
        save_snapshot(store, path, key, secret)
        prune_snapshots(cache_dir)
    except (OSError, ValueError, pickle.PicklingError) as exc:
        logger.warning("could not write the memory snapshot %s: %s", path, exc)
        return None
    return path
