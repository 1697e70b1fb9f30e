"""``careergraph show "Software Systems Engineer"``: every section printed, and every figure
equal to the BLS and O*NET source files, which this test reads itself (the shared data:
BLS EP Table 1.2 and OEWS May 2024 as TSV, O*NET 29.3 TSV, O*NET 30.1 Task Statements).

The command runs as a user runs it (typer), on the session's memory store (real data).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from careergraph.api.cli import app
from careergraph.graph.backends.networkx_store import NetworkxStore

from ..conftest import BLS_DIR, ONET_TSV, TASKS_DIR

SEED = "Software Systems Engineer"
GROWTH = "Employment change, percent, 2024\u201334"  # the EP header has an en dash
OPENINGS = "Occupational openings, 2024\u201334 annual average"
SECTIONS = [
    "Summary",
    "What they do",
    "Who thrives",
    "Core skills and knowledge",
    "Typical education",
    "Pay",
    "Employment and outlook",
    "Closely related roles",
    "Where it leads",
    "Where people come from",
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _ep(soc: str) -> dict[str, str]:
    """BLS EP 2024-34 Table 1.2 line item of a SOC code."""
    rows = _rows(BLS_DIR / "occupation_Table_1.2.txt")
    return next(
        r
        for r in rows
        if r["2024 National Employment Matrix code"] == soc and r["Occupation type"] == "Line item"
    )


def _oews(soc: str) -> dict[str, str]:
    """OEWS May 2024 national row of a detailed SOC code."""
    rows = _rows(BLS_DIR / "national_M2024_dl.txt")
    return next(r for r in rows if r["OCC_CODE"] == soc and r["O_GROUP"] == "detailed")


@pytest.fixture(scope="module")
def shown(memory_store: NetworkxStore) -> tuple[dict[str, Any], str]:
    """(``show --json`` answer, ``show`` text) for the seed role on the real data."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "careergraph.api.cli._open_loaded_store", lambda *args, **kwargs: memory_store
        )
        env = {"NO_COLOR": "1", "COLUMNS": "200"}
        as_json = CliRunner().invoke(app, ["show", SEED, "--json"], env=env)
        as_text = CliRunner().invoke(app, ["show", SEED], env=env)
    assert as_json.exit_code == 0, as_json.output
    assert as_text.exit_code == 0, as_text.output
    return json.loads(as_json.stdout), as_text.stdout


def test_show_prints_every_section_and_names_the_three_occupations(
    shown: tuple[dict[str, Any], str],
) -> None:
    answer, text = shown
    flat = " ".join(text.split())
    positions = [flat.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions), "sections in reading order"
    alternate = _rows(ONET_TSV / "Alternate Titles.txt")
    codes = sorted({r["O*NET-SOC Code"] for r in alternate if r["Alternate Title"] == SEED})
    assert codes == ["15-1252.00", "15-1253.00", "15-1299.08"]
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in _rows(ONET_TSV / "Occupation Data.txt")}
    assert f"is an O*NET title of {len(codes)} occupations" in flat
    for code in codes:
        assert f"{code} {titles[code]}" in flat
    assert sorted(o["code"] for o in answer["title_span"]["occupations"]) == codes
    assert answer["code"] == "15-1252.00" and answer["title"] == titles["15-1252.00"]
    assert "weighted by BLS 2024 employment" in flat


