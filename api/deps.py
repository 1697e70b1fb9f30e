"""The one place a graph backend is chosen and opened (from settings), and the FastAPI
dependencies of the HTTP API (``Annotated`` aliases: :data:`GraphDep`, :data:`SettingsDep`)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Concatenate, ParamSpec, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request, Response
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careergraph.api.settings import Settings
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.backends.snapshot import (
    SnapshotHeader,
    SnapshotKeyError,
    latest_snapshot_header,
    load_or_build_store,
    load_snapshot,
    read_install_key,
    read_snapshot_header,
    snapshot_key,
    snapshot_path,
    write_snapshot,
)
from careergraph.graph.collector import collector_paused, freeze_long_lived
from careergraph.graph.deadline import check_deadline, deadline_scope
from careergraph.graph.errors import (
    BackendMisconfiguredError,
    CareerGraphError,
    DeadlineExceededError,
    NotLoadedError,
)
from careergraph.graph.model import OnetRelease
from careergraph.graph.store import GraphStore, LoadProgress

if TYPE_CHECKING:
    from careergraph.loaders.onet import ProgressCallback

logger = logging.getLogger("careergraph.deps")

P = ParamSpec("P")
T = TypeVar("T")

NEO4J_RETRY_TIME_S = 30.0
"""Default time the Neo4j driver retries a read on connection loss (the driver's own)."""
NEO4J_CONNECTION_TIMEOUT_S = 30.0
"""Default timeout of opening one Bolt connection (the driver's own), seconds."""
API_NEO4J_RETRY_TIME_S = 0.5
"""For the HTTP API: retry a lost connection this long, then answer 503 at once (the
driver waits ~1 s before its first retry, so an unreachable server is reported after ~1 s,
within the default request deadline, ``CAREERGRAPH_REQUEST_DEADLINE_S``)."""
API_NEO4J_CONNECTION_TIMEOUT_S = 5.0
"""For the HTTP API: timeout of opening one Bolt connection, seconds."""
RETRY_AFTER_S = 10
"""``Retry-After`` (seconds) of the API's 503 answers: about a Neo4j restart."""
DEADLINE_RETRY_AFTER_S = 2
"""``Retry-After`` (seconds) of a 503 for a request that ran out of time (overload)."""


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
        # Imported here: a memory-backend process never loads the Neo4j driver (~0.15 s).
        from careergraph.graph.backends.neo4j_store import Neo4jStore

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
    restore: bool = True,
) -> GraphStore:
    """Open a backend ready for queries: Neo4j as it is (loaded by ``careergraph load``),
    the memory store loaded from the sources (:func:`loaders.pipeline.read_release`), or
    restored from the snapshot of an earlier load of the same files
    (``graph/backends/snapshot.py``; ``read_progress`` (per O*NET table read), ``on_read``
    (release read and derived) and ``progress`` (graph built) are then not called; without
    ``restore`` the memory graph is built, and its snapshot written, without trying to
    restore one). Driver options as in :func:`open_store`; with ``verify``, Neo4j is asked
    once at once (a server that is not running fails in well under a second instead of
    after the driver's retries).

    Raises
    ------
    BackendUnavailableError, BackendMisconfiguredError
        Neo4j not running, wrong password, missing database (``verify`` only).
    CareerGraphError
        No O*NET release is configured, cached or present (memory).
    """
    store = open_store(
        settings, backend, retry_time_s=retry_time_s, connection_timeout_s=connection_timeout_s
    )
    if verify and store.backend == "neo4j":
        from careergraph.graph.backends.neo4j_store import Neo4jStore

        assert isinstance(store, Neo4jStore)
        try:
            store.verify()
        except BaseException:
            store.close()
            raise
    if isinstance(store, NetworkxStore):
        memory = store
        sources = settings.release_sources(onet)

        def build() -> NetworkxStore:
            # Imported here: a process that restores the snapshot never reads a release.
            from careergraph.loaders.pipeline import read_release

            release = read_release(sources, read_progress)
            if on_read is not None:
                on_read(release)
            memory.load(release, progress)
            return memory

        return load_or_build_store(
            settings.cache_dir,
            sources.paths(),
            build,
            settings.snapshot_key_file,
            restore=restore,
        )
    return store


def memory_graph_sources(settings: Settings, onet: Path | None = None) -> list[Path | None]:
    """The inputs the memory graph is built from (its snapshot's key): every source of
    :meth:`api.settings.Settings.release_sources`."""
    return settings.release_sources(onet).paths()


def _snapshot_secret(settings: Settings) -> bytes | None:
    try:
        return read_install_key(settings.snapshot_key_file)
    except SnapshotKeyError as exc:
        logger.warning("memory snapshots disabled: %s", exc)
        return None


def memory_snapshot_ready(settings: Settings) -> bool:
    """Does the cache hold an authenticated memory snapshot for the current sources (so
    a process opening the memory store restores it instead of building the graph)?

    Raises
    ------
    CareerGraphError
        No O*NET release is configured, cached or present.
    """
    secret = _snapshot_secret(settings)
    if secret is None:
        return False
    key = snapshot_key(memory_graph_sources(settings))
    header = read_snapshot_header(snapshot_path(settings.cache_dir, key), secret)
    return header is not None and header.key == key


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


