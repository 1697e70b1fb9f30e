"""The careergraph exception hierarchy.

Every error raised on purpose by careergraph derives from :class:`CareerGraphError`, so
callers (CLI, API) can turn them into clear messages instead of stack traces.
"""

from __future__ import annotations


class CareerGraphError(Exception):
    """Base class of all careergraph errors."""


class DataFormatError(CareerGraphError):
    """A source file is missing or malformed.

    Attributes name the file, the 1-based line (header = line 1), the column and the
    reason, so the message points at the exact bad cell.
    """

    def __init__(
        self,
        file: str,
        reason: str,
        *,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        where = file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")


class NotLoadedError(CareerGraphError):
    """The graph store holds no loaded O*NET release yet (run ``careergraph load``)."""


class UnknownOccupationError(CareerGraphError):
    """An O*NET-SOC code or job title matched no occupation.

    ``suggestions`` holds up to five close titles as ``(title, code)`` pairs.
    """

    def __init__(self, query: str, suggestions: list[tuple[str, str]] | None = None) -> None:
        self.query = query
        self.suggestions = suggestions or []
        hint = ""
        if self.suggestions:
            hint = "; did you mean " + ", ".join(f"{t!r} ({c})" for t, c in self.suggestions) + "?"
        super().__init__(f"no occupation matches {query!r}{hint}")


class NoPathError(CareerGraphError):
    """No loop-free route within the hop limit joins the two occupations."""


class BackendUnavailableError(CareerGraphError):
    """The graph database cannot be reached (e.g. Neo4j is not running)."""


class DownloadError(CareerGraphError):
    """An O*NET release could not be downloaded or is not a valid release zip."""


class DeadlineExceededError(CareerGraphError):
    """A request ran out of its time budget (the server is overloaded, or the query is too
    heavy); nothing is wrong with the request itself, so it may be retried later.

    ``budget_s`` is the budget that was exceeded, seconds.
    """

    def __init__(self, message: str, budget_s: float | None = None) -> None:
        self.budget_s = budget_s
        super().__init__(message)
