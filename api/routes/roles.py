"""``GET /v1/roles``: the role page's facts for a job title or O*NET-SOC code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from careergraph.api.deps import GraphDep
from careergraph.api.routes.common import attribution_of
from careergraph.api.schemas import RoleResponse, error_responses
from careergraph.graph.role_profile import build_role_profile
from careergraph.graph.store import GraphStore
from careergraph.graph.titles import MAX_QUERY_LENGTH

router = APIRouter(tags=["roles"])

RoleTitle = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        pattern=r"\S",
        description="The role: a job title (free text) or an O*NET-SOC code.",
        openapi_examples={
            "seed": {
                "summary": "a title of three occupations",
                "value": "Software Systems Engineer",
            },
            "title": {"summary": "an occupation's own title", "value": "Registered Nurses"},
            "code": {"summary": "an O*NET-SOC code", "value": "11-3021.00"},
        },
    ),
]


def read_role(store: GraphStore, text: str) -> RoleResponse:
    """The role page's facts (:func:`graph.role_profile.build_role_profile`, the answer of
    ``careergraph show ROLE --json``) with the O*NET attribution.

    Raises
    ------
    UnknownOccupationError
        The text names no occupation (404 with up to five suggestions).
    CareerGraphError
        Empty or over-long text (422).
    NotLoadedError, BackendUnavailableError
        The graph is empty or unreachable (503).
    """
    attribution = attribution_of(store)
    return RoleResponse(**dict(build_role_profile(store, text)), attribution=attribution)


@router.get("/roles", summary="A role's page", responses=error_responses(404, 422, 503))
async def get_role(graph: GraphDep, title: RoleTitle) -> RoleResponse:
    """Everything careergraph knows about one role, in the order a career page reads: how
    the title was resolved; summary and description; when the title is an O*NET title of
    several occupations, which ones, with the range, the employment-weighted mean and the
    plain mean of their pay and growth (``title_span``, method stated); the top tasks (O*NET
    30.1, core first); who thrives (RIASEC interests in words, top work styles and work
    values); the top five skills and knowledge areas (importance IM 1-5, level LV 0-7);
    typical education (BLS entry level and the share of O*NET respondents per level); pay
    (BLS median and 10th-90th percentile wages, USD a year); employment, openings, 2024-34
    growth and bright outlook; closely related roles; where the role leads (career moves
    out) and where people come from (moves in). Values O*NET does not rate for the
    occupation itself are estimated and marked (``estimated_from``, ``estimate_source``,
    and ``estimates`` in words); BLS group figures carry ``figures_for``."""
    return await graph.run(read_role, title)
