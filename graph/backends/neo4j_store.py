"""Neo4j graph store: the graph in a Neo4j 5.26 server, queried over Bolt.

All Cypher lives in ``cypher/`` (one statement per file, schema files excepted) and is
read by :func:`read_cypher`; every value is passed as a parameter. Loads run
constraints and indexes first, then batched ``UNWIND $rows ... MERGE`` statements, all
inside ONE write transaction, so a load that fails part-way leaves the previous graph
untouched; at the end, nodes and relationships the load did not touch are deleted.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, LiteralString

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from careergraph.graph.backends.cypher_files import CYPHER_PACKAGE as CYPHER_PACKAGE
from careergraph.graph.backends.cypher_files import cypher_files as cypher_files
from careergraph.graph.backends.cypher_files import read_cypher as read_cypher
from careergraph.graph.cost import related_hop_cost
from careergraph.graph.deadline import check_deadline, deadline_error, remaining_s
from careergraph.graph.errors import (
    BackendMisconfiguredError,
    BackendUnavailableError,
    CareerGraphError,
    NotLoadedError,
)
from careergraph.graph.estimated_ratings import estimate_properties
from careergraph.graph.explain import (
    assemble_hop_explanation,
    describe_rating_estimates,
    shared_bls_group,
    technologies_limit,
)
from careergraph.graph.model import (
    DescriptorKind,
    DescriptorRating,
    GraphCounts,
    Occupation,
    OnetRelease,
)
from careergraph.graph.paths import (
    MAX_HOPS_LIMIT,
    RawPath,
    RouteFilters,
    SkillGap,
    best_distinct_routes,
)
from careergraph.graph.store import (
    EducationCategory,
    HopExplanation,
    IncomingMove,
    LikelyNextStep,
    LoadProgress,
    NextStep,
    NextStepTitle,
    OccupationGap,
    OccupationProfile,
    OccupationSummary,
    RelatedOccupationLink,
    RoleFacts,
    TechnologyUse,
)
from careergraph.graph.titles import (
    TitleIndex,
    TitleRecord,
    own_employment,
    resolve_title_forms,
    title_keys,
    title_records,
)

BATCH_SIZE = 5000
UNBOUNDED_COST = 10_000.0  # above any 6-hop route: the last round of the bound search
TITLE_INDEX_CHECK_S = 1.0
"""How long the title index is used before the graph's ``load_id`` is checked again, s."""


def split_statements(script: str) -> list[LiteralString]:
    """Split a schema file into statements on ``;`` line ends, dropping ``//`` comments."""
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("//")]
    parts = "\n".join(lines).split(";")
    statements: list[LiteralString] = [p.strip() for p in parts if p.strip()]
    return statements


START_COMMAND = "careergraph neo4j start"
"""The command that starts the local server, named when it is not running."""


def translate_driver_error(
    exc: Exception, uri: str, user: str, database: str, password_source: str = ""
) -> BackendUnavailableError | None:
    """Map a Neo4j driver exception about reaching or logging in to the server to a
    careergraph error with one clear line, or None for any other exception.

    Parameters
    ----------
    exc
        Raised by the driver (or the OS) while connecting, logging in or running a query.
    uri, user, database
        The connection settings, named in the messages (local CLI users fix them).
    password_source
        Where the password came from (``NEO4J_PASSWORD`` or a file), for the hint.

    Returns
    -------
    BackendUnavailableError or None
        :class:`BackendMisconfiguredError` for a wrong password, the authentication rate
        limit, a missing database or a server that does not speak Bolt 5 (retrying does not
        help); :class:`BackendUnavailableError` for a server that is not running or went
        away; None for anything else (e.g. a Cypher error, a bug).
    """
    code = getattr(exc, "code", None) or ""
    where = f" from {password_source}" if password_source else ""
    if code.endswith("Security.AuthenticationRateLimit"):
        return BackendMisconfiguredError(
            f"Neo4j refused the login of user {user!r}: too many wrong passwords in a row "
            f"(authentication rate limit); fix the password{where} and retry in a few seconds"
        )
    if isinstance(exc, AuthError):
        return BackendMisconfiguredError(
            f"Neo4j authentication failed for user {user!r} at {uri}: the password{where} is "
            "wrong; set NEO4J_PASSWORD (or NEO4J_USERNAME) to the server's, see `careergraph "
            "neo4j status` for the local server's password file"
        )
    if code.endswith("Database.DatabaseNotFound"):
        return BackendMisconfiguredError(
            f"Neo4j at {uri} has no database {database!r}: set NEO4J_DATABASE to an existing "
            "one (Neo4j Community has only 'neo4j')"
        )
    if isinstance(exc, ConfigurationError):  # e.g. UnsupportedServerProduct
        return BackendMisconfiguredError(
            f"the server at {uri} does not speak a Bolt version this driver supports: "
            "careergraph needs Neo4j 5 (check NEO4J_URI and the server's version)"
        )
    if isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
        if "looks like HTTP" in str(exc):
            return BackendMisconfiguredError(
                f"{uri} is an HTTP port, not Neo4j's Bolt port: check NEO4J_URI / "
                "NEO4J_BOLT_PORT (`careergraph neo4j status` prints the Bolt address)"
            )
        return BackendUnavailableError(
            f"Neo4j is not running at {uri} (or does not answer): start it with "
            f"`{START_COMMAND}`, or set NEO4J_URI to a running server"
        )
    if isinstance(exc, TransientError):  # e.g. the database is shutting down or starting
        return BackendUnavailableError(f"Neo4j at {uri} is not available: {exc.message}")
    if isinstance(exc, DriverError) and not isinstance(exc, Neo4jError):
        return BackendUnavailableError(f"Neo4j at {uri} cannot be used: {exc}")
    return None


