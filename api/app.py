"""The careergraph HTTP API: FastAPI app factory, lifespan and error handlers.

``create_app()`` builds the app; its lifespan opens the graph backend chosen by the
settings once (:func:`api.deps.open_api_store`: the memory store loads the O*NET release,
the Neo4j driver connects lazily) and closes it on shutdown. Run it with
``careergraph serve`` (uvicorn). Endpoints live under ``/v1`` (:mod:`api.routes`);
OpenAPI at ``/openapi.json``, Swagger UI at ``/docs`` and ReDoc at ``/redoc`` from local
assets (no CDN). The web page (search a role, its page, routes drawn as diagrams) is at
``/`` (:mod:`api.web`). Caching (ETag, Cache-Control), HEAD, gzip, CORS, the pages'
Content-Security-Policy and the operation ids are set up by :mod:`api.http`.

Errors are JSON (:class:`api.schemas.ErrorResponse`), mapped centrally from
:mod:`graph.errors`: unknown occupation or no route -> 404, invalid input -> 422, backend
unreachable, timed out, out of time (``deadline_exceeded``, the per-request deadline) or
empty -> 503 with ``Retry-After``; backend misconfigured (wrong password, missing database) ->
503 without it; anything unexpected -> 500 without a stack trace (it is logged). A backend
error's answer says what the client can do and names no internal address or driver detail
(:attr:`graph.errors.BackendUnavailableError.public_message`); the full message goes to the
server log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from importlib.metadata import version

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from careergraph.api.deps import (
    DEADLINE_RETRY_AFTER_S,
    RETRY_AFTER_S,
    ArrivalTimeMiddleware,
    GraphAccess,
    open_api_store,
)
from careergraph.api.http import docs_options, install_http_features
from careergraph.api.routes import include_v1
from careergraph.api.schemas import ErrorResponse, SuggestionResponse, ValidationDetailResponse
from careergraph.api.settings import Settings, get_settings
from careergraph.api.web import STATIC_DIR
from careergraph.api.web import router as web_router
from careergraph.graph.collector import collector_paused, freeze_long_lived
from careergraph.graph.errors import (
    BackendMisconfiguredError,
    BackendUnavailableError,
    CareerGraphError,
    DeadlineExceededError,
    NoPathError,
    NotLoadedError,
    UnknownOccupationError,
)
from careergraph.graph.store import GraphStore

logger = logging.getLogger("careergraph.api")

DESCRIPTION = """\
Career paths over the U.S. **O\\*NET** database: title search, occupations, related
occupations, the k cheapest routes between two roles with every hop explained, and the
skill gap between two occupations. Backend: networkx (memory) or Neo4j 5.

Errors are JSON `{error, message, query, suggestions, details}`: 404 for an unknown
occupation (with up to 5 suggestions) or no route, 422 for invalid input, 503 with
`Retry-After` when the graph backend is unreachable, or
(`deadline_exceeded`) when the server is too busy to answer in time.

