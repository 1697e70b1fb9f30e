"""Compact in-memory tables for the memory backend: many small records in one buffer.

The memory store holds ~0.16 M relationship property dicts and ~43 k career-move models.
As Python dicts and pydantic models they cost 0.5-3 KB each (a hash table per record, a
``__dict__`` per model, a float object per number), and restoring millions of such
objects from the snapshot takes seconds; a serving process runs one per core, so they
decide how many fit on a machine and how fast each starts. :class:`CompactDicts` keeps
each record's values ``marshal``-encoded in one shared buffer (the key set of each record
shape stored once) and decodes a fresh dict on access (a few microseconds): what a caller
gets is equal to what was stored and cannot change the table. :class:`CompactModels` does
the same for pydantic models of one class.

``marshal`` reads only data the memory snapshot has authenticated with its install key
(:mod:`graph.backends.snapshot`), never a file from elsewhere.
"""

from __future__ import annotations

import marshal
import pickle
from array import array
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, Generic, SupportsIndex, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_MARSHAL_VERSION = 4
_SEPARATOR = "\x1f"
"""Joins the parts of a :class:`CompactModels` key (ASCII unit separator)."""


class CompactDicts(Mapping[str, dict[str, Any]]):
    """A mapping ``key -> dict`` whose dicts are stored encoded in one buffer.

    Keys are strings without a newline. Pickled as a handful of objects (the keys as one
    text, row numbers and offsets as arrays), so restoring ~0.16 M records takes
    milliseconds.

    Values may be what ``marshal`` writes: str, int, float, bool, None, bytes, and lists,
    tuples and dicts of them (:meth:`add` raises ``ValueError`` otherwise, e.g. for an
    enum: store its value).
    """

    def __init__(self) -> None:
        self._shapes: list[tuple[str, ...]] = []
        self._shape_ids: dict[tuple[str, ...], int] = {}
        self._rows: dict[str, int] = {}
        self._buffer: bytearray | memoryview = bytearray()
        """The encoded records; a restored table's is a view of the memory snapshot's
        buffer region (:mod:`graph.backends.snapshot`: no copy), made a bytearray again
        by the first :meth:`add`."""
        self._offsets = array("Q", [0])

    def add(self, key: str, record: Mapping[str, Any]) -> None:
        """Store ``record`` under ``key`` (replacing what was there).

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
        if not isinstance(self._buffer, bytearray):
            self._buffer = bytearray(self._buffer)
        self._buffer += marshal.dumps((shape_id, tuple(record.values())), _MARSHAL_VERSION)
        self._rows[key] = len(self._offsets) - 1
        self._offsets.append(len(self._buffer))

    def remove(self, key: str) -> None:
        """Forget ``key``'s record (its bytes stay in the buffer).

        Raises
        ------
        KeyError
            No record under ``key``.
        """
        del self._rows[key]

    def __getstate__(self) -> dict[str, Any]:
        return {
            "shapes": self._shapes,
            "keys": "\n".join(self._rows),
            "rows": array("Q", self._rows.values()),
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
        keys = state["keys"].split("\n") if len(state["rows"]) else []
        self._rows = dict(zip(keys, state["rows"], strict=True))
        self._buffer = state["buffer"]
        self._offsets = state["offsets"]

    def __getitem__(self, key: str) -> dict[str, Any]:
        row = self._rows[key]
        start, end = self._offsets[row], self._offsets[row + 1]
        shape_id, values = marshal.loads(memoryview(self._buffer)[start:end])  # no copy
        return dict(zip(self._shapes[shape_id], values, strict=True))

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

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
