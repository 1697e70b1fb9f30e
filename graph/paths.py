"""Path finding over the occupation graph: the k cheapest loop-free routes, and skill gaps.

The in-memory backend lays its edges out as a :class:`RouteGraph` (compressed sparse
rows: plain integer and float arrays, no networkx objects) and calls
:func:`find_k_cheapest_paths`; the Neo4j backend computes the same answer in Cypher
(``cypher/queries/``). Both order paths by the same key, :func:`path_sort_key`, so their
answers are comparable exactly. The method and its measurements: ``docs/pathfinding.md``.
"""

from __future__ import annotations

import heapq
import itertools
import math
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from graph.deadline import deadline_error
from graph.errors import CareerGraphError

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


def route_key(codes: Sequence[str]) -> tuple[str, str, tuple[str, ...]]:
    """Routes through the same occupations in another order count as one route: the key
    is (start, end, sorted intermediate codes)."""
    return (codes[0], codes[-1], tuple(sorted(codes[1:-1])))


INF = math.inf
Mask = Sequence[bool] | bytes
"""Per-edge or per-node truth values (a list of bools, or bytes of 0/1 as numpy's
``ndarray.tobytes()`` gives for a boolean array)."""
_TIE_SLACK = 5e-7 + 1e-9
"""Paths are ordered by their cost rounded to 6 decimals (:func:`path_sort_key`): a path
within this much of the k-th cost may still tie with it and must be found too."""
_EAGER_LEVELS = 2
"""Hop levels of the bound computed for the whole graph from the targets backwards;
deeper levels are computed on demand for the nodes the search reaches (see
:class:`_HopBound`)."""
_DEADLINE_EVERY = 256
"""The search looks at the clock once per this many expanded partial paths."""


class RouteGraph:
    """A directed graph of occupations in compressed sparse row (CSR) form, for route search.

    Node ``i`` is the occupation ``codes[i]``. The out-edges of node ``u`` are the CSR
    positions ``indptr[u] .. indptr[u + 1] - 1``; edge ``e`` leads to node ``indices[e]``
    and costs ``costs[e]`` cost points (finite, >= 0; parallel edges are allowed). Any
    integer and float sequences can be given (lists, ``array.array``, numpy arrays): they
    are copied once into Python lists, with the reverse adjacency (in-edges) alongside.
    Read-only after construction, so one graph serves concurrent queries.

    Parameters
    ----------
    codes
        O*NET-SOC code of each node, ``n`` distinct strings.
    indptr
        ``n + 1`` non-decreasing offsets, ``indptr[0] == 0``, ``indptr[n] == m``.
    indices
        ``m`` target node numbers, each in ``0 .. n - 1``.
    costs
        ``m`` edge costs.

    Raises
    ------
    ValueError
        Inconsistent shapes, a duplicate code, a node number out of range, or a cost that
        is negative or not finite.
    """

    def __init__(
        self,
        codes: Sequence[str],
        indptr: Sequence[int],
        indices: Sequence[int],
        costs: Sequence[float],
    ) -> None:
        n = len(codes)
        self.codes: tuple[str, ...] = tuple(str(c) for c in codes)
        self.index: dict[str, int] = {c: i for i, c in enumerate(self.codes)}
        self.indptr: list[int] = [int(x) for x in indptr]
        self.indices: list[int] = [int(x) for x in indices]
        self.costs: list[float] = [float(x) for x in costs]
        m = len(self.indices)
        if len(self.index) != n:
            raise ValueError("RouteGraph codes must be distinct")
        if len(self.indptr) != n + 1 or self.indptr[0] != 0 or self.indptr[-1] != m:
            raise ValueError(f"RouteGraph indptr must have n + 1 = {n + 1} offsets from 0 to {m}")
        if len(self.costs) != m:
            raise ValueError(f"RouteGraph has {m} edges but {len(self.costs)} costs")
        if any(b < a for a, b in itertools.pairwise(self.indptr)):
            raise ValueError("RouteGraph indptr must be non-decreasing")
        if m and not 0 <= min(self.indices) <= max(self.indices) < n:
            raise ValueError("RouteGraph edge target out of range")
        if not all(0.0 <= c < INF for c in self.costs):
            raise ValueError("RouteGraph edge costs must be finite and >= 0")
        # reverse CSR: in-edges of each node as (source node, cost, edge position)
        order = sorted(range(m), key=self.indices.__getitem__)
        sources = [0] * m
        for u in range(n):
            for e in range(self.indptr[u], self.indptr[u + 1]):
                sources[e] = u
        counts = [0] * (n + 1)
        for v in self.indices:
            counts[v + 1] += 1
        self.in_indptr: list[int] = list(itertools.accumulate(counts))
        self.in_sources: list[int] = [sources[e] for e in order]
        self.in_costs: list[float] = [self.costs[e] for e in order]
        self.in_edges: list[int] = order

    @classmethod
    def from_edges(
        cls, edges: Iterable[tuple[str, str, float]], codes: Iterable[str] = ()
    ) -> tuple[RouteGraph, list[int]]:
        """Build a graph from ``(code, next_code, cost)`` edges.

        Nodes are ``codes`` (in order) followed by any other code the edges name, in order
        of appearance. Returns the graph and ``positions``: ``positions[i]`` is the CSR
        position of the ``i``-th input edge, so per-edge data in input order can be laid
        out in CSR order for ``edge_ok`` masks.
        """
        names: dict[str, int] = {}
        for code in codes:
            names.setdefault(code, len(names))
        heads: list[int] = []
        tails: list[int] = []
        weights: list[float] = []
        for a, b, cost in edges:
            heads.append(names.setdefault(a, len(names)))
            tails.append(names.setdefault(b, len(names)))
            weights.append(cost)
        n, m = len(names), len(heads)
        order = sorted(range(m), key=heads.__getitem__)  # stable: input order within a node
        counts = [0] * (n + 1)
        for u in heads:
            counts[u + 1] += 1
        graph = cls(
            list(names),
            list(itertools.accumulate(counts)),
            [tails[i] for i in order],
            [weights[i] for i in order],
        )
        positions = [0] * m
        for e, i in enumerate(order):
            positions[i] = e
        return graph, positions

    @property
    def node_count(self) -> int:
        """Number of nodes ``n``."""
        return len(self.codes)

    @property
    def edge_count(self) -> int:
        """Number of edges ``m``."""
        return len(self.indices)


