"""``GET /v1/occupations/{code}`` and ``GET /v1/occupations/{code}/related``."""

from __future__ import annotations

from fastapi import APIRouter

from careergraph.api.deps import GraphDep
from careergraph.api.routes.common import (
    ListLimit,
    OccupationCode,
    attribution_of,
    unknown_code_error,
)
from careergraph.api.schemas import OccupationResponse, RelatedOccupationsResponse, error_responses
from careergraph.graph.store import GraphStore, OccupationSummary

router = APIRouter(prefix="/occupations", tags=["occupations"])


def read_occupation(store: GraphStore, code: str, limit: int) -> OccupationResponse:
    """The occupation's profile (see :class:`graph.store.OccupationProfile`) with attribution.

    Raises
    ------
    UnknownOccupationError
        No occupation has this code; suggests up to five nearby codes.
    NotLoadedError, BackendUnavailableError
        The graph is empty or unreachable.
    """
    attribution = attribution_of(store)
    profile = store.get_occupation_profile(code, limit)
    if profile is None:
        raise unknown_code_error(store, code)
    return OccupationResponse(**dict(profile), attribution=attribution)


def read_related(store: GraphStore, code: str) -> RelatedOccupationsResponse:
    """O*NET's related occupations of ``code`` by rank, each with its hop cost, and the
    career moves (``LEADS_TO``) out of it by cost; raises as :func:`read_occupation` does."""
    attribution = attribution_of(store)
    occupation = store.get_occupation(code)
    if occupation is None:
        raise unknown_code_error(store, code)
    return RelatedOccupationsResponse(
        occupation=OccupationSummary(
            code=occupation.code, title=occupation.title, job_zone=occupation.job_zone
        ),
        related=store.list_related_occupations(code),
        next_steps=store.list_next_steps(code),
        attribution=attribution,
    )


@router.get("/{code}", summary="One occupation", responses=error_responses(404, 422, 503))
async def get_occupation(
    graph: GraphDep, code: OccupationCode, limit: ListLimit = 10
) -> OccupationResponse:
    """Title, description, job zone (1-5), the top ``limit`` skills and knowledge areas by
    O*NET importance (IM 1-5, with level LV 0-7), hot technologies (in-demand first) and
    the typical education shares (percent of incumbents per required level)."""
    return await graph.run(read_occupation, code, limit)


@router.get(
    "/{code}/related",
    summary="Related occupations",
    responses=error_responses(404, 422, 503),
)
async def get_related(graph: GraphDep, code: OccupationCode) -> RelatedOccupationsResponse:
    """O*NET's related occupations (up to 20) with relatedness tier, rank (1 = most
    related) and the cost in cost points of moving there in one hop; then the career moves
    (``LEADS_TO``) out of the occupation, cheapest first: kind (advancement, lateral, step
    back), cost, the evidence (O*NET relatedness, Career Changers rank, skill similarity)
    and the changes in job zone and wage."""
    return await graph.run(read_related, code)
