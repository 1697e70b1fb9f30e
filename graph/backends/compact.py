"""Compact in-memory tables for the memory backend: many small records in one buffer.

The memory store holds ~0.16 M relationship property dicts and ~43 k career-move models.
As Python dicts and pydantic models they cost 0.5-3 KB each (a hash table per record, a
``__dict__`` per model, a float object per number), and restoring millions of such
objects from the snapshot takes seconds; a serving process runs one per core, so they
decide how many fit on a machine and how fast each starts. :class:`CompactDicts` keeps
each record's values ``marshal``-encoded in one shared buffer (the key set of each record
shape stored once) and decodes a fresh dict on access (a few microseconds): what a caller
gets is equal to what was stored and cannot change the table. :class:`CompactModels` does
the same for pydantic models of one class. :class:`PackedValues` keeps one ``marshal``
blob per key, decoded at its first read and then kept (per-code lists and sets).

``marshal`` reads only data the memory snapshot has authenticated with its install key
(:mod:`graph.backends.snapshot`), never a file from elsewhere.
"""

from __future__ import annotations

import marshal
import pickle
from array import array
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, Generic, SupportsIndex, TypeVar, cast

from pydantic import BaseModel

from careergraph.graph.packing import stable_hash

M = TypeVar("M", bound=BaseModel)

_MARSHAL_VERSION = 4
_SEPARATOR = "\x1f"
"""Joins the parts of a :class:`CompactModels` key (ASCII unit separator)."""


class CompactDicts(Mapping[str, dict[str, Any]]):
    """A mapping ``key -> dict`` whose dicts are stored encoded in one buffer.

    Keys are strings without a newline. Pickled as a handful of objects (the keys as one
    text, row numbers and offsets as arrays), so restoring ~0.1 M records takes about a
    millisecond: a restored table makes no ``key -> row`` dict (~13 ms for the store's
    relationship properties) but groups its keys in buckets by a stable hash
    (CRC-32, ~:data:`KEYS_PER_BUCKET` keys each, :class:`_KeyBuckets`) and makes the small
    dict of a bucket at the first lookup that falls in it (a few microseconds); iterating
    or changing it makes the whole dict first.

    Values may be what ``marshal`` writes: str, int, float, bool, None, bytes, and lists,
    tuples and dicts of them (:meth:`add` raises ``ValueError`` otherwise, e.g. for an
    enum: store its value). Iteration is in the order the records were last written.
    """

    def __init__(self) -> None:
        self._shapes: list[tuple[str, ...]] = []
        self._shape_ids: dict[tuple[str, ...], int] = {}
        self._rows: dict[str, int] | None = {}
        """``key -> row`` (a row indexes :attr:`_offsets`); None in a restored table
        until it is iterated or changed (its keys are in :attr:`_buckets` meanwhile)."""
        self._buckets: _KeyBuckets | None = None
        """A restored table's keys as pickled, until it is changed (then None)."""
        self._buffer: bytearray | memoryview = bytearray()
        """The encoded records; a restored table's is a view of the memory snapshot's
        buffer region (:mod:`graph.backends.snapshot`: no copy), made a bytearray again
        by the first :meth:`add`."""
        self._offsets = array("Q", [0])

    def _all_rows(self) -> dict[str, int]:
        """The ``key -> row`` dict, made from the key buckets of a restored table first."""
        if self._rows is None:
            assert self._buckets is not None
            self._rows = self._buckets.all_rows()  # (the buckets still answer lookups)
        return self._rows

    def _row(self, key: str) -> int:
        """The row of ``key``; raises KeyError for a key not held."""
        rows = self._rows
        if rows is None:
            assert self._buckets is not None
            if not isinstance(key, str):
                raise KeyError(key)
            rows = self._buckets.rows_near(key)
        return rows[key]

    def add(self, key: str, record: Mapping[str, Any]) -> None:
        """Store ``record`` under ``key`` (replacing what was there: the key then comes
        last in the iteration order).

        Raises
        ------
        ValueError
            A value ``marshal`` cannot write, or a newline in ``key``.
        """
        if "\n" in key:
            raise ValueError("a compact table key holds no newline")
        names = tuple(record)
        shape_id = self._shape_ids.get(names)
        if shape_id is None:
            shape_id = self._shape_ids[names] = len(self._shapes)
            self._shapes.append(names)
        encoded = marshal.dumps((shape_id, tuple(record.values())), _MARSHAL_VERSION)
        rows = self._all_rows()
        self._buckets = None  # out of date from now on
        if not isinstance(self._buffer, bytearray):
            self._buffer = bytearray(self._buffer)
        self._buffer += encoded
        rows.pop(key, None)  # the rows' order is the order of the records' rows
        rows[key] = len(self._offsets) - 1
        self._offsets.append(len(self._buffer))

    def remove(self, key: str) -> None:
        """Forget ``key``'s record (its bytes stay in the buffer).

        Raises
        ------
        KeyError
            No record under ``key``.
        """
        del self._all_rows()[key]
        self._buckets = None

    def __getstate__(self) -> dict[str, Any]:
        buckets = self._buckets
        if buckets is None:
            buckets = _KeyBuckets.from_rows(self._all_rows())
        return {
            "shapes": self._shapes,
            "keys": buckets.state(),
            "buffer": self._buffer
            if isinstance(self._buffer, bytearray)
            else bytearray(self._buffer),
            "offsets": self._offsets,
        }

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """With pickle protocol 5 the record buffer goes as a ``PickleBuffer``: out of band
        where the pickler takes buffers (the memory snapshot), else as a bytearray."""
        state = self.__getstate__()
        if int(protocol) >= 5:
            state["buffer"] = pickle.PickleBuffer(state["buffer"])
        return (CompactDicts, (), state)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._shapes = state["shapes"]
        self._shape_ids = {names: i for i, names in enumerate(self._shapes)}
        self._rows = None
        self._buckets = _KeyBuckets(*state["keys"])
        self._buffer = state["buffer"]
        self._offsets = state["offsets"]

    def __getitem__(self, key: str) -> dict[str, Any]:
        row = self._row(key)
        start, end = self._offsets[row], self._offsets[row + 1]
        shape_id, values = marshal.loads(memoryview(self._buffer)[start:end])  # no copy
        return dict(zip(self._shapes[shape_id], values, strict=True))

    def __contains__(self, key: object) -> bool:
        if self._rows is not None:
            return key in self._rows
        assert self._buckets is not None
        return isinstance(key, str) and key in self._buckets.rows_near(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_rows())

    def __len__(self) -> int:
        if self._rows is not None:
            return len(self._rows)
        assert self._buckets is not None
        return len(self._buckets)