class _Adjacency:
    """One query's view of a :class:`RouteGraph`: its out- and in-edges as ``(node, cost)``
    pairs, less the edges the filters forbid (an edge is usable when ``edge_ok[e]`` and
    ``node_ok[head]``; filtered lists are built on first use and kept for the query)."""

    def __init__(
        self,
        graph: RouteGraph,
        edge_ok: Mask | None,
        node_ok: Mask | None,
    ) -> None:
        self.g = graph
        self.edge_ok = edge_ok
        self.node_ok = node_ok
        self.filtered = edge_ok is not None or node_ok is not None
        self._out: dict[int, list[tuple[int, float]]] = {}
        self._in: dict[int, list[tuple[int, float]]] = {}

    def out(self, u: int) -> Iterable[tuple[int, float]]:
        g = self.g
        a, b = g.indptr[u], g.indptr[u + 1]
        if not self.filtered:
            return zip(g.indices[a:b], g.costs[a:b], strict=True)
        cached = self._out.get(u)
        if cached is None:
            eok, nok = self.edge_ok, self.node_ok
            cached = [
                (v, c)
                for e, v, c in zip(range(a, b), g.indices[a:b], g.costs[a:b], strict=True)
                if (eok is None or eok[e]) and (nok is None or nok[v])
            ]
            self._out[u] = cached
        return cached

    def inc(self, v: int) -> Iterable[tuple[int, float]]:
        g = self.g
        a, b = g.in_indptr[v], g.in_indptr[v + 1]
        if not self.filtered:
            return zip(g.in_sources[a:b], g.in_costs[a:b], strict=True)
        cached = self._in.get(v)
        if cached is None:
            eok, nok = self.edge_ok, self.node_ok
            if nok is not None and not nok[v]:
                cached = []
            else:
                cached = [
                    (u, c)
                    for e, u, c in zip(
                        g.in_edges[a:b], g.in_sources[a:b], g.in_costs[a:b], strict=True
                    )
                    if eok is None or eok[e]
                ]
            self._in[v] = cached
        return cached


