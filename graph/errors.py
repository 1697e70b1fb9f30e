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


class ReleaseShrinkError(CareerGraphError):
    """A new release would replace a loaded graph with one that lost more than a small
    share of some source table's rows (``careergraph load --allow-shrink`` accepts it).

    ``losses`` holds ``(table, rows before, rows now)`` for every such table.
    """

    def __init__(self, losses: list[tuple[str, int, int]], max_loss_pct: float) -> None:
        self.losses = losses
        worst = ", ".join(f"{t} {before:,} -> {now:,} rows" for t, before, now in losses[:3])
        more = f" and {len(losses) - 3} more" if len(losses) > 3 else ""
        super().__init__(
            f"refusing to replace the loaded graph: {worst}{more} (more than {max_loss_pct:g} % "
            "fewer rows than the loaded release; a truncated file?); the loaded graph is kept. "
            "Pass --allow-shrink to load it anyway"
        )


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
    """The graph database cannot be reached (e.g. Neo4j is not running) or refused to work.

    The message may name addresses and settings (fine for the local CLI user); HTTP clients
    get :attr:`public_message` instead, which names neither. :attr:`retryable` says whether
    asking again later may help (the API then sends ``Retry-After``).
    """

    default_public_message = "the graph database is not reachable right now; try again shortly"
    retryable = True

    def __init__(self, message: str, *, public_message: str | None = None) -> None:
        super().__init__(message)
        self.public_message = public_message or self.default_public_message


class BackendMisconfiguredError(BackendUnavailableError):
    """careergraph's settings do not let it use the graph database: wrong password, too
    many wrong passwords in a row, no such database, or an address that does not speak a
    supported Bolt version. Trying again does not help until the setting is fixed."""

    default_public_message = (
        "the server cannot use its graph database: an operator must fix its Neo4j settings "
        "(details are in the server log)"
    )
    retryable = False


class DownloadError(CareerGraphError):
    """A data file (e.g. an O*NET release) could not be downloaded or failed its checks."""


class DownloadRefusedError(DownloadError):
    """The site refused a scripted download (HTTP 401, 403, 406, 429 or 451): the file has
    to be downloaded in a web browser and placed by hand."""


class DeadlineExceededError(CareerGraphError):
    """A request ran out of its time budget (the server is overloaded, or the query is too
    heavy); nothing is wrong with the request itself, so it may be retried later.

    ``budget_s`` is the budget that was exceeded, seconds.
    """

    def __init__(self, message: str, budget_s: float | None = None) -> None:
        self.budget_s = budget_s
        super().__init__(message)