KEYS_PER_BUCKET = 32
"""Keys per bucket of a restored :class:`CompactDicts` (on average): a lookup in a bucket
not used before makes a dict of that many keys (~5 us)."""


def _bucket_of(key: str, buckets: int) -> int:
    """The bucket of ``key``: :func:`graph.packing.stable_hash` (the same in every process,
    unlike ``hash``) modulo the number of buckets."""
    return stable_hash(key) % buckets


class _KeyBuckets:
    """The ``key -> row`` pairs of a :class:`CompactDicts` as they are pickled: the keys as
    one text, grouped by :func:`_bucket_of`, each followed by a newline; their rows in the
    same order; and where each bucket starts in both. A bucket's dict is made at the first
    lookup of a key in it, then kept.

    Parameters
    ----------
    keys
        Every key followed by a newline, bucket after bucket.
    rows
        The row of each key, in the same order.
    char_starts, row_starts
        ``B + 1`` offsets each: bucket ``b`` is ``keys[char_starts[b]:char_starts[b + 1]]``
        and ``rows[row_starts[b]:row_starts[b + 1]]``.
    """

    def __init__(
        self, keys: str, rows: array[int], char_starts: array[int], row_starts: array[int]
    ) -> None:
        self._keys = keys
        self._rows = rows
        self._char_starts = char_starts
        self._row_starts = row_starts
        self._made: list[dict[str, int] | None] = [None] * (len(row_starts) - 1)

    @classmethod
    def from_rows(cls, rows: Mapping[str, int]) -> _KeyBuckets:
        """Group a ``key -> row`` mapping's keys in ~:data:`KEYS_PER_BUCKET` buckets."""
        count = max(1, len(rows) // KEYS_PER_BUCKET)
        grouped: list[list[str]] = [[] for _ in range(count)]
        for key in rows:
            grouped[_bucket_of(key, count)].append(key)
        keys = [key for bucket in grouped for key in bucket]
        char_starts, row_starts = array("Q", [0]), array("Q", [0])
        for bucket in grouped:
            char_starts.append(char_starts[-1] + sum(len(key) + 1 for key in bucket))
            row_starts.append(row_starts[-1] + len(bucket))
        text = "".join(key + "\n" for key in keys)
        return cls(text, array("Q", (rows[key] for key in keys)), char_starts, row_starts)

    def state(self) -> tuple[str, array[int], array[int], array[int]]:
        """What :meth:`__init__` takes (how a :class:`CompactDicts` pickles its keys)."""
        return self._keys, self._rows, self._char_starts, self._row_starts

    def rows_near(self, key: str) -> dict[str, int]:
        """``key -> row`` of the keys in ``key``'s bucket (``key`` itself may be absent)."""
        bucket = _bucket_of(key, len(self._made))
        made = self._made[bucket]
        if made is None:  # (two threads may both make it: equal dicts, either is kept)
            start, end = self._row_starts[bucket], self._row_starts[bucket + 1]
            text = self._keys[self._char_starts[bucket] : self._char_starts[bucket + 1] - 1]
            keys = text.split("\n") if end > start else []
            made = self._made[bucket] = dict(zip(keys, self._rows[start:end], strict=True))
        return made

    def all_rows(self) -> dict[str, int]:
        """Every ``key -> row``, in the order of the rows."""
        keys = self._keys[:-1].split("\n") if self._rows else []
        return dict(sorted(zip(keys, self._rows, strict=True), key=lambda pair: pair[1]))

    def __len__(self) -> int:
        return len(self._rows)


class CompactModels(MutableMapping[tuple[str, ...], M], Generic[M]):
    """A mapping ``(str, ...) -> model`` of one pydantic model class, stored as
    :class:`CompactDicts` of their JSON-mode field values (keyed by the key's parts joined:
    one string object per record instead of a tuple of them) and validated again on
    access (~10 us): equal to the model stored."""

    def __init__(self, model: type[M]) -> None:
        self._model = model
        self._fields = CompactDicts()

    def __setitem__(self, key: tuple[str, ...], value: M) -> None:
        self._fields.add(_SEPARATOR.join(key), value.model_dump(mode="json"))

    def __getitem__(self, key: tuple[str, ...]) -> M:
        return self._model.model_validate(self._fields[_SEPARATOR.join(key)])

    def fields(self, key: tuple[str, ...]) -> dict[str, Any]:
        """The stored model's JSON-mode field values (``model_dump(mode="json")``), a fresh
        dict, without validating a model.

        Raises
        ------
        KeyError
            No model under ``key``.
        """
        return self._fields[_SEPARATOR.join(key)]

    def __delitem__(self, key: tuple[str, ...]) -> None:
        self._fields.remove(_SEPARATOR.join(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and _SEPARATOR.join(key) in self._fields

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return (tuple(text.split(_SEPARATOR)) for text in self._fields)

    def __len__(self) -> int:
        return len(self._fields)


V = TypeVar("V")


class PackedValues(Mapping[str, V], Generic[V]):
    """A mapping ``str -> value`` whose values are kept ``marshal``-encoded (one bytes
    object each) and decoded at their first read, then kept: restoring it makes ~2 objects
    per key instead of every tuple, string and number of every value (e.g. the titles of
    each occupation: ~8 ms of the memory snapshot's restore as lists of tuples), and a
    process decodes only the values it reads (a few microseconds each).

    Values are what ``marshal`` writes (str, int, float, bool, None, and lists, tuples,
    sets, frozensets and dicts of them); interned strings come back interned. A value read
    is the one kept for later reads: callers must not change it.

    Parameters
    ----------
    values
        The values by key (copied, encoded at once).

    Raises
    ------
    ValueError
        A value ``marshal`` cannot write, or None.
    """

    def __init__(self, values: Mapping[str, V]) -> None:
        self._packed: dict[str, bytes] = {}
        for key, value in values.items():
            if value is None:
                raise ValueError(f"no value for {key!r}: a packed value is never None")
            self._packed[key] = marshal.dumps(cast(Any, value), _MARSHAL_VERSION)
        self._values: dict[str, V] = {}

    def get(self, key: str, default: Any = None) -> Any:  # (overridden: one call per read)
        value = self._values.get(key)
        if value is None:
            packed = self._packed.get(key)
            if packed is None:
                return default
            value = self._values[key] = marshal.loads(packed)
        return value

    def __getitem__(self, key: str) -> V:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return key in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __getstate__(self) -> dict[str, Any]:
        return {"packed": self._packed}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._packed = state["packed"]
        self._values = {}
