"""Compact in-memory tables for the memory backend: many small records as tuples.

The memory store holds ~0.2 M relationship property dicts and ~43 k career-move models.
As Python dicts and pydantic models they cost 1-3 KB each (a hash table per record, a
``__dict__`` per model, a float object per number); a serving process runs one per core,
so they decide how many fit on a machine. :class:`CompactDicts` keeps each record as one
tuple of its values with its key set stored once, strings interned (codes, titles, tiers
and sources repeat thousands of times), and rebuilds a fresh dict on access (~1 us): what
a caller gets is equal to what was stored and cannot change the table.
:class:`CompactModels` does the same for pydantic models of one class, rebuilt without
validation (they were validated when first built).
"""

from __future__ import annotations

import sys
from collections.abc import Hashable, Iterator, Mapping, MutableMapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

K = TypeVar("K", bound=Hashable)
M = TypeVar("M", bound=BaseModel)


def _freeze(value: Any) -> Any:
    """A stored form of one value: strings interned, lists as tuples (whose positions the
    table's shape remembers)."""
    if type(value) is str:  # not a str enum
        return sys.intern(value)
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


class CompactDicts(Mapping[K, dict[str, Any]], Generic[K]):
    """A mapping ``key -> dict`` whose dicts are stored as value tuples.

    Values may be scalars (str, int, float, bool, None, enums), lists of them (returned as
    new lists), never tuples, sets or dicts (:meth:`add` raises ``TypeError``: they could
    not be told apart from a stored list or shared safely).
    """

    def __init__(self) -> None:
        self._shapes: list[tuple[tuple[str, ...], frozenset[int]]] = []
        self._shape_ids: dict[tuple[tuple[str, ...], frozenset[int]], int] = {}
        self._rows: dict[K, tuple[int, tuple[Any, ...]]] = {}

    def add(self, key: K, record: Mapping[str, Any]) -> None:
        """Store ``record`` under ``key`` (replacing what was there).

        Raises
        ------
        TypeError
            A value is a tuple, set, frozenset or dict.
        """
        for value in record.values():
            if isinstance(value, tuple | set | frozenset | dict):
                raise TypeError(f"cannot store a {type(value).__name__} value compactly")
        names = tuple(sys.intern(name) for name in record)
        lists = frozenset(i for i, v in enumerate(record.values()) if isinstance(v, list))
        shape = (names, lists)
        shape_id = self._shape_ids.get(shape)
        if shape_id is None:
            shape_id = self._shape_ids[shape] = len(self._shapes)
            self._shapes.append(shape)
        self._rows[key] = (shape_id, tuple(_freeze(v) for v in record.values()))

    def remove(self, key: K) -> None:
        """Forget ``key``'s record.

        Raises
        ------
        KeyError
            No record under ``key``.
        """
        del self._rows[key]

    def __getitem__(self, key: K) -> dict[str, Any]:
        shape_id, values = self._rows[key]
        names, lists = self._shapes[shape_id]
        if not lists:
            return dict(zip(names, values, strict=True))
        return {
            name: list(value) if i in lists else value
            for i, (name, value) in enumerate(zip(names, values, strict=True))
        }

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[K]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class CompactModels(MutableMapping[K, M], Generic[K, M]):
    """A mapping ``key -> model`` of one pydantic model class stored as
    :class:`CompactDicts` of their fields (python mode: enums stay enums) and rebuilt on
    access without validation (``model_construct``): equal to the model stored."""

    def __init__(self, model: type[M]) -> None:
        self._model = model
        self._fields = CompactDicts[K]()

    def __setitem__(self, key: K, value: M) -> None:
        self._fields.add(key, dict(value))

    def __getitem__(self, key: K) -> M:
        return self._model.model_construct(**self._fields[key])

    def __delitem__(self, key: K) -> None:
        self._fields.remove(key)

    def __contains__(self, key: object) -> bool:
        return key in self._fields

    def __iter__(self) -> Iterator[K]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)
