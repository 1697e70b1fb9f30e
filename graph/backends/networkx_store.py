"""In-memory graph store on networkx: the embedded default and the reference backend.

The whole graph is one :class:`networkx.MultiDiGraph` whose nodes are keyed
``"<Label>:<key>"`` with a ``label`` attribute, and whose edges carry a ``type``
attribute (the Neo4j relationship type), so counts compare one-to-one with Neo4j.
Side indexes (the title index, adjacency with hop costs, ratings) are built at load.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from careergraph.graph.backends.compact import CompactDicts, CompactModels, PackedValues
from careergraph.graph.backends.route_index import RouteIndex, build_route_index, cached_route_index
from careergraph.graph.cost import related_hop_cost
from careergraph.graph.deadline import current_deadline
from careergraph.graph.deferred import DeferredAttributes
from careergraph.graph.errors import NotLoadedError
from careergraph.graph.estimated_ratings import estimate_properties
from careergraph.graph.explain import (
    assemble_hop_explanation,
    describe_rating_estimates,
    shared_bls_group,
    technologies_limit,
)
from careergraph.graph.model import (
    CareerMove,
    DescriptorKind,
    Estimate,
    GraphCounts,
    Occupation,
    OnetRelease,
)
from careergraph.graph.paths import (
    Rating,
    RawPath,
    RouteFilters,
    SkillGap,
    compute_skill_gaps,
    find_k_cheapest_paths,
)
from careergraph.graph.store import (
    EducationCategory,
    EducationLevelShare,
    HopExplanation,
    IncomingMove,
    LikelyNextStep,
    LoadProgress,
    NextStep,
    NextStepTitle,
    OccupationGap,
    OccupationProfile,
    OccupationSummary,
    RatedElement,
    RelatedOccupationLink,
    RoleFacts,
    ScoredElement,
    TaskItem,
    TechnologyUse,
)
from careergraph.graph.titles import TitleIndex, title_records

if TYPE_CHECKING:  # imported when a graph is built: a restored store never needs it
    import networkx as nx


def _node(label: str, key: object) -> str:
    return f"{label}:{key}"


def _common_prefix_length(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _estimate_props(record: Estimate) -> dict[str, Any]:
    """``estimated_from``/``estimate_source`` edge properties of an estimated value, else
    none (as the Neo4j loads store them)."""
    if not record.estimated:
        return {}
    return {
        "estimated_from": list(record.estimated_from),
        "estimate_source": record.estimate_source,
    }


def _scored(
    node: dict[str, Any], edge: dict[str, Any], value_key: str, element_key: str = "element_id"
) -> ScoredElement:
    return ScoredElement(
        element_id=str(node[element_key]),
        name=node["name"],
        description=node.get("description", ""),
        value=edge[value_key],
        estimated_from=edge.get("estimated_from", []),
        estimate_source=edge.get("estimate_source"),
    )


def _summary(occupation: Occupation) -> OccupationSummary:
    return OccupationSummary(
        code=occupation.code, title=occupation.title, job_zone=occupation.job_zone
    )


def _ratings_key(code: str, kind: DescriptorKind) -> str:
    """Key of an occupation's ratings of one kind in :attr:`_Indexes.rating_values`."""
    return f"{code} {kind.value}"


