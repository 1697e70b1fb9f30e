"""Per-request deadlines: one absolute time by which a request's graph work must end.

The HTTP API sets a deadline around each request's store call (:func:`deadline_scope`);
the stores read it (:func:`current_deadline`, :func:`remaining_s`) to stop early: the
in-memory route search checks it while it enumerates, the Neo4j store sets each query's
server-side timeout to the time that is left. Outside a scope there is no deadline (the
CLI, tests, benchmarks), and every function here is a no-op.

Deadlines are ``time.monotonic()`` values held in a :class:`contextvars.ContextVar`, so
each thread or task sees only its own request's deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from careergraph.graph.errors import DeadlineExceededError

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("careergraph_deadline", default=None)
"""(absolute ``time.monotonic()`` deadline, the budget it was set from in seconds)."""


@contextmanager
def deadline_scope(deadline: float, budget_s: float) -> Iterator[None]:
    """Run the body with ``deadline`` (a ``time.monotonic()`` value) as the current
    deadline; ``budget_s`` (seconds) is only reported in error messages."""
    token = _DEADLINE.set((deadline, budget_s))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def current_deadline() -> float | None:
    """The current deadline as a ``time.monotonic()`` value, or None outside a scope."""
    scope = _DEADLINE.get()
    return None if scope is None else scope[0]


def remaining_s() -> float | None:
    """Seconds left before the current deadline (may be <= 0), or None outside a scope."""
    scope = _DEADLINE.get()
    return None if scope is None else scope[0] - time.monotonic()


def check_deadline(what: str = "the request") -> None:
    """Raise if the current deadline has passed; do nothing outside a scope.

    Raises
    ------
    DeadlineExceededError
        The deadline has passed.
    """
    scope = _DEADLINE.get()
    if scope is not None and time.monotonic() > scope[0]:
        raise deadline_error(what, scope[1])


def deadline_error(what: str, budget_s: float | None = None) -> DeadlineExceededError:
    """The error for ``what`` running out of time (``budget_s`` seconds, if known)."""
    if budget_s is None:
        scope = _DEADLINE.get()
        budget_s = None if scope is None else scope[1]
    within = f" within {budget_s:g} s" if budget_s is not None else " in time"
    return DeadlineExceededError(f"{what} did not finish{within}", budget_s)
