"""Career path queries: resolve free-text titles, find routes, explain every hop.

Works on any :class:`graph.store.GraphStore`; the CLI and the HTTP API call these.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from graph.errors import CareerGraphError, NoPathError, UnknownOccupationError
from graph.paths import RouteFilters
from graph.store import MATCH_KIND_ORDER, GraphStore, HopExplanation, TitleMatch
from graph.titles import query_tokens

ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_PARENTHESES = re.compile(r"\([^()]*\)")
MAX_QUERY_LENGTH = 200


class TitleResolution(BaseModel):
    """How a free-text role was resolved.

    ``matches`` holds the occupation used (one; a list so callers may pass several
    codes); ``runners_up`` are the next candidates, other occupations with the same title
    first, for the user to pick from.
    """

    query: str
    matches: list[TitleMatch]
    runners_up: list[TitleMatch]

    @property
    def codes(self) -> list[str]:
        """O*NET-SOC codes of the matches, in match order."""
        return [m.code for m in self.matches]


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


def _validate_text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise CareerGraphError("a job title or O*NET-SOC code is required")
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise CareerGraphError(f"job title is longer than {MAX_QUERY_LENGTH} characters")
    return cleaned


def rank_exact_matches(matches: list[TitleMatch]) -> list[TitleMatch]:
    """One match per occupation, most plausible first.

    An occupation's match kind is its best (occupation title > alternate > reported);
    occupations are ordered by that kind, then by how many O*NET sources give it the
    title (alternate *and* reported beats one of them), then by BLS 2024 employment
    (more people hold the title there), then by code.
    """
    by_code: dict[str, list[TitleMatch]] = {}
    for m in matches:
        by_code.setdefault(m.code, []).append(m)

    def key(code: str) -> tuple[int, int, float, str]:
        group = by_code[code]
        best = min(MATCH_KIND_ORDER.get(m.match_kind, 9) for m in group)
        sources = len({m.match_kind for m in group})
        employment = max((m.employment_thousands or -1.0) for m in group)
        return (best, -sources, -employment, code)

    ranked = sorted(by_code, key=key)
    return [
        min(by_code[c], key=lambda m: (MATCH_KIND_ORDER.get(m.match_kind, 9), m.title))
        for c in ranked
    ]


def rank_fuzzy_matches(query: str, matches: list[TitleMatch]) -> list[TitleMatch]:
    """Order fuzzy matches the way people read job titles.

    First by the share of the query's words the title contains (a one-word title such as
    "Mechanic" does not beat "Automotive Mechanic (Auto Mechanic)" for "automotive
    mechanic"), then by whether both end in the same word (the head noun: "instructor" is
    not "mechanic"), then by the similarity score, then title and code.
    """
    words = query_tokens(query)
    if not words:
        return matches

    def key(m: TitleMatch) -> tuple[float, int, float, str, str]:
        title_words = set(query_tokens(_PARENTHESES.sub(" ", m.title))) | set(query_tokens(m.title))
        coverage = sum(w in title_words for w in words) / len(words)
        plain = query_tokens(_PARENTHESES.sub(" ", m.title)) or query_tokens(m.title)
        head = int(bool(plain) and plain[-1] == words[-1])
        return (-coverage, -head, -m.score, m.title, m.code)

    return sorted(matches, key=key)


def resolve_title(store: GraphStore, text: str, *, runners_up: int = 5) -> TitleResolution:
    """Resolve a job title or O*NET-SOC code to the occupation people mean.

    Order: an O*NET-SOC code; an exact title (case, punctuation and plurals ignored) —
    the occupation's own title, then an alternate title, then a reported title, ranked by
    :func:`rank_exact_matches`; then the best fuzzy match. The match is ONE occupation;
    other occupations carrying the same title are the runners-up (fuzzy ones only when
    nothing matches exactly), so an ambiguous title shows its candidates and the path
    query can be asked for each (by code).

    Raises
    ------
    UnknownOccupationError
        Nothing matches; carries up to five fuzzy suggestions.
    CareerGraphError
        Empty text or more than 200 characters.
    """
    query = _validate_text(text)
    if ONET_CODE.match(query):
        occ = store.get_occupation(query)
        if occ is None:
            suggestions = store.search_titles(query, 5)
            raise UnknownOccupationError(query, [(s.occupation_title, s.code) for s in suggestions])
        match = TitleMatch(
            title=occ.title, code=occ.code, occupation_title=occ.title, match_kind="code", score=100
        )
        return TitleResolution(query=query, matches=[match], runners_up=[])
    exact = rank_exact_matches(store.find_titles_exact(query))
    # fuzzy search scans every title: only when no title matches exactly
    fuzzy = [] if exact else rank_fuzzy_matches(query, store.search_titles(query, runners_up + 15))
    candidates = exact + fuzzy
    if not candidates:
        raise UnknownOccupationError(query, [])
    best = candidates[0]
    rest: list[TitleMatch] = []
    for m in candidates[1:]:
        if m.code != best.code and all(r.code != m.code for r in rest):
            rest.append(m)
    return TitleResolution(query=query, matches=[best], runners_up=rest[:runners_up])


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
