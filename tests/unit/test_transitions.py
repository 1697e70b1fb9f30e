"""Observed moves (CPS ASEC -> MOVED_TO): the mapping rules on a hand-written fixture
(tests/fixtures/transitions_mini, shares worked out by hand in the comments) and checked
against the real file in the shared data folder."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.errors import DataFormatError
from careergraph.graph.model import LaborMarketFigures, ObservedMove, Occupation, OnetRelease
from careergraph.loaders.pipeline import build_career_data
from careergraph.loaders.transitions import (
    CPS_EDGELIST_FILE,
    CROSSWALK_FILE,
    find_shared_census_groups,
    map_oes_codes,
    movers_shares,
    read_cps_flows,
    read_crosswalk,
    read_observed_moves,
)

from .support import REPO_ROOT, shared_data_dir

MINI = REPO_ROOT / "tests" / "fixtures" / "transitions_mini"


def _occupation(code: str, title: str) -> Occupation:
    return Occupation(code=code, title=title, description="")


OCCUPATIONS = [
    _occupation("15-9901.00", "Data Wranglers"),
    _occupation("15-9902.00", "Pipeline Engineers"),
    _occupation("15-9903.00", "Insight Analysts"),
    _occupation("15-9904.00", "Analytics Architects"),
    _occupation("11-9905.00", "Analytics Directors"),
    _occupation("11-9905.01", "Chief Data Officers"),
    _occupation("43-9906.00", "Records Clerks"),
    _occupation("43-9907.00", "Archive Technicians"),
    _occupation("47-9908.00", "Lighthouse Keepers"),
]
TITLES = {o.code: o.title for o in OCCUPATIONS}


def _by_pair(moves: list[ObservedMove]) -> dict[tuple[str, str], ObservedMove]:
    return {(m.code, m.next_code): m for m in moves}


def _shares(moves: list[ObservedMove]) -> dict[tuple[str, str], float]:
    return {pair: round(m.share_of_movers, 9) for pair, m in _by_pair(moves).items()}


def test_mapping_rules_on_the_fixture_split_evenly_without_bls() -> None:
    moves = read_observed_moves(MINI, OCCUPATIONS)
    assert _shares(moves) == {
        # 15-9911 movers: 15-9912 .5 (-> 15-9902, 15-9903 evenly), 11-9910 .25, 43-9916 .25;
        # broad 11-9910 stands for 11-9915 -> 11-9905.00 and its specialty .01, which both
        # carry the SOC code's share
        ("15-9901.00", "15-9902.00"): 0.25,
        ("15-9901.00", "15-9903.00"): 0.25,
        ("15-9901.00", "11-9905.00"): 0.25,
        ("15-9901.00", "11-9905.01"): 0.25,
        ("15-9901.00", "43-9906.00"): 0.25,
        # 15-9912 (-> 15-9902, 15-9903) moves to 15-9913 (-> 15-9903, 15-9904)
        ("15-9902.00", "15-9903.00"): 0.5,
        ("15-9902.00", "15-9904.00"): 0.5,
        # 15-9903 descends from 15-9912 (100 leavers) and 15-9913 (50): into its own SOC
        # code is no move, so 50 to 15-9904 and 50 to 15-9901
        ("15-9903.00", "15-9904.00"): 0.5,
        ("15-9903.00", "15-9901.00"): 0.5,
        ("15-9904.00", "15-9901.00"): 1.0,
        ("11-9905.00", "15-9903.00"): 0.5,
        ("11-9905.00", "15-9904.00"): 0.5,
        ("11-9905.01", "15-9903.00"): 0.5,
        ("11-9905.01", "15-9904.00"): 0.5,
        # 43-9916 and 43-9917 share a Census code (identical rows): their mutual flows are
        # the CPS split, not moves; the lighthouse keepers never leave
        ("43-9906.00", "15-9901.00"): 1.0,
        ("43-9907.00", "15-9901.00"): 1.0,
    }


def test_shares_sum_to_one_per_source_over_destination_soc_codes() -> None:
    totals: dict[str, dict[str, float]] = defaultdict(dict)
    for m in read_observed_moves(MINI, OCCUPATIONS):
        totals[m.code][m.next_code[:7]] = m.share_of_movers
    assert {code: round(sum(v.values()), 9) for code, v in totals.items()} == dict.fromkeys(
        totals, 1.0
    )


def test_ranks_marks_and_descriptions() -> None:
    moves = _by_pair(read_observed_moves(MINI, OCCUPATIONS))
    ranks = sorted((m.rank, m.next_code) for (code, _), m in moves.items() if code == "15-9901.00")
    assert ranks == [
        (1, "11-9905.00"),
        (2, "11-9905.01"),
        (3, "15-9902.00"),
        (4, "15-9903.00"),
        (5, "43-9906.00"),
    ]
    direct = moves[("15-9901.00", "43-9906.00")]
    assert direct.from_oes_codes == ["15-9911"] and direct.to_oes_codes == ["43-9916"]
    assert not direct.estimated
    assert direct.describe("Data Wranglers", "Records Clerks") == (
        "25.0 % of people who left Data Wranglers were Records Clerks a year later (CPS ASEC)"
    )
    split = moves[("15-9901.00", "15-9902.00")]
    assert split.estimated and split.to_oes_codes == ["15-9912"]
    assert split.describe("Data Wranglers", "Pipeline Engineers") == (
        "about 25.0 % of people who left Data Wranglers were Pipeline Engineers a year later"
        " (CPS ASEC; estimated from BLS OES groups 15-9911 -> 15-9912)"
    )
    specialty = moves[("15-9901.00", "11-9905.01")]
    assert specialty.to_group_title == "Analytics Directors" and not specialty.estimated
    assert specialty.describe("Data Wranglers", "Chief Data Officers") == (
        "25.0 % of people who left Data Wranglers were Analytics Directors (SOC 11-9905,"
        " which includes Chief Data Officers) a year later (CPS ASEC)"
    )


def test_flows_are_split_by_bls_employment_when_known() -> None:
    def figures(code: str, thousands: float) -> LaborMarketFigures:
        return LaborMarketFigures(
            code=code,
            bls_soc_code=code[:7],
            bls_is_aggregate=False,
            employment_2024_thousands=thousands,
        )

    labor = [figures(c, e) for c, e in (("15-9902.00", 30), ("15-9903.00", 10))]
    labor += [figures(c, 10) for c in ("15-9901.00", "15-9904.00", "11-9905.00", "43-9906.00")]
    labor += [figures(c, 10) for c in ("11-9905.01", "43-9907.00", "47-9908.00")]
    shares = _shares(read_observed_moves(MINI, OCCUPATIONS, labor))
    # 15-9912's successors: SOC 15-9902 (30 thousand, all its own) and 15-9903 (10
    # thousand, 200/300 of it from 15-9912 by OES employment): weights 30 : 6.667
    assert shares[("15-9901.00", "15-9902.00")] == round(0.5 * 30 / (30 + 20 / 3), 9)
    assert shares[("15-9901.00", "15-9903.00")] == round(0.5 * (20 / 3) / (30 + 20 / 3), 9)
    assert shares[("15-9901.00", "43-9906.00")] == 0.25


def test_shared_census_groups_and_movers() -> None:
    flows = read_cps_flows(MINI / CPS_EDGELIST_FILE)
    groups = find_shared_census_groups(flows)
    assert groups == [("43-9916", "43-9917")]
    movers = movers_shares(flows, groups)
    assert movers["43-9916"] == {"15-9911": 1.0}
    assert "47-9918" not in movers  # nobody left


def test_group_codes_spread_over_their_detailed_codes() -> None:
    crosswalk = read_crosswalk(MINI / CROSSWALK_FILE)
    known = [o.code for o in OCCUPATIONS]
    mapped = map_oes_codes(["11-9910", "15-9912", "15-9911", "15-9900"], crosswalk, known)
    assert mapped["11-9910"] == ["11-9905.00", "11-9905.01"]
    assert mapped["15-9912"] == ["15-9902.00", "15-9903.00"]
    # a minor group covers only detailed codes no finer code of the file covers
    assert mapped["15-9900"] == ["15-9903.00", "15-9904.00"]


def test_official_crosswalk_form_is_read(tmp_path: Path) -> None:
    path = tmp_path / CROSSWALK_FILE
    path.write_text(
        "O*NET-SOC 2010 Code,O*NET-SOC 2010 Title,O*NET-SOC 2019 Code,O*NET-SOC 2019 Title\n"
        '15-1132.00,"Software Developers, Applications",15-1252.00,Software Developers\n'
        '15-1132.00,"Software Developers, Applications",15-1253.00,Software QA\n',
        encoding="utf-8",
    )
    assert read_crosswalk(path).successors == {"15-1132.00": ("15-1252.00", "15-1253.00")}


def _copy_with_edgelist(tmp_path: Path, edit: int, column: str, value: str) -> Path:
    folder = tmp_path / "transitions"
    shutil.copytree(MINI, folder)
    path = folder / CPS_EDGELIST_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[edit - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.mark.parametrize(
    ("line", "column", "value", "message"),
    [
        (3, "OCC_target", "15-99x2", "'15-99x2' is not a BLS OES code"),
        (3, "transition_prob_BLS_ASECnorm_corr", "1.5", "is outside 0.0..1.0"),
        (3, "OCC_target", "15-9911", "repeated pair 15-9911 -> 15-9911"),
        (6, "transition_prob_BLS_ASECnorm_corr", "0.5", "shares of source 15-9912 sum to"),
    ],
)
def test_malformed_edgelist_names_file_line_and_column(
    tmp_path: Path, line: int, column: str, value: str, message: str
) -> None:
    folder = _copy_with_edgelist(tmp_path, line, column, value)
    with pytest.raises(DataFormatError) as caught:
        read_observed_moves(folder, OCCUPATIONS)
    assert caught.value.file.endswith("asec_to_bls_mobility_edgelist.csv")
    assert caught.value.column == column
    assert message in str(caught.value)
    if "sum to" not in message:
        assert caught.value.line == line


def test_missing_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match=r"2010_to_2019_Crosswalk\.csv: cannot read"):
        read_observed_moves(tmp_path, OCCUPATIONS)
    shutil.copy(MINI / CROSSWALK_FILE, tmp_path / CROSSWALK_FILE)
    with pytest.raises(DataFormatError, match=r"asec_to_bls_mobility_edgelist\.csv: no such file"):
        read_observed_moves(tmp_path, OCCUPATIONS)


def test_pipeline_loads_moved_to_into_the_memory_store(mini_release: OnetRelease) -> None:
    release = build_career_data(
        mini_release, bls_dir=None, career_changers_dir=None, transitions_dir=MINI
    )
    # the mini release has no 11-9905.01: moves name only loaded occupations
    assert len(release.career.observed_moves) == 13
    store = NetworkxStore()
    counts = store.load(release)
    assert counts.relationships["MOVED_TO"] == 13
    hop = store.explain_hop("15-9901.00", "43-9906.00")
    assert hop.observed_move is not None and hop.observed_move.share_of_movers == 0.25
    assert hop.observed_move_text == (
        "25.0 % of people who left Data Wranglers were Records Clerks a year later (CPS ASEC)"
    )
    without = build_career_data(mini_release, bls_dir=None, career_changers_dir=None)
    assert without.career.observed_moves == []


# -- the real file ------------------------------------------------------------------------
REAL = shared_data_dir() / "transitions"


@pytest.fixture(scope="module")
def real_moves(real_tsv_release: OnetRelease) -> list[ObservedMove]:
    return read_observed_moves(REAL, real_tsv_release.occupations)


def test_real_census_groups_are_found() -> None:
    groups = find_shared_census_groups(read_cps_flows(REAL / CPS_EDGELIST_FILE))
    assert len(groups) == 17
    assert ("15-1132", "15-1133") in groups and ("11-1010", "11-1030") in groups


def test_real_rows_sum_to_one_among_movers(real_moves: list[ObservedMove]) -> None:
    totals: dict[str, dict[str, float]] = defaultdict(dict)
    for m in real_moves:
        totals[m.code][m.next_code[:7]] = m.share_of_movers
    assert len(totals) > 900
    assert all(abs(sum(v.values()) - 1.0) < 1e-9 for v in totals.values())


def test_real_share_for_software_developers_to_it_managers(
    real_moves: list[ObservedMove],
) -> None:
    """15-1252.00 descends from 15-1132 and 15-1133 (one Census code, identical rows): its
    share into 11-3021.00 (OES 11-3020) is 15-1132's flow there over its movers, the flow
    to 15-1133 being the Census split, not a move."""
    with (REAL / CPS_EDGELIST_FILE).open(encoding="utf-8") as handle:
        row = {
            r["OCC_target"]: float(r["transition_prob_BLS_ASECnorm_corr"])
            for r in csv.DictReader(handle)
            if r["OCC_source"] == "15-1132"
        }
    movers = sum(v for code, v in row.items() if code not in ("15-1132", "15-1133"))
    expected = row["11-3020"] / movers
    move = _by_pair(real_moves)[("15-1252.00", "11-3021.00")]
    assert move.share_of_movers == pytest.approx(expected, rel=1e-9)
    assert move.from_oes_codes == ["15-1132", "15-1133"] and move.to_oes_codes == ["11-3020"]
    assert move.estimated  # 15-1132 also stands for 15-1253.00 (another SOC code)


def test_real_nurse_moves_carry_the_soc_share(real_moves: list[ObservedMove]) -> None:
    moves = _by_pair(real_moves)
    rn = moves[("29-2061.00", "29-1141.00")]
    assert rn.rank == 1 and 0.2 < rn.share_of_movers < 0.4
    acute = moves[("29-2061.00", "29-1141.01")]
    assert acute.share_of_movers == rn.share_of_movers
    assert acute.to_group_title == "Registered Nurses"
