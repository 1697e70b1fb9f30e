"""``GET /v1/paths``: the k cheapest career routes between two roles, each hop explained."""

from __future__ import annotations

import urllib.parse
from functools import lru_cache
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import Field

from careergraph.api.browser import browser_url, build_browser_text, cypher_literal
from careergraph.api.deps import GraphDep, SettingsDep
from careergraph.api.routes.common import FromRole, ToRole, attribution_of
from careergraph.api.schemas import (
    AlternativeTargetResponse,
    CypherQueryResponse,
    PathResponse,
    PathsResponse,
    error_responses,
)
from careergraph.graph.backends.cypher_files import read_cypher
from careergraph.graph.paths import MAX_HOPS_LIMIT, RouteFilters
from careergraph.graph.service import CareerPath, find_career_paths
from careergraph.graph.store import GraphStore

router = APIRouter(tags=["paths"])
ROUTE_QUERY = "queries/route_by_codes"


def route_cypher(
    codes: list[str], relationships: list[str], neo4j_http_url: str
) -> CypherQueryResponse:
    """The Cypher statement that draws a route (``cypher/queries/route_by_codes.cypher``),
    its parameters, and a Neo4j Browser link that opens it.

    Parameters
    ----------
    codes
        O*NET-SOC codes of the route, in order (2-7).
    relationships
        Relationship type of each hop (``LEADS_TO``, ``RELATED_TO``), ``len(codes) - 1``.
    neo4j_http_url
        Base URL of the Neo4j HTTP server, e.g. ``http://127.0.0.1:7474``.

    Returns
    -------
    CypherQueryResponse
        ``statement`` (the file without its header) takes ``$codes`` and
        ``$relationships``; the Browser link (``/browser/?cmd=edit&arg=``) carries the
        whole file with those values written in as escaped literals
        (:func:`api.browser.build_browser_text`), since a link cannot carry parameters. The
        values come from the graph, never from the request.
    """
    template = _route_link_template(neo4j_http_url)
    return CypherQueryResponse(
        statement=template.statement,
        parameters={"codes": codes, "relationships": relationships},
        browser_url=template.url(codes, relationships),
    )


_CODES_MARK = "CAREERGRAPHROUTECODES"
_RELATIONSHIPS_MARK = "CAREERGRAPHROUTERELATIONSHIPS"


class _RouteLinkTemplate:
    """The route query's Browser link, built once with marker values in place of
    ``$codes`` and ``$relationships`` and URL-encoded; a route's link is that text with
    the URL-encoded literals of its values in place of the markers' (percent-encoding works
    character by character, so this equals encoding the whole text built for the route:
    escaping and encoding the whole query per route took ~0.5 ms)."""

    def __init__(self, neo4j_http_url: str) -> None:
        text = read_cypher(ROUTE_QUERY)
        self.statement = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
        marked = {"codes": [_CODES_MARK], "relationships": [_RELATIONSHIPS_MARK]}
        self._url = browser_url(neo4j_http_url, build_browser_text(text, marked))
        self._codes_mark = _quoted_literal(marked["codes"])
        self._relationships_mark = _quoted_literal(marked["relationships"])

    def url(self, codes: list[str], relationships: list[str]) -> str:
        """The Browser link of the route ``codes`` (edge types ``relationships``)."""
        return self._url.replace(self._codes_mark, _quoted_literal(codes)).replace(
            self._relationships_mark, _quoted_literal(relationships)
        )


def _quoted_literal(values: list[str]) -> str:
    """``quote(cypher_literal(values))``, from each value's kept quoted literal (a route
    names a few of ~1,000 codes and 2 edge types)."""
    return "%5B" + "%2C%20".join(map(_quoted_string_literal, values)) + "%5D"


@lru_cache(maxsize=4096)
def _quoted_string_literal(value: str) -> str:
    return urllib.parse.quote(cypher_literal(value), safe="")


@lru_cache(maxsize=4)
def _route_link_template(neo4j_http_url: str) -> _RouteLinkTemplate:
    return _RouteLinkTemplate(neo4j_http_url)


