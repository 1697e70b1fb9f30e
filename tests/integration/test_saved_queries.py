"""Every saved Cypher query in ``cypher/queries/`` runs against the real Neo4j loaded with
O*NET 29.3, with the values of its ``// Example params:`` header (or, for the backend's own
queries, the values below), and returns rows; a few answers are checked against known facts.
The Browser form of each query (values written in by ``careergraph browser``) gives the
same rows.
"""

from __future__ import annotations

import csv
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

import neo4j
import pytest

from careergraph.api.browser import (
    browser_url,
    build_browser_text,
    query_parameter_names,
    read_example_params,
    read_query_header,
    read_saved_query,
    saved_query_names,
)
from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.errors import NoPathError
from careergraph.graph.paths import RawPath, best_distinct_routes
from careergraph.graph.role_profile import build_role_profile
from careergraph.graph.service import find_career_paths, resolve_title
from tests.unit.support import shared_data_dir

SEED_SOURCES = ["15-1252.00", "15-1253.00", "15-1299.08"]  # "Software Systems Engineer"
SEED_TARGET = "11-9041.00"  # "Engineering Director": Architectural and Engineering Managers

# Values for the queries that have no ``// Example params:`` header: the backend's own
# queries (read by graph/backends/neo4j_store.py and the HTTP API).
PARAMS_WITHOUT_HEADER: dict[str, dict[str, Any]] = {
    "count_nodes_by_label": {},
    "count_relationships_by_type": {},
    "loaded_release": {},
    "min_hop_cost": {"relationship": "LEADS_TO"},
    "occupation_by_code": {"code": "15-1252.00"},
    "role_facts": {"code": "15-1252.00"},
    "title_records": {},
    "explain_hop": {"pairs": [["15-1299.08", "13-1082.00"]], "limit": 5, "technologies_limit": 5},
    "k_cheapest_routes": {
        "sources": SEED_SOURCES,
        "targets": [SEED_TARGET],
        "max_hops": 4,
        "k": 3,
        "candidates": 24,
        "min_growth_pct": None,
        "via": None,
        "exclude": [],
    },
    "k_cheapest_moves": {
        "sources": SEED_SOURCES,
        "targets": [SEED_TARGET],
        "max_hops": 4,
        "k": 3,
        "candidates": 24,
        "only_advancement": False,
        "max_wage_drop_pct": None,
        "min_growth_pct": None,
        "via": None,
        "exclude": [],
    },
    "k_cheapest_long_routes": {
        "relationship": "LEADS_TO",
        "sources": ["15-1252.00"],
        "targets": [SEED_TARGET],
        "k": 3,
        "max_hops": 5,
        # bound and min_edge_cost: as the backend sets them (long_route_bounds below)
        "only_advancement": False,
        "max_wage_drop_pct": None,
        "min_growth_pct": None,
        "via": None,
        "exclude": [],
    },
    "occupation_gap": {
        "from_code": "15-1299.08",
        "to_code": SEED_TARGET,
        "limit": 5,
        "technologies_limit": 5,
    },
    "occupation_details": {"code": "15-1252.00", "limit": 5},
    "occupations_by_code_prefix": {"code": "15-1252.07", "limit": 5},
    "related_occupations": {"code": "15-1252.00"},
    "route_by_codes": {
        "codes": ["15-1299.08", "13-1082.00", SEED_TARGET],
        "relationships": ["RELATED_TO", "RELATED_TO"],
    },
}
QUERY_NAMES = saved_query_names()
# A variable-length relationship pattern and its bounds, e.g. -[:RELATED_TO*1..4]->, and a
# quantified path pattern's quantifier, e.g. ((a)-[:RELATED_TO]->(b)){1,4}.
VAR_LENGTH = re.compile(r"-\[[^\]]*\*([^\]]*)\]")
QUANTIFIER = re.compile(r"\)\s*\{\s*(\d*)\s*,\s*(\d*)\s*\}")


def params_for(name: str) -> dict[str, Any]:
    """The parameter values a saved query is run with in these tests."""
    example = read_example_params(name)
    if example:
        assert name not in PARAMS_WITHOUT_HEADER, f"{name}: has both example params and a mapping"
        return example
    assert name in PARAMS_WITHOUT_HEADER, (
        f"{name}.cypher has no `// Example params:` header and no entry in PARAMS_WITHOUT_HEADER"
    )
    return PARAMS_WITHOUT_HEADER[name]


