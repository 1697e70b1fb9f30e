"""The supervisor/manager ladder: its data file against the SOC structure, and the rule."""

from __future__ import annotations

from collections import defaultdict

import pytest
from python_calamine import CalamineWorkbook

from careergraph.graph.errors import DataFormatError
from careergraph.graph.ladders import (
    LadderRelation,
    SupervisorLadder,
    derive_ladder_pairs,
    read_ladders,
)
from careergraph.graph.model import OnetRelease
from careergraph.loaders.transitions import read_crosswalk
from tests.conftest import TRANSITIONS_DIR


def _supervisor_minor_groups() -> set[str]:
    """SOC 2010 minor groups named "Supervisors of ..." (transitions/soc_hierarchy.xlsx)."""
    book = CalamineWorkbook.from_path(str(TRANSITIONS_DIR / "soc_hierarchy.xlsx"))
    rows = book.get_sheet_by_index(0).to_python()
    header = rows[0]
    minor, name = header.index("minorgroup"), header.index("minorname")
    return {str(r[minor]) for r in rows[1:] if str(r[name]).startswith("Supervisors of")}


def test_the_file_lists_exactly_the_soc_supervisors(onet_only_release: OnetRelease) -> None:
    groups = _supervisor_minor_groups()
    assert groups and all(g.endswith("-1000") for g in groups)
    crosswalk = read_crosswalk(TRANSITIONS_DIR / "2010_to_2019_Crosswalk.csv")
    from_soc: dict[str, set[str]] = defaultdict(set)
    for old, new in crosswalk.successors.items():
        for code in new:
            from_soc[code].add(old)
    known = {o.code for o in onet_only_release.occupations}
    # an O*NET-SOC 2019 code is a supervisor when its SOC 2010 predecessor was in a
    # "Supervisors of" minor group and it stayed in that minor group (Spa Managers moved
    # from 39-1021 to 11-9179.02 in 2019: a manager now)
    expected = {
        code
        for code in known
        if any(f"{old[:4]}000" in groups and old[:4] == code[:4] for old in from_soc.get(code, ()))
    }
    listed = {r.supervisor_code for r in read_ladders()}
    assert listed == expected


def test_every_code_and_prefix_of_the_file_names_real_occupations(
    onet_only_release: OnetRelease,
) -> None:
    known = {o.code for o in onet_only_release.occupations}
    for row in read_ladders():
        assert row.supervisor_code in known
        assert row.supervises, row.supervisor_code
        for prefix in row.supervises:
            assert prefix[:2] == row.supervisor_code[:2] or prefix.startswith("41-2012")
            assert any(c.startswith(prefix) for c in known), prefix
        for manager in row.managers:
            assert manager in known and manager.startswith("11-"), manager
        assert row.basis


def test_rule_on_a_small_mapping() -> None:
    ladders = [
        SupervisorLadder(
            supervisor_code="47-1011.00", supervises=("47-",), managers=("11-9021.00",), basis="x"
        ),
        SupervisorLadder(
            supervisor_code="35-1011.00", supervises=("35-201",), managers=(), basis="x"
        ),
        SupervisorLadder(
            supervisor_code="35-1012.00", supervises=("35-2", "35-3"), managers=(), basis="x"
        ),
    ]
    codes = [
        "47-2031.00",
        "47-1011.00",
        "11-9021.00",
        "35-2014.00",
        "35-3031.00",
        "35-1011.00",
        "35-1012.00",
        "11-1021.00",
        "29-1141.00",
    ]
    pairs = derive_ladder_pairs(codes, ladders)
    assert pairs == {
        ("47-2031.00", "47-1011.00"): LadderRelation.TO_SUPERVISOR,
        ("47-1011.00", "11-9021.00"): LadderRelation.TO_MANAGER,
        ("35-2014.00", "35-1011.00"): LadderRelation.TO_SUPERVISOR,
        ("35-2014.00", "35-1012.00"): LadderRelation.TO_SUPERVISOR,
        ("35-3031.00", "35-1012.00"): LadderRelation.TO_SUPERVISOR,
    }


def test_real_ladders(onet_only_release: OnetRelease) -> None:
    pairs = derive_ladder_pairs((o.code for o in onet_only_release.occupations), read_ladders())
    assert pairs[("49-3023.00", "49-1011.00")] is LadderRelation.TO_SUPERVISOR  # auto mechanic
    assert pairs[("47-2031.00", "47-1011.00")] is LadderRelation.TO_SUPERVISOR  # carpenter
    assert pairs[("47-1011.00", "11-9021.00")] is LadderRelation.TO_MANAGER
    assert pairs[("53-3032.00", "53-1043.00")] is LadderRelation.TO_SUPERVISOR  # truck driver
    assert not any(
        a.startswith(("11-", "55-"))
        for (a, _), rel in pairs.items()
        if rel is LadderRelation.TO_SUPERVISOR
    )


def test_malformed_file_names_file_line_and_column() -> None:
    with pytest.raises(DataFormatError, match="missing columns"):
        read_ladders("supervisor_code,managers\n")
    with pytest.raises(DataFormatError, match=r"line 2, column 'supervisor_code'"):
        read_ladders("supervisor_code,supervises,managers,basis\n,47-,,x\n")
