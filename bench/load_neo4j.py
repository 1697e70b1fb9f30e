"""Loading the full graph into Neo4j: our loader vs a naive loader vs ``neo4j-admin import``.

Run:  .venv/bin/python -m bench.load_neo4j [--naive-fraction 0.03] [--seed 6] [--no-import]

The data is the full release ``careergraph load`` writes (:func:`loaders.pipeline.read_release`:
O*NET 29.3 + BLS + Career Changers + derived ``SIMILAR_TO``/``LEADS_TO``), read once and
not timed (reading is reported separately). Three ways to write it, in one run, into the
server at ``NEO4J_URI`` (**its graph is replaced**; it ends loaded by our loader):

1. **ours**: :meth:`Neo4jStore.load` (constraints and indexes, then batched ``UNWIND $rows
   ... MERGE`` statements of 5,000 rows, all in one transaction, then stale data deleted):
   into an empty database (no data, no schema), then again over the loaded graph (a
   reload, as when a new release replaces the old one). Each once.
2. **naive**: the same MERGE statements with one row each, one transaction per row
   (``session.execute_write`` per row), with the constraints in place. The node tables
   (1,124 rows) are loaded in full, every other table as a fixed random sample
   (``--naive-fraction``, seeded); each table's time is extrapolated linearly to its full
   row count.
3. **neo4j-admin database import full**: the same nodes, relationships and properties
   written to CSV (timed separately), imported into a throw-away database home (the
   server's jars, an empty ``data/``); the tool's wall time includes its JVM start. Then
   that home is started once to build the same constraints and indexes
   (:meth:`Neo4jStore.apply_schema`, timed), to check the counts, and is deleted.

Rows/s counts graph entities: nodes + relationships of the loaded graph.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction

from bench.common import (
    Report,
    argument_parser,
    fmt,
    free_port,
    neo4j_store,
    read_and_cache_release,
    timed,
)
from careergraph.api.settings import PASSWORD_FILE_NAME, REPO_ROOT, Settings
from careergraph.graph.backends.neo4j_store import Neo4jStore, read_cypher
from careergraph.graph.model import GraphCounts, OnetRelease

NODE_STEPS = {
    "load/occupations",
    "load/skills",
    "load/knowledge",
    "load/education_levels",
    "load/interests",
    "load/work_styles",
    "load/work_values",
}
"""Steps the naive loader runs in full: the relationship rows MATCH their nodes."""


# -- helpers on the server ---------------------------------------------------------------
def wipe_database(store: Neo4jStore, *, drop_schema: bool) -> float:
    """Delete every node and relationship (in batches), optionally every constraint and
    index too; returns the seconds taken."""
    start = time.perf_counter()
    driver = store._driver
    with driver.session(database=store.database) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        if drop_schema:
            for record in list(session.run("SHOW CONSTRAINTS YIELD name")):
                name = record["name"].replace("`", "``")
                session.run(f"DROP CONSTRAINT `{name}` IF EXISTS").consume()
            indexes = session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")
            for record in list(indexes):
                name = record["name"].replace("`", "``")
                session.run(f"DROP INDEX `{name}` IF EXISTS").consume()
    return time.perf_counter() - start


def property_count(store: Neo4jStore) -> int:
    """Properties on all nodes and relationships (to compare two loads of the same data)."""
    with store._driver.session(database=store.database) as session:
        nodes = session.run("MATCH (n) RETURN sum(size(keys(n))) AS n").single(strict=True)
        rels = session.run("MATCH ()-[r]->() RETURN sum(size(keys(r))) AS n").single(strict=True)
    return int(nodes["n"]) + int(rels["n"])


def entity_count(counts: GraphCounts) -> int:
    """Nodes + relationships."""
    return sum(counts.nodes.values()) + sum(counts.relationships.values())


# -- 1. our loader ------------------------------------------------------------------------
def run_our_loader(store: Neo4jStore, release: OnetRelease) -> dict[str, Any]:
    """:meth:`Neo4jStore.load` with the end time of every step (from its progress
    callback); returns total seconds, per-step seconds and the counts."""
    ends: dict[str, float] = {}

    def progress(step: str, done: int, total: int) -> None:
        ends[step] = time.perf_counter()

    start = time.perf_counter()
    counts = store.load(release, progress)
    total = time.perf_counter() - start
    steps: dict[str, float] = {}
    previous = start
    for step, end in ends.items():
        steps[step] = round(end - previous, 3)
        previous = end
    steps["delete stale data, commit, count"] = round(start + total - previous, 3)
    return {"seconds": round(total, 3), "steps_s": steps, "counts": counts.model_dump()}


# -- 2. naive loader ---------------------------------------------------------------------
def run_naive_loader(
    store: Neo4jStore, release: OnetRelease, fraction: float, seed: int
) -> dict[str, Any]:
    """One MERGE statement and one transaction per row, on a sample of every table but
    the node tables; per-table times extrapolated linearly to all rows."""
    rng = random.Random(seed)
    load_id = uuid.uuid4().hex
    store.apply_schema()
    tables: dict[str, dict[str, float]] = {}
    with store._driver.session(database=store.database) as session:
        for name, rows in Neo4jStore._load_steps(release):
            if not rows:
                continue
            query = read_cypher(name)
            if name in NODE_STEPS:
                sample = rows
            else:
                sample = rng.sample(rows, max(1, round(len(rows) * fraction)))
            start = time.perf_counter()
            for row in sample:

                def work(
                    tx: ManagedTransaction, row: dict[str, Any] = row, query: str = query
                ) -> None:
                    tx.run(query, rows=[row], load_id=load_id).consume()

                session.execute_write(work)
            seconds = time.perf_counter() - start
            tables[name.removeprefix("load/")] = {
                "rows": len(rows),
                "sampled": len(sample),
                "sample_s": round(seconds, 3),
                "ms_per_row": round(seconds / len(sample) * 1e3, 3),
                "extrapolated_s": round(seconds / len(sample) * len(rows), 1),
            }
    return {
        "tables": tables,
        "sampled_rows": sum(int(t["sampled"]) for t in tables.values()),
        "rows": sum(int(t["rows"]) for t in tables.values()),
        "measured_s": round(sum(t["sample_s"] for t in tables.values()), 1),
        "extrapolated_s": round(sum(t["extrapolated_s"] for t in tables.values()), 1),
    }


# -- 3. neo4j-admin import ---------------------------------------------------------------
def _cell(value: object) -> str:
    """One CSV field for neo4j-admin: None unquoted and empty (no property), strings
    quoted (so "" stays an empty string), lists joined with ';', booleans lower case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return '"' + ";".join(str(v).replace('"', '""') for v in value) + '"'
    return '"' + str(value).replace('"', '""') + '"'