def restore_memory_graph(settings: Settings) -> NetworkxStore | None:
    """The memory store restored from the snapshot of the current sources and code, its
    objects frozen out of the garbage collector's reach (``gc.freeze``), or None where
    there is no usable snapshot: no install key, none written yet for these inputs, or one
    that fails verification (a warning; :func:`open_api_store` then builds the graph).

    The snapshot's key (a stat of every source and code file) is computed once.

    Raises
    ------
    CareerGraphError
        No O*NET release is configured, cached or present.
    """
    secret = _snapshot_secret(settings)
    if secret is None:
        return None
    key = snapshot_key(memory_graph_sources(settings))
    # Restoring creates ~0.9 M long-lived objects; the collector's first pass over them
    # (~0.4 s) would run as soon as it is back on. They are frozen before that instead: a
    # full pass over the graph takes over a second and stops every request meanwhile
    # (requests past their deadline by that much, in bench/load.py); frozen, they are never
    # scanned again, and the store is not changed while the API serves it.
    with collector_paused():
        store = load_snapshot(snapshot_path(settings.cache_dir, key), key, secret)
        if store is not None:
            freeze_long_lived(collect_first=False)
    return store


def open_api_store(settings: Settings, backend: str | None = None) -> GraphStore:
    """Open the backend for the HTTP API: the memory store restored from its snapshot
    (:func:`restore_memory_graph`) or else loaded from the O*NET release (a few seconds
    for 29.3), or the Neo4j driver set to fail fast (retry a lost connection for
    :data:`API_NEO4J_RETRY_TIME_S`), so an unreachable server gives a 503 within seconds.
    Opening Neo4j does not contact it: the API starts while Neo4j is down. The memory
    store's objects are frozen out of the garbage collector's reach (``gc.freeze``).

    Raises
    ------
    CareerGraphError
        Unknown backend, or no O*NET release found / readable for the memory store.
    """
    memory = (backend or settings.backend) == "memory"
    if memory:
        restored = restore_memory_graph(settings)
        if restored is not None:
            return restored
    store = open_loaded_store(
        settings,
        backend,
        retry_time_s=API_NEO4J_RETRY_TIME_S,
        connection_timeout_s=API_NEO4J_CONNECTION_TIMEOUT_S,
        verify=False,
        restore=not memory,  # just tried
    )
    if isinstance(store, NetworkxStore):
        # A graph built from the sources leaves garbage with reference cycles (the
        # networkx graph it was built from): collected first, or freezing would keep it
        # for good; then frozen as a restored one (:func:`restore_memory_graph`).
        freeze_long_lived(collect_first=True)
    return store


DEFAULT_MAX_CONCURRENT_QUERIES = {"memory": 1, "neo4j": 4}
"""Store calls one API process runs at once, by backend, unless set
(``CAREERGRAPH_MAX_CONCURRENT_QUERIES``). The memory backend computes in Python, which
runs one thread at a time: more threads would not add speed, only take the interpreter
from the event loop that reads requests and writes answers, so the queue would form there,
out of reach of the deadline. Neo4j runs on the machine's few cores: more queries at once
only make each slower, and under overload most of them then run out of time having used
the database for nothing (measured by ``bench/load.py`` at c = 64: 16 at once served 4.7
answers/s, 4 at once 10.5/s). Requests beyond these wait for a slot, within their
deadline, without using the database."""

ANSWER_CACHE_BYTES = 24 * 1024 * 1024
"""Most bytes of JSON answers one memory-backend API process keeps (:meth:`GraphAccess.
run_json`): ~900 route answers of k = 3 or ~5,000 title searches."""

MALLOC_TRIM_EVERY = 200
"""A memory-backend API process hands the C allocator's free pages back to the system
after every this many answers it computed (:func:`malloc_trim`)."""


def malloc_trim() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)`` as a function of no arguments, or None where there is none.

    Answering allocates and frees many medium-sized blocks (models, lists, JSON); glibc keeps
    the freed pages inside its heap, so a serving process grew by ~70 MB of free memory in
    its first few thousand computed answers (RSS 330 -> 400 MB, all of it given back by one
    call, which takes ~1-3 ms). Trimming now and then keeps RSS at what is in use.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


_ARRIVAL: ContextVar[float | None] = ContextVar("careergraph_request_arrival", default=None)