This site incorporates information from the O\\*NET Database by the U.S. Department of
Labor, Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0
license; every answer names the release. O\\*NET® is a trademark of USDOL/ETA.
"""

_GRAPH_ERRORS: list[tuple[type[CareerGraphError], int, str]] = [
    (UnknownOccupationError, 404, "unknown_occupation"),
    (NoPathError, 404, "no_path"),
    (DeadlineExceededError, 503, "deadline_exceeded"),
    (NotLoadedError, 503, "not_loaded"),
    (BackendMisconfiguredError, 503, "backend_misconfigured"),
    (BackendUnavailableError, 503, "backend_unavailable"),
    (CareerGraphError, 422, "invalid_request"),
]
_HTTP_ERRORS = {404: "not_found", 405: "method_not_allowed"}


def _error(status: int, body: ErrorResponse, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


async def on_graph_error(request: Request, exc: Exception) -> JSONResponse:
    """Map a :class:`graph.errors.CareerGraphError` to its HTTP status and ErrorResponse."""
    assert isinstance(exc, CareerGraphError)
    status, code = next((s, c) for kind, s, c in _GRAPH_ERRORS if isinstance(exc, kind))
    message = str(exc)
    retry = status == 503
    if isinstance(exc, BackendUnavailableError):
        message, retry = exc.public_message, exc.retryable
    body = ErrorResponse(error=code, message=message)
    if isinstance(exc, UnknownOccupationError):
        suggestions = [SuggestionResponse(title=t, code=c) for t, c in exc.suggestions[:5]]
        body = body.model_copy(update={"query": exc.query, "suggestions": suggestions})
    overloaded = isinstance(exc, DeadlineExceededError)
    retry_after = DEADLINE_RETRY_AFTER_S if overloaded else RETRY_AFTER_S
    headers = {"Retry-After": str(retry_after)} if retry else None
    if status == 503:
        log = logger.error if isinstance(exc, BackendMisconfiguredError) else logger.warning
        log("%s %s: %s", request.method, request.url.path, exc)
    return _error(status, body, headers)


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 for request values that fail the declared constraints (range, length, pattern)."""
    assert isinstance(exc, RequestValidationError)
    details = [
        ValidationDetailResponse(
            loc=[p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
            msg=str(e.get("msg", "")),
            type=str(e.get("type", "")),
        )
        for e in exc.errors()
    ]
    message = "; ".join(f"{'.'.join(str(p) for p in d.loc[1:])}: {d.msg}" for d in details)
    body = ErrorResponse(error="invalid_request", message=message, details=details)
    return _error(422, body)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Unknown URL (404), wrong method (405) and other HTTP errors as ErrorResponse."""
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_ERRORS.get(exc.status_code, "http_error")
    body = ErrorResponse(error=code, message=str(exc.detail))
    return _error(exc.status_code, body, dict(exc.headers or {}))


async def on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """500 without a stack trace for the client; the trace goes to the log."""
    logger.exception("unexpected error in %s %s", request.method, request.url.path)
    body = ErrorResponse(error="internal_error", message="internal server error")
    return _error(500, body)


def _warm_title_index(store: GraphStore, *, freeze: bool) -> None:
    """Build the store's title index now (Neo4j: a few seconds) rather than in the first
    request, then (``freeze``: a store the app opened itself) freeze what the process
    holds out of the cyclic garbage collector's reach (``gc.freeze``); a graph that is
    down or empty is left for the requests to report.

    Frozen, the index (Neo4j: ~190 k tracked objects) is never scanned again: under load
    (``bench/load.py --backend neo4j``, c = 64) a full collection came every ~5 s and
    stopped the whole process for 90-320 ms, which pushed answers near their deadline to
    2.0-2.2 s. Garbage is collected first, so that none is kept for good.
    """
    # ~190 k new objects: each full collection meanwhile would scan them
    with collector_paused() if freeze else nullcontext():
        try:
            store.title_index()
        except Exception as exc:  # the requests report it; startup goes on
            logger.info("title index not built at startup: %s", exc)
            return
    if freeze:
        freeze_long_lived(collect_first=True)


def create_app(
    settings: Settings | None = None,
    *,
    backend: str | None = None,
    store: GraphStore | None = None,
) -> FastAPI:
    """Build the careergraph API.

    Parameters
    ----------
    settings
        Runtime settings (default: from the environment, :func:`api.settings.get_settings`);
        ``request_deadline_s`` (and ``query_timeout_s``, if lower) bounds each request's
        time in the backend, ``max_concurrent_queries`` the store calls run at once
        (:class:`api.deps.GraphAccess`), ``neo4j_http_url``
        is the base of the Neo4j Browser links.
    backend
        ``memory`` or ``neo4j``, overriding ``settings.backend``.
    store
        An already opened store to serve instead (tests); the app does not close it.

    Returns
    -------
    FastAPI
        The app; its lifespan opens the backend (memory: reads and loads the O*NET
        release, a few seconds for 29.3) and closes it on shutdown.

    Raises
    ------
    CareerGraphError
        At startup (lifespan): unknown backend, or no readable O*NET release for the
        memory backend.
    """
    chosen = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store
        if opened is None:
            opened = await anyio.to_thread.run_sync(open_api_store, chosen, backend)
        app.state.graph = GraphAccess(
            opened,
            min(chosen.query_timeout_s, chosen.request_deadline_s),
            chosen.max_concurrent_queries,
        )
        threading.Thread(
            target=_warm_title_index, args=(opened,), kwargs={"freeze": store is None}, daemon=True
        ).start()
        try:
            yield
        finally:
            if store is None:
                opened.close()

    app = FastAPIOffline(
        title="careergraph",
        version=version("careergraph"),
        description=DESCRIPTION,
        lifespan=lifespan,
        **docs_options(),
    )
    app.state.settings = chosen
    install_http_features(app, max_age_s=chosen.http_max_age_s, cors_origins=chosen.cors_origins)
    include_v1(app)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(ArrivalTimeMiddleware)
    app.add_exception_handler(CareerGraphError, on_graph_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)

    return app
