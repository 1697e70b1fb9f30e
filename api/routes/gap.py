"""``GET /v1/gap``: what one occupation needs that another does not."""

from __future__ import annotations

from fastapi import APIRouter

from careergraph.api.deps import GraphDep
from careergraph.api.routes.common import FromRole, ListLimit, ToRole, attribution_of
from careergraph.api.schemas import GapResponse, error_responses
from careergraph.graph.errors import UnknownOccupationError
from careergraph.graph.service import resolve_title
from careergraph.graph.store import GraphStore

router = APIRouter(tags=["gap"])


def compare_roles(store: GraphStore, source: str, target: str, limit: int) -> GapResponse:
    """Resolve both roles (best match of each) and compare the occupations
    (:meth:`graph.store.GraphStore.get_occupation_gap`).

    Raises
    ------
    UnknownOccupationError
        A role matches nothing (with up to five suggestions).
    CareerGraphError
        Empty or over-long text.
    NotLoadedError, BackendUnavailableError
        The graph is empty or unreachable.
    """
    attribution = attribution_of(store)
    resolved_source = resolve_title(store, source)
    resolved_target = resolve_title(store, target)
    from_code, to_code = resolved_source.codes[0], resolved_target.codes[0]
    gap = store.get_occupation_gap(from_code, to_code, limit)
    if gap is None:  # resolved codes exist, unless the graph changed in between
        raise UnknownOccupationError(f"{from_code} or {to_code}")
    return GapResponse(
        source=resolved_source, target=resolved_target, gap=gap, attribution=attribution
    )


@router.get(
    "/gap",
    summary="Skill, knowledge and technology gap",
    responses=error_responses(404, 422, 503),
)
async def get_gap(
    graph: GraphDep, source: FromRole, target: ToRole, limit: ListLimit = 10
) -> GapResponse:
    """What does ``to`` need that ``from`` does not? Each role (job title or O*NET-SOC
    code) resolves to its best-matching occupation. The answer lists the skills and
    knowledge areas whose O*NET level (LV 0-7) is higher in the target, by gain = level
    increase x target importance (IM 1-5) / 5, and the technologies to learn: the target's
    In Demand technologies the source does not use (hot ones first, at most 5), with the
    job-zone change."""
    return await graph.run(compare_roles, source, target, limit)