class ArrivalTimeMiddleware:
    """ASGI middleware that notes when each HTTP request arrived (``time.monotonic()``),
    so its deadline (:class:`GraphAccess`) counts the time it waited in the event loop, and
    reports the server's time per answer as ``Server-Timing: app;dur=<ms>`` (from arrival
    to the start of the answer; load tests compare it with what the client saw)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.monotonic()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                took_ms = (time.monotonic() - arrived) * 1e3
                headers = [
                    *message.get("headers", ()),
                    (b"server-timing", b"app;dur=%.1f" % took_ms),
                ]
                message = {**message, "headers": headers}
            await send(message)

        token = _ARRIVAL.set(arrived)
        try:
            await self.app(scope, receive, send_with_timing)
        finally:
            _ARRIVAL.reset(token)


class GraphAccess:
    """The opened graph store of a running API, and the way routes call it: each request's
    store call runs in a worker thread under a deadline, at most ``max_concurrent`` at once.

    The deadline (``timeout_s`` from the request's arrival, noted by
    :class:`ArrivalTimeMiddleware`, else from the call) covers waiting in the event loop
    and for a free slot, and the work itself. The store sees it (:mod:`graph.deadline`):
    the memory route search stops when it passes, Neo4j queries get the time that is left
    as their server-side timeout. So an
    overloaded server answers 503 (``deadline_exceeded``) within ``timeout_s``, and the work
    of a request that ran out of time ends about then too, instead of piling up.

    Parameters
    ----------
    store
        The opened backend; shared by all requests (both stores are thread-safe for reads).
    timeout_s
        Longest time one request may spend waiting for and in the store, seconds.
    max_concurrent
        Store calls run at once (the rest wait); default by backend,
        :data:`DEFAULT_MAX_CONCURRENT_QUERIES`.
    """

    def __init__(
        self, store: GraphStore, timeout_s: float, max_concurrent: int | None = None
    ) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.max_concurrent = max_concurrent or DEFAULT_MAX_CONCURRENT_QUERIES.get(store.backend, 8)
        self._limiter: anyio.CapacityLimiter | None = None
        # Answers of a memory store: its graph never changes while the API serves it.
        self._answers: OrderedDict[Hashable, bytes] | None = (
            OrderedDict() if store.backend == "memory" else None
        )
        self._answer_bytes = 0
        self._trim = malloc_trim() if store.backend == "memory" else None
        self._computed = 0

    async def run_json(
        self,
        key: Hashable,
        fn: Callable[Concatenate[GraphStore, P], BaseModel],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Response:
        """``fn(store, *args, **kwargs)`` (:meth:`run`) as a JSON answer, kept under
        ``key`` (which must name everything the answer depends on) when the store is the
        memory one: its data change only with a new release, which needs a new process,
        so a repeated question is answered from memory (the least recently asked answers
        are let go beyond :data:`ANSWER_CACHE_BYTES`). Neo4j answers are never kept (the
        graph may be reloaded under a running API).

        Raises
        ------
        DeadlineExceededError, CareerGraphError
            As :meth:`run` (errors are not kept).
        """
        answers = self._answers
        body = answers.get(key) if answers is not None else None
        if body is None:
            model = await self.run(fn, *args, **kwargs)
            body = model.model_dump_json().encode()
            self._computed += 1
            if self._trim is not None and self._computed % MALLOC_TRIM_EVERY == 0:
                self._trim()
            if answers is not None:
                answers[key] = body
                self._answer_bytes += len(body)
                while self._answer_bytes > ANSWER_CACHE_BYTES:
                    self._answer_bytes -= len(answers.popitem(last=False)[1])
        elif answers is not None:
            answers.move_to_end(key)
        return Response(body, media_type="application/json")

    async def run(
        self, fn: Callable[Concatenate[GraphStore, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Return ``fn(store, *args, **kwargs)``, computed in a worker thread.

        Raises
        ------
        DeadlineExceededError
            No answer within ``timeout_s`` (waiting included); the request is answered at
            once (503) and the abandoned call stops at the same deadline.
        CareerGraphError
            Whatever ``fn`` raises (mapped to HTTP answers by the app's handlers).
        """
        if self._limiter is None:  # created on first use, inside the event loop
            self._limiter = anyio.CapacityLimiter(self.max_concurrent)
        budget = self.timeout_s
        deadline = (_ARRIVAL.get() or time.monotonic()) + budget
        if time.monotonic() >= deadline:
            raise self._late(budget)

        def call() -> T:
            with deadline_scope(deadline, budget):
                check_deadline("the request")  # it waited its whole budget for a slot
                return fn(self.store, *args, **kwargs)

        with anyio.move_on_after(deadline - time.monotonic()):
            return await anyio.to_thread.run_sync(
                call, abandon_on_cancel=True, limiter=self._limiter
            )
        raise self._late(budget)

    def _late(self, budget: float) -> DeadlineExceededError:
        return DeadlineExceededError(
            f"the {self.store.backend} backend did not answer within {budget:g} s "
            "(the server is busy or the query too heavy); try again shortly",
            budget,
        )


async def get_graph(request: Request) -> GraphAccess:
    """FastAPI dependency: the store opened by the app's lifespan (``async``: FastAPI
    runs a plain function dependency in a worker thread, a hand-over that cost more CPU
    than the rest of the lookup)."""
    graph: GraphAccess = request.app.state.graph
    return graph


async def get_app_settings(request: Request) -> Settings:
    """FastAPI dependency: the settings the app was created with (``async``, as
    :func:`get_graph`)."""
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