def _raw_paths(rows: list[neo4j.Record]) -> list[RawPath]:
    return [RawPath(codes=r["codes"], hop_costs=[float(c) for c in r["costs"]]) for r in rows]


def _rating_row(rating: DescriptorRating) -> dict[str, Any]:
    """A ``REQUIRES_SKILL``/``REQUIRES_KNOWLEDGE`` load row; estimate fields null unless the
    value is an estimate (null removes the property)."""
    row = rating.model_dump(exclude={"kind"})
    if not rating.estimated:
        row["estimated_from"] = None
    return row


def _batches(rows: list[dict[str, Any]], size: int = BATCH_SIZE) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Neo4jStore:
    """Graph store in a Neo4j server. See :class:`graph.store.GraphStore`.

    Parameters
    ----------
    uri, user, password, database
        Bolt connection settings (e.g. ``bolt://127.0.0.1:7687``, ``neo4j``).
    query_timeout_s
        Server-side timeout of each read transaction, seconds.
    max_retry_time_s
        How long a read transaction is retried on connection loss and transient errors,
        seconds (the driver's ``max_transaction_retry_time``); after that the call raises
        BackendUnavailableError.
    connection_timeout_s
        Timeout of opening one Bolt connection, seconds.
    password_source
        Where the password came from (``NEO4J_PASSWORD`` or a file), named in the
        message of a failed login.

    Raises
    ------
    BackendUnavailableError
        From any method, when the server cannot be reached (not running: the message names
        ``careergraph neo4j start``).
    BackendMisconfiguredError
        From any method, when the login fails (wrong password, rate limit), the database
        does not exist or the server does not speak Bolt 5; see
        :func:`translate_driver_error`.
    """

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        query_timeout_s: float = 30.0,
        *,
        max_retry_time_s: float = 30.0,
        connection_timeout_s: float = 30.0,
        password_source: str = "",
    ) -> None:
        self.uri = uri
        self.user = user
        self.password_source = password_source
        self.database = database
        self.query_timeout_s = query_timeout_s
        self._loaded = False
        self._titles: tuple[str, TitleIndex] | None = None
        self._titles_checked = 0.0
        self._titles_lock = threading.Lock()
        self._driver = GraphDatabase.driver(
            uri,
            auth=(user, password),
            max_transaction_retry_time=max_retry_time_s,
            connection_timeout=connection_timeout_s,
        )

    def close(self) -> None:
        """Close the driver's connection pool."""
        self._driver.close()

    def _translated(self, exc: Exception) -> BackendUnavailableError | None:
        return translate_driver_error(exc, self.uri, self.user, self.database, self.password_source)

    @contextmanager
    def _driver_errors(self) -> Iterator[None]:
        """Re-raise the driver's connection, login and configuration errors as careergraph
        errors (:func:`translate_driver_error`); anything else unchanged."""
        try:
            yield
        except Exception as exc:
            error = self._translated(exc)
            if error is None:
                raise
            raise error from exc

    def verify(self) -> None:
        """Check the server answers over Bolt, accepts the login and has the database, in
        one quick round trip (no retries: a server that is not running fails at once).

        Raises
        ------
        BackendUnavailableError, BackendMisconfiguredError
            See :func:`translate_driver_error`.
        """
        with self._driver_errors(), self._driver.session(database=self.database) as session:
            session.run("RETURN 1").consume()

    def _read(self, name: str, **params: Any) -> list[neo4j.Record]:
        query = read_cypher(name)
        # within a request deadline (graph.deadline), the server stops the query when the
        # request's time is up instead of after the store's own timeout
        left = remaining_s()
        if left is not None and left <= 0:
            raise deadline_error(f"Neo4j query {name}")
        timeout = self.query_timeout_s if left is None else min(self.query_timeout_s, left)

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: ManagedTransaction) -> list[neo4j.Record]:
            check_deadline(f"Neo4j query {name}")  # a retry after the deadline stops here
            return list(tx.run(query, params))

        try:
            with self._driver.session(database=self.database, default_access_mode="READ") as s:
                return s.execute_read(work)
        except Exception as exc:
            if "TransactionTimedOut" in (getattr(exc, "code", None) or ""):
                if left is not None and left < self.query_timeout_s:
                    raise deadline_error(f"Neo4j query {name}") from exc
                raise BackendUnavailableError(
                    f"Neo4j query {name} exceeded the {self.query_timeout_s:g} s timeout",
                    public_message=f"the query took longer than {self.query_timeout_s:g} s",
                ) from exc
            error = self._translated(exc)
            if error is None:
                raise
            raise error from exc

    # -- loading -----------------------------------------------------------------
    def apply_schema(self) -> None:
        """Create constraints, then indexes (idempotent: IF NOT EXISTS)."""
        with self._driver_errors(), self._driver.session(database=self.database) as session:
            for name in ("schema/01_constraints", "schema/02_indexes"):
                for statement in split_statements(read_cypher(name)):
                    session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()

    @staticmethod
    def _load_steps(release: OnetRelease) -> list[tuple[str, list[dict[str, Any]]]]:
        kinds = DescriptorKind
        # what Cypher needs to resolve a typed title as graph.titles does (Browser queries)
        lookup = resolve_title_forms(
            TitleIndex(title_records(release)), {t.name for t in release.titles}
        )
        return [
            (
                "load/occupations",
                [
                    o.model_dump() | {"soc_major_group": o.soc_major_group}
                    for o in release.occupations
                ],
            ),
            (
                "load/skills",
                [
                    d.model_dump(exclude={"kind"})
                    for d in release.descriptors
                    if d.kind is kinds.SKILL
                ],
            ),
            (
                "load/knowledge",
                [
                    d.model_dump(exclude={"kind"})
                    for d in release.descriptors
                    if d.kind is kinds.KNOWLEDGE
                ],
            ),
            ("load/education_levels", [e.model_dump() for e in release.education_levels]),
            ("load/interests", [i.model_dump() for i in release.interests]),
            ("load/work_styles", [w.model_dump() for w in release.work_styles]),
            ("load/work_values", [w.model_dump() for w in release.work_values]),
            (
                "load/titles",
                [
                    {
                        "name": t.name,
                        "name_key": keys[0],
                        "alias_key": keys[1],
                        "abbrev_key": keys[2],
                        "code": t.code,
                        "source": t.source.value,
                        "onet_sources": list(t.onet_sources),
                        "shown_in_my_next_move": t.shown_in_my_next_move,
                        "lookup_keys": list(lookup[t.name]),
                        "lookup_codes": list(lookup[t.name].values()),
                    }
                    for t in release.titles
                    for keys in [title_keys(t.name)]
                ],
            ),
            (
                "load/related_to",
                [
                    {
                        "code": r.code,
                        "related_code": r.related_code,
                        "tier": r.tier.value,
                        "rank": r.rank,
                        "cost": related_hop_cost(r.tier, r.rank),
                    }
                    for r in release.related
                ],
            ),
            (
                "load/requires_skill",
                [_rating_row(r) for r in release.ratings if r.kind is kinds.SKILL],
            ),
            (
                "load/requires_knowledge",
                [_rating_row(r) for r in release.ratings if r.kind is kinds.KNOWLEDGE],
            ),
            (
                "load/next_step_distributions",
                [
                    {
                        "code": d.code,
                        "next_step_codes": d.next_codes,
                        "next_step_probabilities": d.probabilities,
                    }
                    for d in release.career.next_step_distributions
                ],
            ),
            (
                "load/occupation_estimates",
                [{"code": c} | p for c, p in estimate_properties(release.ratings).items()],
            ),
            ("load/technologies", [t.model_dump() for t in release.technologies]),
            ("load/typical_education", [e.model_dump() for e in release.education_shares]),
            ("load/has_interest", [s.model_dump() for s in release.interest_scores]),
            ("load/has_work_style", [w.model_dump() for w in release.work_style_ratings]),
            ("load/has_work_value", [w.model_dump() for w in release.work_value_scores]),
            (
                "load/tasks",
                [
                    t.model_dump(mode="json") | {"release": release.career.tasks_release}
                    for t in release.career.tasks
                ],
            ),
            (
                "load/occupation_labor_market",
                [f.model_dump() for f in release.career.labor_market],
            ),
            ("load/similar_to", [s.model_dump() for s in release.career.similarities]),
            ("load/leads_to", [m.model_dump(mode="json") for m in release.career.moves]),
            ("load/moved_to", [m.model_dump() for m in release.career.observed_moves]),
        ]

    def load(self, release: OnetRelease, progress: LoadProgress | None = None) -> GraphCounts:
        """Replace the graph with ``release`` in one transaction; returns the new counts.

        Raises
        ------
        BackendUnavailableError
            Server unreachable; the transaction is rolled back and the previous graph
            stays as it was.
        """
        self.apply_schema()
        steps = self._load_steps(release)
        total = sum(len(rows) for _, rows in steps)
        load_id = uuid.uuid4().hex
        loaded_at = datetime.now(UTC).isoformat()

        def work(tx: ManagedTransaction) -> None:
            done = 0
            for name, rows in steps:
                query = read_cypher(name)
                for batch in _batches(rows):
                    tx.run(query, rows=batch, load_id=load_id).consume()
                    done += len(batch)
                    if progress is not None:
                        progress(name.removeprefix("load/"), done, total)
            tx.run(read_cypher("load/delete_stale_relationships"), load_id=load_id).consume()
            tx.run(read_cypher("load/delete_stale_nodes"), load_id=load_id).consume()
            # after the stale hops are gone: the cost bounds the route queries prune with
            tx.run(read_cypher("load/route_bounds")).consume()
            tx.run(
                read_cypher("load/graph_release"),
                release=release.release,
                load_id=load_id,
                loaded_at=loaded_at,
                table_rows=json.dumps(release.table_rows, sort_keys=True),
            ).consume()

        try:
            with self._driver.session(database=self.database) as session:
                session.execute_write(work)
            with self._titles_lock:
                self._titles_checked = 0.0
        except Exception as exc:
            error = self._translated(exc)
            if error is not None:
                raise error from exc
            if isinstance(exc, Neo4jError):
                raise CareerGraphError(
                    "load failed and was rolled back; the previous graph is unchanged: "
                    f"{exc.message}"
                ) from exc
            raise
        return self.counts()

    # -- queries -----------------------------------------------------------------
    def counts(self) -> GraphCounts:
        """Node counts per label and relationship counts per type (metadata excluded)."""
        nodes = {r["label"]: r["count"] for r in self._read("queries/count_nodes_by_label")}
        rels = {r["type"]: r["count"] for r in self._read("queries/count_relationships_by_type")}
        return GraphCounts(nodes=nodes, relationships=rels)

    def loaded_release(self) -> str | None:
        """Release label stored by the last load, or None."""
        rows = self._read("queries/loaded_release")
        return str(rows[0]["release"]) if rows else None

    def loaded_table_rows(self) -> dict[str, int] | None:
        """Source-table row counts stored by the last load (``GraphRelease.table_rows``), or
        None (empty graph, or loaded before the counts were recorded)."""
        rows = self._read("queries/loaded_release")
        if not rows or not rows[0]["table_rows"]:
            return None
        counts: dict[str, int] = json.loads(rows[0]["table_rows"])
        return counts

    def _require_loaded(self) -> None:
        """Raise NotLoadedError unless a release is loaded (a positive answer is kept:
        graphs are replaced, never emptied, by ``load``)."""
        if self._loaded:
            return
        if self.loaded_release() is None:
            raise NotLoadedError("the Neo4j graph is empty: run `careergraph load --backend neo4j`")
        self._loaded = True

    def get_occupation(self, code: str) -> Occupation | None:
        """Occupation by O*NET-SOC code, or None."""
        rows = self._read("queries/occupation_by_code", code=code)
        if not rows:
            return None
        return Occupation(**rows[0].data())

    def title_index(self) -> TitleIndex:
        """The loaded graph's title index (:mod:`graph.titles`), built from
        ``queries/title_records`` (~65k records for O*NET 29.3, a few seconds) and kept
        until the graph's ``load_id`` changes; that is checked (one round trip) at most
        every :data:`TITLE_INDEX_CHECK_S` seconds, and a load from this store resets it.

        Raises
        ------
        NotLoadedError
            The graph is empty.
        """
        with self._titles_lock:
            since = time.monotonic() - self._titles_checked
            if self._titles is not None and since < TITLE_INDEX_CHECK_S:
                return self._titles[1]
            rows = self._read("queries/loaded_release")
            if not rows:
                raise NotLoadedError(
                    "the Neo4j graph is empty: run `careergraph load --backend neo4j`"
                )
            load_id = str(rows[0]["load_id"])
            if self._titles is None or self._titles[0] != load_id:
                self._titles = (load_id, TitleIndex(self._title_records()))
            self._titles_checked = time.monotonic()
            return self._titles[1]

    def _title_records(self) -> list[TitleRecord]:
        """Every TITLE_OF edge as a :class:`graph.titles.TitleRecord`."""
        row = self._read("queries/title_records")[0]
        occupations = {code: (title, emp, agg) for code, title, emp, agg in row["occupations"]}
        records = []
        for title, code, source, onet_sources, shown in zip(
            row["titles"],
            row["codes"],
            row["sources"],
            row["onet_sources"],
            row["shown"],
            strict=True,
        ):
            occupation_title, employment, is_aggregate = occupations[code]
            records.append(
                TitleRecord(
                    title=title,
                    code=code,
                    source=source,
                    occupation_title=occupation_title,
                    onet_sources=tuple(onet_sources),
                    shown_in_my_next_move=shown,
                    own_employment_thousands=own_employment(code, employment, is_aggregate),
                )
            )
        return records

    def find_k_cheapest_paths(
        self,
        sources: Sequence[str],
        targets: Sequence[str],
        k: int,
        max_hops: int,
        filters: RouteFilters | None = None,
    ) -> list[RawPath]:
        """k cheapest distinct loop-free routes, computed in the database.

        Routes of up to 4 hops come from ``cypher/queries/k_cheapest_moves.cypher``
        (``LEADS_TO``) or ``k_cheapest_routes.cypher`` (``RELATED_TO``): a meet-in-the-middle
        join whose 4-hop half is pruned by the k-th cost of the routes of up to 3 hops and
        the per-occupation bounds of ``load/route_bounds.cypher``, one query and one round
        trip; it returns the best ``6 k + 6`` paths (or fewer, where the others cannot be
        among the k best); here they are ordered by
        :func:`graph.paths.path_sort_key` and one path per :func:`graph.paths.route_key` is
        kept, as in the memory backend. For ``max_hops`` 5-6 a second, cost-bounded phase
        adds longer routes (``k_cheapest_long_routes.cypher``). Every query runs under the
        request deadline (:mod:`graph.deadline`) and the store's query timeout.

        Raises
        ------
        CareerGraphError
            ``k`` < 1 or ``max_hops`` outside 1..6.
        DeadlineExceededError
            The request deadline passed.
        """
        if k < 1:
            raise CareerGraphError(f"k must be >= 1, got {k}")
        if not 1 <= max_hops <= MAX_HOPS_LIMIT:
            raise CareerGraphError(f"max_hops must be within 1..{MAX_HOPS_LIMIT}, got {max_hops}")
        self._require_loaded()
        f = filters or RouteFilters()
        moves = f.relationship == "LEADS_TO"
        node_filters = {
            "min_growth_pct": f.min_growth_pct,
            "via": f.via,
            "exclude": list(f.exclude),
        }
        edge_filters = {
            "only_advancement": f.only_advancement and moves,
            "max_wage_drop_pct": f.max_wage_drop_pct if moves else None,
        }
        common = {"sources": list(sources), "targets": list(targets), **node_filters}
        short_query = "queries/k_cheapest_moves" if moves else "queries/k_cheapest_routes"
        short_params = {**common, **(edge_filters if moves else {})}
        rows = self._read(
            short_query, max_hops=min(max_hops, 4), k=k, candidates=6 * k + 6, **short_params
        )
        short = best_distinct_routes(_raw_paths(rows), k)
        if max_hops <= 4:
            return short
        return self._find_long_routes(short, k, max_hops, f.relationship, common, edge_filters)

    def _find_long_routes(
        self,
        short: list[RawPath],
        k: int,
        max_hops: int,
        relationship: str,
        common: dict[str, Any],
        edge_filters: dict[str, Any],
    ) -> list[RawPath]:
        """Add routes of 5-6 hops to the ``short`` ones (k best of up to 4 hops).

        The bound is the k-th cost of the short routes; with fewer than k of them it starts
        at twice the last one (or 100) and doubles until the k-th merged route is within
        it, so the answer is exactly the k best (same contract as the memory backend).
        """
        min_edge = self._read("queries/min_hop_cost", relationship=relationship)[0]["min_cost"]
        bound = short[k - 1].cost if len(short) >= k else (2 * short[-1].cost if short else 100.0)
        while True:
            long = _raw_paths(
                self._read(
                    "queries/k_cheapest_long_routes",
                    relationship=relationship,
                    k=k,
                    max_hops=max_hops,
                    bound=bound,
                    min_edge_cost=float(min_edge or 0.0),
                    **common,
                    **edge_filters,
                )
            )
            merged = best_distinct_routes(short + long, k)
            exact = len(short) >= k or (len(merged) >= k and merged[k - 1].cost <= bound)
            if exact or bound > UNBOUNDED_COST:
                return merged
            bound *= 2

    def explain_hop(
        self, from_code: str, to_code: str, limit: int = 5, relationship: str = "LEADS_TO"
    ) -> HopExplanation:
        """Explanation of one hop; see :meth:`explain_hops`."""
        return self.explain_hops([(from_code, to_code)], limit, relationship)[0]

    def explain_hops(
        self, pairs: Sequence[tuple[str, str]], limit: int = 5, relationship: str = "LEADS_TO"
    ) -> list[HopExplanation]:
        """Explanations of several hops in one round trip
        (``cypher/queries/explain_hop.cypher``), assembled by
        :func:`graph.explain.assemble_hop_explanation` (same arithmetic as networkx).

        Raises
        ------
        KeyError
            A pair is joined by neither a RELATED_TO nor a LEADS_TO edge.
        """
        if not pairs:
            return []
        rows = self._read(
            "queries/explain_hop",
            pairs=[list(p) for p in pairs],
            limit=limit,
            technologies_limit=technologies_limit(limit),
        )
        by_index = {row["i"]: row for row in rows}

        def gaps(items: list[dict[str, Any]], kind: str) -> list[SkillGap]:
            return [SkillGap(kind=kind, **item) for item in items]

        def category(value: dict[str, Any] | None) -> EducationCategory | None:
            return EducationCategory(**value) if value else None

        out: list[HopExplanation] = []
        for i, (a, b) in enumerate(pairs):
            row = by_index.get(i)
            if row is None:
                raise KeyError(f"no RELATED_TO or LEADS_TO edge {a} -> {b}")
            out.append(
                assemble_hop_explanation(
                    a=row["a"],
                    b=row["b"],
                    related=row["related"],
                    move=row["move"],
                    relationship=relationship,
                    observed=row["observed"],
                    skills=gaps(row["skills"], "skill"),
                    knowledge=gaps(row["knowledge"], "knowledge"),
                    technologies=row["technologies"],
                    from_rl=category(row["from_rl"]),
                    to_rl=category(row["to_rl"]),
                )
            )
        return out

    def get_occupation_profile(self, code: str, limit: int = 10) -> OccupationProfile | None:
        """Top skills/knowledge, hot technologies and education shares, from Cypher
        (``cypher/queries/occupation_details.cypher``)."""
        rows = self._read("queries/occupation_details", code=code, limit=limit)
        if not rows:
            return None
        data = rows[0].data()
        estimates = data.pop("estimates")
        return OccupationProfile(**data, estimated_ratings=describe_rating_estimates(estimates))

    def list_related_occupations(self, code: str) -> list[RelatedOccupationLink]:
        """O*NET related occupations of ``code``, by rank."""
        rows = self._read("queries/related_occupations", code=code)
        return [RelatedOccupationLink(**r.data()) for r in rows]

    def list_next_steps(self, code: str) -> list[NextStep]:
        """Career moves (``LEADS_TO``) out of ``code``, by cost
        (``cypher/queries/leads_to_moves.cypher``)."""
        rows = self._read("queries/leads_to_moves", code=code)
        steps = []
        for row in rows:
            data = row.data()
            source, target = data.pop("source_bls"), data.pop("target_bls")
            same_group = shared_bls_group(source, target)
            if same_group:
                data["wage_delta_pct"] = None
            steps.append(
                NextStep(**data, figures_for=target.get("figures_for"), same_bls_group=same_group)
            )
        return steps

    def rank_likely_next_steps(self, code: str, limit: int) -> list[LikelyNextStep]:
        """The ``limit`` most likely next occupations of ``code``
        (``cypher/queries/likely_next_steps.cypher``)."""
        rows = self._read("queries/likely_next_steps", code=code, limit=limit)
        return [LikelyNextStep(**row.data()) for row in rows]

    def get_occupation_gap(
        self, from_code: str, to_code: str, limit: int = 10
    ) -> OccupationGap | None:
        """Skill, knowledge and technology gap, from Cypher
        (``cypher/queries/occupation_gap.cypher``)."""
        rows = self._read(
            "queries/occupation_gap",
            from_code=from_code,
            to_code=to_code,
            limit=limit,
            technologies_limit=technologies_limit(limit),
        )
        if not rows:
            return None
        row = rows[0]
        a_zone, b_zone = row["from_job_zone"], row["to_job_zone"]
        return OccupationGap(
            source=OccupationSummary(
                code=row["from_code"], title=row["from_title"], job_zone=a_zone
            ),
            target=OccupationSummary(code=row["to_code"], title=row["to_title"], job_zone=b_zone),
            job_zone_change=None if a_zone is None or b_zone is None else b_zone - a_zone,
            skills_to_gain=[SkillGap(kind="skill", **item) for item in row["skills"]],
            knowledge_to_gain=[SkillGap(kind="knowledge", **item) for item in row["knowledge"]],
            technologies_to_learn=[TechnologyUse(**item) for item in row["technologies"]],
            technologies_to_learn_count=row["technology_count"],
            shared_technology_count=row["shared_technology_count"],
            estimated_ratings=describe_rating_estimates(row["from_estimates"])
            + describe_rating_estimates(row["to_estimates"]),
        )

    def get_role_facts(self, code: str) -> RoleFacts | None:
        """Tasks, interests, work styles and values, education shares, the career moves
        into ``code`` and its BLS group size, from Cypher
        (``cypher/queries/role_facts.cypher``)."""
        rows = self._read("queries/role_facts", code=code)
        if not rows:
            return None
        row = rows[0].data()
        target = {"code": row["code"], "title": row.pop("title"), "job_zone": row.pop("job_zone")}
        observed = [
            IncomingMove.observed(item["source"], target, item["properties"])
            for item in row.pop("observed")
        ]
        return RoleFacts(**{**row, "incoming": observed + row["incoming"]})

    def list_next_step_titles(self, code: str) -> list[NextStepTitle]:
        """Titles of the occupations ``code`` has a career move to, with the move's cost
        (``cypher/queries/next_step_titles.cypher``); by code, name, source."""
        rows = self._read("queries/next_step_titles", code=code)
        return [NextStepTitle(**r.data()) for r in rows]

    def suggest_occupations_by_code(self, code: str, limit: int = 5) -> list[OccupationSummary]:
        """Occupations sharing the longest code prefix with ``code`` (at least the SOC major
        group), by code."""
        rows = self._read("queries/occupations_by_code_prefix", code=code, limit=limit)
        return [
            OccupationSummary(code=r["code"], title=r["title"], job_zone=r["job_zone"])
            for r in rows
        ]