def run_saved(store: Neo4jStore, name: str, **params: Any) -> list[neo4j.Record]:
    """Run ``cypher/queries/<name>.cypher`` the way the backend runs its own queries (read
    transaction, parameters passed separately)."""
    return store._read(f"queries/{name}", **params)


def run_text(store: Neo4jStore, text: str) -> list[neo4j.Record]:
    """Run a Cypher text with no parameters in a read transaction."""
    records, _, _ = store._driver.execute_query(
        text, database_=store.database, routing_=neo4j.RoutingControl.READ
    )
    return records


def map_leaves(value: Any, leaf: Callable[[Any], Any]) -> Any:
    """``value`` with ``leaf`` applied to everything that is not a list or a dict."""
    if isinstance(value, list):
        return [map_leaves(v, leaf) for v in value]
    if isinstance(value, dict):
        return {k: map_leaves(v, leaf) for k, v in value.items()}
    return leaf(value)


def graph_key(value: Any) -> Any:
    """A path, node or relationship as a plain key (element ids); other values unchanged."""
    if isinstance(value, neo4j.graph.Path):
        return ("path", value.start_node.element_id, *(r.element_id for r in value.relationships))
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return value.element_id
    return value


def comparable(rows: list[neo4j.Record]) -> list[Any]:
    """Rows as plain values, graph elements by element id, for comparing two runs."""
    return [map_leaves(row.values(), graph_key) for row in rows]


def browser_number(value: Any) -> Any:
    """A value as Neo4j Browser's ``:params {json}`` sends it: every JSON number becomes a
    float (JavaScript has no integers), so ``5`` arrives as ``5.0``."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def statement_of(text: str) -> str:
    """The Cypher statement without its ``//`` comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def test_there_are_at_least_twelve_saved_analysis_queries() -> None:
    with_examples = [name for name in QUERY_NAMES if read_example_params(name)]
    assert len(with_examples) >= 12, with_examples


def long_route_bounds(store: Neo4jStore, params: dict[str, Any]) -> dict[str, float]:
    """``bound`` and ``min_edge_cost`` for k_cheapest_long_routes.cypher as the backend's
    second phase sets them (Neo4jStore._find_long_routes): the cheapest hop of the
    relationship, and twice the k-th best route of up to 4 hops (the backend's second round:
    it starts at 1x, where the seed question has no 5-hop route, and doubles). A fixed bound
    far above the fitted costs makes the query enumerate everything and exhaust transaction
    memory."""
    min_edge = run_saved(store, "min_hop_cost", relationship=params["relationship"])[0]
    short_params = {
        key: params[key]
        for key in (
            "sources",
            "targets",
            "only_advancement",
            "max_wage_drop_pct",
            "min_growth_pct",
            "via",
            "exclude",
        )
    }
    rows = run_saved(
        store,
        "k_cheapest_moves",
        max_hops=4,
        k=params["k"],
        candidates=6 * params["k"] + 6,
        **short_params,
    )
    short = best_distinct_routes(
        [RawPath(codes=r["codes"], hop_costs=[float(c) for c in r["costs"]]) for r in rows],
        params["k"],
    )
    assert len(short) == params["k"], short
    return {"bound": 2 * short[-1].cost, "min_edge_cost": float(min_edge["min_cost"])}


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_saved_query_runs_and_returns_rows(neo4j_store: Neo4jStore, name: str) -> None:
    params = params_for(name)
    if name == "k_cheapest_long_routes":
        params = {**params, **long_route_bounds(neo4j_store, params)}
    rows = run_saved(neo4j_store, name, **params)
    assert rows, f"{name} returned no rows for {params}"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_saved_query_header_and_patterns(name: str) -> None:
    text = read_saved_query(name)
    header = read_query_header(text)
    assert header.get("Question", "").strip(), f"{name}: no `// Question:` header"
    assert "Parameters" in header, f"{name}: no `// Parameters:` header"
    assert "Returns" in header or "Returns:" in header["Parameters"], f"{name}: no `// Returns:`"
    for used in query_parameter_names(text):
        assert f"${used}" in header["Parameters"], f"{name}: ${used} is not described"
    statement = statement_of(text)
    for bounds in VAR_LENGTH.findall(statement):
        assert re.fullmatch(r"\d+(\.\.\d+)?", bounds.strip()), f"{name}: unbounded *{bounds}"
    for match in QUANTIFIER.finditer(statement):
        assert match.group(2), f"{name}: unbounded quantifier {match.group(0)!r}"