def _column_type(values: Iterable[object]) -> str:
    """neo4j-admin type suffix of a column from its non-null Python values."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds or kinds == {str}:
        return ""
    if kinds == {bool}:
        return ":boolean"
    if kinds == {int}:
        return ":long"
    if kinds <= {int, float}:
        return ":double"
    if kinds == {list}:
        return ":string[]"
    raise ValueError(f"cannot type a CSV column holding {kinds}")


# Where each load step's rows go. Node tables (label, id column) keep every column.
# Relationship tables: (type, start (label, column), end (label, column), the properties
# the step's Cypher sets, in its SET order). Steps that add properties to existing
# Occupation nodes are merged into the Occupation rows; steps that also create nodes list
# them in _NODES_FROM_RELATIONSHIP_ROWS. A step missing here stops write_import_csv.
_NODE_TABLES = {
    "load/occupations": ("Occupation", "code"),
    "load/skills": ("Skill", "element_id"),
    "load/knowledge": ("Knowledge", "element_id"),
    "load/education_levels": ("EducationLevel", "category"),
    "load/interests": ("Interest", "element_id"),
    "load/work_styles": ("WorkStyle", "element_id"),
    "load/work_values": ("WorkValue", "element_id"),
}
_OCCUPATION_PROPERTY_STEPS = (
    "load/occupation_labor_market",
    "load/occupation_estimates",
    "load/next_step_distributions",
)
"""Steps that ``SET o += row {...}`` on Occupation nodes (every column but ``code``)."""
_ROUTE_BOUND_STEPS = {
    "leads_to": ("load/leads_to", "next_code"),
    "related_to": ("load/related_to", "related_code"),
}
"""Relationship steps whose cheapest cost into and out of each occupation the loader stores
after the data (``load/route_bounds.cypher``: ``<name>_min_in_cost``, ``<name>_min_out_cost``)."""
_ESTIMATE = ("estimated_from", "estimate_source")
_RELATIONSHIP_TABLES: dict[str, tuple[str, tuple[str, str], tuple[str, str], tuple[str, ...]]] = {
    "load/titles": (
        "TITLE_OF",
        ("Title", "name"),
        ("Occupation", "code"),
        ("source", "onet_sources", "shown_in_my_next_move"),
    ),
    "load/related_to": (
        "RELATED_TO",
        ("Occupation", "code"),
        ("Occupation", "related_code"),
        ("tier", "rank", "cost"),
    ),
    "load/requires_skill": (
        "REQUIRES_SKILL",
        ("Occupation", "code"),
        ("Skill", "element_id"),
        ("importance", "level", *_ESTIMATE),
    ),
    "load/requires_knowledge": (
        "REQUIRES_KNOWLEDGE",
        ("Occupation", "code"),
        ("Knowledge", "element_id"),
        ("importance", "level", *_ESTIMATE),
    ),
    "load/technologies": (
        "USES_TECHNOLOGY",
        ("Occupation", "code"),
        ("Technology", "name"),
        ("hot", "in_demand", "commodity_code"),
    ),
    "load/typical_education": (
        "TYPICAL_EDUCATION",
        ("Occupation", "code"),
        ("EducationLevel", "category"),
        ("share_pct", *_ESTIMATE),
    ),
    "load/has_interest": (
        "HAS_INTEREST",
        ("Occupation", "code"),
        ("Interest", "element_id"),
        ("score", *_ESTIMATE),
    ),
    "load/has_work_style": (
        "HAS_WORK_STYLE",
        ("Occupation", "code"),
        ("WorkStyle", "element_id"),
        ("importance", *_ESTIMATE),
    ),
    "load/has_work_value": (
        "HAS_WORK_VALUE",
        ("Occupation", "code"),
        ("WorkValue", "element_id"),
        ("extent", *_ESTIMATE),
    ),
    "load/tasks": ("HAS_TASK", ("Occupation", "code"), ("Task", "task_id"), ()),
    "load/similar_to": (
        "SIMILAR_TO",
        ("Occupation", "code"),
        ("Occupation", "other_code"),
        ("score", "coverage", "shortfall"),
    ),
    "load/leads_to": (
        "LEADS_TO",
        ("Occupation", "code"),
        ("Occupation", "next_code"),
        (
            "kind",
            "cost",
            "probability",
            "related_tier",
            "related_rank",
            "reverse_tier",
            "reverse_rank",
            "career_changers_rank",
            "ladder",
            "observed_share",
            "similarity",
            "skill_shortfall",
            "job_zone_delta",
            "education_delta",
            "wage_delta_usd",
            "wage_delta_pct",
            "reasons",
        ),
    ),
    "load/moved_to": (
        "MOVED_TO",
        ("Occupation", "code"),
        ("Occupation", "next_code"),
        (
            "share_of_movers",
            "rank",
            "source",
            "from_oes_codes",
            "to_oes_codes",
            "estimated",
            "from_group_title",
            "to_group_title",
        ),
    ),
}
_EMPTY_LIST_IS_NULL = {
    "load/typical_education",
    "load/has_interest",
    "load/has_work_style",
    "load/has_work_value",
}
"""Steps whose Cypher stores an empty ``estimated_from`` list as no property."""
_NODES_FROM_RELATIONSHIP_ROWS = {
    # step: (label, id column, node property columns); the Cypher adds name_lower to titles
    "load/titles": (
        "Title",
        "name",
        ("name", "name_key", "alias_key", "abbrev_key", "lookup_keys", "lookup_codes"),
    ),
    "load/technologies": ("Technology", "name", ("name", "commodity_code", "commodity_title")),
    "load/tasks": (
        "Task",
        "task_id",
        ("task_id", "statement", "task_type", "incumbents_responding", "position", "release"),
    ),
}


class CsvWriter:
    """Writes neo4j-admin node and relationship files and collects the import options."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.arguments: list[str] = []
        self.multiline = False
        self.rows = 0
        self.empty_lists = 0
        """Empty list values written: our loader stores them, neo4j-admin cannot (an empty
        array field is no property), so the import holds that many properties fewer."""

    def write(
        self,
        kind: str,
        name: str,
        id_spaces: Sequence[str],
        rows: Sequence[dict[str, object]],
        types: dict[str, str] | None = None,
    ) -> None:
        """Write ``<name>.csv`` from dict rows whose first ``len(id_spaces)`` keys are the
        id columns (``:ID(label)``, or ``:START_ID``/``:END_ID``), the rest properties
        (typed from the values unless ``types`` names the column's type; None leaves the
        property out), and add the
        ``--nodes=`` / ``--relationships=`` option."""
        columns = list(dict.fromkeys(c for row in rows for c in row))  # missing = None
        roles = [":ID"] if kind == "nodes" else [":START_ID", ":END_ID"]
        header = [f"{role}({space})" for role, space in zip(roles, id_spaces, strict=True)]
        header += [
            c + (types or {}).get(c, _column_type(r.get(c) for r in rows))
            for c in columns[len(roles) :]
        ]
        path = self.folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(",".join(header) + "\n")
            for row in rows:
                line = ",".join(_cell(row.get(c)) for c in columns)
                self.empty_lists += sum(row.get(c) == [] for c in columns[len(roles) :])
                self.multiline = self.multiline or "\n" in line or "\r" in line
                handle.write(line + "\n")
                self.rows += 1
        self.arguments.append(f"--{kind}={name}={path}")


