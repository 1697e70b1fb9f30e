"""The cyclic garbage collector around objects that live as long as the process.

A serving process makes most of its objects once, before it answers: the modules a start
imports (~0.1 M tracked objects), the memory graph restored from its snapshot (~0.9 M),
the Neo4j title index (~0.19 M). Made with the collector running, they start collection
after collection, each of which scans everything made so far (~40 ms of a warm start's
imports, ~0.4 s of a restore); and once made, every full collection scans them again and
stops the process meanwhile (90-320 ms for the Neo4j title index, over a second for the
memory graph). So they are made with the collector paused (:func:`collector_paused`) and
then moved out of its reach (:func:`freeze_long_lived`): frozen objects are never scanned
again (nor written to by the collector, so forked workers keep sharing their pages).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (it is turned back on at
    the end only if it was on at the start; nested pauses are fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_long_lived(*, collect_first: bool) -> None:
    """Move every object the collector tracks now into its permanent generation
    (``gc.freeze``): no later collection scans them.

    ``collect_first`` collects garbage first, so that none with reference cycles is kept
    for good: needed after a build that leaves such garbage behind (the networkx graph a
    memory store is built from); skipped where a full collection would only scan what is
    about to be frozen (a restore makes no garbage; ~0.4 s over a restored graph).
    """
    if collect_first:
        gc.collect()
    gc.freeze()


__all__ = ["collector_paused", "freeze_long_lived"]
