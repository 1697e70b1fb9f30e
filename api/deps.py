"""The one place a graph backend is chosen and opened (from settings)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from api.settings import Settings
from graph.backends.neo4j_store import Neo4jStore
from graph.backends.networkx_store import NetworkxStore
from graph.errors import CareerGraphError
from graph.model import OnetRelease
from graph.store import GraphStore, LoadProgress
from loaders.onet import ProgressCallback, read_onet_release


def open_store(settings: Settings, backend: str | None = None) -> GraphStore:
    """Open the configured backend; the memory store comes back empty (see
    :func:`open_loaded_store`)."""
    chosen = backend or settings.backend
    if chosen == "neo4j":
        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
            settings.query_timeout_s,
        )
    if chosen == "memory":
        return NetworkxStore()
    raise CareerGraphError(f"unknown backend {chosen!r}: use memory or neo4j")


def read_release(
    settings: Settings, onet: Path | None = None, progress: ProgressCallback | None = None
) -> OnetRelease:
    """Read the O*NET release at ``onet`` or at the configured location."""
    source = onet or settings.resolve_onet_source()
    if source is None:
        raise CareerGraphError(
            "no O*NET release found: run `careergraph data fetch` or set CAREERGRAPH_ONET_DIR"
        )
    return read_onet_release(source, progress=progress)


def open_loaded_store(
    settings: Settings,
    backend: str | None = None,
    onet: Path | None = None,
    progress: LoadProgress | None = None,
    on_read: Callable[[OnetRelease], None] | None = None,
) -> GraphStore:
    """Open a backend ready for queries: Neo4j as it is (loaded by ``careergraph load``),
    the memory store loaded from the O*NET files."""
    store = open_store(settings, backend)
    if isinstance(store, NetworkxStore):
        release = read_release(settings, onet)
        if on_read is not None:
            on_read(release)
        store.load(release, progress)
    return store