@pytest.mark.parametrize("name", [n for n in QUERY_NAMES if read_example_params(n)])
def test_browser_form_gives_the_same_rows(neo4j_store: Neo4jStore, name: str) -> None:
    """The text `careergraph browser` puts in Browser's editor (values written in) survives
    Browser's URL decoding and returns exactly the rows of the parameterised query."""
    params = params_for(name)
    text = build_browser_text(read_saved_query(name), params)
    url = browser_url("http://127.0.0.1:7474", text)
    # Neo4j Browser 5.24: '+' -> ' ', decodeURIComponent(whole URL), then [?&]arg=([^&#]*)
    decoded = urllib.parse.unquote(url.replace("+", " "))
    match = re.search(r"[?&]arg=([^&#]*)", decoded)
    assert match and match.group(1) == text
    assert ";" not in text, "Browser would split the text into a multi-statement script"
    assert not query_parameter_names(text)
    expected = comparable(run_saved(neo4j_store, name, **params))
    assert comparable(run_text(neo4j_store, text)) == expected


@pytest.mark.parametrize("name", [n for n in QUERY_NAMES if read_example_params(n)])
def test_browser_params_command_gives_the_same_rows(neo4j_store: Neo4jStore, name: str) -> None:
    """Pasting ``:params <Example params JSON>`` in Browser works: integer parameters are
    read through toInteger(), so the floats Browser sends give the same rows."""
    params = params_for(name)
    expected = comparable(run_saved(neo4j_store, name, **params))
    floats = map_leaves(params, browser_number)
    assert comparable(run_saved(neo4j_store, name, **floats)) == expected


def test_routes_between_roles_answers_the_seed_question(neo4j_store: Neo4jStore) -> None:
    params = params_for("routes_between_roles")
    assert params["from_role"] == "Software Systems Engineer"
    assert params["to_role"] == "Engineering Director"
    rows = run_saved(neo4j_store, "routes_between_roles", **params)
    answer = find_career_paths(
        neo4j_store, params["from_role"], params["to_role"], k=params["k"], max_hops=4
    )
    assert len(rows) == len(answer.paths) == params["k"] == 3
    for row, path in zip(rows, answer.paths, strict=True):
        route: neo4j.graph.Path = row["route"]
        codes = [n["code"] for n in route.nodes]
        assert codes == row["codes"] == path.codes  # the routes `careergraph path` gives
        assert row["cost"] == pytest.approx(path.total_cost)
        assert all(r.type == "LEADS_TO" for r in route.relationships)
        assert row["kinds"] == [hop.kind for hop in path.hops]
        assert row["from_code"] == answer.source.codes[0] == "15-1252.00"
        assert codes[-1] == row["to_code"] == SEED_TARGET
        assert len(set(codes)) == len(codes) == row["hops"] + 1 <= 5
        assert row["titles"] == [n["title"] for n in route.nodes]
        assert row["cost"] == pytest.approx(sum(r["cost"] for r in route.relationships))


def test_routes_between_roles_equals_path_for_the_expected_routes(
    neo4j_store: Neo4jStore,
) -> None:
    """The Browser route query's best route is `careergraph path`'s (same graph, same
    costs) for every question of eval/routes_expected.csv."""
    with (shared_data_dir() / "eval" / "routes_expected.csv").open(encoding="utf-8") as handle:
        questions = list(csv.DictReader(handle))
    assert len(questions) >= 30
    differ: list[tuple[str, str, object, object]] = []
    for q in questions:
        rows = run_saved(
            neo4j_store,
            "routes_between_roles",
            from_role=q["from"],
            to_role=q["to"],
            k=1,
            max_hops=4,
        )
        try:
            answer = find_career_paths(neo4j_store, q["from"], q["to"], k=1, max_hops=4)
        except NoPathError:
            if rows:
                differ.append((q["from"], q["to"], "path: no route", rows[0]["codes"]))
            continue
        best = answer.paths[0]
        got = (rows[0]["codes"], round(rows[0]["cost"], 6)) if rows else None
        if got != (best.codes, round(best.total_cost, 6)):
            differ.append((q["from"], q["to"], best.codes, got))
    assert not differ, differ


