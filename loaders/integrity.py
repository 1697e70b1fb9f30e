"""Replacing a loaded graph safely: the check that a new release did not lose rows.

The check lives here, above the backends, and runs the same way for both: the loaded
graph's per-table row counts (recorded with its release metadata: the Neo4j
``GraphRelease`` node, the memory snapshot's header) are compared with the new release's
(:attr:`graph.model.OnetRelease.table_rows`). The loaders' own checks (format, values,
duplicates, the row-count manifest of known releases in ``loaders/onet_releases.json``) run
before, while the release is read.
"""

from __future__ import annotations

from collections.abc import Mapping

from careergraph.graph.errors import ReleaseShrinkError
from careergraph.graph.model import GraphCounts, OnetRelease
from careergraph.graph.store import GraphStore, LoadProgress

MAX_TABLE_LOSS = 0.05
"""Largest share of a table's rows a new release may lose against the loaded one (5 %).
Successive O*NET releases change table sizes by a few percent at most; a truncated or
half-copied file loses far more."""


def find_table_losses(
    before: Mapping[str, int], after: Mapping[str, int], max_loss: float = MAX_TABLE_LOSS
) -> list[tuple[str, int, int]]:
    """Tables that lost more than ``max_loss`` (a share, 0-1) of their rows.

    Parameters
    ----------
    before, after
        Data rows per source table of the loaded and the new release; a table missing from
        ``after`` counts as 0 rows.

    Returns
    -------
    list[tuple[str, int, int]]
        ``(table, rows before, rows after)``, largest relative loss first.
    """
    losses = [
        (table, rows, after.get(table, 0))
        for table, rows in before.items()
        if rows > 0 and after.get(table, 0) < rows * (1 - max_loss)
    ]
    return sorted(losses, key=lambda loss: (loss[2] / loss[1], loss[0]))


def check_release_shrink(
    before: Mapping[str, int] | None, release: OnetRelease, *, allow_shrink: bool = False
) -> list[tuple[str, int, int]]:
    """Refuse ``release`` if it lost rows against the loaded graph's counts ``before``.

    Returns
    -------
    list[tuple[str, int, int]]
        The losses found (empty when nothing shrank, nothing was loaded, or the loaded
        graph recorded no counts); returned instead of raised with ``allow_shrink``.

    Raises
    ------
    ReleaseShrinkError
        Some table lost more than :data:`MAX_TABLE_LOSS` of its rows.
    """
    losses = find_table_losses(before or {}, release.table_rows)
    if losses and not allow_shrink:
        raise ReleaseShrinkError(losses, MAX_TABLE_LOSS * 100)
    return losses


def replace_graph(
    store: GraphStore,
    release: OnetRelease,
    *,
    allow_shrink: bool = False,
    loaded_table_rows: Mapping[str, int] | None = None,
    progress: LoadProgress | None = None,
) -> GraphCounts:
    """Load ``release`` into ``store`` unless it would shrink the loaded graph.

    Parameters
    ----------
    store
        Either backend; its loaded graph stays as it was when this raises.
    release
        The validated release (with BLS figures and derived edges).
    allow_shrink
        Load even if a table lost more than :data:`MAX_TABLE_LOSS` of its rows.
    loaded_table_rows
        The counts of the graph being replaced, when they are not the store's own (the
        memory backend's loaded graph is its newest snapshot, not the empty store);
        default ``store.loaded_table_rows()``.
    progress
        Passed to ``store.load``.

    Returns
    -------
    GraphCounts
        The new graph's counts.

    Raises
    ------
    ReleaseShrinkError
        See :func:`check_release_shrink`; nothing was written.
    BackendUnavailableError
        The backend cannot be reached.
    """
    before = loaded_table_rows if loaded_table_rows is not None else store.loaded_table_rows()
    check_release_shrink(before, release, allow_shrink=allow_shrink)
    return store.load(release, progress)
