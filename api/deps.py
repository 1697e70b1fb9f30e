"""The one place a graph backend is chosen and opened (from settings), and the FastAPI
dependencies of the HTTP API (``Annotated`` aliases: :data:`GraphDep`, :data:`SettingsDep`)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Concatenate, ParamSpec, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request

from api.settings import Settings
from graph.backends.neo4j_store import Neo4jStore
from graph.backends.networkx_store import NetworkxStore
from graph.backends.snapshot import (
    SnapshotHeader,
    SnapshotKeyError,
    latest_snapshot_header,
    load_or_build_store,
    read_install_key,
    snapshot_key,
    write_snapshot,
)
from graph.errors import (
    BackendMisconfiguredError,
    BackendUnavailableError,
    CareerGraphError,
    NotLoadedError,
)
from graph.model import OnetRelease
from graph.store import GraphStore, LoadProgress
from loaders.career_data import build_career_data
from loaders.onet import ProgressCallback, read_onet_release

logger = logging.getLogger("careergraph.deps")

P = ParamSpec("P")
T = TypeVar("T")

NEO4J_RETRY_TIME_S = 30.0
"""Default time the Neo4j driver retries a read on connection loss (the driver's own)."""
NEO4J_CONNECTION_TIMEOUT_S = 30.0
"""Default timeout of opening one Bolt connection (the driver's own), seconds."""
API_NEO4J_RETRY_TIME_S = 2.0
"""For the HTTP API: retry a lost connection this long, then answer 503 at once."""
API_NEO4J_CONNECTION_TIMEOUT_S = 5.0
"""For the HTTP API: timeout of opening one Bolt connection, seconds."""
RETRY_AFTER_S = 10
"""``Retry-After`` (seconds) of the API's 503 answers: about a Neo4j restart."""


def open_store(
    settings: Settings,
    backend: str | None = None,
    *,
    retry_time_s: float = NEO4J_RETRY_TIME_S,
    connection_timeout_s: float = NEO4J_CONNECTION_TIMEOUT_S,
) -> GraphStore:
    """Open the configured backend; the memory store comes back empty (see
    :func:`open_loaded_store`). ``retry_time_s`` and ``connection_timeout_s`` (seconds)
    tune the Neo4j driver: how long a read is retried when the server is gone, and how
    long opening one connection may take.

    Raises
    ------
    BackendMisconfiguredError
        Neo4j chosen but no password known (no ``NEO4J_PASSWORD``, no password file).
    CareerGraphError
        Unknown backend.
    """
    chosen = backend or settings.backend
    if chosen == "neo4j":
        if not settings.neo4j_password:
            raise BackendMisconfiguredError(
                f"no Neo4j password: set NEO4J_PASSWORD, or start the local server with "
                f"`careergraph neo4j start`, which writes one to {settings.neo4j_password_file}"
            )
        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
            settings.query_timeout_s,
            max_retry_time_s=retry_time_s,
            connection_timeout_s=connection_timeout_s,
            password_source=settings.neo4j_password_source,
        )
    if chosen == "memory":
        return NetworkxStore()
    raise CareerGraphError(f"unknown backend {chosen!r}: use memory or neo4j")


def read_release(
    settings: Settings, onet: Path | None = None, progress: ProgressCallback | None = None
) -> OnetRelease:
    """Read the O*NET release at ``onet`` or at the configured location, then add BLS
    figures, Career Changers pairs, O*NET 30.1 tasks and the derived ``SIMILAR_TO``/``LEADS_TO``
    edges (:func:`loaders.career_data.build_career_data`)."""
    source = onet or settings.resolve_onet_source()
    if source is None:
        raise CareerGraphError(
            "no O*NET release found: run `careergraph data fetch` or set CAREERGRAPH_ONET_DIR"
        )
    release = read_onet_release(source, progress=progress)
    return build_career_data(
        release,
        bls_dir=settings.resolve_bls_dir(),
        career_changers_dir=settings.resolve_career_changers_dir(),
        tasks_dir=settings.resolve_tasks_dir(),
    )


def open_loaded_store(
    settings: Settings,
    backend: str | None = None,
    onet: Path | None = None,
    progress: LoadProgress | None = None,
    on_read: Callable[[OnetRelease], None] | None = None,
    *,
    retry_time_s: float = NEO4J_RETRY_TIME_S,
    connection_timeout_s: float = NEO4J_CONNECTION_TIMEOUT_S,
    read_progress: ProgressCallback | None = None,
    verify: bool = True,
) -> GraphStore:
    """Open a backend ready for queries: Neo4j as it is (loaded by ``careergraph load``),
    the memory store loaded from the O*NET files, or restored from the snapshot of an
    earlier load of the same files (``graph/backends/snapshot.py``; ``read_progress``
    (per O*NET table read), ``on_read`` (release read and derived) and ``progress`` (graph
    built) are then not called). Driver options as in :func:`open_store`; with
    ``verify``, Neo4j is asked once at once (a server that is not running fails in well
    under a second instead of after the driver's retries).

    Raises
    ------
    BackendUnavailableError, BackendMisconfiguredError
        Neo4j not running, wrong password, missing database (``verify`` only).
    """
    store = open_store(
        settings, backend, retry_time_s=retry_time_s, connection_timeout_s=connection_timeout_s
    )
    if verify and isinstance(store, Neo4jStore):
        try:
            store.verify()
        except BaseException:
            store.close()
            raise
    if isinstance(store, NetworkxStore):
        memory = store

        def build() -> NetworkxStore:
            release = read_release(settings, onet, read_progress)
            if on_read is not None:
                on_read(release)
            memory.load(release, progress)
            return memory

        sources = memory_graph_sources(settings, onet)
        return load_or_build_store(settings.cache_dir, sources, build, settings.snapshot_key_file)
    return store


