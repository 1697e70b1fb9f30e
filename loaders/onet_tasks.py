"""O*NET ``Task Statements`` loader: what people in an occupation do, for the role page.

The tasks come from a newer O*NET release than the rest of the graph (30.1, December 2025,
same O*NET-SOC 2019 codes as 29.3; ``careergraph data fetch`` puts it in the cache, the
setting is ``CAREERGRAPH_TASKS_DIR``). The official text file is tab-delimited with CRLF
line ends and writes missing values as ``n/a``. Every problem stops the load with a
:class:`graph.errors.DataFormatError` naming file, line, column and reason.

Source: O*NET 30.1 Database (USDOL/ETA), CC BY 4.0, ``Task Statements`` columns
``O*NET-SOC Code``, ``Task ID``, ``Task``, ``Task Type``, ``Incumbents Responding``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from careergraph.graph.model import TaskStatement, TaskType
from careergraph.loaders.onet import CODE, detect_release
from careergraph.loaders.tables import ReleaseSource

TASKS_TABLE = "Task Statements"
TASK_COLUMNS = (CODE, "Task ID", "Task", "Task Type", "Incumbents Responding")
"""Columns the table must have (header validation)."""


def read_task_statements(path: Path, known_codes: set[str]) -> tuple[str, list[TaskStatement], int]:
    """Read ``Task Statements`` from a release folder or zip.

    Parameters
    ----------
    path
        Folder or zip holding ``Task Statements.txt`` (or ``.xlsx``), e.g. O*NET 30.1's
        ``db_30_1_text``.
    known_codes
        O*NET-SOC codes of the loaded graph; tasks of other codes are dropped and counted.

    Returns
    -------
    tuple[str, list[TaskStatement], int]
        The release label (from ``Read Me.txt`` or the path, ``"30.1"``), the tasks in file
        order (``position`` numbers each occupation's tasks from 1), and how many rows were
        dropped for unknown codes. For 30.1: 18,796 tasks of 923 occupations.

    Raises
    ------
    DataFormatError
        Missing file, bad header, a malformed code, a ``Task ID`` that is not a positive
        whole number or repeats, an empty task, a ``Task Type`` other than Core,
        Supplemental or n/a, a negative ``Incumbents Responding`` (file, line, column).
    """
    source = ReleaseSource(path, required_table=TASKS_TABLE)
    try:
        release = detect_release(source)
        types = {t.value: t for t in TaskType}
        tasks: list[TaskStatement] = []
        positions: Counter[str] = Counter()
        seen: set[int] = set()
        dropped = 0
        for row in source.read_table(TASKS_TABLE, TASK_COLUMNS):
            code = row.onet_code(CODE)
            task_id = row.integer("Task ID", low=1)
            if task_id in seen:
                raise row.error("Task ID", f"duplicate task {task_id}")
            seen.add(task_id)
            statement = row.text("Task")
            kind = row.text("Task Type", required=False)
            if kind and kind not in types:
                raise row.error("Task Type", f"{kind!r} is not Core, Supplemental or n/a")
            incumbents = row.text("Incumbents Responding", required=False)
            if code not in known_codes:
                dropped += 1
                continue
            positions[code] += 1
            tasks.append(
                TaskStatement(
                    code=code,
                    task_id=task_id,
                    statement=statement,
                    task_type=types[kind] if kind else None,
                    incumbents_responding=(
                        row.integer("Incumbents Responding", low=0) if incumbents else None
                    ),
                    position=positions[code],
                )
            )
        return release, tasks, dropped
    finally:
        source.close()
