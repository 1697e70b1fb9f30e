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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, Field

from careergraph.graph.deadline import deadline_error
from careergraph.graph.errors import CareerGraphError

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


def best_distinct_routes(paths: Iterable[RawPath], k: int) -> list[RawPath]:
    """The first ``k`` of ``paths`` in :func:`path_sort_key` order, one per
    :func:`route_key` (the first path of each set of occupations), the final step of both
    backends' route searches."""
    distinct: list[RawPath] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for path in sorted(paths, key=path_sort_key):
        key = route_key(path.codes)
        if key not in seen:
            seen.add(key)
            distinct.append(path)
            if len(distinct) == k:
                break
    return distinct


INF = math.inf
Mask = Sequence[bool] | bytes
"""Per-edge or per-node truth values (a list of bools, or bytes of 0/1 as numpy's
``ndarray.tobytes()`` gives for a boolean array)."""
_TIE_SLACK = 5e-7 + 1e-9
"""Paths are ordered by their cost rounded to 6 decimals (:func:`path_sort_key`): a path
within this much of the k-th cost may still tie with it and must be found too."""
Bounds = list[float] | defaultdict[int, float]
"""Per node number, a lower bound on the cost to a target: a list of every node's, or a
dict that answers ``INF`` for a node not listed."""
_DEADLINE_EVERY = 256
"""The search looks at the clock once per this many expanded partial paths."""


