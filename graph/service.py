"""Career path queries: resolve free-text titles, find routes, explain every hop.

Works on any :class:`graph.store.GraphStore`; the CLI and the HTTP API call these. Titles
are resolved by :mod:`graph.titles` (re-exported here: :func:`resolve_title`,
:class:`TitleResolution`).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from careergraph.graph.errors import CareerGraphError, NoPathError
from careergraph.graph.paths import RawPath, RouteFilters
from careergraph.graph.store import GraphStore, HopExplanation
from careergraph.graph.titles import (
    TitleResolution,
    may_hold_tokens,
    query_tokens,
    resolve_title,
)

__all__ = ["CareerPath", "PathQueryResult", "TitleResolution", "find_career_paths", "resolve_title"]


class CareerPath(BaseModel):
    """One explained route; ``total_cost`` is the sum of the hops' ``cost``."""

    codes: list[str]
    titles: list[str]
    total_cost: float
    hops: list[HopExplanation]


class SameOccupation(BaseModel):
    """Both roles resolve to one occupation: no move is needed (``message`` says so)."""

    code: str
    title: str
    message: str


class AlternativeTarget(BaseModel):
    """Another target offered beside the asked one, with its route and why.

    Offered when the target title names a broad occupation and the source's field has a
    more specific occupation whose title contains the target title's words and a word of
    the source's (:func:`find_field_alternatives`): ``matched_title`` is that title and
    ``title_source`` its O*NET source (``occupation``, ``alternate``, ``reported``).
    """

    code: str
    title: str
    matched_title: str
    title_source: str
    reason: str
    paths: list[CareerPath]


class PathQueryResult(BaseModel):
    """Answer to "how do I get from A to B": resolutions and up to k routes.

    ``same_occupation`` is set (and ``paths`` empty) when both roles name one occupation;
    ``alternatives`` are other targets offered with their routes (see
    :class:`AlternativeTarget`).
    """

    source: TitleResolution
    target: TitleResolution
    filters: RouteFilters = RouteFilters()
    """The route options applied (``via``/``exclude`` resolved to codes)."""
    paths: list[CareerPath]
    same_occupation: SameOccupation | None = None
    alternatives: list[AlternativeTarget] = []


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
        see :mod:`graph.cost`); when both roles resolve to one occupation, that occupation
        (``same_occupation``) and no route; other targets offered with their routes
        (``alternatives``, :func:`find_field_alternatives`).

    Raises
    ------
    UnknownOccupationError
        A title matches nothing.
    NoPathError
        No route within ``max_hops``, to the target or to an offered alternative.
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
    same = same_occupation(source, target)
    if same is not None:
        return PathQueryResult(
            source=source, target=target, filters=f, paths=[], same_occupation=same
        )
    raw = store.find_k_cheapest_paths(source.codes, target.codes, k, max_hops, f)
    alternatives = find_field_alternatives(
        store, source, target, max_hops=max_hops, explain_limit=explain_limit, filters=f
    )
    if not raw and not alternatives:
        raise NoPathError(
            f"no route from {source.query!r} to {target.query!r} within {max_hops} hops"
        )
    paths = explain_routes(store, raw, explain_limit, f.relationship)
    return PathQueryResult(
        source=source, target=target, filters=f, paths=paths, alternatives=alternatives
    )


def explain_routes(
    store: GraphStore, raw: Sequence[RawPath], explain_limit: int, relationship: str
) -> list[CareerPath]:
    """Explain every hop of ``raw`` routes (one batch of hop explanations)."""
    pairs = [pair for route in raw for pair in zip(route.codes, route.codes[1:], strict=False)]
    unique = list(dict.fromkeys(pairs))
    hops = store.explain_hops(unique, explain_limit, relationship)
    explained = dict(zip(unique, hops, strict=True))
    paths: list[CareerPath] = []
    for route in raw:
        hops = [explained[pair] for pair in zip(route.codes, route.codes[1:], strict=False)]
        titles = [hops[0].from_title] + [h.to_title for h in hops]
        paths.append(CareerPath(codes=route.codes, titles=titles, total_cost=route.cost, hops=hops))
    return paths


