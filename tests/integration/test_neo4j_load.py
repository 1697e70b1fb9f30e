"""Loading real O*NET 29.3 into the real Neo4j server: counts, idempotence, atomicity."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path
from typing import LiteralString

import pytest

from careergraph.graph.backends import neo4j_store as neo4j_module
from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.cost import related_hop_cost
from careergraph.graph.errors import CareerGraphError, DataFormatError
from careergraph.graph.model import DescriptorKind, OnetRelease
from careergraph.loaders.onet import read_onet_release


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.txt").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_counts_equal_source_tables(
    neo4j_store: Neo4jStore, onet_tsv_dir: Path, onet_release: OnetRelease
) -> None:
    counts = neo4j_store.counts()
    estimated = {
        kind: sum(r.estimated and r.kind is kind for r in onet_release.ratings)
        for kind in DescriptorKind
    }
    occupations = _rows(onet_tsv_dir, "Occupation Data")
    related = _rows(onet_tsv_dir, "Related Occupations")
    skills = _rows(onet_tsv_dir, "Skills")
    knowledge = _rows(onet_tsv_dir, "Knowledge")
    tech = _rows(onet_tsv_dir, "Technology Skills")
    education = _rows(onet_tsv_dir, "Education, Training, and Experience")
    interests = _rows(onet_tsv_dir, "Interests")
    alternate = _rows(onet_tsv_dir, "Alternate Titles")
    reported = _rows(onet_tsv_dir, "Sample of Reported Titles")

    assert counts.nodes["Occupation"] == len(occupations) == 1016
    assert counts.relationships["RELATED_TO"] == len(related) == 18460
    # IM + LV rows, plus the estimates for occupations O*NET does not rate (35 / 33 each)
    skills_estimated, knowledge_estimated = (
        estimated[DescriptorKind.SKILL],
        estimated[DescriptorKind.KNOWLEDGE],
    )
    assert counts.relationships["REQUIRES_SKILL"] == len(skills) // 2 + skills_estimated
    assert counts.relationships["REQUIRES_KNOWLEDGE"] == len(knowledge) // 2 + knowledge_estimated
    assert skills_estimated == 118 * 35 and knowledge_estimated == 118 * 33
    assert counts.relationships["USES_TECHNOLOGY"] == len(tech)
    assert counts.nodes["Technology"] == len({r["Example"] for r in tech})
    # RL rows, plus the (marked) estimated shares of occupations O*NET does not rate
    education_estimated = sum(s.estimated for s in onet_release.education_shares)
    assert education_estimated > 0
    assert counts.relationships["TYPICAL_EDUCATION"] == (
        sum(r["Scale ID"] == "RL" for r in education) + education_estimated
    )
    interests_estimated = sum(i.estimated for i in onet_release.interest_scores)
    assert counts.relationships["HAS_INTEREST"] == (
        sum(r["Scale ID"] == "OI" for r in interests) + interests_estimated
    )
    assert counts.nodes["Skill"] == len({r["Element ID"] for r in skills}) == 35
    assert counts.nodes["Knowledge"] == len({r["Element ID"] for r in knowledge}) == 33
    title_edges = (
        {(r["Title"], r["O*NET-SOC Code"], "o") for r in occupations}
        | {(r["Alternate Title"], r["O*NET-SOC Code"], "a") for r in alternate}
        | {(r["Reported Job Title"], r["O*NET-SOC Code"], "r") for r in reported}
    )
    assert counts.relationships["TITLE_OF"] == len(title_edges)
    assert counts.nodes["Title"] == len({name for name, _, _ in title_edges})
    assert neo4j_store.loaded_release() == "29.3"


def test_derived_edges_and_bls_figures_are_loaded(
    neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    counts = neo4j_store.counts()
    career = onet_release.career
    assert counts.relationships["LEADS_TO"] == len(career.moves)
    assert counts.relationships["SIMILAR_TO"] == len(career.similarities)
    # MOVED_TO: shares of at least 0.1 % of the movers (loaders.transitions floor)
    assert counts.relationships["MOVED_TO"] == len(career.observed_moves) > 60_000
    # every O*NET related pair is a candidate move; the Career Changers pairs too
    pairs = {(m.code, m.next_code) for m in career.moves}
    assert {(r.code, r.related_code) for r in onet_release.related} <= pairs
    assert {(c.code, c.related_code) for c in career.career_changes} <= pairs
    # BLS spot value: Software Developers' median wage in the projections table
    developers = next(f for f in career.labor_market if f.code == "15-1252.00")
    assert developers.median_wage_usd == 133080


def test_route_bounds_are_the_cheapest_hops_into_and_out_of_each_occupation(
    neo4j_store: Neo4jStore, onet_release: OnetRelease
) -> None:
    """load/route_bounds.cypher: the cost bounds the route query prunes with are the least
    cost of each occupation's incoming and outgoing LEADS_TO and RELATED_TO hops."""
    expected: dict[tuple[str, str], float] = {}
    hops = [("leads_to", m.code, m.next_code, m.cost) for m in onet_release.career.moves]
    hops += [
        ("related_to", r.code, r.related_code, related_hop_cost(r.tier, r.rank))
        for r in onet_release.related
    ]
    for name, source, target, cost in hops:
        for code, prop in ((source, f"{name}_min_out_cost"), (target, f"{name}_min_in_cost")):
            expected[code, prop] = min(cost, expected.get((code, prop), math.inf))
    with neo4j_store._driver.session(database=neo4j_store.database) as session:
        rows = session.run(
            "MATCH (o:Occupation) RETURN o.code AS code, o.leads_to_min_in_cost AS a, "
            "o.leads_to_min_out_cost AS b, o.related_to_min_in_cost AS c, "
            "o.related_to_min_out_cost AS d"
        ).data()
    stored = {
        (row["code"], prop): row[column]
        for row in rows
        for column, prop in (
            ("a", "leads_to_min_in_cost"),
            ("b", "leads_to_min_out_cost"),
            ("c", "related_to_min_in_cost"),
            ("d", "related_to_min_out_cost"),
        )
        if row[column] is not None
    }
    assert stored == expected
    assert len(stored) > 3_000