class RouteGraph:
    """A directed graph of occupations in compressed sparse row (CSR) form, for route search.

    Node ``i`` is the occupation ``codes[i]``. The out-edges of node ``u`` are the CSR
    positions ``indptr[u] .. indptr[u + 1] - 1``; edge ``e`` leads to node ``indices[e]``
    and costs ``costs[e]`` cost points (finite, >= 0; no scale or minimum is assumed;
    parallel edges are allowed). The arrays are kept as read-only numpy arrays, with the
    reverse adjacency (in-edges) and Python-list copies of the out-edges for the search
    loop. Read-only after construction, so one graph serves concurrent queries.

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
        self, codes: Sequence[str], indptr: ArrayLike, indices: ArrayLike, costs: ArrayLike
    ) -> None:
        self.codes: tuple[str, ...] = tuple(str(c) for c in codes)
        self.index: dict[str, int] = {c: i for i, c in enumerate(self.codes)}
        n = len(self.codes)
        ptr = np.asarray(indptr, dtype=np.int64).reshape(-1)
        heads = np.asarray(indices, dtype=np.int64).reshape(-1)
        weights = np.asarray(costs, dtype=np.float64).reshape(-1)
        m = len(heads)
        if len(self.index) != n:
            raise ValueError("RouteGraph codes must be distinct")
        if len(ptr) != n + 1 or ptr[0] != 0 or ptr[-1] != m:
            raise ValueError(f"RouteGraph indptr must have n + 1 = {n + 1} offsets from 0 to {m}")
        if len(weights) != m:
            raise ValueError(f"RouteGraph has {m} edges but {len(weights)} costs")
        if np.any(np.diff(ptr) < 0):
            raise ValueError("RouteGraph indptr must be non-decreasing")
        if m and not (heads.min() >= 0 and heads.max() < n):
            raise ValueError("RouteGraph edge target out of range")
        if not np.all(np.isfinite(weights) & (weights >= 0)):
            raise ValueError("RouteGraph edge costs must be finite and >= 0")
        self.indptr: NDArray[np.int64] = ptr
        self.indices: NDArray[np.int64] = heads
        self.costs: NDArray[np.float64] = weights
        tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
        order = np.argsort(heads, kind="stable")
        self.in_indptr: NDArray[np.int64] = np.concatenate(
            ([0], np.cumsum(np.bincount(heads, minlength=n)))
        ).astype(np.int64)
        self.in_sources: NDArray[np.int64] = tails[order]
        self.in_edges: NDArray[np.int64] = order.astype(np.int64)
        self.in_costs: NDArray[np.float64] = weights[order]
        self.rows: NDArray[np.int64] = np.flatnonzero(np.diff(ptr))  # nodes with out-edges
        self.row_starts: NDArray[np.int64] = ptr[:-1][self.rows]
        for array in (ptr, heads, weights, self.in_indptr, self.in_sources, self.in_edges):
            array.setflags(write=False)
        self.in_costs.setflags(write=False)
        # the search loop slices plain lists: much faster than numpy for ~30 edges a node
        self.out_ptr: list[int] = ptr.tolist()
        self.out_heads: list[int] = heads.tolist()
        self.out_costs: list[float] = weights.tolist()

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
        tails: list[int] = []
        heads: list[int] = []
        weights: list[float] = []
        for a, b, cost in edges:
            tails.append(names.setdefault(a, len(names)))
            heads.append(names.setdefault(b, len(names)))
            weights.append(cost)
        n = len(names)
        tail_array = np.asarray(tails, dtype=np.int64)
        order = np.argsort(tail_array, kind="stable")  # input order within a node
        indptr = np.concatenate(([0], np.cumsum(np.bincount(tail_array, minlength=n))))
        graph = cls(
            list(names),
            indptr,
            np.asarray(heads, dtype=np.int64)[order],
            np.asarray(weights, dtype=np.float64)[order],
        )
        positions = np.empty(len(order), dtype=np.int64)
        positions[order] = np.arange(len(order))
        return graph, positions.tolist()

    @property
    def node_count(self) -> int:
        """Number of nodes ``n``."""
        return len(self.codes)

    @property
    def edge_count(self) -> int:
        """Number of edges ``m``."""
        return len(self.indices)


class _Adjacency:
    """One query's view of a :class:`RouteGraph` with its filters applied: an edge is
    usable when ``edge_ok[e]`` and ``node_ok[head]``. ``costs`` and ``in_costs`` are the
    edge costs with unusable edges at infinity (numpy, for the bounds); :meth:`out` lists
    a node's usable out-edges as ``(node, cost)`` (Python, for the search loop; filtered
    lists are built on first use and kept for the query)."""

    def __init__(self, graph: RouteGraph, edge_ok: Mask | None, node_ok: Mask | None) -> None:
        self.g = graph
        self.edge_ok = edge_ok
        self.node_ok = node_ok
        self.filtered = edge_ok is not None or node_ok is not None
        self._out: dict[int, list[tuple[int, float]]] = {}
        if not self.filtered:
            self.costs, self.in_costs = graph.costs, graph.in_costs
        else:
            usable = np.ones(graph.edge_count, dtype=bool)
            if edge_ok is not None:
                usable &= _as_bools(edge_ok, graph.edge_count)
            if node_ok is not None:
                usable &= _as_bools(node_ok, graph.node_count)[graph.indices]
            self.costs = np.where(usable, graph.costs, INF)
            self.in_costs = self.costs[graph.in_edges]

    def out(self, u: int) -> Iterable[tuple[int, float]]:
        g = self.g
        a, b = g.out_ptr[u], g.out_ptr[u + 1]
        if not self.filtered:
            return zip(g.out_heads[a:b], g.out_costs[a:b], strict=True)
        cached = self._out.get(u)
        if cached is None:
            eok, nok = self.edge_ok, self.node_ok
            cached = [
                (v, c)
                for e, v, c in zip(range(a, b), g.out_heads[a:b], g.out_costs[a:b], strict=True)
                if (eok is None or eok[e]) and (nok is None or nok[v])
            ]
            self._out[u] = cached
        return cached


def _as_bools(mask: Mask, size: int) -> NDArray[np.bool_]:
    values = np.frombuffer(mask, dtype=np.bool_) if isinstance(mask, bytes) else np.asarray(mask)
    if values.shape != (size,):
        raise ValueError(f"a filter mask must have {size} entries, got {values.shape}")
    return values.astype(bool, copy=False)


class _Edges(NamedTuple):
    """The CSR edges of some nodes: ``starts[i]`` and ``counts[i]`` locate node ``i``'s
    edges, ``total`` is ``counts.sum()``."""

    starts: NDArray[np.int64]
    counts: NDArray[np.int64]
    total: int

    @classmethod
    def of(cls, ptr: NDArray[np.int64], nodes: NDArray[np.int64]) -> _Edges:
        """The edges of ``nodes`` in the CSR whose offsets are ``ptr``."""
        starts = ptr[nodes]
        counts = ptr[nodes + 1] - starts
        return cls(starts, counts, int(counts.sum()))

    def positions(self) -> NDArray[np.int64]:
        """The CSR positions of the edges, node after node (``total`` of them)."""
        ends = np.cumsum(self.counts)
        first: NDArray[np.int64] = np.repeat(self.starts - ends + self.counts, self.counts)
        return first + np.arange(self.total)


def _distinct(nodes: NDArray[np.int64], node_count: int) -> NDArray[np.int64]:
    """The distinct values of ``nodes`` (node numbers below ``node_count``), sorted: by
    sorting ``nodes`` alone when they are few next to the graph (work proportional to
    ``len(nodes)``), else by marking a dense array."""
    if 32 * len(nodes) < node_count:
        return np.unique(nodes)
    mark = np.zeros(node_count, dtype=bool)
    mark[nodes] = True
    return np.flatnonzero(mark)


def _backward_level(
    adj: _Adjacency,
    dist: NDArray[np.float64],
    changed: NDArray[np.int64],
    in_edges: _Edges,
    goal_ids: NDArray[np.int64],
    blocked_ids: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """One Bellman-Ford level backwards: from ``dist`` (cheapest walks to a goal with at
    most ``r`` hops, for every node) and ``changed`` (the nodes whose distance fell at level
    ``r``; ``in_edges`` their in-edges), the level ``r + 1`` distances and the nodes whose
    distance fell (sorted).

    Relaxes only the in-edges of ``changed`` (gathered from the reverse CSR; a scatter-min)
    or, when those are a large share of the graph, every edge at once (a row-wise min over
    the CSR)."""
    g = adj.g
    new = dist.copy()
    if 4 * in_edges.total < g.edge_count:
        positions = in_edges.positions()
        tails = g.in_sources[positions]
        candidates = adj.in_costs[positions] + np.repeat(dist[changed], in_edges.counts)
        np.minimum.at(new, tails, candidates)
        new[blocked_ids] = INF
        new[goal_ids] = 0.0
        if 32 * len(tails) < g.node_count:  # few candidates: look at them alone
            return new, np.unique(tails[new[tails] < dist[tails]])
        return new, np.flatnonzero(new < dist)
    if len(g.rows):
        row_min = np.minimum.reduceat(adj.costs + dist[g.indices], g.row_starts)
        new[g.rows] = np.minimum(new[g.rows], row_min)
    new[blocked_ids] = INF
    new[goal_ids] = 0.0
    return new, np.flatnonzero(new < dist)


def _hop_limited_distances(
    adj: _Adjacency, goals: Sequence[int], blocked: Sequence[int], levels: int
) -> list[NDArray[np.float64]]:
    """Hop-limited distances to a goal set: ``d[r][v]`` is the cost of the cheapest walk
    from ``v`` to a goal with at most ``r`` usable edges that enters no goal before its end
    and no ``blocked`` node (0 for a goal, infinite when there is none), ``r = 0..levels``,
    for every node (dense arrays of ``node_count``).

    Bellman-Ford (Bellman 1958) by levels, backwards from the goals
    (:func:`_backward_level`). A walk bound is a lower bound on any loop-free route, and
    exact whenever the cheapest walk has no loop.
    """
    goal_ids = np.asarray(goals, dtype=np.int64)
    blocked_ids = np.asarray(blocked, dtype=np.int64)
    dist = np.full(adj.g.node_count, INF)
    dist[goal_ids] = 0.0
    out = [dist]
    changed = goal_ids
    for _ in range(levels):
        in_edges = _Edges.of(adj.g.in_indptr, changed)
        dist, changed = _backward_level(adj, dist, changed, in_edges, goal_ids, blocked_ids)
        out.append(dist)
    return out


_DENSE_TABLE_NODES = 4096
"""Up to this many nodes, a bound table is a list of every node's value (a few µs per
thousand nodes to build, and no misses to answer)."""
_FORWARD_EDGE_WEIGHT = 2
"""A forward layer's edges are gathered twice (to find the next layer, then to evaluate a
bound level on it), a backward level's once: the meet-in-the-middle search extends the
forward side when its frontier has fewer than half the backward side's edges (a backward
level over more than a quarter of the graph's edges is one dense pass, counted as a
quarter of the edges)."""
_infinite = itertools.repeat(INF).__next__
"""Returns ``INF``: the default of a bound table (a C callable, so a miss costs no Python
frame)."""


def _bound_table(
    dist: NDArray[np.float64], nodes: Sequence[NDArray[np.int64]] | None = None
) -> Bounds:
    """``dist[node]`` for the nodes in the arrays ``nodes`` (None: the nodes where ``dist``
    is finite) as the search's lookup table: a list of every node's value when the graph
    is small or ``nodes`` a large share of it (cheaper to build), else a dict that answers
    ``INF`` for any other node (built in time proportional to the number of ``nodes``, not
    to the graph's size)."""
    if nodes is None:
        nodes = [np.flatnonzero(np.isfinite(dist))]
    if len(dist) <= _DENSE_TABLE_NODES or len(dist) <= 4 * sum(len(a) for a in nodes):
        table: list[float] = dist.tolist()
        return table
    listed = np.concatenate(nodes)
    return defaultdict(_infinite, zip(listed.tolist(), dist[listed].tolist(), strict=True))


def _route_bounds(
    adj: _Adjacency,
    sources: Sequence[int],
    goals: Sequence[int],
    blocked: Sequence[int],
    levels: int,
) -> list[Bounds]:
    """The search's bounds, from both ends: ``bounds[r][v]`` is ``d[r][v]`` of
    :func:`_hop_limited_distances` for every node ``v`` that a walk of usable edges from a
    source reaches in exactly ``levels - r + 1`` hops (the only nodes the search asks ``r``
    about: a partial route of ``h`` hops has ``max_hops - h = levels - h + 1`` hops left),
    ``r = 0..levels``; nodes the table does not list have ``INF``.

    Meet in the middle, so that the work depends on the neighbourhoods of the sources and
    goals, not on the graph's size: ``B`` Bellman-Ford levels backwards from the goals
    (:func:`_backward_level`, exact for every node) and ``F = levels - B`` layers forwards
    from the sources (``R_h``: the heads of the usable out-edges of ``R_{h - 1}``,
    ``R_0`` = the sources); each step extends the side whose frontier has fewer edges
    (:data:`_FORWARD_EDGE_WEIGHT`). The levels above ``B`` are then evaluated on the
    forward layers only, deepest first: ``d[j][v] = min over usable edges v -> w of
    cost + d[j - 1][w]`` for ``v`` in ``R_{levels - j + 1}`` (0 at a goal, infinite at a
    blocked node; a walk that is not at a goal starts with an edge), whose out-edges lead
    into ``R_{levels - j + 2}``, where ``d[j - 1]`` is known. The values equal the
    backward ones exactly (the same additions and minima), so the search and its answer
    are unchanged.
    """
    g = adj.g
    goal_ids = np.asarray(goals, dtype=np.int64)
    blocked_ids = np.asarray(blocked, dtype=np.int64)
    back = np.full(g.node_count, INF)
    back[goal_ids] = 0.0
    backward = [back]  # d[0..B], dense arrays
    reached = [goal_ids]  # the nodes whose d fell at each backward level
    layers = [np.asarray(sources, dtype=np.int64)]  # R_0..R_F
    in_edges = _Edges.of(g.in_indptr, goal_ids)  # of the last backward level's changes
    out_edges = [_Edges.of(g.indptr, layers[0])]  # of each forward layer
    positions: list[NDArray[np.int64]] = []  # of each forward layer but the last
    while len(backward) + len(layers) - 2 < levels:
        if min(in_edges.total, g.edge_count // 4) <= _FORWARD_EDGE_WEIGHT * out_edges[-1].total:
            back, changed = _backward_level(adj, back, reached[-1], in_edges, goal_ids, blocked_ids)
            backward.append(back)
            reached.append(changed)
            in_edges = _Edges.of(g.in_indptr, changed)
        else:
            positions.append(out_edges[-1].positions())
            heads = g.indices[positions[-1]]
            if adj.filtered:
                heads = heads[np.isfinite(adj.costs[positions[-1]])]
            layers.append(_distinct(heads, g.node_count))
            out_edges.append(_Edges.of(g.indptr, layers[-1]))
    top = len(backward) - 1  # B
    # the finite entries of d[r] are the nodes reached by level r (some repeated)
    bounds = [_bound_table(backward[r], reached[: r + 1]) for r in range(top + 1)]
    below = backward[top]
    for j in range(top + 1, levels + 1):
        h = levels - j + 1
        nodes, counts = layers[h], out_edges[h].counts
        edges = positions[h] if h < len(positions) else out_edges[h].positions()
        current = np.full(g.node_count, INF)
        has_edges = counts > 0
        if len(edges):
            candidates = adj.costs[edges] + below[g.indices[edges]]
            offsets = (np.cumsum(counts) - counts)[has_edges]
            current[nodes[has_edges]] = np.minimum.reduceat(candidates, offsets)
        current[blocked_ids] = INF
        current[goal_ids] = 0.0
        bounds.append(_bound_table(current, [nodes]))
        below = current
    return bounds


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
    hops a partial route has left, built from both ends (:func:`_route_bounds`:
    Bellman-Ford levels backwards from the targets and layers forwards from the sources,
    in numpy, meeting in the middle, so that its work follows the two neighbourhoods
    rather than the graph's size). With ``via``, the bound (over the whole graph,
    :func:`_hop_limited_distances`) goes through ``via`` until the route has passed it.
    The search stops when the next partial route's bound exceeds the k-th distinct
    route's cost (rounded as in :func:`path_sort_key`, so ties at the k-th place are all
    found and ordered by the key). This solves the k-shortest loopless paths problem
    (Yen 1971) with hop limits and route identity, which Yen's algorithm does not handle
    directly.

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
    start = list(source_ids) if len(source_ids) == 1 else []
    goals = sorted(target_ids - set(start))
    if not goals:
        return []
    bound_after: list[Bounds]
    if via is None:
        bound_after = _route_bounds(adjacency, source_ids, goals, start, levels)
        bound_before = bound_after
    else:
        to_target = _hop_limited_distances(adjacency, goals, start, levels)
        # before passing via: the cheapest walk to via and from there to a target
        to_via = _hop_limited_distances(adjacency, [via_id], goals + start, levels)
        before_via = [
            np.min([to_via[j] + to_target[r - j][via_id] for j in range(r + 1)], axis=0)
            for r in range(levels + 1)
        ]
        bound_after = [_bound_table(d) for d in to_target]
        bound_before = [_bound_table(d) for d in before_via]

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
            nf = ng + (bound_after if now_seen else bound_before)[r][v]
            if nf > limit:
                continue
            heapq.heappush(heap, (nf, next(counter), ng, (*path, v), (*hop_costs, c), now_seen))

    codes = graph.codes
    candidates = [
        RawPath(codes=[codes[i] for i in route], hop_costs=list(costs))
        for cost, route, costs in found
        if cost <= limit
    ]
    return best_distinct_routes(candidates, k)


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


class Rating(NamedTuple):
    """An occupation's importance (IM 1-5) and level (LV 0-7) for one element, with the
    element's name (a tuple: the memory store holds ~70 k of them)."""

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
    # (-gain, element ID, ...): sorted as is, largest gain first, then by element ID (the
    # IDs are distinct, so no two rows compare further). The gain is skill_gain's
    # arithmetic written out (~15 ratings per call, several calls per route hop).
    rows: list[tuple[float, str, float | None, Rating]]
    if not from_ratings:
        rows = [
            (-((r.level - 0.0) * r.importance / 5.0), eid, None, r) for eid, r in to_ratings.items()
        ]
    else:
        rows = []
        source = from_ratings.get
        for eid, r in to_ratings.items():
            had = source(eid)
            if had is not None and r.level > had.level:
                rows.append((-((r.level - had.level) * r.importance / 5.0), eid, had.level, r))
    rows.sort()
    return [  # models only for the gaps returned (a profile rates ~35 elements)
        SkillGap(
            element_id=eid,
            name=r.name,
            kind=kind,
            from_level=level,
            to_level=r.level,
            importance=r.importance,
            gain=-negative_gain,
        )
        for negative_gain, eid, level, r in rows[:limit]
    ]
