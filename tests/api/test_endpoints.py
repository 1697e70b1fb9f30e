"""Every /v1 endpoint, success and error cases, on both backends with real O*NET 29.3.

One suite, two servers: the app on the memory store through TestClient, and a real
`careergraph serve --backend neo4j` process over HTTP (the `api` fixture is parametrised).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.model import OnetRelease

from .support import SEED_FROM, SEED_TO

SEED_TARGET = "11-9041.00"


class ApiResponse(Protocol):
    """What the tests read from an httpx / TestClient response."""

    status_code: int

    @property
    def headers(self) -> Mapping[str, str]: ...

    def json(self) -> Any: ...


class ApiClient(Protocol):
    """TestClient (memory) or httpx.Client (neo4j serve process)."""

    def get(self, url: str, *, params: Mapping[str, Any] | None = None) -> Any: ...


@pytest.fixture(scope="module", params=["memory", "neo4j"])
def api(request: pytest.FixtureRequest) -> ApiClient:
    """The API on the memory store (TestClient) or on Neo4j (serve process over HTTP)."""
    if request.param == "memory":
        client: TestClient = request.getfixturevalue("client")
        return client
    neo4j_client: httpx.Client = request.getfixturevalue("neo4j_api")
    return neo4j_client


def _get(
    api: ApiClient, url: str, params: Mapping[str, Any] | None = None, status: int = 200
) -> dict[str, Any]:
    response: ApiResponse = api.get(url, params=params or None)
    assert response.status_code == status, response.json()
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def _assert_attribution(body: dict[str, Any]) -> None:
    attribution = body["attribution"]
    assert attribution["release"] == "29.3"
    assert attribution["license"] == "CC BY 4.0"
    assert "O*NET 29.3 Database" in attribution["text"]
    assert "CC BY 4.0" in attribution["text"]


def _assert_error(
    api: ApiClient, url: str, status: int, error: str, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    body = _get(api, url, params, status)
    assert body["error"] == error
    assert body["message"]
    assert "Traceback" not in str(body)
    return body


# -- titles ------------------------------------------------------------------------------
def test_titles_seed_title_names_three_occupations(api: ApiClient) -> None:
    body = _get(api, "/v1/titles", params={"q": "software systems engineer", "limit": 10})
    alternates = [r for r in body["results"] if r["match_kind"] == "alternate"]
    assert {r["code"] for r in alternates} == {"15-1252.00", "15-1253.00", "15-1299.08"}
    assert body["results"][: len(alternates)] == alternates  # exact kinds first
    assert all(r["score"] == 100 for r in alternates)
    assert len(body["results"]) <= 10
    assert len({(r["title"].lower(), r["code"]) for r in body["results"]}) == len(body["results"])
    _assert_attribution(body)


def test_titles_fuzzy_code_and_empty(api: ApiClient) -> None:
    fuzzy = _get(api, "/v1/titles", params={"q": "softwre developr", "limit": 3})["results"]
    assert 1 <= len(fuzzy) <= 3
    assert all(r["match_kind"] == "fuzzy" and 60 <= r["score"] <= 100 for r in fuzzy)
    assert [r["score"] for r in fuzzy] == sorted((r["score"] for r in fuzzy), reverse=True)
    first = _get(api, "/v1/titles", params={"q": "15-1252.00"})["results"][0]
    assert (first["title"], first["code"], first["match_kind"], first["score"]) == (
        "Software Developers",
        "15-1252.00",
        "code",
        100.0,
    )
    assert _get(api, "/v1/titles", params={"q": "zqxjvwkp"})["results"] == []
    for operator in ("AND", "OR NOT", "&& ||", '"', "\\", "a~ b* c?"):
        _get(
            api, "/v1/titles", params={"q": operator}
        )  # Lucene syntax is searched for, never parsed


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "nurse", "limit": 0},
        {"q": "a", "limit": 51},
    ],
)
def test_titles_bad_input_is_422(api: ApiClient, params: dict[str, Any]) -> None:
    body = _assert_error(api, "/v1/titles", 422, "invalid_request", params)
    assert body["details"]


# -- occupations ---------------------------------------------------------------------------
def test_occupation_profile(api: ApiClient, onet_release: OnetRelease) -> None:
    body = _get(api, "/v1/occupations/11-9041.00", params={"limit": 5})
    assert (body["code"], body["title"], body["job_zone"]) == (
        "11-9041.00",
        "Architectural and Engineering Managers",
        5,
    )
    assert body["description"]
    assert len(body["skills"]) == 5 and len(body["knowledge"]) == 5
    keys = [(-s["importance"], -s["level"], s["element_id"]) for s in body["skills"]]
    assert keys == sorted(keys)
    hot = [t for t in onet_release.technologies if t.code == "11-9041.00" and t.hot]
    assert body["hot_technology_count"] == len(hot)
    assert len(body["hot_technologies"]) == min(5, len(hot))
    assert all(t["hot"] for t in body["hot_technologies"])
    assert body["education"] and all(e["share_pct"] > 0 for e in body["education"])
    labor = body["labor_market"]  # BLS EP 2024-34 Table 1.2: $167,740, 212.5 -> 220.5 (+3.8 %)
    assert labor["median_wage_usd"] == 167740
    assert (labor["employment_2024_thousands"], labor["growth_pct"]) == (212.5, 3.8)
    _assert_attribution(body)


def test_unrated_occupation_shows_estimated_skills(api: ApiClient) -> None:
    """O*NET 29.3 does not rate 15-1252.00: its skills come from its SOC 2010
    predecessors (O*NET 23.x), its knowledge from its most related rated occupation."""
    body = _get(api, "/v1/occupations/15-1252.00", params={"limit": 35})
    assert len(body["skills"]) == 35
    for skill in body["skills"]:
        assert skill["estimated_from"] == ["15-1132.00", "15-1133.00"]
        assert skill["estimate_source"] == "O*NET 23.x Skills of the O*NET-SOC 2010 predecessors"
    assert {tuple(k["estimated_from"]) for k in body["knowledge"]} == {("15-1299.08",)}
    assert body["estimated_ratings"][0] == (
        "Software Developers: skills estimated from 15-1132.00/15-1133.00 (O*NET 23.x Skills"
        " of the O*NET-SOC 2010 predecessors)"
    )
    rated = _get(api, "/v1/occupations/11-9041.00")
    assert rated["estimated_ratings"] == []
    assert all(s["estimated_from"] == [] for s in rated["skills"])


def test_group_figures_say_whose_they_are(api: ApiClient) -> None:
    body = _get(api, "/v1/occupations/15-1299.08")
    labor = body["labor_market"]
    assert labor["figures_for"] == "15-1299 Computer occupations, all other"
    assert labor["median_wage_usd"] == 108970  # the group's, not the specialty's own
    own = _get(api, "/v1/occupations/15-1252.00")["labor_market"]
    assert own["figures_for"] is None and own["bls_title"] == "Software developers"


def test_unknown_occupation_code_is_404_with_nearby_codes(api: ApiClient) -> None:
    for url in ("/v1/occupations/15-1252.07", "/v1/occupations/15-1252.07/related"):
        body = _assert_error(api, url, 404, "unknown_occupation")
        assert body["query"] == "15-1252.07"
        assert 1 <= len(body["suggestions"]) <= 5
        assert body["suggestions"][0] == {"title": "Software Developers", "code": "15-1252.00"}


@pytest.mark.parametrize(
    "url",
    ["/v1/occupations/software", "/v1/occupations/15-1252", "/v1/occupations/15-1252.00?limit=0"],
)
def test_malformed_occupation_request_is_422(api: ApiClient, url: str) -> None:
    _assert_error(api, url, 422, "invalid_request")


def test_related_occupations_follow_onet(api: ApiClient, onet_release: OnetRelease) -> None:
    body = _get(api, "/v1/occupations/15-1252.00/related")
    assert body["occupation"] == {
        "code": "15-1252.00",
        "title": "Software Developers",
        "job_zone": 4,
    }
    expected = sorted(
        (r.rank, r.related_code, r.tier.value)
        for r in onet_release.related
        if r.code == "15-1252.00"
    )
    got = [(r["rank"], r["code"], r["tier"]) for r in body["related"]]
    assert got == expected
    moves = {m.next_code: m for m in onet_release.career.moves if m.code == "15-1252.00"}
    assert moves, "the fixture release has career moves out of 15-1252.00"
    steps = body["next_steps"]
    assert {s["code"] for s in steps} == set(moves)
    assert [s["cost"] for s in steps] == sorted(s["cost"] for s in steps)
    assert all(s["kind"] == moves[s["code"]].kind.value for s in steps)
    _assert_attribution(body)


def test_likely_next_steps_follow_the_distribution(
    api: ApiClient, onet_release: OnetRelease
) -> None:
    body = _get(api, "/v1/occupations/15-1252.00/next-steps", params={"limit": 15})
    assert body["occupation"]["code"] == "15-1252.00"
    assert "estimate" in body["estimate"] and "not an observed figure" in body["estimate"]
    (d,) = [d for d in onet_release.career.next_step_distributions if d.code == "15-1252.00"]
    got = [(s["rank"], s["code"], s["probability"]) for s in body["next_steps"]]
    assert (
        got
        == [
            (k, c, p)
            for k, (c, p) in enumerate(zip(d.next_codes, d.probabilities, strict=True), start=1)
        ][:15]
    )
    moves = {m.next_code for m in onet_release.career.moves if m.code == "15-1252.00"}
    assert all(s["career_move"] == (s["code"] in moves) for s in body["next_steps"])
    _assert_attribution(body)
    _assert_error(api, "/v1/occupations/15-1252.00/next-steps?limit=0", 422, "invalid_request")
    _assert_error(api, "/v1/occupations/99-9999.99/next-steps", 404, "unknown_occupation")


# -- paths ---------------------------------------------------------------------------------
def test_seed_question_returns_explained_routes(api: ApiClient) -> None:
    body = _get(api, "/v1/paths", params={"from": SEED_FROM, "to": SEED_TO})
    assert "15-1252.00" in [m["code"] for m in body["source"]["matches"]]
    assert [m["code"] for m in body["target"]["matches"]] == [SEED_TARGET]
    assert (body["k"], body["max_hops"]) == (3, 4)
    paths = body["paths"]
    assert 1 <= len(paths) <= 3
    assert [p["rank"] for p in paths] == list(range(1, len(paths) + 1))
    assert [p["total_cost"] for p in paths] == sorted(p["total_cost"] for p in paths)
    for path in paths:
        assert path["codes"][-1] == SEED_TARGET
        assert path["total_cost"] == sum(h["cost"] for h in path["hops"])
        assert [h["from_code"] for h in path["hops"]] == path["codes"][:-1]
        assert [h["to_code"] for h in path["hops"]] == path["codes"][1:]
        cypher = path["cypher"]
        assert "$codes" in cypher["statement"] and "$relationships" in cypher["statement"]
        assert cypher["parameters"] == {
            "codes": path["codes"],
            "relationships": [h["relationship"] for h in path["hops"]],
        }
        link = urlsplit(cypher["browser_url"])
        assert link.path == "/browser/"
        query = parse_qs(link.query)
        assert query["cmd"] == ["edit"]
        shown = query["arg"][0]
        statement = [line for line in shown.splitlines() if not line.startswith("//")]
        assert statement and not any("$" in line for line in statement)
        assert all(f"'{code}'" in shown for code in path["codes"])
    _assert_attribution(body)


def test_seed_question_offers_the_field_specific_target(api: ApiClient) -> None:
    body = _get(api, "/v1/paths", params={"from": SEED_FROM, "to": SEED_TO})
    offered = {a["code"]: a for a in body["alternatives"]}
    it = offered["11-3021.00"]
    assert it["matched_title"] == "Software Engineering Director"
    assert it["reason"].startswith("'Software Engineering Director' is an O*NET alternate title")
    [path] = it["paths"]
    assert path["codes"][-1] == "11-3021.00" and path["rank"] == 1
    assert path["cypher"]["parameters"]["codes"] == path["codes"]
    assert body["same_occupation"] is None


def test_two_titles_of_one_occupation_is_an_answer(api: ApiClient) -> None:
    body = _get(api, "/v1/paths", params={"from": "Software Engineer", "to": "15-1252.00"})
    assert body["paths"] == [] and body["alternatives"] == []
    same = body["same_occupation"]
    assert (same["code"], same["title"]) == ("15-1252.00", "Software Developers")
    assert "no move is needed" in same["message"]


def test_paths_by_code_with_k_and_max_hops(api: ApiClient) -> None:
    body = _get(
        api, "/v1/paths", params={"from": "15-1252.00", "to": SEED_TARGET, "k": 1, "max_hops": 3}
    )
    assert len(body["paths"]) == 1
    assert body["source"]["matches"][0]["match_kind"] == "code"
    assert len(body["paths"][0]["hops"]) <= 3


@pytest.mark.parametrize(
    "options",
    [
        {"only_advancement": "true", "exclude": ["Validation Engineers"]},
        {"max_wage_drop_pct": 5, "exclude": ["Validation Engineers", "13-1082.00"]},
    ],
)
def test_paths_with_route_options(api: ApiClient, options: dict[str, Any]) -> None:
    params = {"from": "15-1252.00", "to": SEED_TARGET, "k": 3, **options}
    body = _get(api, "/v1/paths", params=params)
    excluded = {"17-2112.02", "13-1082.00"} & {"17-2112.02", *options["exclude"]}
    assert set(body["filters"]["exclude"]) == excluded  # titles resolved to codes
    assert body["paths"]
    for path in body["paths"]:
        assert not excluded & set(path["codes"])
        for hop in path["hops"]:
            assert hop["relationship"] == "LEADS_TO"
            if "only_advancement" in options:
                assert hop["kind"] == "advancement"
            if "max_wage_drop_pct" in options and hop["wage_change_pct"] is not None:
                assert hop["wage_change_pct"] >= -5
    _get(api, "/v1/paths", params={**params, "max_wage_drop_pct": -1}, status=422)
    _get(api, "/v1/paths", params={**params, "relationship": "KNOWS"}, status=422)


def test_paths_over_related_occupations(api: ApiClient) -> None:
    params = {"from": "15-1252.00", "to": SEED_TARGET, "relationship": "RELATED_TO"}
    body = _get(api, "/v1/paths", params=params)
    assert body["paths"]
    assert all(h["relationship"] == "RELATED_TO" for p in body["paths"] for h in p["hops"])


def test_unknown_title_is_404_with_suggestions(api: ApiClient) -> None:
    body = _assert_error(
        api, "/v1/paths", 404, "unknown_occupation", params={"from": SEED_FROM, "to": "Zqxj Vwkp"}
    )
    assert body["query"] == "Zqxj Vwkp"
    assert len(body["suggestions"]) <= 5
    body = _assert_error(
        api, "/v1/paths", 404, "unknown_occupation", params={"from": "15-1252.07", "to": SEED_TO}
    )
    assert body["suggestions"][0]["code"] == "15-1252.00"


def test_no_route_within_hop_limit_is_404(api: ApiClient) -> None:
    _assert_error(
        api,
        "/v1/paths",
        404,
        "no_path",
        params={
            "from": "15-1252.00",
            "to": SEED_TARGET,
            "max_hops": 1,
            "relationship": "RELATED_TO",  # O*NET lists no direct relation this way round
        },
    )


@pytest.mark.parametrize(
    "params",
    [
        {"to": SEED_TO},
        {"from": SEED_FROM},
        {"from": "", "to": SEED_TO},
        {"from": SEED_FROM, "to": " \t "},
        {"from": "x" * 201, "to": SEED_TO},
        {"from": SEED_FROM, "to": SEED_TO, "k": 0},
        {"from": SEED_FROM, "to": SEED_TO, "k": 11},
        {"from": SEED_FROM, "to": SEED_TO, "max_hops": 0},
        {"from": SEED_FROM, "to": SEED_TO, "max_hops": 7},
        {"from": SEED_FROM, "to": SEED_TO, "k": "three"},
    ],
)
def test_paths_bad_input_is_422(api: ApiClient, params: dict[str, Any]) -> None:
    body = _assert_error(api, "/v1/paths", 422, "invalid_request", params)
    assert body["details"]


# -- gap -----------------------------------------------------------------------------------
def test_gap_between_roles(api: ApiClient) -> None:
    body = _get(api, "/v1/gap", params={"from": "Validation Engineers", "to": SEED_TO, "limit": 4})
    gap = body["gap"]
    assert gap["source"]["code"] == "17-2112.02"
    assert gap["target"]["code"] == SEED_TARGET
    assert gap["job_zone_change"] == gap["target"]["job_zone"] - gap["source"]["job_zone"]
    assert 1 <= len(gap["skills_to_gain"]) <= 4
    gains = [g["gain"] for g in gap["skills_to_gain"]]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
    assert all(g["to_level"] > g["from_level"] for g in gap["knowledge_to_gain"])
    assert len(gap["technologies_to_learn"]) <= 4
    assert gap["technologies_to_learn_count"] >= len(gap["technologies_to_learn"])
    _assert_attribution(body)


def test_gap_errors(api: ApiClient) -> None:
    body = _assert_error(
        api, "/v1/gap", 404, "unknown_occupation", params={"from": "Zqxj Vwkp", "to": SEED_TO}
    )
    assert body["query"] == "Zqxj Vwkp"
    _assert_error(api, "/v1/gap", 422, "invalid_request", params={"from": SEED_FROM, "to": ""})
    _assert_error(
        api,
        "/v1/gap",
        422,
        "invalid_request",
        params={"from": SEED_FROM, "to": SEED_TO, "limit": 51},
    )


# -- health and the rest ---------------------------------------------------------------------
def test_health_reports_backend_release_and_counts(
    api: ApiClient, memory_store: NetworkxStore, request: pytest.FixtureRequest
) -> None:
    body = _get(api, "/v1/health")
    assert body["status"] == "ok" and body["reachable"] is True
    assert body["backend"] == request.node.callspec.params["api"]
    assert body["release"] == "29.3"
    assert body["counts"] == memory_store.counts().model_dump()
    _assert_attribution(body)


def test_unknown_url_and_method_are_json(api: ApiClient) -> None:
    _assert_error(api, "/v1/nothing-here", 404, "not_found")
    _assert_error(api, "/v2/paths", 404, "not_found")