def write_import_csv(release: OnetRelease, folder: Path) -> CsvWriter:
    """The graph our loader writes, as neo4j-admin CSV files in ``folder``, made from the
    very rows :meth:`Neo4jStore.load` sends: the same labels, relationship types and
    properties (``load_id`` too; the property lists follow the ``SET`` of each step's
    Cypher), one ID space per label. Where the loader's Cypher computes a value
    (``Title.name_lower``, an empty ``estimated_from`` list dropped), so does this.

    Raises
    ------
    ValueError
        A load step has no CSV mapping here (a new step was added to the loader).
    """
    load_id = uuid.uuid4().hex
    steps = dict(Neo4jStore._load_steps(release))
    out = CsvWriter(folder)
    occupation_extra: dict[object, dict[str, object]] = {}
    for step in _OCCUPATION_PROPERTY_STEPS:
        for row in steps.pop(step):
            extra = occupation_extra.setdefault(row["code"], {})
            extra.update({k: v for k, v in row.items() if k != "code"})
    bounds: dict[tuple[object, str], float] = {}  # load/route_bounds.cypher
    for name, (step, target) in _ROUTE_BOUND_STEPS.items():
        for row in steps[step]:
            for code, end in ((row["code"], "out"), (row[target], "in")):
                key_ = (code, f"{name}_min_{end}_cost")
                bounds[key_] = min(float(row["cost"]), bounds.get(key_, float("inf")))
    for (code, prop), cost in bounds.items():
        occupation_extra.setdefault(code, {})[prop] = cost
    for step, (label, key) in _NODE_TABLES.items():
        rows = []
        for row in steps.pop(step):
            extra = occupation_extra.get(row[key], {}) if label == "Occupation" else {}
            rows.append({"id": row[key], **row, **extra, "load_id": load_id})
        out.write("nodes", label, [label], rows)
    for step, (label, key, columns) in _NODES_FROM_RELATIONSHIP_ROWS.items():
        nodes: dict[object, dict[str, object]] = {}
        for row in steps[step]:  # the last row of a name wins, as with SET
            nodes[row[key]] = {"id": row[key], **{c: row[c] for c in columns}}
            if label == "Title":
                nodes[row[key]]["name_lower"] = str(row["name"]).lower()
            nodes[row[key]]["load_id"] = load_id
        out.write("nodes", label, [label], list(nodes.values()))
    out.write(
        "nodes",
        "GraphRelease",
        ["GraphRelease"],
        [
            {
                "id": "onet",
                "key": "onet",
                "release": release.release,
                "loaded_at": datetime.now(UTC).isoformat(),
                "load_id": load_id,
                "table_rows": json.dumps(release.table_rows, sort_keys=True),
            }
        ],
        types={"loaded_at": ":datetime"},
    )
    for step, (
        rel_type,
        (start_label, start),
        (end_label, end),
        properties,
    ) in _RELATIONSHIP_TABLES.items():
        empty_is_null = step in _EMPTY_LIST_IS_NULL
        rows = [
            {
                "start": row[start],
                "end": row[end],
                **{k: None if empty_is_null and row[k] == [] else row[k] for k in properties},
                "load_id": load_id,
            }
            for row in steps.pop(step)
        ]
        out.write("relationships", rel_type, [start_label, end_label], rows)
    if steps:
        raise ValueError(f"load steps without a CSV mapping: {sorted(steps)}")
    return out


