"""The in-memory backend's route graphs: its move and relatedness edges as compressed
sparse rows (:class:`graph.paths.RouteGraph`) with the per-edge and per-node figures the
route filters read, as arrays in the same order.

The memory store builds both at load and keeps them in its snapshot (a restored store
answers its first route at once); :func:`cached_route_index` builds one on first use for
indexes made otherwise (the growth benchmark's synthetic graphs).
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from careergraph.graph.model import MoveKind
from careergraph.graph.paths import RouteFilters, RouteGraph


@dataclass(frozen=True)
class RouteIndex:
    """One relationship's route graph and the data its filters read.

    Attributes
    ----------
    graph
        The edges (``LEADS_TO`` moves or ``RELATED_TO`` links) with their hop costs.
    advancement
        Per edge (CSR order): the move is an ``advancement`` (``LEADS_TO`` only).
    wage_delta_pct
        Per edge (CSR order): the move's median-wage change in percent, NaN if unknown
        (``LEADS_TO`` only).
    growth_pct
        Per node: BLS 2024-34 employment growth in percent, NaN if unknown.
    """

    graph: RouteGraph
    advancement: NDArray[np.bool_]
    wage_delta_pct: NDArray[np.float64]
    growth_pct: NDArray[np.float64]

    def masks(self, filters: RouteFilters) -> tuple[bytes | None, bytes | None]:
        """``(edge_ok, node_ok)`` for :func:`graph.paths.find_k_cheapest_paths`: the moves
        ``only_advancement`` and ``max_wage_drop_pct`` allow (``LEADS_TO`` only; a move
        without wage data stays), and the occupations ``min_growth_pct`` (unknown growth
        is left out) and ``exclude`` allow. None where a filter is not set."""
        edge_ok: bytes | None = None
        if filters.relationship == "LEADS_TO" and (
            filters.only_advancement or filters.max_wage_drop_pct is not None
        ):
            ok = np.ones(self.graph.edge_count, dtype=bool)
            if filters.only_advancement:
                ok &= self.advancement
            if filters.max_wage_drop_pct is not None:
                wage = self.wage_delta_pct
                ok &= np.isnan(wage) | (wage >= -filters.max_wage_drop_pct)
            edge_ok = ok.tobytes()
        node_ok: bytes | None = None
        if filters.min_growth_pct is not None or filters.exclude:
            allowed = np.ones(self.graph.node_count, dtype=bool)
            if filters.min_growth_pct is not None:
                with np.errstate(invalid="ignore"):
                    allowed &= self.growth_pct >= filters.min_growth_pct
            for code in filters.exclude:
                if code in self.graph.index:
                    allowed[self.graph.index[code]] = False
            node_ok = allowed.tobytes()
        return edge_ok, node_ok


def build_route_index(
    succ: Mapping[str, Sequence[tuple[str, float]]],
    growth_pct: Mapping[str, float | None],
    moves: Mapping[tuple[str, ...], Any] | None = None,
) -> RouteIndex:
    """Lay out ``succ`` (code -> ``[(next_code, hop_cost)]``) as a :class:`RouteIndex`.

    ``moves`` maps ``(code, next_code)`` to the :class:`graph.model.CareerMove` of a
    ``LEADS_TO`` edge (its ``kind`` and ``wage_delta_pct`` feed the filters); None for
    ``RELATED_TO``. ``growth_pct`` maps a code to its BLS growth (missing or None:
    unknown).
    """
    edges = [(a, b, cost) for a, out in succ.items() for b, cost in out]
    graph, positions = RouteGraph.from_edges(edges)
    advancement = np.zeros(graph.edge_count, dtype=bool)
    wage = np.full(graph.edge_count, math.nan)
    if moves is not None:
        for (a, b, _), e in zip(edges, positions, strict=True):
            move = moves[(a, b)]
            advancement[e] = move.kind is MoveKind.ADVANCEMENT
            if move.wage_delta_pct is not None:
                wage[e] = move.wage_delta_pct
    growth = np.array(
        [math.nan if growth_pct.get(c) is None else growth_pct[c] for c in graph.codes],
        dtype=float,
    )
    return RouteIndex(graph, advancement, wage, growth)


_LOCK = threading.Lock()
_BUILT: weakref.WeakKeyDictionary[object, dict[str, RouteIndex]] = weakref.WeakKeyDictionary()


def cached_route_index(
    owner: object, relationship: str, build: Callable[[], RouteIndex]
) -> RouteIndex:
    """The :class:`RouteIndex` of ``relationship`` for ``owner`` (a loaded store's indexes),
    built by ``build()`` on first use and kept as long as ``owner`` lives."""
    built = _BUILT.get(owner)
    if built is not None and relationship in built:
        return built[relationship]
    with _LOCK:
        built = _BUILT.setdefault(owner, {})
        if relationship not in built:
            built[relationship] = build()
        return built[relationship]