def same_occupation(source: TitleResolution, target: TitleResolution) -> SameOccupation | None:
    """The occupation both roles resolve to, or None when they resolve to different ones.

    "Software Systems Engineer" and "Application Systems Architect" are both O*NET titles of
    15-1252.00 Software Developers: the answer is that occupation, not "no route".
    """
    shared = [code for code in source.codes if code in target.codes]
    if not shared:
        return None
    title = next(m.occupation_title for m in source.matches if m.code == shared[0])
    message = (
        f"{source.query!r} and {target.query!r} are both titles of {shared[0]} {title}:"
        " it is one occupation, so no move is needed"
    )
    return SameOccupation(code=shared[0], title=title, message=message)


FILLER_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"})
"""Words that carry no meaning of their own in a job title."""
MAX_ALTERNATIVES = 2
"""Most alternative targets offered per question."""
TITLE_SOURCE_WORDS = {
    "occupation": "the O*NET title",
    "alternate": "an O*NET alternate title",
    "reported": "a job title O*NET reports",
}


def _words(text: str) -> set[str]:
    return set(query_tokens(text)) - FILLER_WORDS


def find_field_alternatives(
    store: GraphStore,
    source: TitleResolution,
    target: TitleResolution,
    *,
    max_hops: int,
    explain_limit: int = 5,
    filters: RouteFilters | None = None,
) -> list[AlternativeTarget]:
    """Other targets to offer: the field-specific form of a broad target title.

    The rule: the source occupation A's field is the set of occupations A has a career move
    to (``LEADS_TO``); the target title's words are W ("Engineering Director": engineering,
    director), the source's field words F (the words of the source query and of A's title,
    "Software Systems Engineer", "Software Developers"). An occupation C of A's field, other
    than A and the resolved target, is offered when one of its O*NET titles contains every
    word of W and at least one word of F besides ("Software Engineering Director",
    11-3021.00 Computer and Information Systems Managers): the user asked for the general
    title, C is the same job in the source's field. Candidates are ranked by how few words
    the title adds that are not field words, then by the move's cost, then code; at most
    :data:`MAX_ALTERNATIVES`, each with its cheapest route (``filters`` and ``max_hops`` as
    asked). Nothing is offered for a target given as a code.
    """
    if not source.matches or not target.matches or target.matches[0].match_kind == "code":
        return []
    wanted = _words(target.query)
    a, b = source.codes[0], target.codes[0]
    field = (_words(source.query) | _words(source.matches[0].occupation_title)) - wanted
    if not wanted or not field:
        return []
    moves: dict[str, float] = {}
    best: dict[str, tuple[int, int, str, str]] = {}
    for candidate in store.list_next_step_titles(a):
        if not may_hold_tokens(candidate.name, wanted):  # (most: skipped unnormalised)
            continue
        words = _words(candidate.name)
        extra = words - wanted
        if candidate.code in (a, b) or not wanted <= words or not extra & field:
            continue
        kind = candidate.source
        key = (len(extra - field), list(TITLE_SOURCE_WORDS).index(kind), candidate.name, kind)
        moves[candidate.code] = candidate.cost
        if candidate.code not in best or key < best[candidate.code]:
            best[candidate.code] = key
    ranked = sorted(best, key=lambda code: (best[code][0], moves[code], code))
    f = filters or RouteFilters()
    offered: list[AlternativeTarget] = []
    for code in ranked[:MAX_ALTERNATIVES]:
        raw = store.find_k_cheapest_paths([a], [code], 1, max_hops, f)
        if not raw:
            continue
        paths = explain_routes(store, raw, explain_limit, f.relationship)
        name, kind = best[code][2], best[code][3]
        title = paths[0].titles[-1]
        source_title = paths[0].titles[0]
        shared_words = sorted(_words(name) & field)
        reason = (
            f"{name!r} is {TITLE_SOURCE_WORDS[kind]} of {code} {title}: the {target.query!r} of"
            f" the {' '.join(shared_words)} field, where {source_title} work"
            f" (you asked for {target.query!r}, which O*NET files under {b}"
            f" {target.matches[0].occupation_title})"
        )
        offered.append(
            AlternativeTarget(
                code=code,
                title=title,
                matched_title=name,
                title_source=kind,
                reason=reason,
                paths=paths,
            )
        )
    return offered
