"""The ``careergraph path`` command on the fixture (memory backend), via typer's CliRunner."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping

import pytest
from typer.testing import CliRunner, Result

from careergraph.api.cli import app

from .support import FIXTURE_DIR

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _run(args: list[str], extra_env: Mapping[str, str] | None = None) -> Result:
    env = {
        "CAREERGRAPH_ONET_DIR": str(FIXTURE_DIR),
        "CAREERGRAPH_TRANSITIONS_DIR": str(FIXTURE_DIR.parent / "transitions_mini"),
        "CAREERGRAPH_ONET_SOC2010_DIR": str(FIXTURE_DIR.parent / "db_22_soc2010_mini"),
        "CAREERGRAPH_BACKEND": "memory",
        "COLUMNS": "250",
        "NO_COLOR": "1",
        **(extra_env or {}),
    }
    return CliRunner().invoke(app, args, env=env)


def _plain(text: str) -> str:
    return ANSI.sub("", text)


@pytest.mark.usefixtures("fresh_settings")
def test_path_prints_routes() -> None:
    result = _run(["path", "Data Wranglers", "analytics architects", "--related-only"])
    out = _plain(result.stdout)
    assert result.exit_code == 0, result.output
    assert "15-9901.00 Data Wranglers (exact match)" in out
    assert (
        "Route 1: Data Wranglers -> Pipeline Engineers -> Analytics Architects  (cost 23.0)" in out
    )
    assert "Route 2: Data Wranglers -> Insight Analysts -> Analytics Architects  (cost 23.0)" in out
    assert "Route 3: Data Wranglers -> Analytics Architects  (cost 31.0)" in out
    assert "Route 4" not in out
    # reasons state direction and strength; a Supplemental listing reads as weak (issue 10)
    assert "Data Wranglers list Pipeline Engineers as their #1 related occupation" in out
    assert "Data Wranglers list Analytics Architects only #11 of 20 related occupations" in out
    assert "3->4 (+1)" in out
    assert "Programming 2.88->5.12" in out
    assert "O*NET 99.1 Database" in out  # attribution names the loaded release


@pytest.mark.usefixtures("fresh_settings")
def test_path_json() -> None:
    result = _run(
        ["path", "Records Clerks", "Analytics Directors", "--json", "-k", "2", "--related-only"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(_plain(result.stdout))
    assert data["source"]["matches"][0]["code"] == "43-9906.00"
    assert data["target"]["matches"][0]["code"] == "11-9905.00"
    paths = data["paths"]
    assert [p["codes"] for p in paths] == [
        ["43-9906.00", "11-9905.00"],
        ["43-9906.00", "43-9907.00", "11-9905.00"],
    ]
    assert [p["total_cost"] for p in paths] == [22, 22]
    hop = paths[0]["hops"][0]
    assert (hop["tier"], hop["rank"], hop["cost"]) == ("Primary-Long", 7, 22)
    assert hop["job_zone_change"] == 3
    assert all(g["gain"] > 0 for g in hop["skills_to_gain"])


@pytest.mark.usefixtures("fresh_settings")
def test_path_by_code_with_options() -> None:
    result = _run(["path", "15-9901.00", "15-9904.00", "--k", "1", "--max-hops", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(_plain(result.stdout))
    assert [p["codes"] for p in data["paths"]] == [["15-9901.00", "15-9904.00"]]


@pytest.mark.usefixtures("fresh_settings")
def test_unknown_title_exits_1_without_traceback() -> None:
    result = _run(["path", "Data Wranglers", "Zqxj Vwkp"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    err = _plain(result.stderr)
    assert "error: no occupation matches 'Zqxj Vwkp'" in err
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.usefixtures("fresh_settings")
def test_no_route_exits_1() -> None:
    result = _run(["path", "Data Wranglers", "Lighthouse Keepers", "--related-only"])
    assert result.exit_code == 1
    assert "error: no route from 'Data Wranglers' to 'Lighthouse Keepers'" in _plain(result.stderr)
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("fresh_settings")
def test_bad_release_folder_exits_1() -> None:
    result = _run(["path", "a", "b"], {"CAREERGRAPH_ONET_DIR": str(FIXTURE_DIR / "missing")})
    assert result.exit_code == 1
    assert "no such file or folder" in _plain(result.stderr)
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("fresh_settings")
def test_k_out_of_range_is_a_usage_error() -> None:
    result = _run(["path", "Data Wranglers", "Analytics Architects", "-k", "11"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("fresh_settings")
def test_path_says_when_a_title_could_mean_several_occupations() -> None:
    # "Analytics Engineer" is an alternate title of Pipeline Engineers (job postings) and
    # of Insight Analysts (USDOL-ETA), a reported title of Analytics Architects
    result = _run(["path", "Analytics Engineer", "Analytics Directors", "--related-only"])
    out = _plain(result.stdout)
    assert result.exit_code == 0, result.output
    assert "'Analytics Engineer' -> 15-9902.00 Pipeline Engineers (alternate title" in out
    assert (
        "'Analytics Engineer' could mean: 15-9902.00 Pipeline Engineers; 15-9903.00 Insight "
        "Analysts; 15-9904.00 Analytics Architects" in out
    )
    assert "Route 1: Pipeline Engineers ->" in out  # the route of the first


@pytest.mark.usefixtures("fresh_settings")
def test_titles_prints_the_resolution_and_the_matching_titles() -> None:
    result = _run(["titles", "pipline enginers"])
    out = _plain(result.stdout)
    assert result.exit_code == 0, result.output
    assert "'pipline enginers' -> 15-9902.00 Pipeline Engineers (fuzzy match" in out
    assert "matching titles" in out and "Pipeline Engineers" in out


@pytest.mark.usefixtures("fresh_settings")
def test_titles_json_is_the_api_answer() -> None:
    from fastapi.testclient import TestClient

    from careergraph.api.app import create_app
    from careergraph.api.settings import get_settings

    result = _run(["titles", "records clerks", "--json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(_plain(result.stdout))
    assert data["resolution"]["confidence"] == "exact"
    assert [r["code"] for r in data["results"]][:2] == ["43-9906.00", "43-9907.00"]
    settings = get_settings()
    with TestClient(create_app(settings.model_copy(update={"onet_dir": FIXTURE_DIR}))) as api:
        body = api.get("/v1/titles", params={"q": "records clerks", "limit": 5}).json()
    assert body == data


@pytest.mark.usefixtures("fresh_settings")
def test_titles_and_path_for_text_that_names_no_occupation() -> None:
    result = _run(["titles", "qqqzzzxx"])
    assert result.exit_code == 0, result.output
    assert "'qqqzzzxx' names no occupation." in _plain(result.stdout)
    path = _run(["path", "wrangler of data zzz", "Analytics Directors"])
    assert path.exit_code == 1
    message = " ".join(_plain(path.output).split())
    assert "no occupation matches 'wrangler of data zzz'; did you mean 'Data Wranglers'" in message


@pytest.mark.usefixtures("fresh_settings")
def test_path_prints_a_browser_link_per_route() -> None:
    result = _run(["path", "Data Wranglers", "analytics architects", "--related-only"])
    assert result.exit_code == 0, result.output
    links = re.findall(r"Neo4j Browser \(draws route (\d)\): (\S+)", _plain(result.stdout))
    assert [n for n, _ in links] == ["1", "2", "3"]
    text = urllib.parse.unquote(links[0][1].split("&arg=", 1)[1])
    assert "['15-9901.00', '15-9902.00', '15-9904.00']" in text  # route 1's codes
    assert "['RELATED_TO', 'RELATED_TO']" in text


@pytest.mark.usefixtures("fresh_settings")
def test_path_format_mermaid_draws_the_routes() -> None:
    table = _run(["path", "Data Wranglers", "analytics architects", "--related-only", "--json"])
    answer = json.loads(_plain(table.stdout))
    result = _run(
        ["path", "Data Wranglers", "analytics architects", "--related-only", "--format", "mermaid"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    for number, path in enumerate(answer["paths"], start=1):
        assert any(line.startswith(f'  subgraph route{number}["Route {number}: ') for line in lines)
        for i, (code, title) in enumerate(zip(path["codes"], path["titles"], strict=True)):
            assert any(line.startswith(f'    r{number}s{i}["{title}<br/>{code}') for line in lines)
        arrows = [line for line in lines if line.startswith(f"    r{number}s") and "-->|" in line]
        assert len(arrows) == len(path["hops"])
        for arrow, hop in zip(arrows, path["hops"], strict=True):
            assert f"cost {hop['cost']:.1f}" in arrow and "pay" in arrow
    assert lines.count("  end") == len(answer["paths"])
    assert '"' not in "".join(
        line.split('"', 1)[1].rsplit('"', 1)[0] for line in lines[1:] if '"' in line
    )
    bad = _run(["path", "Data Wranglers", "analytics architects", "--format", "svg"])
    assert bad.exit_code == 2


@pytest.mark.usefixtures("fresh_settings")
def test_occupation_marks_estimated_ratings() -> None:
    result = _run(["occupation", "Lighthouse Keepers"])
    out = _plain(result.stdout)
    assert result.exit_code == 0, result.output
    assert "47-9908.00 Lighthouse Keepers" in out
    assert (
        "estimated: Lighthouse Keepers: skills estimated from 47-9918.00 (O*NET 22.x Skills of"
        " the O*NET-SOC 2010 predecessors)" in out
    )
    assert "Critical Thinking" in out and "47-9918.00" in out
    rated = _plain(_run(["occupation", "15-9901.00", "--json"]).stdout)
    data = json.loads(rated)
    assert data["estimated_ratings"] == []
    assert all(s["estimated_from"] == [] for s in data["skills"])


@pytest.mark.usefixtures("fresh_settings")
def test_path_shows_observed_moves_and_estimates() -> None:
    result = _run(["path", "Lighthouse Keepers", "Data Wranglers", "-k", "1"])
    out = _plain(result.stdout)
    assert result.exit_code == 0, result.output
    assert "estimated: Lighthouse Keepers: skills estimated from 47-9918.00" in out
    moved = _plain(_run(["path", "Records Clerks", "Data Wranglers", "-k", "1"]).stdout)
    assert "100.0 % of people who left Records Clerks were Data Wranglers a year later" in moved


@pytest.mark.usefixtures("fresh_settings")
def test_path_between_two_titles_of_one_occupation() -> None:
    result = _run(["path", "Data Preparation Specialist", "Data Janitor"])
    out = _plain(result.stdout)
    assert result.exit_code == 0, result.output
    assert "are both titles of 15-9901.00 Data Wranglers" in " ".join(out.split())
    assert "Route 1" not in out
