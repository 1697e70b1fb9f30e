"""Career path queries: resolve free-text titles, find routes, explain every hop.

Works on any :class:`graph.store.GraphStore`; the CLI and the HTTP API call these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from graph.errors import CareerGraphError, NoPathError, UnknownOccupationError
from graph.paths import RawPath, RouteFilters
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
