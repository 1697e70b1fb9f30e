"""``GET /v1/titles``: job title search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import GraphDep
from api.routes.common import attribution_of
from api.schemas import TitleSearchResponse, error_responses
from graph.service import MAX_QUERY_LENGTH, ONET_CODE
from graph.store import GraphStore, TitleMatch

router = APIRouter(tags=["titles"])
_KIND_ORDER = ("code", "exact", "alternate", "reported")


def search_titles(store: GraphStore, text: str, limit: int) -> TitleSearchResponse:
    """Titles matching ``text``: an O*NET-SOC code's occupation, then exact occupation,
    alternate and reported titles (ignoring case; score 100), then fuzzy matches (rapidfuzz
    WRatio 0-100, cut-off 60), best first; each (title, code) once, at most ``limit``.

    Raises
    ------
    NotLoadedError, BackendUnavailableError
        The graph is empty or unreachable.
    """
    attribution = attribution_of(store)
    query = " ".join(text.split())
    found: list[TitleMatch] = []
    if ONET_CODE.match(query) and (occupation := store.get_occupation(query)) is not None:
        found.append(
            TitleMatch(
                title=occupation.title,
                code=occupation.code,
                occupation_title=occupation.title,
                match_kind="code",
                score=100,
            )
        )
    exact = store.find_titles_exact(query)
    found += sorted(exact, key=lambda m: (_KIND_ORDER.index(m.match_kind), m.code))
    found += store.search_titles(query, limit)
    seen: set[tuple[str, str]] = set()
    results: list[TitleMatch] = []
    for match in found:
        key = (match.title.lower(), match.code)
        if key not in seen:
            seen.add(key)
            results.append(match)
    return TitleSearchResponse(query=query, results=results[:limit], attribution=attribution)


@router.get(
    "/titles",
    summary="Search job titles",
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
                "typo": {"summary": "fuzzy", "value": "softwre enginer"},
                "code": {"value": "15-1252.00"},
            },
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="Maximum number of results.")] = 10,
) -> TitleSearchResponse:
    """Find the occupations a job title names: matched title, O*NET-SOC code, occupation
    title, match kind (``code``, ``exact``, ``alternate``, ``reported`` or ``fuzzy``) and
    score (100 for exact kinds, else fuzzy similarity 0-100). No match gives an empty list.
    """
    return await graph.run(search_titles, q, limit)
