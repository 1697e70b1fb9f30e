"""Career path queries: resolve free-text titles, find routes, explain every hop.

Works on any :class:`graph.store.GraphStore`; the CLI and the HTTP API call these. Titles
are resolved by :mod:`graph.titles` (re-exported here: :func:`resolve_title`,
:class:`TitleResolution`).
"""

from __future__ import annotations

from pydantic import BaseModel

from graph.errors import CareerGraphError, NoPathError
from graph.paths import RouteFilters
from graph.store import GraphStore, HopExplanation
from graph.titles import TitleResolution, resolve_title

__all__ = ["CareerPath", "PathQueryResult", "TitleResolution", "find_career_paths", "resolve_title"]


class CareerPath(BaseModel):
    """One explained route; ``total_cost`` is the sum of the hops' ``cost``."""

    codes: list[str]
    titles: list[str]
    total_cost: float
    hops: list[HopExplanation]


class PathQueryResult(BaseModel):
    """Answer to "how do I get from A to B": resolutions and up to k routes."""

    source: TitleResolution
    target: TitleResolution
    filters: RouteFilters = RouteFilters()
    """The route options applied (``via``/``exclude`` resolved to codes)."""
    paths: list[CareerPath]


def find_career_paths(
    store: GraphStore,
    source_text: str,
    target_text: str,
    *,
    k: int = 3,
    max_hops: int = 4,
    explain_limit: int = 5,
    filters: RouteFilters | None = None,
) -> PathQueryResult:
    """Answer "how do I get from ``source_text`` to ``target_text``?".

    Parameters
    ----------
    store
        A loaded graph store.
    source_text, target_text
        Job titles (free text) or O*NET-SOC codes.
    k
        Number of routes, 1-10.
    max_hops
        Maximum hops per route, 1-6.
    explain_limit
        Skills/knowledge listed per hop.
    filters
        Relationship (``LEADS_TO`` by default) and route options; see
        :class:`graph.paths.RouteFilters`. ``via``/``exclude`` accept codes or titles.

    Returns
    -------
    PathQueryResult
        Resolutions and up to ``k`` explained routes, cheapest first (cost points,
        see :mod:`graph.cost`).

    Raises
    ------
    UnknownOccupationError
        A title matches nothing.
    NoPathError
        No route within ``max_hops``.
    CareerGraphError
        ``k`` or ``max_hops`` out of range, or bad text.
    """
    if not 1 <= k <= 10:
        raise CareerGraphError(f"k must be within 1..10, got {k}")
    source = resolve_title(store, source_text)
    target = resolve_title(store, target_text)
    f = filters or RouteFilters()
    if f.via is not None:
        f = f.model_copy(update={"via": resolve_title(store, f.via).codes[0]})
    if f.exclude:
        excluded = [c for text in f.exclude for c in resolve_title(store, text).codes]
        f = f.model_copy(update={"exclude": excluded})
    raw = store.find_k_cheapest_paths(source.codes, target.codes, k, max_hops, f)
    if not raw:
        raise NoPathError(
            f"no route from {source.query!r} to {target.query!r} within {max_hops} hops"
        )
    pairs = [pair for route in raw for pair in zip(route.codes, route.codes[1:], strict=False)]
    unique = list(dict.fromkeys(pairs))
    explained = dict(
        zip(unique, store.explain_hops(unique, explain_limit, f.relationship), strict=True)
    )
    paths: list[CareerPath] = []
    for route in raw:
        hops = [explained[pair] for pair in zip(route.codes, route.codes[1:], strict=False)]
        titles = [hops[0].from_title] + [h.to_title for h in hops]
        paths.append(CareerPath(codes=route.codes, titles=titles, total_cost=route.cost, hops=hops))
    return PathQueryResult(source=source, target=target, filters=f, paths=paths)
