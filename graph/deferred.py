"""Attributes of a pickled object that are unpickled at their first use.

The memory snapshot (:mod:`graph.backends.snapshot`) restores the whole store before a
server answers, so every object it holds costs start-up time. Some of them only some
queries read (the title index's fuzzy-search structures, the related-occupation lists):
:class:`DeferredAttributes` pickles those as one pickle inside the object's own and
unpickles it the first time one of them is read (a lock makes that happen once), so a
process pays for them only if it uses them (with several ``serve`` workers, each worker
that uses them unpacks its own copy: ~35 MB and ~60 ms for the title index's fuzzy part,
~15 MB and ~35 ms for the store's indexes, once per worker).

The inner pickle is made by this process's code and travels inside the outer one, which
the snapshot authenticates before unpickling any byte of it; it is never read from
anywhere else.
"""

from __future__ import annotations

import pickle
import threading
from typing import TYPE_CHECKING, Any, ClassVar

from careergraph.graph.collector import collector_paused, freeze_long_lived

_PACKED = "_deferred_pickle"
_LOCK = "_deferred_lock"


class DeferredAttributes:
    """Mixin: the instance attributes named in :attr:`DEFERRED` are pickled as one inner
    pickle and unpickled at the first read of any of them (``__getattr__``).

    Subclasses with their own ``__getstate__``/``__setstate__`` pass their state through
    :meth:`_pack_deferred` and :meth:`_unpack_deferred_later`. Objects made by the class
    itself (not unpickled) hold the attributes as usual.
    """

    DEFERRED: ClassVar[frozenset[str]] = frozenset()

    def _pack_deferred(self, state: dict[str, Any]) -> dict[str, Any]:
        """``state`` without the deferred attributes, with them as one inner pickle (or
        the inner pickle this restored object still holds, unread)."""
        state = {k: v for k, v in state.items() if k not in self.DEFERRED and k != _LOCK}
        if _PACKED not in state:
            deferred = {name: self.__dict__[name] for name in self.DEFERRED}
            state[_PACKED] = pickle.dumps(deferred, pickle.HIGHEST_PROTOCOL)
        return state

    def _unpack_deferred_later(self) -> None:
        """Called at the end of ``__setstate__``: the inner pickle waits for a read."""
        self.__dict__[_LOCK] = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return self._pack_deferred(dict(self.__dict__))

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._unpack_deferred_later()

    if not TYPE_CHECKING:  # (for mypy, the attributes are those the class declares)

        def __getattr__(self, name: str) -> Any:
            """A deferred attribute of a restored object: the inner pickle is unpickled
            now, with the garbage collector paused, and the objects made are frozen out of
            its reach (``gc.freeze``, as ``api.deps`` freezes a restored graph: they live as
            long as the object holding them; ``gc.get_freeze_count`` would walk ~1 M
            frozen objects, ~15 ms, to ask whether the process froze)."""
            lock = self.__dict__.get(_LOCK)
            if name not in self.DEFERRED or lock is None:
                raise AttributeError(name)
            with lock:
                packed = self.__dict__.pop(_PACKED, None)
                if packed is not None:
                    with collector_paused():
                        self.__dict__.update(pickle.loads(packed))
                        freeze_long_lived(collect_first=False)
            return self.__dict__[name]


__all__ = ["DeferredAttributes"]
