"""``GET /v1/titles``: job title search, with how the text resolves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from careergraph.api.deps import GraphDep
from careergraph.api.routes.common import attribution_of
from careergraph.api.schemas import TitleSearchResponse, error_responses
from careergraph.graph.store import GraphStore
from careergraph.graph.titles import MAX_QUERY_LENGTH, look_up_titles

router = APIRouter(tags=["titles"])


def search_titles(store: GraphStore, text: str, limit: int) -> TitleSearchResponse:
    """How ``text`` resolves and the titles matching it, one per occupation, best first,
    at most ``limit`` (:func:`graph.titles.look_up_titles`, the answer of
    ``careergraph titles``).

    Raises
    ------
    CareerGraphError
        Empty or over-long text.
    NotLoadedError, BackendUnavailableError
        The graph is empty or unreachable.
    """
    attribution = attribution_of(store)
    found = look_up_titles(store, text, limit)
    return TitleSearchResponse(**dict(found), attribution=attribution)


@router.get(
    "/titles",
    summary="Search job titles",
    response_model=TitleSearchResponse,
    responses=error_responses(422, 503),
)
async def get_titles(
    graph: GraphDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_LENGTH,
            pattern=r"\S",
            description="Job title (free text) or O*NET-SOC code.",
            openapi_examples={
                "title": {"value": "software systems engineer"},
                "ambiguous": {"summary": "several occupations", "value": "teacher"},
                "typo": {"summary": "fuzzy", "value": "registerd nurse"},
                "code": {"value": "15-1252.00"},
            },
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="Maximum number of results.")] = 10,
) -> Response:
    """Which occupation does a job title name? ``resolution`` is the occupation a path
    query would use, with its ``confidence`` (``code``, ``exact``: the occupation's own
    title, ``alternate``: an alternate or reported title, ``fuzzy``), ``ambiguous`` and
    the ``candidates`` when another occupation is about as likely, or null when the text
    names no occupation. ``results`` lists matching titles, one per occupation: match kind
    (``code``, ``exact``, ``alternate``, ``reported``, ``fuzzy``, or ``suggestion`` for "did
    you mean" titles the text does not resolve to), score (0-100), the O*NET sources
    listing the title, whether My Next Move shows it, and the occupation's own BLS
    employment. Nothing matching gives a null resolution and an empty list. The ranking
    rule is in docs/pathfinding.md."""
    return await graph.run_json(("titles", q, limit), search_titles, q, limit)
