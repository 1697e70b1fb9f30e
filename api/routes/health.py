"""``GET /v1/health``: backend, reachability, loaded release and counts."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from careergraph.api.deps import RETRY_AFTER_S, GraphDep
from careergraph.api.schemas import AttributionResponse, HealthResponse
from careergraph.graph.errors import BackendUnavailableError
from careergraph.graph.store import GraphStore

router = APIRouter(tags=["health"])
logger = logging.getLogger("careergraph.api")


def check_health(store: GraphStore) -> HealthResponse:
    """Ask the backend for its release and counts; never raises for an unreachable one.

    Returns
    -------
    HealthResponse
        ``ok`` with release and counts, ``empty`` (reachable, nothing loaded) or
        ``unavailable`` (with what the client can do in ``message``; no internal address,
        the details go to the server log).
    """
    return _check_health(store)[0]


def _check_health(store: GraphStore) -> tuple[HealthResponse, bool]:
    """The report, and whether asking again later may help (``Retry-After``)."""
    reachable, release, counts, message = True, None, None, None
    retry = True
    try:
        release = store.loaded_release()
        counts = store.counts() if release is not None else None
    except BackendUnavailableError as error:
        reachable, message, retry = False, error.public_message, error.retryable
        logger.warning("health check: %s", error)
    if release is None and reachable:
        message = "no O*NET release loaded: run `careergraph load`"
    status: Literal["ok", "empty", "unavailable"] = "ok"
    if not reachable:
        status = "unavailable"
    elif release is None:
        status = "empty"
    report = HealthResponse(
        status=status,
        backend=store.backend,
        reachable=reachable,
        release=release,
        counts=counts,
        message=message,
        attribution=AttributionResponse.for_release(release) if release else None,
    )
    return report, retry


@router.get(
    "/health",
    summary="Backend health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "Backend unreachable or empty."}},
)
async def get_health(graph: GraphDep) -> JSONResponse:
    """The backend (``memory`` or ``neo4j``), whether it answers, the loaded O*NET
    release and node/relationship counts. HTTP 200 when ``status`` is ``ok``, else 503,
    with a ``Retry-After`` header unless the server's Neo4j settings need fixing (wrong
    password, missing database)."""
    report, retry = await graph.run(_check_health)
    if report.status == "ok":
        return JSONResponse(report.model_dump(mode="json"))
    return JSONResponse(
        report.model_dump(mode="json"),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)} if retry else None,
    )