def neo4j_install_home() -> Path:
    """The Neo4j install whose jars the import uses: ``CAREERGRAPH_NEO4J_HOME`` or
    ``<repo>/.neo4j`` (``scripts/neo4j install`` puts them there)."""
    return Path(os.environ.get("CAREERGRAPH_NEO4J_HOME", REPO_ROOT / ".neo4j"))


@contextmanager
def throwaway_home(installed: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A new, empty Neo4j home sharing ``installed``'s jars, configured and with the
    password set by ``scripts/neo4j install``; yields (home, environment for
    ``scripts/neo4j``), stops its server if started and deletes it afterwards."""
    home = Path(tempfile.mkdtemp(prefix="cg-bench-import-"))
    env = dict(
        os.environ,
        CAREERGRAPH_NEO4J_HOME=str(home),
        NEO4J_BOLT_PORT=str(free_port()),
        NEO4J_HTTP_PORT=str(free_port()),
        NEO4J_HEAP_SIZE="1g",
        NEO4J_PAGECACHE_SIZE="512m",
    )
    env.pop("NEO4J_PASSWORD", None)  # install generates one into home/password
    env.pop("NEO4J_URI", None)  # follows NEO4J_BOLT_PORT
    try:
        (home / "lib").symlink_to(installed / "lib")
        (home / "plugins").symlink_to(installed / "plugins")
        shutil.copy(installed / ".installed", home / ".installed")
        subprocess.run(
            [str(REPO_ROOT / "scripts" / "neo4j"), "install"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        yield home, env
    finally:
        subprocess.run([str(REPO_ROOT / "scripts" / "neo4j"), "stop"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def run_admin_import(
    release: OnetRelease, settings: Settings, expected: GraphCounts, report: Report
) -> dict[str, Any]:
    """CSV export, ``neo4j-admin database import full``, then schema creation on the
    imported database (see the module docstring)."""
    installed = neo4j_install_home()
    if not (installed / "lib").is_dir():
        raise SystemExit(f"no Neo4j jars in {installed}/lib: run scripts/neo4j install")
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else "java"
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cg-bench-csv-") as csv_dir:
        csv_s, writer = timed(lambda: write_import_csv(release, Path(csv_dir)))
        result["csv_write_s"] = round(csv_s, 2)
        result["csv_rows"] = writer.rows
        result["csv_empty_lists"] = writer.empty_lists
        result["csv_mb"] = round(sum(p.stat().st_size for p in Path(csv_dir).iterdir()) / 1e6, 1)
        with throwaway_home(installed) as (home, env):
            env = dict(env, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
            base = [java, "-cp", f"{home / 'lib'}/*", "org.neo4j.cli.AdminTool"]
            jvm_s, _ = timed(
                lambda: subprocess.run(
                    [*base, "--version"], env=env, check=True, capture_output=True
                )
            )
            result["admin_tool_jvm_start_s"] = round(jvm_s, 2)
            command = [
                *base,
                "database",
                "import",
                "full",
                "neo4j",  # the database; before the file options, which take many values
                "--overwrite-destination=true",
                f"--report-file={Path(csv_dir) / 'import.report'}",
                "--array-delimiter=;",
                f"--multiline-fields={'true' if writer.multiline else 'false'}",
                *writer.arguments,
            ]
            import_s, done = timed(
                lambda: subprocess.run(command, env=env, capture_output=True, text=True)
            )
            if done.returncode != 0:
                report.note(
                    f"neo4j-admin import failed: {done.stdout[-2000:]}{done.stderr[-2000:]}"
                )
                raise SystemExit(1)
            result["import_s"] = round(import_s, 2)
            result["import_log_tail"] = done.stdout.strip().splitlines()[-6:]
            subprocess.run(
                [str(REPO_ROOT / "scripts" / "neo4j"), "start"],
                env=env,
                check=True,
                capture_output=True,
            )
            imported = Neo4jStore(  # the throwaway server's own generated password
                f"bolt://127.0.0.1:{env['NEO4J_BOLT_PORT']}",
                "neo4j",
                (home / PASSWORD_FILE_NAME).read_text(encoding="utf-8").strip(),
                "neo4j",
            )
            try:
                schema_s, _ = timed(imported.apply_schema)
                result["schema_after_import_s"] = round(schema_s, 2)
                counts = imported.counts()
                result["counts_match_our_loader"] = counts == expected
                result["properties"] = property_count(imported)
                result["imported_release"] = imported.loaded_release()
            finally:
                imported.close()
    return result


# -- main ----------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> None:
    """Run the load benchmark; print the tables; write ``bench/results/load_neo4j.json``."""
    parser = argument_parser(__doc__, neo4j=False)
    parser.add_argument("--naive-fraction", type=float, default=0.03)
    parser.add_argument("--no-import", action="store_true", help="skip neo4j-admin import")
    args = parser.parse_args(argv)

    settings = Settings()
    report = Report(
        "load_neo4j",
        {
            "neo4j_uri": settings.neo4j_uri,
            "naive_fraction": args.naive_fraction,
            "seed": args.seed,
            "batch_size": 5000,
        },
    )
    read_s, release = read_and_cache_release(settings)
    report.results["read_release_s"] = round(read_s, 2)
    store = neo4j_store(settings)
    try:
        report.results["wipe_before_naive_s"] = round(wipe_database(store, drop_schema=True), 2)
        naive = run_naive_loader(store, release, args.naive_fraction, args.seed)
        report.results["naive"] = naive
        report.results["wipe_before_ours_s"] = round(wipe_database(store, drop_schema=True), 2)
        first = run_our_loader(store, release)
        reload = run_our_loader(store, release)
        report.results["ours_first"] = first
        report.results["ours_reload"] = reload
        report.results["properties_ours"] = property_count(store)
    finally:
        store.close()
    expected = GraphCounts(**first["counts"])
    entities = entity_count(expected)
    report.results["entities"] = entities
    imported: dict[str, Any] | None = None
    if not args.no_import:
        imported = run_admin_import(release, settings, expected, report)
        report.results["admin_import"] = imported

    ours_s = first["seconds"]

    def row(name: str, seconds: float, note: str = "") -> list[object]:
        return [name, fmt(seconds, 1), fmt(entities / seconds, 0), fmt(seconds / ours_s, 2), note]

    naive_s = naive["extrapolated_s"]
    rows = [
        row("ours: Neo4jStore.load, empty database", ours_s),
        row("ours: Neo4jStore.load, reload over the loaded graph", reload["seconds"]),
        row(
            "naive: one MERGE + one transaction per row",
            naive_s,
            f"extrapolated from {naive['sampled_rows']:,} of {naive['rows']:,} rows "
            f"({naive['measured_s']} s measured)",
        ),
    ]
    if imported is not None:
        limit_s = imported["import_s"] + imported["schema_after_import_s"]
        rows += [
            row(
                "neo4j-admin database import full (tool wall time)",
                imported["import_s"],
                f"incl. JVM start ~{imported['admin_tool_jvm_start_s']} s; CSV written in "
                f"{imported['csv_write_s']} s (not included)",
            ),
            row(
                "neo4j-admin import + the same constraints and indexes",
                limit_s,
                f"schema built on the imported database in {imported['schema_after_import_s']} s",
            ),
        ]
    report.table(
        f"Load into Neo4j: {entities:,} nodes + relationships "
        f"(reading and deriving the release: {read_s:.1f} s, not included)",
        ["loader", "wall s", "entities/s", "time / ours (empty db)", "note"],
        rows,
    )
    ratio_rows = [["naive / ours", fmt(naive_s / ours_s, 1), ">= 20"]]
    if imported is not None:
        ratio_rows += [
            ["ours / neo4j-admin import (+ schema)", fmt(ours_s / limit_s, 1), "<= 3"],
            ["ours / neo4j-admin import (tool alone)", fmt(ours_s / imported["import_s"], 1), ""],
        ]
    report.table("Load: ratios against the targets", ["ratio", "measured", "target"], ratio_rows)
    if imported is not None:
        report.table(
            "Load: the import holds the same graph",
            ["check", "ours", "neo4j-admin import"],
            [
                [
                    "nodes + relationships",
                    f"{entities:,}",
                    "same" if imported["counts_match_our_loader"] else "DIFFERENT",
                ],
                [
                    "properties",
                    f"{report.results['properties_ours']:,}",
                    f"{imported['properties']:,}",
                ],
                [
                    "properties, less the empty lists neo4j-admin cannot store",
                    f"{report.results['properties_ours'] - imported['csv_empty_lists']:,}",
                    f"{imported['properties']:,}",
                ],
            ],
        )
    report.table(
        "Load: our loader per step, empty database (s)",
        ["step", "first load", "reload"],
        [
            [step, fmt(sec, 2), fmt(reload["steps_s"].get(step), 2)]
            for step, sec in first["steps_s"].items()
        ],
    )
    report.table(
        "Load: naive loader per table",
        ["table", "rows", "sampled", "ms/row", "extrapolated s"],
        [
            [name, t["rows"], t["sampled"], fmt(t["ms_per_row"], 2), fmt(t["extrapolated_s"], 1)]
            for name, t in naive["tables"].items()
        ],
    )
    report.save()


if __name__ == "__main__":
    main()