class _HopBound:
    """Hop-limited distances to a goal set: ``value(r, v)`` is the cost of the cheapest
    walk from ``v`` to a goal with at most ``r`` edges that enters no goal before its end
    and no ``blocked`` node (0 for a goal, infinite when there is none).

    Levels ``r <= eager`` are computed for every node at once, backwards from the goals
    over in-edges (a hop-limited Bellman-Ford that touches only nodes within ``r`` hops of
    a goal). Deeper levels are computed on demand, per node, from the node's out-edges and
    the level below (memoised), so they cost in proportion to what the search reaches, not
    to the size of the graph. A walk bound is a lower bound on any loop-free route, and
    exact whenever the cheapest walk has no loop.
    """

    def __init__(
        self,
        adjacency: _Adjacency,
        goals: Iterable[int],
        blocked: Iterable[int],
        eager: int,
        levels: int,
    ) -> None:
        self.adj = adjacency
        self.goals = frozenset(goals)
        self.blocked = frozenset(blocked) - self.goals
        self.eager = min(eager, levels)
        self.tables: list[dict[int, float]] = [dict.fromkeys(self.goals, 0.0)]
        for _ in range(self.eager):
            prev = self.tables[-1]
            cur = dict(self.tables[0])
            for u, d in prev.items():
                for p, c in adjacency.inc(u):
                    if p in self.goals or p in self.blocked:
                        continue
                    nd = d + c
                    if nd < cur.get(p, INF):
                        cur[p] = nd
            self.tables.append(cur)
        self.memo: list[dict[int, float]] = [{} for _ in range(levels + 1)]

    def value(self, r: int, v: int) -> float:
        if r <= self.eager:
            return self.tables[r].get(v, INF)
        memo = self.memo[r]
        got = memo.get(v)
        if got is not None:
            return got
        best = INF
        if v in self.goals:
            best = 0.0
        elif v not in self.blocked:
            if r - 1 <= self.eager:
                table = self.tables[r - 1]
                for u, c in self.adj.out(v):
                    x = c + table.get(u, INF)
                    if x < best:
                        best = x
            else:
                for u, c in self.adj.out(v):
                    x = c + self.value(r - 1, u)
                    if x < best:
                        best = x
        memo[v] = best
        return best


class _ViaBound:
    """Lower bound for a partial route that has not yet passed ``via``: the cheapest walk
    of at most ``r`` edges from ``v`` to ``via`` and on to a target,
    ``min over j of to_via(j, v) + to_target(r - j, via)``."""

    def __init__(self, to_via: _HopBound, to_target: _HopBound, via: int) -> None:
        self.to_via = to_via
        self.to_target = to_target
        self.via = via
        self.memo: dict[tuple[int, int], float] = {}

    def value(self, r: int, v: int) -> float:
        got = self.memo.get((r, v))
        if got is None:
            got = min(
                self.to_via.value(j, v) + self.to_target.value(r - j, self.via)
                for j in range(r + 1)
            )
            self.memo[(r, v)] = got
        return got


