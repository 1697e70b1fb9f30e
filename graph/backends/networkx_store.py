"""In-memory graph store on networkx: the embedded default and the reference backend.

The whole graph is one :class:`networkx.MultiDiGraph` whose nodes are keyed
``"<Label>:<key>"`` with a ``label`` attribute, and whose edges carry a ``type``
attribute (the Neo4j relationship type), so counts compare one-to-one with Neo4j.
Side indexes (title lookup, adjacency with hop costs, ratings) are built at load.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx
from rapidfuzz import fuzz, process, utils

from graph.cost import related_hop_cost
from graph.errors import NotLoadedError
from graph.model import DescriptorKind, GraphCounts, Occupation, OnetRelease, TitleSource
from graph.paths import Rating, RawPath, compute_skill_gaps, find_k_cheapest_paths
from graph.store import HopExplanation, LoadProgress, TitleMatch

_KIND_OF_SOURCE = {
    TitleSource.OCCUPATION: "exact",
    TitleSource.ALTERNATE: "alternate",
    TitleSource.REPORTED: "reported",
}
_FUZZY_KIND_ORDER = {"exact": 0, "alternate": 1, "reported": 2}


def _node(label: str, key: object) -> str:
    return f"{label}:{key}"


class _Indexes:
    """Lookup structures derived from one loaded release."""

    def __init__(self, graph: nx.MultiDiGraph, release: OnetRelease) -> None:
        self.release = release.release
        self.occupations = {o.code: o for o in release.occupations}
        self.succ: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.pred: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.related: dict[tuple[str, str], tuple[str, int, float]] = {}
        for r in release.related:
            cost = related_hop_cost(r.tier, r.rank)
            self.succ[r.code].append((r.related_code, cost))
            self.pred[r.related_code].append((r.code, cost))
            self.related[(r.code, r.related_code)] = (r.tier.value, r.rank, cost)
        names = {d.element_id: d.name for d in release.descriptors}
        self.ratings: dict[tuple[str, DescriptorKind], dict[str, Rating]] = defaultdict(dict)
        for rt in release.ratings:
            self.ratings[(rt.code, rt.kind)][rt.element_id] = Rating(
                name=names[rt.element_id], importance=rt.importance, level=rt.level
            )
        self.titles_by_lower: dict[str, list[TitleMatch]] = defaultdict(list)
        choices: dict[str, tuple[str, str]] = {}
        for t in release.titles:
            match = TitleMatch(
                title=t.name,
                code=t.code,
                occupation_title=self.occupations[t.code].title,
                match_kind=_KIND_OF_SOURCE[t.source],
                score=100.0,
            )
            self.titles_by_lower[t.name.lower()].append(match)
        for lower, matches in self.titles_by_lower.items():
            choices[lower] = (matches[0].title, matches[0].code)
        self.title_keys = list(self.titles_by_lower)
        self.graph = graph


class NetworkxStore:
    """Graph store held in memory (networkx). See :class:`graph.store.GraphStore`."""

    backend = "memory"

    def __init__(self) -> None:
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._idx: _Indexes | None = None

    # -- loading -----------------------------------------------------------------
    @staticmethod
    def _build_graph(release: OnetRelease, progress: LoadProgress | None) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        total = (
            len(release.occupations)
            + len(release.titles)
            + len(release.related)
            + len(release.ratings)
            + len(release.technologies)
            + len(release.education_shares)
            + len(release.interest_scores)
        )
        done = 0

        def tick(step: str, n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(step, done, total)

        for o in release.occupations:
            g.add_node(_node("Occupation", o.code), label="Occupation", **o.model_dump())
        tick("occupations", len(release.occupations))
        for t in release.titles:
            g.add_node(_node("Title", t.name), label="Title", name=t.name)
            g.add_edge(
                _node("Title", t.name),
                _node("Occupation", t.code),
                key=("TITLE_OF", t.source.value),
                type="TITLE_OF",
                source=t.source.value,
            )
        tick("titles", len(release.titles))
        for r in release.related:
            g.add_edge(
                _node("Occupation", r.code),
                _node("Occupation", r.related_code),
                key="RELATED_TO",
                type="RELATED_TO",
                tier=r.tier.value,
                rank=r.rank,
                cost=related_hop_cost(r.tier, r.rank),
            )
        tick("related occupations", len(release.related))
        for d in release.descriptors:
            label = "Skill" if d.kind is DescriptorKind.SKILL else "Knowledge"
            g.add_node(
                _node(label, d.element_id),
                label=label,
                element_id=d.element_id,
                name=d.name,
                description=d.description,
            )
        for rt in release.ratings:
            label = "Skill" if rt.kind is DescriptorKind.SKILL else "Knowledge"
            rel = "REQUIRES_SKILL" if rt.kind is DescriptorKind.SKILL else "REQUIRES_KNOWLEDGE"
            g.add_edge(
                _node("Occupation", rt.code),
                _node(label, rt.element_id),
                key=rel,
                type=rel,
                importance=rt.importance,
                level=rt.level,
            )
        tick("skills and knowledge", len(release.ratings))
        for tech in release.technologies:
            g.add_node(
                _node("Technology", tech.name),
                label="Technology",
                name=tech.name,
                commodity_code=tech.commodity_code,
                commodity_title=tech.commodity_title,
            )
            g.add_edge(
                _node("Occupation", tech.code),
                _node("Technology", tech.name),
                key="USES_TECHNOLOGY",
                type="USES_TECHNOLOGY",
                hot=tech.hot,
                in_demand=tech.in_demand,
            )
        tick("technologies", len(release.technologies))
        for lvl in release.education_levels:
            g.add_node(
                _node("EducationLevel", lvl.category),
                label="EducationLevel",
                category=lvl.category,
                name=lvl.name,
            )
        for sh in release.education_shares:
            g.add_edge(
                _node("Occupation", sh.code),
                _node("EducationLevel", sh.category),
                key="TYPICAL_EDUCATION",
                type="TYPICAL_EDUCATION",
                share_pct=sh.share_pct,
            )
        tick("education", len(release.education_shares))
        for i in release.interests:
            g.add_node(
                _node("Interest", i.element_id),
                label="Interest",
                element_id=i.element_id,
                name=i.name,
                description=i.description,
            )
        for s in release.interest_scores:
            g.add_edge(
                _node("Occupation", s.code),
                _node("Interest", s.element_id),
                key="HAS_INTEREST",
                type="HAS_INTEREST",
                score=s.score,
            )
        tick("interests", len(release.interest_scores))
        return g

    def load(self, release: OnetRelease, progress: LoadProgress | None = None) -> GraphCounts:
        """Build a new graph from ``release`` and swap it in (the old one stays on error)."""
        graph = self._build_graph(release, progress)
        indexes = _Indexes(graph, release)
        self._graph, self._idx = graph, indexes
        return self.counts()

    def _require(self) -> _Indexes:
        if self._idx is None:
            raise NotLoadedError("the in-memory graph is empty: load an O*NET release first")
        return self._idx

    # -- queries -----------------------------------------------------------------
    def counts(self) -> GraphCounts:
        """Node counts per label, relationship counts per type."""
        nodes = Counter(label for _, label in self._graph.nodes(data="label"))
        rels = Counter(t for _, _, t in self._graph.edges(data="type"))
        return GraphCounts(
            nodes=dict(sorted(nodes.items())), relationships=dict(sorted(rels.items()))
        )

    def loaded_release(self) -> str | None:
        """Release label of the loaded graph, or None."""
        return self._idx.release if self._idx else None

    def get_occupation(self, code: str) -> Occupation | None:
        """Occupation by O*NET-SOC code, or None."""
        return self._require().occupations.get(code)

    def find_titles_exact(self, text: str) -> list[TitleMatch]:
        """Titles equal to ``text`` ignoring case."""
        return list(self._require().titles_by_lower.get(text.strip().lower(), []))

    def search_titles(self, text: str, limit: int) -> list[TitleMatch]:
        """Fuzzy title search with rapidfuzz WRatio over all titles, best first."""
        idx = self._require()
        hits = process.extract(
            text.lower(),
            idx.title_keys,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit * 3,
            score_cutoff=60,
        )
        out: list[TitleMatch] = []
        for key, score, _ in hits:
            for m in sorted(
                idx.titles_by_lower[key], key=lambda m: (_FUZZY_KIND_ORDER[m.match_kind], m.code)
            ):
                out.append(m.model_copy(update={"match_kind": "fuzzy", "score": round(score, 1)}))
        out.sort(key=lambda m: -m.score)
        return out[:limit]

    def find_k_cheapest_paths(
        self, sources: Sequence[str], targets: Sequence[str], k: int, max_hops: int
    ) -> list[RawPath]:
        """k cheapest loop-free routes, computed in process (see graph.paths)."""
        idx = self._require()

        def succ(code: str) -> Iterable[tuple[str, float]]:
            return idx.succ.get(code, ())

        def pred(code: str) -> Iterable[tuple[str, float]]:
            return idx.pred.get(code, ())

        return find_k_cheapest_paths(succ, pred, sources, targets, k=k, max_hops=max_hops)

    def explain_hop(self, from_code: str, to_code: str, limit: int = 5) -> HopExplanation:
        """Tier, rank, cost, skill/knowledge gaps and job-zone change of one hop."""
        idx = self._require()
        tier, rank, cost = idx.related[(from_code, to_code)]
        a, b = idx.occupations[from_code], idx.occupations[to_code]
        gaps = {
            kind: compute_skill_gaps(
                idx.ratings.get((from_code, kind), {}),
                idx.ratings.get((to_code, kind), {}),
                kind=kind.value,
                limit=limit,
            )
            for kind in DescriptorKind
        }
        change = None
        if a.job_zone is not None and b.job_zone is not None:
            change = b.job_zone - a.job_zone
        return HopExplanation(
            from_code=from_code,
            from_title=a.title,
            to_code=to_code,
            to_title=b.title,
            tier=tier,
            rank=rank,
            cost=cost,
            from_job_zone=a.job_zone,
            to_job_zone=b.job_zone,
            job_zone_change=change,
            skills_to_gain=gaps[DescriptorKind.SKILL],
            knowledge_to_gain=gaps[DescriptorKind.KNOWLEDGE],
        )

    def close(self) -> None:
        """Nothing to release for the in-memory store."""