def find_paths(
    store: GraphStore,
    source: str,
    target: str,
    k: int,
    max_hops: int,
    neo4j_http_url: str,
    filters: RouteFilters | None = None,
) -> PathsResponse:
    """Resolve both roles and find up to ``k`` explained routes (:func:`graph.service.
    find_career_paths`), each with its Cypher statement and Browser link.

    Raises
    ------
    UnknownOccupationError
        A role matches nothing (with up to five suggestions).
    NoPathError
        No route within ``max_hops``.
    CareerGraphError
        Empty or over-long text, ``k`` or ``max_hops`` out of range.
    NotLoadedError, BackendUnavailableError
        The graph is empty or unreachable.
    """
    attribution = attribution_of(store)
    result = find_career_paths(store, source, target, k=k, max_hops=max_hops, filters=filters)

    def responses(paths: list[CareerPath]) -> list[PathResponse]:
        return [
            PathResponse(
                **dict(path),
                rank=rank,
                cypher=route_cypher(
                    path.codes, [hop.relationship for hop in path.hops], neo4j_http_url
                ),
            )
            for rank, path in enumerate(paths, start=1)
        ]

    alternatives = [
        AlternativeTargetResponse(**alt.model_dump(exclude={"paths"}), paths=responses(alt.paths))
        for alt in result.alternatives
    ]
    return PathsResponse(
        source=result.source,
        target=result.target,
        k=k,
        max_hops=max_hops,
        filters=result.filters,
        paths=responses(result.paths),
        same_occupation=result.same_occupation,
        alternatives=alternatives,
        attribution=attribution,
    )


@router.get(
    "/paths",
    summary="Career routes between two roles",
    response_model=PathsResponse,
    responses=error_responses(404, 422, 503),
)
async def get_paths(
    graph: GraphDep,
    settings: SettingsDep,
    source: FromRole,
    target: ToRole,
    k: Annotated[int, Query(ge=1, le=10, description="Number of routes wanted.")] = 3,
    max_hops: Annotated[
        int, Query(ge=1, le=MAX_HOPS_LIMIT, description="Maximum hops (job changes) per route.")
    ] = 4,
    relationship: Annotated[
        Literal["LEADS_TO", "RELATED_TO"],
        Query(description="LEADS_TO: career moves (default); RELATED_TO: O*NET relatedness."),
    ] = "LEADS_TO",
    only_advancement: Annotated[
        bool, Query(description="Only advancement moves (more pay or a higher job zone).")
    ] = False,
    max_wage_drop_pct: Annotated[
        float | None,
        Query(ge=0, le=100, description="Skip moves whose median wage falls by more (%)."),
    ] = None,
    min_growth_pct: Annotated[
        float | None,
        Query(
            ge=-100,
            le=1000,
            description="Every job after the start grows at least this much, 2024-34 (%).",
        ),
    ] = None,
    via: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Pass through this role."),
    ] = None,
    exclude: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]] | None,
        Query(max_length=10, description="Avoid these roles (repeat the parameter)."),
    ] = None,
) -> Response:
    """How do I get from ``from`` to ``to``? Each role (job title or O*NET-SOC code) is
    resolved (the answer says how: code, exact, alternate, reported or fuzzy match, and the
    runners-up); then up to ``k`` loop-free routes follow, cheapest first, along career
    moves (``LEADS_TO``, default) or O*NET related occupations (``RELATED_TO``), with the
    options given. Every hop has its cost (cost points, see docs/pathfinding.md), move kind
    and reasons, relatedness, wage change, growth and bright outlook of the target,
    education and job-zone change, the skills and knowledge to gain and the technologies to
    learn (the target's In Demand ones the source does not use, at most 5); every route its
    total cost and a Cypher statement with a Neo4j Browser link that draws it."""
    filters = RouteFilters(
        relationship=relationship,
        only_advancement=only_advancement,
        max_wage_drop_pct=max_wage_drop_pct,
        min_growth_pct=min_growth_pct,
        via=via,
        exclude=exclude or [],
    )
    key = ("paths", source, target, k, max_hops, filters.model_dump_json())
    url = settings.neo4j_http_url
    return await graph.run_json(key, find_paths, source, target, k, max_hops, url, filters)
