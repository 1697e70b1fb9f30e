"""Small building blocks for data kept flat so that it unpickles fast (the memory
snapshot restores it before a server answers): a string hash that is the same in every
process, and integer arrays of the smallest item type.

Used by the title index's exact-lookup table and records (:mod:`graph.titles`) and by the
compact tables' key buckets (:mod:`graph.backends.compact`).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable


def stable_hash(text: str) -> int:
    """CRC-32 (0 to 2**32 - 1) of ``text``'s UTF-8, a lone surrogate encoded as it is so that
    any ``str`` has one: unlike :func:`hash`, the same in every process, so a table laid
    out by it can be pickled and looked up elsewhere."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def unsigned_array(values: Iterable[int], most: int) -> array[int]:
    """``values`` (integers from 0 to ``most``) as an :class:`array.array` of the smallest
    unsigned item type that holds ``most`` (1, 2, 4 or 8 bytes).

    Raises
    ------
    OverflowError
        ``most`` needs more than 64 bits.
    """
    for typecode in ("B", "H", "I", "Q"):
        if most < 1 << (8 * array(typecode).itemsize):
            return array(typecode, values)
    raise OverflowError(f"{most} does not fit in 64 bits")


__all__ = ["stable_hash", "unsigned_array"]