def memory_graph_sources(settings: Settings, onet: Path | None = None) -> list[Path | None]:
    """The inputs the memory graph is built from (its snapshot's key): the O*NET release
    (``onet`` or the configured one), the BLS folder, the Career Changers folder and the
    O*NET 30.1 Task Statements folder."""
    return [
        onet or settings.resolve_onet_source(),
        settings.resolve_bls_dir(),
        settings.resolve_career_changers_dir(),
        settings.resolve_tasks_dir(),
    ]


def _snapshot_secret(settings: Settings) -> bytes | None:
    try:
        return read_install_key(settings.snapshot_key_file)
    except SnapshotKeyError as exc:
        logger.warning("memory snapshots disabled: %s", exc)
        return None


def read_memory_graph_header(settings: Settings) -> SnapshotHeader | None:
    """The release metadata of the memory graph built last (the newest authenticated
    snapshot in the cache: release label and per-table row counts), or None."""
    secret = _snapshot_secret(settings)
    return latest_snapshot_header(settings.cache_dir, secret) if secret else None


def save_memory_graph(
    settings: Settings, store: NetworkxStore, onet: Path | None = None
) -> Path | None:
    """Save a loaded memory store as the snapshot later runs with the same inputs restore;
    returns its path, or None if it could not be written (a warning is logged)."""
    secret = _snapshot_secret(settings)
    if secret is None:
        return None
    key = snapshot_key(memory_graph_sources(settings, onet))
    return write_snapshot(store, settings.cache_dir, key, secret)


def open_api_store(settings: Settings, backend: str | None = None) -> GraphStore:
    """Open the backend for the HTTP API: the memory store loaded from the O*NET release
    (a few seconds for 29.3), or the Neo4j driver set to fail fast (retry a lost connection
    for :data:`API_NEO4J_RETRY_TIME_S`), so an unreachable server gives a 503 within
    seconds. Opening Neo4j does not contact it: the API starts while Neo4j is down.

    Raises
    ------
    CareerGraphError
        Unknown backend, or no O*NET release found / readable for the memory store.
    """
    return open_loaded_store(
        settings,
        backend,
        retry_time_s=API_NEO4J_RETRY_TIME_S,
        connection_timeout_s=API_NEO4J_CONNECTION_TIMEOUT_S,
        verify=False,
    )


class QueryTimeoutError(BackendUnavailableError):
    """A request's graph queries took longer than ``CAREERGRAPH_QUERY_TIMEOUT_S``."""


class GraphAccess:
    """The opened graph store of a running API, and the way routes call it.

    Store calls block (networkx computes in process; the Neo4j driver waits on the
    network), so :meth:`run` runs them in a worker thread, bounded by the request timeout.

    Parameters
    ----------
    store
        The opened backend; shared by all requests (both stores are thread-safe for reads).
    timeout_s
        Longest time one request may spend in the store, seconds.
    """

    def __init__(self, store: GraphStore, timeout_s: float) -> None:
        self.store = store
        self.timeout_s = timeout_s

    async def run(
        self, fn: Callable[Concatenate[GraphStore, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Return ``fn(store, *args, **kwargs)``, computed in a worker thread.

        Raises
        ------
        QueryTimeoutError
            It took longer than ``timeout_s``; the request is answered at once (503) and
            the abandoned call ends by itself (Neo4j enforces the same timeout per query).
        CareerGraphError
            Whatever ``fn`` raises (mapped to HTTP answers by the app's handlers).
        """
        call = functools.partial(fn, self.store, *args, **kwargs)
        with anyio.move_on_after(self.timeout_s):
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        message = f"the {self.store.backend} backend did not answer within {self.timeout_s:g} s"
        raise QueryTimeoutError(message, public_message=message)


def get_graph(request: Request) -> GraphAccess:
    """FastAPI dependency: the store opened by the app's lifespan."""
    graph: GraphAccess = request.app.state.graph
    return graph


def get_app_settings(request: Request) -> Settings:
    """FastAPI dependency: the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


GraphDep = Annotated[GraphAccess, Depends(get_graph)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def require_loaded_release(store: GraphStore) -> str:
    """The loaded O*NET release label, for the attribution every data answer carries.

    Raises
    ------
    NotLoadedError
        The graph is empty (Neo4j not loaded yet).
    BackendUnavailableError
        Neo4j is unreachable.
    """
    release = store.loaded_release()
    if release is None:
        raise NotLoadedError(f"the {store.backend} graph is empty: run `careergraph load`")
    return release