class _Indexes(DeferredAttributes):
    """Lookup structures derived from one loaded release, kept so that restoring them
    from the memory snapshot makes few objects. Of an unpickled one, those a route query
    does not read (:attr:`DEFERRED`) are unpickled at their first use
    (:class:`graph.deferred.DeferredAttributes`: ~25 ms less to restore); the per-code
    lists and sets a route query reads a few of are :class:`PackedValues` and the ratings
    one :class:`CompactDicts`, decoded per code at first use (:meth:`rated`,
    :meth:`typical_education`): together ~0.1 s less to restore for O*NET 29.3, ~2 ms more
    for the first answer."""

    DEFERRED = frozenset(
        {
            "occupations",
            "succ",
            "pred",
            "related",
            "move_pred",
            "next_steps",
            "labor",
            "estimates",
            "bls_group_size",
        }
    )

    def __init__(self, release: OnetRelease) -> None:
        self.release = release.release
        self.occupations = {o.code: o for o in release.occupations}
        titles_by_code: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for title in release.titles:  # (name, source), interned: 65 k titles, 47 k names
            titles_by_code[title.code].append(
                (sys.intern(title.name), sys.intern(title.source.value))
            )
        self.titles_by_code = PackedValues(
            {code: sorted(titles) for code, titles in titles_by_code.items()}
        )
        """code -> ``[(title, source), ...]`` by title, then source: O*NET's alternate,
        reported and occupation titles (Alternate Titles.txt, Sample of Reported
        Titles.txt, Occupation Data.txt)."""
        self.succ: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.pred: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.related: dict[tuple[str, str], tuple[str, int, float]] = {}
        for r in release.related:
            cost = related_hop_cost(r.tier, r.rank)
            self.succ[r.code].append((r.related_code, cost))
            self.pred[r.related_code].append((r.code, cost))
            self.related[(r.code, r.related_code)] = (r.tier.value, r.rank, cost)
        move_succ: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.move_pred: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.moves: MutableMapping[tuple[str, ...], CareerMove] = CompactModels(CareerMove)
        for m in release.career.moves:
            move_succ[m.code].append((m.next_code, m.cost))
            self.move_pred[m.next_code].append((m.code, m.cost))
            self.moves[(m.code, m.next_code)] = m
        self.move_succ: Mapping[str, list[tuple[str, float]]] = PackedValues(move_succ)
        """code -> ``[(next code, hop cost), ...]`` of its career moves (``LEADS_TO``)."""
        self.next_steps: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
            d.code: (tuple(sys.intern(c) for c in d.next_codes), tuple(d.probabilities))
            for d in release.career.next_step_distributions
        }
        self.labor = {f.code: f for f in release.career.labor_market}
        in_demand: dict[str, dict[str, tuple[bool, str]]] = defaultdict(dict)
        names: dict[str, set[str]] = defaultdict(set)
        commodities: dict[str, set[str]] = defaultdict(set)
        for tech in release.technologies:
            names[tech.code].add(tech.name)
            commodities[tech.code].add(tech.commodity_code)
            if tech.in_demand:
                in_demand[tech.code][tech.name] = (tech.hot, tech.commodity_code)
        # (Technology Skills.txt: Example, Commodity Code, Hot Technology, In Demand)
        self.in_demand_technologies = PackedValues(in_demand)
        """code -> {in-demand technology name: (hot, UNSPSC commodity code)}."""
        self.technology_names = PackedValues(names)
        """code -> the names of the technologies it uses."""
        self.technology_commodities = PackedValues(commodities)
        """code -> the UNSPSC commodity codes of the technologies it uses."""
        levels = {lvl.category: lvl.name for lvl in release.education_levels}
        best_rl: dict[str, tuple[float, int]] = {}
        for sh in release.education_shares:
            current = best_rl.get(sh.code)
            if current is None or (-sh.share_pct, sh.category) < (-current[0], current[1]):
                best_rl[sh.code] = (sh.share_pct, sh.category)
        self.typical_rl = PackedValues(
            {code: (cat, levels[cat]) for code, (_, cat) in best_rl.items()}
        )
        """code -> (RL category, its name) of the education level most of its workers have
        (Education, Training, and Experience.txt, RL scale; ties: the lower category)."""
        self.typical_rl_models: dict[str, EducationCategory] = {}
        """The models :meth:`typical_education` made, by code."""
        self.element_names = {d.element_id: d.name for d in release.descriptors}
        """Element ID -> name of every skill and knowledge element (Content Model
        Reference.txt)."""
        values: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
        self.estimates: dict[tuple[str, DescriptorKind], tuple[list[str], str | None]] = {}
        for rt in release.ratings:
            values[_ratings_key(rt.code, rt.kind)][rt.element_id] = (rt.importance, rt.level)
            if rt.estimated:
                self.estimates[(rt.code, rt.kind)] = (rt.estimated_from, rt.estimate_source)
        self.rating_values = CompactDicts()
        """:func:`_ratings_key` -> {element ID: (importance, level)} of each occupation's
        rated skills or knowledge (Skills.txt, Knowledge.txt: IM and LV scales' Data Value):
        ~70 k ratings in one buffer, made :class:`Rating` by :meth:`rated`."""
        for key, ratings in values.items():
            self.rating_values.add(key, ratings)
        self.ratings: dict[tuple[str, DescriptorKind], dict[str, Rating]] = {}
        """The ratings :meth:`rated` made, by (code, kind)."""
        self.titles = TitleIndex(title_records(release))
        self.tasks_release = release.career.tasks_release
        self.bls_group_size = Counter(f.bls_soc_code for f in release.career.labor_market)
        self.routes: dict[str, RouteIndex] = {}
        """Route graphs by relationship, built at load and kept in the snapshot (numpy
        arrays: a restored store answers its first route at once)."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["ratings"] = {}  # made again from the rating values at their first use
        state["typical_rl_models"] = {}
        state = self._pack_deferred(state)
        # What holds out-of-band buffers (the compact tables, the route arrays) last: see
        # NetworkxStore.__getstate__.
        for name in ("rating_values", "moves", "routes"):
            state[name] = state.pop(name)
        return state

    def rated(self, code: str, kind: DescriptorKind) -> dict[str, Rating]:
        """The occupation's ratings of one kind by element ID (empty if unrated), in the
        order of the O*NET file; made from :attr:`rating_values` at their first use (a few
        microseconds), then kept: a query reads a few occupations' of ~2 k."""
        ratings = self.ratings.get((code, kind))
        if ratings is None:
            values = self.rating_values.get(_ratings_key(code, kind))
            if values is None:
                return {}
            make, names = tuple.__new__, self.element_names
            ratings = {eid: make(Rating, (names[eid], *im_lv)) for eid, im_lv in values.items()}
            self.ratings[(code, kind)] = ratings  # equal whichever thread does it first
        return ratings

    def typical_education(self, code: str) -> EducationCategory | None:
        """The occupation's typical education level (:attr:`typical_rl`), None if O*NET
        gives none; made at its first use, then kept."""
        model = self.typical_rl_models.get(code)
        if model is None:
            category = self.typical_rl.get(code)
            if category is None:
                return None
            model = EducationCategory(category=category[0], name=category[1])
            self.typical_rl_models[code] = model
        return model

    def skill_gaps(
        self, from_code: str, to_code: str, limit: int
    ) -> dict[DescriptorKind, list[SkillGap]]:
        """Skill and knowledge gaps from one occupation to another (graph.paths)."""
        return {
            kind: compute_skill_gaps(
                self.rated(from_code, kind),
                self.rated(to_code, kind),
                kind=kind.value,
                limit=limit,
            )
            for kind in DescriptorKind
        }


