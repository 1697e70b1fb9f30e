"""``GET /v1/occupations/{code}``, ``.../related`` and ``.../next-steps``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from careergraph.api.deps import GraphDep
from careergraph.api.routes.common import (
    ListLimit,
    OccupationCode,
    attribution_of,
    unknown_code_error,
)
from careergraph.api.schemas import (
    LikelyNextStepsResponse,
    OccupationResponse,
    RelatedOccupationsResponse,
    error_responses,
)
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


def _summary_or_unknown(store: GraphStore, code: str) -> OccupationSummary:
    """Code, title and job zone of ``code``; raises :class:`UnknownOccupationError` (with
    nearby codes) when no occupation has it."""
    occupation = store.get_occupation(code)
    if occupation is None:
        raise unknown_code_error(store, code)
    return OccupationSummary(
        code=occupation.code, title=occupation.title, job_zone=occupation.job_zone
    )


def read_related(store: GraphStore, code: str) -> RelatedOccupationsResponse:
    """O*NET's related occupations of ``code`` by rank, each with its hop cost, and the
    career moves (``LEADS_TO``) out of it by cost; raises as :func:`read_occupation` does."""
    attribution = attribution_of(store)
    return RelatedOccupationsResponse(
        occupation=_summary_or_unknown(store, code),
        related=store.list_related_occupations(code),
        next_steps=store.list_next_steps(code),
        attribution=attribution,
    )


def read_likely_next_steps(store: GraphStore, code: str, limit: int) -> LikelyNextStepsResponse:
    """The ``limit`` most likely next occupations of ``code`` over every occupation
    (:class:`graph.store.LikelyNextStep`); raises as :func:`read_occupation` does."""
    attribution = attribution_of(store)
    return LikelyNextStepsResponse(
        occupation=_summary_or_unknown(store, code),
        next_steps=store.rank_likely_next_steps(code, limit),
        attribution=attribution,
    )


NextStepLimit = Annotated[int, Query(ge=1, le=200, description="Occupations listed.")]


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


@router.get(
    "/{code}/next-steps",
    summary="Likely next occupations",
    responses=error_responses(404, 422, 503),
)
async def get_likely_next_steps(
    graph: GraphDep, code: OccupationCode, limit: NextStepLimit = 20
) -> LikelyNextStepsResponse:
    """Where people who leave the occupation are likely to work next, over every
    occupation, most likely first: the move model's probability (an estimate fitted on CPS
    ASEC moves), the observed CPS ASEC share of movers where there is one, and whether
    routes can take the step (a ``LEADS_TO`` career move)."""
    return await graph.run(read_likely_next_steps, code, limit)
