"""The :class:`GraphStore` protocol both backends implement, and its result records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from graph.model import GraphCounts, Occupation, OnetRelease
from graph.paths import RawPath, SkillGap

LoadProgress = Callable[[str, int, int], None]
"""``progress(step, done, total)`` reports load progress in rows."""


class TitleMatch(BaseModel):
    """A job title matched to an occupation.

    ``match_kind`` is ``code``, ``exact`` (the occupation's own title), ``alternate``,
    ``reported`` or ``fuzzy``; ``score`` is 100 for exact kinds, else the fuzzy
    similarity 0-100.
    """

    title: str
    code: str
    occupation_title: str
    match_kind: str
    score: float


class HopExplanation(BaseModel):
    """Why and at what price one hop of a route is taken.

    ``tier``/``rank`` come from O*NET ``Related Occupations``; ``skills_to_gain`` and
    ``knowledge_to_gain`` list elements where the target's LV level is higher (see
    :class:`graph.paths.SkillGap`); ``job_zone_change`` = target zone - source zone
    (None when either is unrated).
    """

    from_code: str
    from_title: str
    to_code: str
    to_title: str
    tier: str
    rank: int
    cost: float
    from_job_zone: int | None
    to_job_zone: int | None
    job_zone_change: int | None
    skills_to_gain: list[SkillGap]
    knowledge_to_gain: list[SkillGap]


@runtime_checkable
class GraphStore(Protocol):
    """A place the career graph lives: the networkx (memory) or Neo4j backend.

    Both must give the same counts, the same best paths with the same costs and the
    same hop explanations for the same loaded release.
    """

    backend: str

    def load(self, release: OnetRelease, progress: LoadProgress | None = None) -> GraphCounts:
        """Replace the graph with ``release``; all-or-nothing; returns the new counts."""
        ...

    def counts(self) -> GraphCounts:
        """Node counts per label and relationship counts per type."""
        ...

    def loaded_release(self) -> str | None:
        """The O*NET release label of the loaded graph, or None if empty."""
        ...

    def get_occupation(self, code: str) -> Occupation | None:
        """The occupation with this O*NET-SOC code, or None."""
        ...

    def find_titles_exact(self, text: str) -> list[TitleMatch]:
        """Titles equal to ``text`` ignoring case, with their occupations."""
        ...

    def search_titles(self, text: str, limit: int) -> list[TitleMatch]:
        """Fuzzy title search, best first, at most ``limit`` matches."""
        ...

    def find_k_cheapest_paths(
        self, sources: Sequence[str], targets: Sequence[str], k: int, max_hops: int
    ) -> list[RawPath]:
        """See :func:`graph.paths.find_k_cheapest_paths` for the contract."""
        ...

    def explain_hop(self, from_code: str, to_code: str, limit: int = 5) -> HopExplanation:
        """Explain the ``RELATED_TO`` hop ``from_code -> to_code``."""
        ...

    def close(self) -> None:
        """Release connections and resources."""
        ...