_PAIR_TYPES = frozenset({"RELATED_TO", "LEADS_TO", "MOVED_TO"})
"""Relationship types between two occupations that explain a hop."""
_LISTED_TYPES = frozenset(
    {"USES_TECHNOLOGY", "TYPICAL_EDUCATION", "HAS_TASK", "HAS_INTEREST", "HAS_WORK_STYLE"}
    | {"HAS_WORK_VALUE"}
)
"""Relationship types whose targets an occupation's profile and gap list."""


def _build_route_index(idx: _Indexes, relationship: str) -> RouteIndex:
    """The route graph of ``LEADS_TO`` or ``RELATED_TO`` over ``idx``
    (:mod:`graph.backends.route_index`)."""
    growth = {code: figures.growth_pct for code, figures in idx.labor.items()}
    if relationship == "RELATED_TO":
        return build_route_index(idx.succ, growth)
    return build_route_index(idx.move_succ, growth, idx.moves)


def _pair_key(from_code: str, to_code: str, rel_type: str) -> str:
    """Key of a relationship between two occupations in :attr:`_GraphView.pairs` (one
    string per relationship: ~0.16 M of them are restored from the snapshot)."""
    return f"{from_code} {to_code} {rel_type}"


_MOVE_ENDS = frozenset({"code", "next_code"})


class _PairProperties(Mapping[str, dict[str, Any]]):
    """Properties of the relationships between two occupations, by :func:`_pair_key`.

    ``RELATED_TO`` and ``MOVED_TO`` are kept as stored; a ``LEADS_TO`` relationship's
    properties are its career move's fields (what the load stored on the edge:
    ``{"type": "LEADS_TO", **move.model_dump(mode="json", exclude={"code", "next_code"})}``),
    read from the store's :class:`CompactModels` of moves instead of a second copy (~20 MB
    of the memory snapshot and of each serving process for O*NET 29.3)."""

    def __init__(self, stored: CompactDicts, moves: CompactModels[CareerMove]) -> None:
        self._stored = stored
        self._moves = moves

    def __getitem__(self, key: str) -> dict[str, Any]:
        from_code, to_code, rel_type = key.split(" ")
        if rel_type != "LEADS_TO":
            return self._stored[key]
        fields = self._moves.fields((from_code, to_code))
        return {"type": rel_type} | {k: v for k, v in fields.items() if k not in _MOVE_ENDS}

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str) or key.count(" ") != 2:
            return False
        from_code, to_code, rel_type = key.split(" ")
        if rel_type == "LEADS_TO":
            return (from_code, to_code) in self._moves
        return key in self._stored

    def __iter__(self) -> Iterator[str]:
        yield from self._stored
        for from_code, to_code in self._moves:
            yield _pair_key(from_code, to_code, "LEADS_TO")

    def __len__(self) -> int:
        return len(self._stored) + len(self._moves)