@pytest.mark.parametrize(
    "role",
    ["SOFTWARE-developers!!", "software developer", "CTO", "  Chief Technical Officer (CTO)"],
)
def test_routes_between_roles_reads_titles_as_the_product(
    neo4j_store: Neo4jStore, role: str
) -> None:
    rows = run_saved(
        neo4j_store, "routes_between_roles", from_role=role, to_role="11-9041.00", k=1, max_hops=4
    )
    assert rows and rows[0]["from_code"] == resolve_title(neo4j_store, role).codes[0]


def test_role_profile_query_agrees_with_the_role_page(
    neo4j_store: Neo4jStore, memory_store: NetworkxStore
) -> None:
    rows = run_saved(neo4j_store, "role_profile", **params_for("role_profile"))
    page = build_role_profile(memory_store, params_for("role_profile")["role"])
    assert {r["code"] for r in rows} == {page.code}
    by_section: dict[str, list[str]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row["name"])
    assert by_section["task"] == [t.statement for t in page.tasks[:5]]
    assert by_section["work style"] == [w.name for w in page.who_thrives.work_styles]
    assert by_section["interest"] == [i.name for i in page.who_thrives.interests[:3]]
    assert by_section["leads to"] == [s.title for s in page.next_steps]
    assert by_section["comes from"] == [m.title for m in page.incoming]
    assert page.pay is not None and rows[0]["median_wage_usd"] == page.pay.median_wage_usd
    assert all(r["estimated"] for r in rows if r["section"] == "work style")


def test_routes_between_roles_takes_codes_and_misspelt_titles(neo4j_store: Neo4jStore) -> None:
    by_code = run_saved(
        neo4j_store,
        "routes_between_roles",
        from_role="15-1299.08",
        to_role=SEED_TARGET,
        k=2,
        max_hops=2,
    )
    assert by_code and all(r["codes"][0] == "15-1299.08" for r in by_code)
    assert all(r["codes"][-1] == SEED_TARGET and r["hops"] <= 2 for r in by_code)
    fuzzy = run_saved(
        neo4j_store,
        "routes_between_roles",
        from_role="softwre enginer",
        to_role="engineering directr",
        k=1,
        max_hops=4,
    )
    # "Software Engineer" is an alternate title of Software Developers only
    assert fuzzy[0]["codes"][0] == "15-1252.00" and fuzzy[0]["codes"][-1] == SEED_TARGET