def find_k_cheapest_paths(
    graph: RouteGraph,
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    k: int = 3,
    max_hops: int = 4,
    via: str | None = None,
    edge_ok: Mask | None = None,
    node_ok: Mask | None = None,
    deadline: float | None = None,
) -> list[RawPath]:
    """Return the ``k`` cheapest distinct loop-free routes from any source to any target.

    The answer equals: take *all* loop-free paths with 1..``max_hops`` hops over usable
    edges (through ``via`` when given) that start at a source and end at their first
    target, sort them by :func:`path_sort_key`, keep the first path of each
    :func:`route_key` (the same occupations in another order are not a new route), and
    return the first ``k``. Ties are resolved by the key, so the answer is deterministic
    and the same as the Neo4j backend's.

    Method: best-first enumeration of simple paths (A*, Hart, Nilsson & Raphael 1968)
    guided by an exact hop-limited lower bound, the cheapest walk to a target with the
    hops a partial route has left (:class:`_HopBound`: Bellman-Ford levels from the
    targets backwards, deeper levels on demand from the search side, so a query touches
    the neighbourhoods of its two ends rather than the whole graph). With ``via``, the
    bound goes through ``via`` until the route has passed it. The search stops when the
    next partial route's bound exceeds the k-th distinct route's cost (rounded as in
    :func:`path_sort_key`, so ties at the k-th place are all found and ordered by the
    key). This solves the k-shortest loopless paths problem (Yen 1971) with hop limits and
    route identity, which Yen's algorithm does not handle directly.

    Parameters
    ----------
    graph
        The graph, with edge costs in cost points (>= 0).
    sources, targets
        O*NET-SOC codes (codes not in ``graph`` are ignored). A route starts at a source,
        ends at its first target (it never passes through a target) and has >= 1 hop.
    k
        Number of routes wanted, >= 1.
    max_hops
        Maximum hops per route, 1..6.
    via
        A code every returned route must contain, or None.
    edge_ok, node_ok
        Filters: edge ``e`` (CSR position) may be used only if ``edge_ok[e]``; node ``i``
        may be entered (every node after the start) only if ``node_ok[i]``. None allows
        all. Any indexable of truth values (list, bytes, numpy array).
    deadline
        A ``time.monotonic()`` value; the search raises when it is still running then.

    Returns
    -------
    list[RawPath]
        Up to ``k`` routes, cheapest first; empty if none exists.

    Raises
    ------
    CareerGraphError
        If ``k`` < 1 or ``max_hops`` is outside 1..6.
    DeadlineExceededError
        The search passed ``deadline``.

    References
    ----------
    Hart, Nilsson & Raphael (1968), A formal basis for the heuristic determination of
    minimum cost paths; Bellman (1958), On a routing problem; Yen (1971), Finding the k
    shortest loopless paths in a network (the problem solved here, by a different
    enumeration that also handles hop limits).
    """
    if k < 1:
        raise CareerGraphError(f"k must be >= 1, got {k}")
    if not 1 <= max_hops <= MAX_HOPS_LIMIT:
        raise CareerGraphError(f"max_hops must be within 1..{MAX_HOPS_LIMIT}, got {max_hops}")
    index = graph.index
    source_ids = list(dict.fromkeys(index[s] for s in sources if s in index))
    target_ids = frozenset(index[t] for t in targets if t in index)
    if not source_ids or not target_ids or (via is not None and via not in index):
        return []
    via_id = -1 if via is None else index[via]
    adjacency = _Adjacency(graph, edge_ok, node_ok)
    levels = max_hops - 1
    # A route never comes back to its start: with one source, the bound may not use it
    # either (else a node whose only way on is back through the source looks promising).
    start = frozenset(source_ids) if len(source_ids) == 1 else frozenset()
    goals = target_ids - start
    if not goals:
        return []
    to_target = _HopBound(adjacency, goals, start, _EAGER_LEVELS, levels)
    via_bound: _ViaBound | None = None
    if via is not None:
        to_via = _HopBound(adjacency, (via_id,), goals | start, _EAGER_LEVELS, levels)
        via_bound = _ViaBound(to_via, to_target, via_id)

    counter = itertools.count()
    # heap entries: (lower bound f, tie, cost so far g, path nodes, hop costs, passed via)
    heap: list[tuple[float, int, float, tuple[int, ...], tuple[float, ...], bool]] = [
        (0.0, next(counter), 0.0, (s,), (), via is None or s == via_id) for s in source_ids
    ]
    found: list[tuple[float, tuple[int, ...], tuple[float, ...]]] = []
    best_of_key: dict[tuple[int, int, tuple[int, ...]], float] = {}
    limit = sys.float_info.max  # bound on route costs still worth finding
    expanded = 0
    while heap:
        f, _, g, path, hop_costs, seen = heapq.heappop(heap)
        if f > limit:
            break
        expanded += 1
        if deadline is not None and expanded % _DEADLINE_EVERY == 0 and time.monotonic() > deadline:
            raise deadline_error("the route search")
        r = max_hops - len(hop_costs) - 1  # hops left after the next one
        for v, c in adjacency.out(path[-1]):
            if v in path:
                continue
            ng = g + c
            if v in target_ids:
                if not (seen or v == via_id) or ng > limit:
                    continue
                route = (*path, v)
                found.append((ng, route, (*hop_costs, c)))
                identity = (route[0], v, tuple(sorted(route[1:-1])))
                if ng < best_of_key.get(identity, INF):
                    best_of_key[identity] = ng
                    if len(best_of_key) >= k:
                        kth = heapq.nsmallest(k, best_of_key.values())[-1]
                        limit = min(limit, round(kth, 6) + _TIE_SLACK)
                continue
            if r == 0:
                continue
            now_seen = seen or v == via_id
            bound = to_target if now_seen or via_bound is None else via_bound
            nf = ng + bound.value(r, v)
            if nf > limit:
                continue
            heapq.heappush(heap, (nf, next(counter), ng, (*path, v), (*hop_costs, c), now_seen))

    codes = graph.codes
    candidates = [
        RawPath(codes=[codes[i] for i in route], hop_costs=list(costs))
        for cost, route, costs in found
        if cost <= limit
    ]
    candidates.sort(key=path_sort_key)
    distinct: list[RawPath] = []
    seen_keys: set[tuple[str, str, tuple[str, ...]]] = set()
    for candidate in candidates:
        key = route_key(candidate.codes)
        if key not in seen_keys:
            seen_keys.add(key)
            distinct.append(candidate)
            if len(distinct) == k:
                break
    return distinct


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
