"""Supervisor and manager ladders: worker -> own first-line supervisor -> manager.

The rule (``docs/pathfinding.md``, section "Ladders"):

* **Supervisors** are the occupations of the SOC minor groups named "Supervisors of ..."
  (the ``XX-1000`` minor group of each of the major groups 33-53 in the SOC 2010 hierarchy,
  ``transitions/soc_hierarchy.xlsx``; in major groups 11-31 ``XX-1xxx`` codes are not
  supervisors). Their O*NET-SOC 2019 codes are listed in ``graph/data/ladders.csv``.
* **worker -> supervisor**: a worker (any occupation outside major groups 11 and 55 that is
  not itself a supervisor) moves up to every supervisor whose ``supervises`` SOC prefixes
  match the worker's code. Where a major group has a single supervisor the prefix is the
  whole group (``49-``); where it has several, the SOC minor or broad groups named in the
  supervisor's title (``33-2`` for First-Line Supervisors of Firefighting and Prevention
  Workers).
* **supervisor -> manager**: a supervisor moves up to the manager occupation(s) of its
  function, the ``managers`` column (First-Line Supervisors of Construction Trades and
  Extraction Workers -> Construction Managers); empty where the SOC has no manager
  occupation for the function.

The mapping is data, not code: ``graph/data/ladders.csv`` (columns ``supervisor_code``,
``supervises`` space-separated SOC prefixes, ``managers`` space-separated O*NET-SOC codes,
``basis`` the SOC group names the row rests on). A ladder pair is a candidate move and a
feature of its cost; O*NET relatedness and observed moves are its evidence
(:mod:`graph.career_moves`), and the fitted model decides how much the relation itself
weighs (:mod:`graph.move_model`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from enum import StrEnum
from importlib import resources

from careergraph.graph.errors import DataFormatError
from careergraph.graph.model import Record

LADDERS_FILE = "ladders.csv"
_COLUMNS = ("supervisor_code", "supervises", "managers", "basis")
_NOT_WORKERS = ("11-", "55-")


class LadderRelation(StrEnum):
    """How a ladder move climbs: to the supervisor of one's work, or to its manager."""

    TO_SUPERVISOR = "to_supervisor"
    TO_MANAGER = "to_manager"


class SupervisorLadder(Record):
    """One row of ``graph/data/ladders.csv``: a first-line supervisor occupation, the SOC
    groups whose workers it supervises, and the manager occupation(s) of its function."""

    supervisor_code: str
    supervises: tuple[str, ...]
    managers: tuple[str, ...]
    basis: str


def read_ladders(text: str | None = None) -> list[SupervisorLadder]:
    """Read the ladder mapping (``graph/data/ladders.csv`` unless ``text`` is given).

    Raises
    ------
    DataFormatError
        A missing column or an empty ``supervisor_code`` (file, line and reason).
    """
    if text is None:
        text = (
            resources.files("careergraph.graph.data")
            .joinpath(LADDERS_FILE)
            .read_text(encoding="utf-8")
        )
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFormatError(LADDERS_FILE, f"missing columns {missing}", line=1)
    ladders: list[SupervisorLadder] = []
    for line, row in enumerate(reader, start=2):
        code = (row["supervisor_code"] or "").strip()
        if not code:
            raise DataFormatError(LADDERS_FILE, "empty value", line=line, column="supervisor_code")
        ladders.append(
            SupervisorLadder(
                supervisor_code=code,
                supervises=tuple((row["supervises"] or "").split()),
                managers=tuple((row["managers"] or "").split()),
                basis=(row["basis"] or "").strip(),
            )
        )
    return ladders


def derive_ladder_pairs(
    codes: Iterable[str], ladders: Iterable[SupervisorLadder]
) -> dict[tuple[str, str], LadderRelation]:
    """Every ladder move ``(code, next_code) -> relation`` among ``codes``.

    Parameters
    ----------
    codes
        O*NET-SOC codes of the release; pairs name only these.
    ladders
        The mapping read by :func:`read_ladders`.

    Returns
    -------
    dict
        ``(worker, supervisor)`` pairs with :attr:`LadderRelation.TO_SUPERVISOR` and
        ``(supervisor, manager)`` pairs with :attr:`LadderRelation.TO_MANAGER`.
    """
    known = set(codes)
    rows = [r for r in ladders if r.supervisor_code in known]
    supervisors = {r.supervisor_code for r in rows}
    pairs: dict[tuple[str, str], LadderRelation] = {}
    for worker in sorted(known - supervisors):
        if worker.startswith(_NOT_WORKERS):
            continue
        for r in rows:
            if any(worker.startswith(prefix) for prefix in r.supervises):
                pairs[(worker, r.supervisor_code)] = LadderRelation.TO_SUPERVISOR
    for r in rows:
        for manager in r.managers:
            if manager in known:
                pairs[(r.supervisor_code, manager)] = LadderRelation.TO_MANAGER
    return pairs