def test_next_steps_of_software_developers(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(neo4j_store, "next_steps", occupation="Software Developers", limit=20)
    codes = [r["code"] for r in rows]
    assert "15-1299.08" in codes
    assert rows[0]["code"] == "15-1299.08" and rows[0]["rank"] == 1
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert all(r["step"].start_node["code"] == "15-1252.00" for r in rows)
    assert all(r["job_zone_change"] == r["job_zone"] - 4 for r in rows if r["job_zone"])
    by_code = run_saved(neo4j_store, "next_steps", occupation="15-1252.00", limit=20)
    assert [r["code"] for r in by_code] == codes


def test_data_quality_checks_on_onet_29_3(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(neo4j_store, "data_quality_checks", examples=3)
    problems = {r["check"]: r["problems"] for r in rows}
    assert [r["id"] for r in rows] == list(range(1, 12))
    assert problems["occupations without O*NET skill ratings"] == 137  # 1,016 - 879 rated
    assert problems["dangling titles (no occupation)"] == 0
    assert all(r["problems"] == 0 for r in rows if r["id"] >= 5), problems
    assert all(len(r["examples"]) == min(3, r["problems"]) for r in rows)


def test_occupations_without_skills_lists_the_137(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(neo4j_store, "occupations_without_skills", limit=500)
    assert len(rows) == 137
    by_code = {r["code"]: r for r in rows}
    assert by_code["15-1252.00"]["title"] == "Software Developers"  # not rated in 29.3
    assert by_code["11-9199.00"]["reason"] == "All Other residual"
    assert by_code["15-1252.00"]["skills_estimated_from"] == ["15-1132.00", "15-1133.00"]
    assert sum(r["skills_estimated_from"] is None for r in rows) == 19  # military
    assert {r["reason"] for r in rows} <= {
        "All Other residual",
        "military",
        "not rated in this release",
    }


def test_compare_occupations_gaps_and_shared(neo4j_store: Neo4jStore) -> None:
    params = params_for("compare_occupations")
    rows = run_saved(neo4j_store, "compare_occupations", **params)
    kinds = {(r["kind"], r["status"]) for r in rows}
    assert {("skill", "gap"), ("knowledge", "gap"), ("technology", "gap")} <= kinds
    assert ("technology", "shared") in kinds
    for r in rows:
        if r["kind"] == "technology":
            assert r["from_level"] is None and isinstance(r["hot"], bool)
            continue
        assert r["importance"] >= params["min_importance"]
        assert (r["to_level"] > r["from_level"]) == (r["status"] == "gap")
        expected_gain = (r["to_level"] - r["from_level"]) * r["importance"] / 5
        assert r["gain"] == pytest.approx(expected_gain, abs=1e-3)
    gaps = [r["gain"] for r in rows if r["kind"] == "skill" and r["status"] == "gap"]
    assert gaps == sorted(gaps, reverse=True) and len(gaps) <= params["limit"]


def test_reachable_higher_job_zone(neo4j_store: Neo4jStore) -> None:
    params = params_for("reachable_higher_job_zone")
    rows = run_saved(neo4j_store, "reachable_higher_job_zone", **params)
    start = rows[0]["route"].start_node
    assert start["code"] == "15-1232.00" and start["job_zone"] == 3
    for r in rows:
        assert r["job_zone_change"] >= params["min_job_zone_gain"]
        assert r["job_zone"] == 3 + r["job_zone_change"]
        assert 1 <= r["hops"] == len(r["route"]) <= params["max_hops"]
        assert r["route"].end_node["code"] == r["code"]
        assert r["cost"] == pytest.approx(sum(rel["cost"] for rel in r["route"].relationships))
    assert len({r["code"] for r in rows}) == len(rows)


def test_search_titles_finds_the_seed_title(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(neo4j_store, "search_titles", search='"Software Systems Engineer"', limit=5)
    exact = {r["code"] for r in rows if r["title"] == "Software Systems Engineer"}
    assert exact == set(SEED_SOURCES)
    assert all(r["title_of"].start_node["name"] == r["title"] for r in rows)


def test_bridge_occupations_degrees(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(neo4j_store, "bridge_occupations", min_other_groups=0, limit=50)
    assert len(rows) == 50
    for r in rows:
        assert r["degree"] == r["in_degree"] + r["out_degree"]
        assert r["out_degree"] <= 20  # O*NET lists at most 20 related occupations
        assert r["other_groups"] == len(r["other_group_codes"])
        assert r["soc_major_group"] not in r["other_group_codes"]
    degrees = [r["degree"] for r in rows]
    assert degrees == sorted(degrees, reverse=True)


def test_skills_unlocking_transitions_are_ranked(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(
        neo4j_store, "skills_unlocking_transitions", **params_for("skills_unlocking_transitions")
    )
    counts = [r["transitions"] for r in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1000
    assert all(r["avg_level_gain"] >= 0.5 and r["avg_importance"] >= 3.0 for r in rows)
    assert all(0 < r["share_pct"] <= 100 for r in rows)


def test_hot_technologies_in_computer_occupations(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(neo4j_store, "hot_technologies_in_major_group", soc_major_group="15", limit=10)
    names = [r["technology"] for r in rows]
    assert "Python" in names and "Structured query language SQL" in names
    assert all(r["in_demand"] <= r["occupations"] <= 38 for r in rows)  # 38 occupations in 15


def test_education_ladder_is_ordered(neo4j_store: Neo4jStore) -> None:
    rows = run_saved(neo4j_store, "education_ladder", code_prefix="15-12", limit=100)
    assert rows and all(r["code"].startswith("15-12") for r in rows)
    assert [r["rung"] for r in rows] == sorted(r["rung"] for r in rows)
    assert all(r["typical"].end_node["category"] == r["rung"] for r in rows)
    assert {r["code"]: r["education"] for r in rows}["15-1242.00"] == "Bachelor's Degree"
