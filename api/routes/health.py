"""``GET /v1/health``: backend, reachability, loaded release and counts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import RETRY_AFTER_S, GraphDep
from api.schemas import AttributionResponse, HealthResponse
from graph.errors import BackendUnavailableError
from graph.store import GraphStore

router = APIRouter(tags=["health"])


def check_health(store: GraphStore) -> HealthResponse:
    """Ask the backend for its release and counts; never raises for an unreachable one.

    Returns
    -------
    HealthResponse
        ``ok`` with release and counts, ``empty`` (reachable, nothing loaded) or
        ``unavailable`` (with the reason in ``message``).
    """
    reachable, release, counts, message = True, None, None, None
    try:
        release = store.loaded_release()
        counts = store.counts() if release is not None else None
    except BackendUnavailableError as error:
        reachable, message = False, str(error)
    if release is None and reachable:
        message = "no O*NET release loaded: run `careergraph load`"
    status: Literal["ok", "empty", "unavailable"] = "ok"
    if not reachable:
        status = "unavailable"
    elif release is None:
        status = "empty"
    return HealthResponse(
        status=status,
        backend=store.backend,
        reachable=reachable,
        release=release,
        counts=counts,
        message=message,
        attribution=AttributionResponse.for_release(release) if release else None,
    )


@router.get(
    "/health",
    summary="Backend health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "Backend unreachable or empty."}},
)
async def get_health(graph: GraphDep) -> JSONResponse:
    """The backend (``memory`` or ``neo4j``), whether it answers, the loaded O*NET
    release and node/relationship counts. HTTP 200 when ``status`` is ``ok``, else 503
    with a ``Retry-After`` header."""
    report = await graph.run(check_health)
    if report.status == "ok":
        return JSONResponse(report.model_dump(mode="json"))
    return JSONResponse(
        report.model_dump(mode="json"),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )
