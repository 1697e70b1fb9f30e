"""Path finding over the occupation graph, as free functions over an adjacency callable.

The in-memory backend calls :func:`find_k_cheapest_paths` with its networkx adjacency;
the Neo4j backend computes the same answer in Cypher (``cypher/queries/``). Both order
paths by the same key, :func:`path_sort_key`, so their answers are comparable exactly.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from graph.errors import CareerGraphError

Successors = Callable[[str], Iterable[tuple[str, float]]]
"""``successors(code)`` yields ``(next_code, hop_cost)`` for each outgoing edge."""

MAX_HOPS_LIMIT = 6


class RawPath(BaseModel):
    """A route as codes and hop costs, before explanation.

    ``codes`` has ``len(hop_costs) + 1`` entries; ``cost`` is ``sum(hop_costs)``.
    """

    codes: list[str]
    hop_costs: list[float]

    @property
    def cost(self) -> float:
        """Total cost points of the route."""
        return float(sum(self.hop_costs))

    @property
    def hops(self) -> int:
        """Number of hops (edges)."""
        return len(self.hop_costs)


def path_sort_key(path: RawPath) -> tuple[float, int, tuple[str, ...]]:
    """Order routes by total cost, then fewer hops, then codes (deterministic tie-break)."""
    return (round(path.cost, 6), path.hops, tuple(path.codes))


def _reverse_distances(
    predecessors: Successors, targets: Sequence[str]
) -> tuple[dict[str, float], dict[str, int]]:
    """Dijkstra cost and BFS hop distances from every node to the nearest target."""
    dist: dict[str, float] = {t: 0.0 for t in targets}
    heap: list[tuple[float, str]] = [(0.0, t) for t in targets]
    heapq.heapify(heap)
    done: set[str] = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        for prev, cost in predecessors(node):
            nd = d + cost
            if nd < dist.get(prev, float("inf")):
                dist[prev] = nd
                heapq.heappush(heap, (nd, prev))
    hops: dict[str, int] = {t: 0 for t in targets}
    frontier = list(targets)
    while frontier:
        nxt: list[str] = []
        for node in frontier:
            for prev, _ in predecessors(node):
                if prev not in hops:
                    hops[prev] = hops[node] + 1
                    nxt.append(prev)
        frontier = nxt
    return dist, hops


class RouteFilters(BaseModel):
    """Options of a route query beyond ``k`` and ``max_hops``.

    Attributes
    ----------
    relationship
        ``LEADS_TO`` (career moves, default) or ``RELATED_TO`` (O*NET relatedness, v0).
    max_wage_drop_pct
        Leave out hops whose median wage falls by more than this percent (>= 0); hops
        without wage data stay. ``LEADS_TO`` only.
    min_growth_pct
        Every occupation after the start must have BLS 2024-34 growth of at least this
        percent (occupations without projections are left out).
    only_advancement
        Use only ``advancement`` moves (``LEADS_TO`` only).
    via
        O*NET-SOC code the route must pass through.
    exclude
        O*NET-SOC codes the route must avoid.
    """

    relationship: Literal["LEADS_TO", "RELATED_TO"] = "LEADS_TO"
    max_wage_drop_pct: float | None = Field(default=None, ge=0)
    min_growth_pct: float | None = None
    only_advancement: bool = False
    via: str | None = None
    exclude: list[str] = []


EdgeAllowed = Callable[[str, str], bool]
"""``allowed(code, next_code)``: whether a hop may be used (filters)."""


def route_key(codes: Sequence[str]) -> tuple[str, str, tuple[str, ...]]:
    """Routes through the same occupations in another order count as one route: the key
    is (start, end, sorted intermediate codes)."""
    return (codes[0], codes[-1], tuple(sorted(codes[1:-1])))


def find_k_cheapest_paths(
    successors: Successors,
    predecessors: Successors,
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    k: int = 3,
    max_hops: int = 4,
    via: str | None = None,
) -> list[RawPath]:
    """Return the ``k`` cheapest distinct loop-free routes from any source to any target.

    A best-first enumeration of simple paths (A* with the exact reverse-Dijkstra cost to
    the target set as heuristic, and the reverse-BFS hop count to prune by ``max_hops``).
    The answer equals: take *all* loop-free paths with 1..``max_hops`` hops (through
    ``via`` when given), sort them by :func:`path_sort_key`, keep the first path of each
    :func:`route_key` (the same occupations in another order are not a new route), and
    return the first ``k``. Ties are resolved by the key, so the answer is deterministic.
    Filters on hops and occupations are applied by the adjacency callables.

    Parameters
    ----------
    successors, predecessors
        Adjacency callables; costs must be non-negative.
    sources, targets
        O*NET-SOC codes. A route starts at a source, ends at its first target (it never
        passes through a target) and has at least one hop.
    k
        Number of routes wanted, >= 1.
    max_hops
        Maximum hops per route, 1..6.
    via
        A code every returned route must contain, or None.

    Returns
    -------
    list[RawPath]
        Up to ``k`` routes, cheapest first; empty if none exists.

    Raises
    ------
    CareerGraphError
        If ``k`` < 1 or ``max_hops`` is outside 1..6.

    References
    ----------
    Hart, Nilsson & Raphael (1968), A formal basis for the heuristic determination of
    minimum cost paths; Yen (1971), Finding the k shortest loopless paths in a network
    (the problem solved here, by a different enumeration that also handles hop limits).
    """
    if k < 1:
        raise CareerGraphError(f"k must be >= 1, got {k}")
    if not 1 <= max_hops <= MAX_HOPS_LIMIT:
        raise CareerGraphError(f"max_hops must be within 1..{MAX_HOPS_LIMIT}, got {max_hops}")
    target_set = set(targets)
    dist, hops_to = _reverse_distances(predecessors, list(target_set))
    counter = itertools.count()
    # heap entries: (f = g + h, tie, g, path codes, hop costs)
    heap: list[tuple[float, int, float, tuple[str, ...], tuple[float, ...]]] = []
    for s in dict.fromkeys(sources):
        if s in dist:
            heapq.heappush(heap, (dist[s], next(counter), 0.0, (s,), ()))
    found: list[RawPath] = []
    keys: dict[tuple[str, str, tuple[str, ...]], float] = {}
    bound = float("inf")
    while heap:
        f, _, g, codes, costs = heapq.heappop(heap)
        if f > bound + 1e-9:
            break
        last = codes[-1]
        if costs and last in target_set:
            if via is not None and via not in codes:
                continue
            found.append(RawPath(codes=list(codes), hop_costs=list(costs)))
            key = route_key(codes)
            keys[key] = min(keys.get(key, float("inf")), g)
            if len(keys) >= k:
                bound = sorted(keys.values())[k - 1]
            continue
        if len(costs) >= max_hops:
            continue
        on_path = set(codes)
        for nxt, cost in successors(last):
            if nxt in on_path or nxt not in dist:
                continue
            if len(costs) + 1 + hops_to[nxt] > max_hops:
                continue
            ng = g + cost
            heapq.heappush(heap, (ng + dist[nxt], next(counter), ng, (*codes, nxt), (*costs, cost)))
    found.sort(key=path_sort_key)
    distinct: list[RawPath] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for path in found:
        key = route_key(path.codes)
        if key not in seen:
            seen.add(key)
            distinct.append(path)
    return distinct[:k]


class SkillGap(BaseModel):
    """One skill or knowledge area the target occupation needs at a higher level.

    ``from_level``/``to_level`` are O*NET LV (0-7); ``importance`` the target's IM (1-5);
    ``gain = (to_level - from_level) * importance / 5``, i.e. the level increase
    weighted by how important the element is in the target (1.0 = one level point at
    top importance). When the source occupation has no O*NET ratings, ``from_level`` is
    None and the list holds the target's key requirements (gain counted from level 0).
    """

    element_id: str
    name: str
    kind: str
    from_level: float | None
    to_level: float
    importance: float
    gain: float


def skill_gain(from_level: float, to_level: float, importance: float) -> float:
    """Importance-weighted level increase; same arithmetic as the Cypher explanation query."""
    return (to_level - from_level) * importance / 5.0


class Rating(BaseModel):
    """An occupation's importance (IM 1-5) and level (LV 0-7) for one element."""

    name: str
    importance: float
    level: float


def compute_skill_gaps(
    from_ratings: dict[str, Rating],
    to_ratings: dict[str, Rating],
    *,
    kind: str,
    limit: int = 5,
) -> list[SkillGap]:
    """Return the top ``limit`` elements where the target needs a higher level.

    Parameters
    ----------
    from_ratings, to_ratings
        Element ID -> rating for the source and target occupation (O*NET ``Skills`` or
        ``Knowledge``, IM and LV scales). An unrated source (empty ``from_ratings``)
        gives the target's key requirements instead, with ``from_level`` None; an
        unrated target gives nothing.
    kind
        ``"skill"`` or ``"knowledge"``, copied to the result.
    limit
        Maximum number of gaps returned.

    Returns
    -------
    list[SkillGap]
        Sorted by ``gain`` descending, then element ID.
    """
    if not to_ratings:
        return []
    if not from_ratings:
        gaps = [
            SkillGap(
                element_id=eid,
                name=r.name,
                kind=kind,
                from_level=None,
                to_level=r.level,
                importance=r.importance,
                gain=skill_gain(0.0, r.level, r.importance),
            )
            for eid, r in to_ratings.items()
        ]
    else:
        gaps = [
            SkillGap(
                element_id=eid,
                name=r.name,
                kind=kind,
                from_level=from_ratings[eid].level,
                to_level=r.level,
                importance=r.importance,
                gain=skill_gain(from_ratings[eid].level, r.level, r.importance),
            )
            for eid, r in to_ratings.items()
            if eid in from_ratings and r.level > from_ratings[eid].level
        ]
    gaps.sort(key=lambda g: (-g.gain, g.element_id))
    return gaps[:limit]
