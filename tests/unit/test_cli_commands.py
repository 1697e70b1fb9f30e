"""The CLI beyond ``path``: occupation, related, gap, load's snapshot, --json, --version, help.

Runs on the hand-written fixture release (memory backend), each test with its own cache
folder, via typer's CliRunner.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from careergraph.api.cli import ONET_READ_STEPS, app, rounded
from careergraph.loaders.onet import read_onet_release

from .support import FIXTURE_DIR

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
LONG_FLOAT = re.compile(r"\d\.\d{3,}")
Runner = Callable[..., Result]
COMMANDS = ["data", "data fetch", "load", "path", "occupation", "related", "gap", "serve"]
COMMANDS += ["next-steps"]
COMMANDS += ["browser", "neo4j", "neo4j start", "neo4j stop", "neo4j status"]


@pytest.fixture
def run(tmp_path: Path, fresh_settings: None) -> Runner:
    def invoke(*args: str) -> Result:
        env = {
            "CAREERGRAPH_ONET_DIR": str(FIXTURE_DIR),
            "CAREERGRAPH_BACKEND": "memory",
            "CAREERGRAPH_CACHE_DIR": str(tmp_path / "cache"),
            "COLUMNS": "200",
            "NO_COLOR": "1",
        }
        return CliRunner().invoke(app, list(args), env=env)

    return invoke


def _plain(text: str) -> str:
    return ANSI.sub("", text)


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"careergraph \d+\.\d+\.\d+\S*\n", result.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_plain_text(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    text = _plain(result.stdout)
    assert "Usage:" in text
    for raw in ("``", ":func:", ":class:", ":data:", "[dim]"):
        assert raw not in text, f"{command} --help shows {raw!r}"


def test_every_data_command_takes_json() -> None:
    for command in ("data fetch", "load", "path", "occupation", "related", "gap", "browser"):
        result = CliRunner().invoke(app, [*command.split(), "--help"], env={"COLUMNS": "120"})
        assert "--json" in _plain(result.stdout), command


def test_rounded() -> None:
    assert rounded({"a": [1.23456, {"b": -0.0001}], "c": 3, "d": "x.123456"}) == {
        "a": [1.23, {"b": 0.0}],
        "c": 3,
        "d": "x.123456",
    }
    assert str(rounded(-0.001)) == "0.0"


def test_read_steps_match_the_reader() -> None:
    ticks: list[str] = []
    read_onet_release(FIXTURE_DIR, progress=lambda table, rows: ticks.append(table))
    assert len(ticks) == ONET_READ_STEPS


def test_occupation(run: Runner) -> None:
    result = run("occupation", "15-9901.00", "-n", "3")
    assert result.exit_code == 0, result.output
    out = _plain(result.stdout)
    assert out.startswith("15-9901.00 Data Wranglers (job zone 3)")
    assert "top skill" in out and "importance (IM 1-5)" in out
    assert "O*NET 99.1 Database" in out.replace("\n", " ")

    as_json = run("occupation", "Data Wranglers", "--json", "-n", "3")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["code"] == "15-9901.00"
    assert len(data["skills"]) == 3
    assert data["attribution"]["license"] == "CC BY 4.0"
    assert data["attribution"]["release"] == "99.1"
    assert not LONG_FLOAT.search(as_json.stdout)


def test_related(run: Runner) -> None:
    result = run("related", "Data Wranglers")
    assert result.exit_code == 0, result.output
    out = _plain(result.stdout)
    assert "O*NET related occupations" in out and "Primary-Short" in out
    data = json.loads(run("related", "15-9901.00", "--json").stdout)
    assert data["occupation"]["code"] == "15-9901.00"
    ranks = [r["rank"] for r in data["related"]]
    assert ranks == sorted(ranks) and ranks
    assert data["attribution"]["release"] == "99.1"


def test_next_steps(run: Runner) -> None:
    result = run("next-steps", "Data Wranglers", "--limit", "4")
    assert result.exit_code == 0, result.output
    out = _plain(result.stdout)
    assert "likely next occupations" in out and "not an observed figure" in out
    data = json.loads(run("next-steps", "15-9901.00", "--json").stdout)
    assert data["occupation"]["code"] == "15-9901.00"
    steps = data["next_steps"]
    assert [s["rank"] for s in steps] == list(range(1, len(steps) + 1)) and steps
    assert [s["probability"] for s in steps] == sorted(
        (s["probability"] for s in steps), reverse=True
    )
    assert "15-9901.00" not in {s["code"] for s in steps}
    unknown = run("next-steps", "99-9999.99")
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output


def test_gap(run: Runner) -> None:
    result = run("gap", "Data Wranglers", "Analytics Architects")
    assert result.exit_code == 0, result.output
    out = _plain(result.stdout)
    assert "15-9901.00 Data Wranglers -> " in out and "skills to gain" in out
    as_json = run("gap", "15-9901.00", "Analytics Architects", "--json")
    data = json.loads(as_json.stdout)
    gains = [g["gain"] for g in data["gap"]["skills_to_gain"]]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
    assert data["attribution"]["release"] == "99.1"
    assert not LONG_FLOAT.search(as_json.stdout)


def test_unknown_role_is_one_clear_line(run: Runner) -> None:
    for args in (("occupation", "Zqxj Vwkp"), ("related", "99-9999.00"), ("gap", "x", "Zqxj")):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "error: no occupation matches" in _plain(result.stderr)
        assert "Traceback" not in result.output and result.stdout == ""


def test_path_json_has_attribution_and_rounded_numbers(run: Runner) -> None:
    result = run("path", "Data Wranglers", "Analytics Architects", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["attribution"]["release"] == "99.1"
    assert "CC BY 4.0" in data["attribution"]["text"]
    assert not LONG_FLOAT.search(result.stdout)


def test_memory_load_writes_the_snapshot_later_runs_use(run: Runner, tmp_path: Path) -> None:
    first = run("load", "--backend", "memory")
    assert first.exit_code == 0, first.output
    assert "memory graph saved as" in _plain(first.stdout)
    snapshots = list((tmp_path / "cache" / "snapshots").glob("*"))
    assert len(snapshots) == 1

    later = run("path", "Data Wranglers", "Analytics Architects")
    assert later.exit_code == 0, later.output
    assert "built the graph" not in _plain(later.stderr)  # restored, not rebuilt
    assert list((tmp_path / "cache" / "snapshots").glob("*")) == snapshots

    as_json = run("load", "--backend", "memory", "--json")
    data = json.loads(as_json.stdout)
    assert data["backend"] == "memory" and data["release"] == "99.1"
    assert data["counts"]["nodes"]["Occupation"] > 0
    assert data["attribution"]["release"] == "99.1"


def test_browser_json() -> None:
    listed = json.loads(CliRunner().invoke(app, ["browser", "--json"]).stdout)
    names = [q["name"] for q in listed["queries"]]
    assert "routes_between_roles" in names and all(q["question"] for q in listed["queries"])
    one = CliRunner().invoke(app, ["browser", "routes_between_roles", "--json"])
    data = json.loads(one.stdout)
    assert data["url"].startswith("http") and "/browser/" in data["url"]
    assert data["query"] == "routes_between_roles" and data["parameters"]
