"""The careergraph web page at ``/``: search a role, read its page, ask for a route.

Server-rendered HTML (Jinja2, autoescaped: every value from the graph or the request is
escaped) with one stylesheet and no JavaScript, so it works offline and under a strict
Content-Security-Policy (:data:`api.http.WEB_CONTENT_SECURITY_POLICY`: only the app's own
stylesheet, forms posting only to the app, no frames). Pages:

- ``GET /`` (``?q=``): a search box; with ``q``, the matching titles (:func:`graph.titles.
  look_up_titles`), each linking to its role page; a route form.
- ``GET /role?title=``: the role page (:func:`graph.role_profile.build_role_profile`), the
  sections laid out as a career page is read, and a route form starting from the role.
- ``GET /route?from=&to=``: up to three routes (:func:`api.routes.paths.find_paths`), each
  drawn as a diagram of steps with every hop's reasons, pay change and what to learn, and
  a Neo4j Browser link when the backend is Neo4j.

Errors are pages too: an unknown role (404) lists "did you mean" links, no route (404),
invalid text (422), a backend that is down or empty (503, ``Retry-After``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from careergraph.api.deps import RETRY_AFTER_S, GraphDep, SettingsDep, require_loaded_release
from careergraph.api.route_diagram import pay_change, to_learn, why
from careergraph.api.routes.paths import find_paths
from careergraph.api.schemas import AttributionResponse, PathsResponse
from careergraph.graph.errors import (
    BackendUnavailableError,
    CareerGraphError,
    NoPathError,
    NotLoadedError,
    UnknownOccupationError,
)
from careergraph.graph.role_profile import RoleProfile, build_role_profile, short_level_name
from careergraph.graph.store import GraphStore
from careergraph.graph.titles import TitleSearch, look_up_titles

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

WEB_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
WEB_PATHS = frozenset({"/", "/role", "/route"})
"""Paths of the HTML pages (and ``/static/...``): :mod:`api.http` gives them their policy."""
ROUTES_SHOWN = 3
ROUTE_MAX_HOPS = 4


def money(value: float | None) -> str:
    """``$133,080`` (USD, no cents); ``-`` for None."""
    return "-" if value is None else f"${value:,.0f}"


def signed(value: float | None, unit: str = " %", digits: int = 1) -> str:
    """``+15.8 %``; ``-`` for None."""
    return "-" if value is None else f"{value:+.{digits}f}{unit}"


@cache
def _templates() -> Jinja2Templates:
    """The pages' templates, made at the first page asked for: an API process that never
    serves a page does not import Jinja2 (~20 ms of its start)."""
    import jinja2
    from fastapi.templating import Jinja2Templates

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(level=short_level_name)
    env.globals.update(
        money=money, signed=signed, pay_change=pay_change, to_learn=to_learn, why=why
    )
    return Jinja2Templates(env=env)


router = APIRouter(include_in_schema=False)


def _attribution(store: GraphStore) -> AttributionResponse:
    return AttributionResponse.for_release(require_loaded_release(store))


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
    return _templates().TemplateResponse(
        request, name, {"request": request, **context}, status_code=status, headers=headers
    )


def _error_page(request: Request, exc: CareerGraphError, context: dict[str, Any]) -> HTMLResponse:
    """The page for a careergraph error: 404 unknown role (with suggestions) or no route,
    503 backend down or empty, 422 otherwise."""
    if isinstance(exc, UnknownOccupationError):
        status, heading = 404, f"No occupation matches {exc.query!r}"
        suggestions = exc.suggestions[:5]
    elif isinstance(exc, NoPathError):
        status, heading, suggestions = 404, "No route found", []
    elif isinstance(exc, BackendUnavailableError | NotLoadedError):
        status, heading, suggestions = 503, "The graph is not available", []
    else:
        status, heading, suggestions = 422, "That did not work", []
    body = {"heading": heading, "message": str(exc), "suggestions": suggestions}
    return _page(request, "error.html", {**context, **body}, status)


def _search(store: GraphStore, text: str) -> tuple[TitleSearch, AttributionResponse]:
    return look_up_titles(store, text, 10), _attribution(store)


def _role(store: GraphStore, text: str) -> tuple[RoleProfile, AttributionResponse, str]:
    return build_role_profile(store, text), _attribution(store), store.backend


def _route(
    store: GraphStore, source: str, target: str, neo4j_http_url: str
) -> tuple[PathsResponse, str]:
    answer = find_paths(store, source, target, ROUTES_SHOWN, ROUTE_MAX_HOPS, neo4j_http_url)
    return answer, store.backend


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, graph: GraphDep, q: str | None = None) -> HTMLResponse:
    """The search page; with ``q``, the titles matching it."""
    context: dict[str, Any] = {"q": q or "", "search": None, "attribution": None}
    if q is None or not q.strip():
        return _page(request, "home.html", context)
    try:
        found, attribution = await graph.run(_search, q)
    except CareerGraphError as exc:
        return _error_page(request, exc, context)
    return _page(request, "home.html", {**context, "search": found, "attribution": attribution})


@router.get("/role", response_class=HTMLResponse)
async def role_page(request: Request, graph: GraphDep, title: str = "") -> HTMLResponse:
    """The role page of a job title or O*NET-SOC code."""
    context: dict[str, Any] = {"q": title, "attribution": None}
    try:
        profile, attribution, backend = await graph.run(_role, title)
    except CareerGraphError as exc:
        return _error_page(request, exc, context)
    context.update(role=profile, attribution=attribution, backend=backend)
    return _page(request, "role.html", context)


@router.get("/route", response_class=HTMLResponse)
async def route_page(
    request: Request,
    graph: GraphDep,
    settings: SettingsDep,
    source: Annotated[str, Query(alias="from")] = "",
    to: str = "",
) -> HTMLResponse:
    """Up to three routes from ``from`` to ``to``, drawn as diagrams of steps."""
    context: dict[str, Any] = {"q": source, "source": source, "target": to, "attribution": None}
    try:
        answer, backend = await graph.run(_route, source, to, settings.neo4j_http_url)
    except CareerGraphError as exc:
        return _error_page(request, exc, context)
    context.update(answer=answer, attribution=answer.attribution, backend=backend)
    return _page(request, "route.html", context)