def test_show_figures_equal_the_bls_files(shown: tuple[dict[str, Any], str]) -> None:
    answer, text = shown
    flat = " ".join(text.split())
    ep, oews = _ep("15-1252"), _oews("15-1252")
    pay, outlook = answer["pay"], answer["outlook"]
    assert pay["median_wage_usd"] == float(ep["Median annual wage, dollars, 2024[1]"])
    assert pay["median_wage_usd"] == float(oews["A_MEDIAN"])
    for field, column in [
        ("wage_p10_usd", "A_PCT10"),
        ("wage_p25_usd", "A_PCT25"),
        ("wage_p75_usd", "A_PCT75"),
        ("wage_p90_usd", "A_PCT90"),
    ]:
        assert pay[field] == float(oews[column]), field
    assert pay["figures_for"] is None
    assert outlook["employment_2024_thousands"] == float(ep["Employment, 2024"])
    assert outlook["employment_2034_thousands"] == float(ep["Employment, 2034"])
    assert outlook["growth_pct"] == float(ep[GROWTH])
    assert outlook["annual_openings_thousands"] == float(ep[OPENINGS])
    assert (
        answer["education"]["typical_entry_education"] == ep["Typical education needed for entry"]
    )
    median = f"${int(oews['A_MEDIAN']):,}"
    spread = f"${int(oews['A_PCT10']):,}-${int(oews['A_PCT90']):,}"
    assert f"median {median} a year; 10th-90th percentile {spread}" in flat
    assert f"{float(ep[GROWTH]):+.1f} %" in flat
    # the title's three occupations: each one's own (or its BLS group's) figures
    for occupation in answer["title_span"]["occupations"]:
        soc = occupation["code"][:7]
        assert occupation["median_wage_usd"] == float(_oews(soc)["A_MEDIAN"])
        assert occupation["growth_pct"] == float(_ep(soc)[GROWTH])
        assert occupation["employment_2024_thousands"] == float(_ep(soc)["Employment, 2024"])
        assert (occupation["figures_for"] is not None) == (occupation["code"] == "15-1299.08")
    wages = [float(_oews(c)["A_MEDIAN"]) for c in ("15-1252", "15-1299", "15-1253")]
    across = answer["title_span"]["median_wage_usd"]
    assert (across["low"], across["high"]) == (min(wages), max(wages))
    assert across["plain_mean"] == pytest.approx(sum(wages) / 3, abs=0.01)
    assert f"plain mean ${sum(wages) / 3:,.0f}" in flat


def test_show_facts_equal_the_onet_files(shown: tuple[dict[str, Any], str]) -> None:
    answer, text = shown
    flat = " ".join(text.split())
    tasks = [
        r for r in _rows(TASKS_DIR / "Task Statements.txt") if r["O*NET-SOC Code"] == "15-1252.00"
    ]
    assert answer["task_count"] == len(tasks) and answer["tasks_release"] == "30.1"
    core = [r["Task"] for r in tasks if r["Task Type"] == "Core"]
    assert [t["statement"] for t in answer["tasks"]] == core[: len(answer["tasks"])]
    for statement in core[:3]:
        assert " ".join(statement.split()) in flat
    interests = {
        r["Element Name"]: float(r["Data Value"])
        for r in _rows(ONET_TSV / "Interests.txt")
        if r["O*NET-SOC Code"] == "15-1252.00" and r["Scale ID"] == "OI"
    }
    shown_interests = {i["name"]: i["value"] for i in answer["who_thrives"]["interests"]}
    assert shown_interests == pytest.approx(interests)
    top = sorted(interests, key=lambda name: -interests[name])[:3]
    assert answer["who_thrives"]["interest_code"] == "".join(name[0] for name in top)
    related = [
        r
        for r in _rows(ONET_TSV / "Related Occupations.txt")
        if r["O*NET-SOC Code"] == "15-1252.00"
    ]
    first = sorted(related, key=lambda r: int(r["Index"]))[:5]
    assert [r["code"] for r in answer["related"]] == [r["Related O*NET-SOC Code"] for r in first]
    # O*NET 29.3 rates no work styles for 15-1252.00: the page's are estimates, marked
    styles = _rows(ONET_TSV / "Work Styles.txt")
    assert not any(r["O*NET-SOC Code"] == "15-1252.00" for r in styles)
    assert all(w["estimated_from"] for w in answer["who_thrives"]["work_styles"])
    assert re.search(r"work styles: O\*NET does not rate Software Developers; estimated from", flat)