class _ListedEdges(Mapping[tuple[str, str], list[tuple[dict[str, Any], dict[str, Any]]]]):
    """``(code, relationship type) -> [(target node properties, edge properties), ...]`` of
    the :data:`_LISTED_TYPES` relationships, in the graph's order, kept as two
    :class:`CompactDicts` (each target node once, each list as node keys and edge
    properties): ~91 k edges to ~28 k nodes for O*NET 29.3, which as dicts cost ~38 MB per
    process and ~60 ms of each restore. Each access decodes fresh dicts, equal to the
    graph's (a few microseconds per edge: role pages, never a route's explanation).

    Parameters
    ----------
    lists
        The lists, target nodes given as ``(node key, node properties)``.
    """

    def __init__(
        self, lists: Mapping[tuple[str, str], list[tuple[str, dict[str, Any], dict[str, Any]]]]
    ) -> None:
        self._nodes = CompactDicts()
        self._edges = CompactDicts()
        for (code, rel_type), edges in lists.items():
            for node_key, node, _ in edges:
                if node_key not in self._nodes:
                    self._nodes.add(node_key, node)
            listed = [(node_key, edge) for node_key, _, edge in edges]
            self._edges.add(f"{code} {rel_type}", {"edges": listed})

    def __getitem__(self, key: tuple[str, str]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        code, rel_type = key
        edges = self._edges[f"{code} {rel_type}"]["edges"]
        return [(self._nodes[node_key], edge) for node_key, edge in edges]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and f"{key[0]} {key[1]}" in self._edges

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for text in self._edges:
            code, rel_type = text.split(" ")
            yield code, rel_type

    def __len__(self) -> int:
        return len(self._edges)


class _GraphView:
    """What the queries read of the networkx graph, kept without the graph: the
    ``Occupation`` nodes' properties, the properties of the relationships between two
    occupations that explain a hop (:data:`_PAIR_TYPES`), the targets and properties of an
    occupation's :data:`_LISTED_TYPES` relationships (in the graph's order), and the node
    and relationship counts. Equal to what the graph holds (kept compact:
    :mod:`graph.backends.compact`, decoded as read), so answers are the graph's;
    the ~0.35 M relationships and ~57 k nodes nothing reads per request (titles, ratings,
    similarities: the side indexes answer those) are dropped with it, about 320 MB."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        nodes = Counter(label for _, label in g.nodes(data="label"))
        rels: Counter[str] = Counter()
        self.occupations: Mapping[str, dict[str, Any]] = PackedValues(
            {
                props["code"]: props
                for _, props in g.nodes(data=True)
                if props["label"] == "Occupation"
            }
        )
        self.pairs: Mapping[str, dict[str, Any]] = CompactDicts()
        """Set to :class:`_PairProperties` over these and the moves by
        :meth:`NetworkxStore.load`."""
        listed: dict[tuple[str, str], list[tuple[str, dict[str, Any], dict[str, Any]]]] = (
            defaultdict(list)
        )
        moved_into: dict[str, list[str]] = defaultdict(list)
        for a, b, data in g.edges(data=True):
            rel_type = data["type"]
            rels[rel_type] += 1
            if rel_type == "LEADS_TO":  # read from the moves (:class:`_PairProperties`)
                continue
            if rel_type in _PAIR_TYPES:
                self.pairs.add(_pair_key(g.nodes[a]["code"], g.nodes[b]["code"], rel_type), data)
                if rel_type == "MOVED_TO":
                    moved_into[g.nodes[b]["code"]].append(g.nodes[a]["code"])
            elif rel_type in _LISTED_TYPES:
                listed[(g.nodes[a]["code"], rel_type)].append((b, g.nodes[b], data))
        self.listed = _ListedEdges(listed)
        self.moved_into: Mapping[str, list[str]] = PackedValues(moved_into)
        """code -> the codes with an observed move (``MOVED_TO``) into it."""
        self.counts = GraphCounts(
            nodes=dict(sorted(nodes.items())), relationships=dict(sorted(rels.items()))
        )


class NetworkxStore:
    """Graph store held in memory. See :class:`graph.store.GraphStore`.

    A load builds the release's networkx graph (every node and relationship, as Neo4j
    holds them) and keeps of it only what queries read (:class:`_GraphView`) beside the
    side indexes: a serving process (one per core) then holds ~0.4 GB instead of ~0.7 GB
    and restores from its snapshot in about a second.
    """

    backend = "memory"

    def __init__(self) -> None:
        self._view: _GraphView | None = None
        self._idx: _Indexes | None = None
        self._table_rows: dict[str, int] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The side indexes before the graph view, whose compact tables name out-of-band
        # buffers of the memory snapshot: a restore hands the unpickler those once the
        # whole buffer region verified (in a thread beside the unpickling), so they come
        # last in the pickle (after ~0.2 s of unpickling), when that check is done.
        return {"_idx": self._idx, "_view": self._view, "_table_rows": self._table_rows}

    # -- loading -----------------------------------------------------------------
    @staticmethod
    def _build_graph(release: OnetRelease, progress: LoadProgress | None) -> nx.MultiDiGraph:
        import networkx as nx

        g = nx.MultiDiGraph()
        total = (
            len(release.occupations)
            + len(release.titles)
            + len(release.related)
            + len(release.ratings)
            + len(release.technologies)
            + len(release.education_shares)
            + len(release.interest_scores)
            + len(release.career.similarities)
            + len(release.career.moves)
            + len(release.work_style_ratings)
            + len(release.work_value_scores)
            + len(release.career.tasks)
            + len(release.career.observed_moves)
        )
        done = 0

        def tick(step: str, n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(step, done, total)

        def node(label: str, key: object, **props: Any) -> None:
            g.add_node(_node(label, key), label=label, **props)

        def rel(
            start: tuple[str, object], end: tuple[str, object], rel_type: str, /, **props: Any
        ) -> None:
            key = (rel_type, props["source"]) if rel_type == "TITLE_OF" else rel_type
            g.add_edge(_node(*start), _node(*end), key=key, type=rel_type, **props)

        skill = DescriptorKind.SKILL
        labor = {f.code: f.model_dump(exclude={"code"}) for f in release.career.labor_market}
        estimates = estimate_properties(release.ratings)
        for o in release.occupations:
            extra = {
                "soc_major_group": o.soc_major_group,
                **labor.get(o.code, {}),
                **estimates.get(o.code, {}),
            }
            node("Occupation", o.code, **o.model_dump(), **extra)
        tick("occupations", len(release.occupations))
        for t in release.titles:
            node("Title", t.name, name=t.name)
            rel(("Title", t.name), ("Occupation", t.code), "TITLE_OF", source=t.source.value)
        tick("titles", len(release.titles))
        for r in release.related:
            cost = related_hop_cost(r.tier, r.rank)
            pair = (("Occupation", r.code), ("Occupation", r.related_code))
            rel(*pair, "RELATED_TO", tier=r.tier.value, rank=r.rank, cost=cost)
        tick("related occupations", len(release.related))
        for d in release.descriptors:
            label = "Skill" if d.kind is skill else "Knowledge"
            node(label, d.element_id, **d.model_dump(exclude={"kind"}))
        for rt in release.ratings:
            label, rel_type = (
                ("Skill", "REQUIRES_SKILL")
                if rt.kind is skill
                else ("Knowledge", "REQUIRES_KNOWLEDGE")
            )
            ratings: dict[str, Any] = {"importance": rt.importance, "level": rt.level}
            if rt.estimated:
                ratings["estimated_from"] = rt.estimated_from
                ratings["estimate_source"] = rt.estimate_source
            rel(("Occupation", rt.code), (label, rt.element_id), rel_type, **ratings)
        tick("skills and knowledge", len(release.ratings))
        for tech in release.technologies:
            node("Technology", tech.name, **tech.model_dump(exclude={"code", "hot", "in_demand"}))
            flags = {
                "hot": tech.hot,
                "in_demand": tech.in_demand,
                "commodity_code": tech.commodity_code,
            }
            rel(("Occupation", tech.code), ("Technology", tech.name), "USES_TECHNOLOGY", **flags)
        tick("technologies", len(release.technologies))
        for lvl in release.education_levels:
            node("EducationLevel", lvl.category, **lvl.model_dump())
        for sh in release.education_shares:
            level: tuple[str, object] = ("EducationLevel", sh.category)
            props = {"share_pct": sh.share_pct, **_estimate_props(sh)}
            rel(("Occupation", sh.code), level, "TYPICAL_EDUCATION", **props)
        tick("education", len(release.education_shares))
        for i in release.interests:
            node("Interest", i.element_id, **i.model_dump())
        for s in release.interest_scores:
            interest: tuple[str, object] = ("Interest", s.element_id)
            props = {"score": s.score, **_estimate_props(s)}
            rel(("Occupation", s.code), interest, "HAS_INTEREST", **props)
        tick("interests", len(release.interest_scores))
        for style in release.work_styles:
            node("WorkStyle", style.element_id, **style.model_dump())
        for wsr in release.work_style_ratings:
            props = {"importance": wsr.importance, **_estimate_props(wsr)}
            target: tuple[str, object] = ("WorkStyle", wsr.element_id)
            rel(("Occupation", wsr.code), target, "HAS_WORK_STYLE", **props)
        tick("work styles", len(release.work_style_ratings))
        for value in release.work_values:
            node("WorkValue", value.element_id, **value.model_dump())
        for wvs in release.work_value_scores:
            props = {"extent": wvs.extent, **_estimate_props(wvs)}
            target = ("WorkValue", wvs.element_id)
            rel(("Occupation", wvs.code), target, "HAS_WORK_VALUE", **props)
        tick("work values", len(release.work_value_scores))
        for task in release.career.tasks:
            props = task.model_dump(mode="json", exclude={"code"})
            node("Task", task.task_id, **props, release=release.career.tasks_release)
            rel(("Occupation", task.code), ("Task", task.task_id), "HAS_TASK")
        tick("tasks", len(release.career.tasks))
        for sim in release.career.similarities:
            pair = (("Occupation", sim.code), ("Occupation", sim.other_code))
            rel(*pair, "SIMILAR_TO", **sim.model_dump(exclude={"code", "other_code"}))
        for move in release.career.moves:
            pair = (("Occupation", move.code), ("Occupation", move.next_code))
            props = move.model_dump(mode="json", exclude={"code", "next_code"})
            rel(*pair, "LEADS_TO", **props)
        tick("career moves", len(release.career.similarities) + len(release.career.moves))
        for seen in release.career.observed_moves:
            pair = (("Occupation", seen.code), ("Occupation", seen.next_code))
            rel(*pair, "MOVED_TO", **seen.model_dump(exclude={"code", "next_code"}))
        tick("observed moves", len(release.career.observed_moves))
        return g

    def load(self, release: OnetRelease, progress: LoadProgress | None = None) -> GraphCounts:
        """Build a new graph from ``release`` and swap it in (the old one stays on error)."""
        view = _GraphView(self._build_graph(release, progress))
        indexes = _Indexes(release)
        assert isinstance(view.pairs, CompactDicts) and isinstance(indexes.moves, CompactModels)
        view.pairs = _PairProperties(view.pairs, indexes.moves)
        indexes.routes = {
            relationship: _build_route_index(indexes, relationship)
            for relationship in ("LEADS_TO", "RELATED_TO")
        }
        self._view, self._idx = view, indexes
        self._table_rows = dict(release.table_rows)
        return self.counts()

    def _require_view(self) -> _GraphView:
        if self._view is None:
            raise NotLoadedError("the in-memory graph is empty: load an O*NET release first")
        return self._view

    def _require(self) -> _Indexes:
        if self._idx is None:
            raise NotLoadedError("the in-memory graph is empty: load an O*NET release first")
        return self._idx

    # -- queries -----------------------------------------------------------------
    def counts(self) -> GraphCounts:
        """Node counts per label, relationship counts per type."""
        if self._view is None:
            return GraphCounts(nodes={}, relationships={})
        return self._view.counts.model_copy(deep=True)

    def loaded_release(self) -> str | None:
        """Release label of the loaded graph, or None."""
        return self._idx.release if self._idx else None

    def loaded_table_rows(self) -> dict[str, int] | None:
        """Source-table row counts of the loaded release, or None if nothing is loaded."""
        return dict(self._table_rows) if self._idx else None

    def get_occupation(self, code: str) -> Occupation | None:
        """Occupation by O*NET-SOC code, or None."""
        return self._require().occupations.get(code)

    def title_index(self) -> TitleIndex:
        """The loaded release's title index, built at load (:mod:`graph.titles`)."""
        return self._require().titles

    def find_k_cheapest_paths(
        self,
        sources: Sequence[str],
        targets: Sequence[str],
        k: int,
        max_hops: int,
        filters: RouteFilters | None = None,
    ) -> list[RawPath]:
        """k cheapest distinct loop-free routes, computed in process over the
        relationship's CSR route graph (:func:`graph.paths.find_k_cheapest_paths`, built
        once per loaded graph by :mod:`graph.backends.route_index`); stops at the current
        request deadline (:mod:`graph.deadline`)."""
        idx = self._require()
        f = filters or RouteFilters()
        routes = getattr(idx, "routes", {}).get(f.relationship) or cached_route_index(
            idx, f.relationship, lambda: _build_route_index(idx, f.relationship)
        )
        edge_ok, node_ok = routes.masks(f)
        return find_k_cheapest_paths(
            routes.graph,
            sources,
            targets,
            k=k,
            max_hops=max_hops,
            via=f.via,
            edge_ok=edge_ok,
            node_ok=node_ok,
            deadline=current_deadline(),
        )

    def explain_hops(
        self, pairs: Sequence[tuple[str, str]], limit: int = 5, relationship: str = "LEADS_TO"
    ) -> list[HopExplanation]:
        """:meth:`explain_hop` for each pair, in order."""
        return [self.explain_hop(a, b, limit, relationship) for a, b in pairs]

    def explain_hop(
        self, from_code: str, to_code: str, limit: int = 5, relationship: str = "LEADS_TO"
    ) -> HopExplanation:
        """Relatedness, move, skill/knowledge gaps, technologies, wages, education and
        job-zone change of one hop (see :func:`graph.explain.assemble_hop_explanation`)."""
        idx = self._require()
        view = self._require_view()
        a_props, b_props = view.occupations.get(from_code), view.occupations.get(to_code)
        if a_props is None or b_props is None:
            raise KeyError(f"unknown occupation {from_code} or {to_code}")
        related = view.pairs.get(_pair_key(from_code, to_code, "RELATED_TO"))
        move = view.pairs.get(_pair_key(from_code, to_code, "LEADS_TO"))
        observed = view.pairs.get(_pair_key(from_code, to_code, "MOVED_TO"))
        gaps = idx.skill_gaps(from_code, to_code, limit)
        known = idx.technology_names.get(from_code, set())
        kinds = idx.technology_commodities.get(from_code, set())
        to_learn = sorted(
            (not hot, name)
            for name, (hot, commodity) in idx.in_demand_technologies.get(to_code, {}).items()
            if name not in known and commodity in kinds
        )
        return assemble_hop_explanation(
            a=a_props,
            b=b_props,
            related=related,
            move=move,
            relationship=relationship,
            observed=observed,
            skills=gaps[DescriptorKind.SKILL],
            knowledge=gaps[DescriptorKind.KNOWLEDGE],
            technologies=[name for _, name in to_learn[: technologies_limit(limit)]],
            from_rl=idx.typical_education(from_code),
            to_rl=idx.typical_education(to_code),
        )

    def _occupation_node(self, code: str) -> dict[str, Any]:
        """Properties of the ``Occupation`` node ``code`` (it must exist)."""
        return self._require_view().occupations[code]

    def _out_edges(self, code: str, rel_type: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(target node attributes, edge attributes) of ``code``'s edges of one type (one
        of :data:`_LISTED_TYPES`), in the graph's order."""
        return self._require_view().listed.get((code, rel_type), [])

    def _technologies(self, code: str) -> list[TechnologyUse]:
        return [
            TechnologyUse(
                name=tech["name"],
                commodity_title=tech["commodity_title"],
                hot=edge["hot"],
                in_demand=edge["in_demand"],
            )
            for tech, edge in self._out_edges(code, "USES_TECHNOLOGY")
        ]

    def _rated_elements(self, code: str, kind: DescriptorKind, limit: int) -> list[RatedElement]:
        idx = self._require()
        ratings = idx.rated(code, kind)
        estimated_from, source = idx.estimates.get((code, kind), ([], None))
        elements = [
            RatedElement(
                element_id=eid,
                name=r.name,
                kind=kind.value,
                importance=r.importance,
                level=r.level,
                estimated_from=estimated_from,
                estimate_source=source,
            )
            for eid, r in ratings.items()
        ]
        elements.sort(key=lambda e: (-e.importance, -e.level, e.element_id))
        return elements[:limit]

    def get_occupation_profile(self, code: str, limit: int = 10) -> OccupationProfile | None:
        """Top skills/knowledge, hot technologies and education shares of one occupation."""
        occupation = self._require().occupations.get(code)
        if occupation is None:
            return None
        technologies = self._technologies(code)
        hot = sorted((t for t in technologies if t.hot), key=lambda t: (not t.in_demand, t.name))
        education = sorted(
            (
                EducationLevelShare(
                    category=level["category"], name=level["name"], share_pct=edge["share_pct"]
                )
                for level, edge in self._out_edges(code, "TYPICAL_EDUCATION")
                if edge["share_pct"] > 0
            ),
            key=lambda e: e.category,
        )
        return OccupationProfile(
            code=occupation.code,
            title=occupation.title,
            description=occupation.description,
            job_zone=occupation.job_zone,
            skills=self._rated_elements(code, DescriptorKind.SKILL, limit),
            knowledge=self._rated_elements(code, DescriptorKind.KNOWLEDGE, limit),
            hot_technologies=hot[:limit],
            hot_technology_count=len(hot),
            technology_count=len(technologies),
            education=education,
            labor_market=self._require().labor.get(code),
            estimated_ratings=describe_rating_estimates(self._occupation_node(code)),
        )

    def list_related_occupations(self, code: str) -> list[RelatedOccupationLink]:
        """O*NET related occupations of ``code``, by rank."""
        idx = self._require()
        links = []
        for related_code, _ in idx.succ.get(code, ()):
            tier, rank, cost = idx.related[(code, related_code)]
            other = idx.occupations[related_code]
            links.append(
                RelatedOccupationLink(
                    code=related_code,
                    title=other.title,
                    job_zone=other.job_zone,
                    tier=tier,
                    rank=rank,
                    cost=cost,
                )
            )
        links.sort(key=lambda link: (link.rank, link.code))
        return links

    def list_next_steps(self, code: str) -> list[NextStep]:
        """Career moves (``LEADS_TO``) out of ``code``, by cost."""
        idx = self._require()
        steps: list[NextStep] = []
        if code not in idx.occupations:
            return steps
        source = self._occupation_node(code)
        for next_code, _ in idx.move_succ.get(code, ()):
            move, other = idx.moves[(code, next_code)], idx.occupations[next_code]
            target = self._occupation_node(next_code)
            same_group = shared_bls_group(source, target)
            steps.append(
                NextStep(
                    code=next_code,
                    title=other.title,
                    job_zone=other.job_zone,
                    kind=move.kind.value,
                    cost=move.cost,
                    related_tier=move.related_tier,
                    related_rank=move.related_rank,
                    career_changers_rank=move.career_changers_rank,
                    similarity=move.similarity,
                    job_zone_delta=move.job_zone_delta,
                    wage_delta_pct=None if same_group else move.wage_delta_pct,
                    reasons=list(move.reasons),
                    figures_for=target.get("figures_for"),
                    same_bls_group=same_group,
                )
            )
        steps.sort(key=lambda step: (step.cost, step.code))
        return steps

    def rank_likely_next_steps(self, code: str, limit: int) -> list[LikelyNextStep]:
        """The ``limit`` most likely next occupations of ``code`` (stored order)."""
        idx, view = self._require(), self._require_view()
        codes, probabilities = idx.next_steps.get(code, ((), ()))
        steps: list[LikelyNextStep] = []
        for rank, (next_code, probability) in enumerate(
            zip(codes[:limit], probabilities, strict=False), start=1
        ):
            other = idx.occupations[next_code]
            observed = view.pairs.get(_pair_key(code, next_code, "MOVED_TO"))
            steps.append(
                LikelyNextStep(
                    rank=rank,
                    code=next_code,
                    title=other.title,
                    job_zone=other.job_zone,
                    probability=probability,
                    observed_share=None if observed is None else observed["share_of_movers"],
                    career_move=(code, next_code) in idx.moves,
                )
            )
        return steps

    def get_occupation_gap(
        self, from_code: str, to_code: str, limit: int = 10
    ) -> OccupationGap | None:
        """Skill, knowledge and technology gap from ``from_code`` to ``to_code``."""
        idx = self._require()
        a, b = idx.occupations.get(from_code), idx.occupations.get(to_code)
        if a is None or b is None:
            return None
        gaps = idx.skill_gaps(from_code, to_code, limit)
        known = {t.name for t in self._technologies(from_code)}
        target_technologies = self._technologies(to_code)
        to_learn = sorted(
            (t for t in target_technologies if t.in_demand and t.name not in known),
            key=lambda t: (not t.hot, t.name),
        )
        change = None
        if a.job_zone is not None and b.job_zone is not None:
            change = b.job_zone - a.job_zone
        return OccupationGap(
            source=_summary(a),
            target=_summary(b),
            job_zone_change=change,
            skills_to_gain=gaps[DescriptorKind.SKILL],
            knowledge_to_gain=gaps[DescriptorKind.KNOWLEDGE],
            technologies_to_learn=to_learn[: technologies_limit(limit)],
            technologies_to_learn_count=len(to_learn),
            shared_technology_count=sum(t.name in known for t in target_technologies),
            estimated_ratings=describe_rating_estimates(self._occupation_node(from_code))
            + describe_rating_estimates(self._occupation_node(to_code)),
        )

    def get_role_facts(self, code: str) -> RoleFacts | None:
        """Tasks, interests, work styles and values, education shares, the career moves
        into ``code`` and its BLS group size (see :class:`graph.store.RoleFacts`)."""
        idx = self._require()
        if code not in idx.occupations:
            return None

        def by_value(items: list[ScoredElement]) -> list[ScoredElement]:
            return sorted(items, key=lambda e: (-e.value, e.element_id))

        tasks = sorted(
            (TaskItem(**task) for task, _ in self._out_edges(code, "HAS_TASK")),
            key=lambda t: t.position,
        )
        education = [
            _scored(level, edge, "share_pct", "category")
            for level, edge in self._out_edges(code, "TYPICAL_EDUCATION")
            if edge["share_pct"] > 0
        ]
        view = self._require_view()
        target = view.occupations[code]
        observed = []
        for source in view.moved_into.get(code, ()):
            edge = view.pairs[_pair_key(source, code, "MOVED_TO")]
            props = view.occupations[source]
            size = idx.bls_group_size[props["bls_soc_code"]] if "bls_soc_code" in props else None
            observed.append(IncomingMove.observed({**props, "bls_group_size": size}, target, edge))
        observed.sort(key=lambda m: (-(m.share_of_movers or 0.0), m.code))
        incoming = []
        for from_code, _ in idx.move_pred.get(code, ()):
            move, other = idx.moves[(from_code, code)], idx.occupations[from_code]
            incoming.append(
                IncomingMove(
                    code=from_code,
                    title=other.title,
                    job_zone=other.job_zone,
                    kind=move.kind.value,
                    cost=move.cost,
                    reasons=list(move.reasons),
                )
            )
        labor = idx.labor.get(code)
        return RoleFacts(
            code=code,
            tasks=tasks,
            tasks_release=idx.tasks_release if tasks else None,
            interests=by_value(
                [_scored(n, e, "score") for n, e in self._out_edges(code, "HAS_INTEREST")]
            ),
            work_styles=by_value(
                [_scored(n, e, "importance") for n, e in self._out_edges(code, "HAS_WORK_STYLE")]
            ),
            work_values=by_value(
                [_scored(n, e, "extent") for n, e in self._out_edges(code, "HAS_WORK_VALUE")]
            ),
            education=sorted(education, key=lambda e: int(e.element_id)),
            incoming=observed + sorted(incoming, key=lambda m: (m.cost or 0.0, m.code)),
            bls_group_size=idx.bls_group_size[labor.bls_soc_code] if labor else None,
        )

    def list_next_step_titles(self, code: str) -> list[NextStepTitle]:
        """Titles of the occupations ``code`` has a career move to, with the move's cost;
        by code, name, source (each code's titles are kept in that order:
        :attr:`_Indexes.titles_by_code`)."""
        idx = self._require()
        titles, make = idx.titles_by_code, tuple.__new__
        return [
            make(NextStepTitle, (next_code, name, source, cost))
            for next_code, cost in sorted(idx.move_succ.get(code, ()), key=itemgetter(0))
            for name, source in titles.get(next_code, ())
        ]

    def suggest_occupations_by_code(self, code: str, limit: int = 5) -> list[OccupationSummary]:
        """Occupations sharing the longest code prefix with ``code`` (at least the SOC major
        group), by code."""
        occupations = self._require().occupations
        common = {c: _common_prefix_length(c, code) for c in occupations}
        ranked = sorted((c for c, n in common.items() if n >= 2), key=lambda c: (-common[c], c))
        return [_summary(occupations[c]) for c in ranked[:limit]]

    def close(self) -> None:
        """Nothing to release for the in-memory store."""