def test_both_backends_have_identical_counts(
    neo4j_store: Neo4jStore, memory_store: NetworkxStore
) -> None:
    assert neo4j_store.counts() == memory_store.counts()


def test_second_load_changes_nothing(neo4j_store: Neo4jStore, onet_release: OnetRelease) -> None:
    before = neo4j_store.counts()
    occupation = neo4j_store.get_occupation("15-1252.00")
    after = neo4j_store.load(onet_release)
    assert after == before
    assert neo4j_store.get_occupation("15-1252.00") == occupation


def test_corrupted_table_fails_with_file_and_line_and_keeps_graph(
    neo4j_store: Neo4jStore, onet_tsv_dir: Path, tmp_path: Path
) -> None:
    before = neo4j_store.counts()
    copy = tmp_path / "db_29_3_tsv"
    shutil.copytree(onet_tsv_dir, copy)
    path = copy / "Related Occupations.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[99] = "\t".join(lines[99].split("\t")[:3])  # line 100: truncated row
    path.write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(DataFormatError) as caught:
        read_onet_release(copy)
    assert caught.value.line == 100
    assert caught.value.file.endswith("Related Occupations.txt")
    assert "truncated" in caught.value.reason
    assert neo4j_store.counts() == before


def test_failure_inside_the_load_transaction_rolls_back(
    neo4j_store: Neo4jStore,
    onet_release: OnetRelease,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A load that dies part-way (server-side error after most batches were written)
    leaves the previous graph exactly as it was."""
    before = neo4j_store.counts()
    kept = onet_release.occupations[:10]
    codes = {o.code for o in kept}
    shrunk = onet_release.model_copy(
        update={"occupations": kept, "titles": [t for t in onet_release.titles if t.code in codes]}
    )
    real_read = neo4j_module.read_cypher

    def broken(name: str) -> LiteralString:
        if name == "load/moved_to":  # the last load step: everything else is written
            return "UNWIND $rows AS row RETURN 1 / 0"
        return real_read(name)

    monkeypatch.setattr(neo4j_module, "read_cypher", broken)
    with pytest.raises(CareerGraphError, match="rolled back"):
        neo4j_store.load(shrunk)
    monkeypatch.setattr(neo4j_module, "read_cypher", real_read)
    assert neo4j_store.counts() == before
    assert neo4j_store.get_occupation("15-1252.00") is not None
