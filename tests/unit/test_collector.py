"""graph/collector.py (the garbage collector around long-lived objects) and the console
command that imports the CLI under it (api/console.py)."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from importlib.metadata import entry_points

from careergraph.graph.collector import collector_paused, freeze_long_lived


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_collector_paused_restores_the_state_it_found() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause found it off: it stays off
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


def test_collector_paused_turns_it_back_on_after_an_error() -> None:
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_freeze_collects_cycles_first_only_when_asked() -> None:
    def garbage_cycle() -> weakref.ref[_Node]:
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        return weakref.ref(a)

    kept = _Node()
    try:
        with collector_paused():
            dropped = garbage_cycle()
            freeze_long_lived(collect_first=False)
        assert dropped() is not None  # frozen with the rest: kept for good
        gc.unfreeze()
        with collector_paused():
            collected = garbage_cycle()
            freeze_long_lived(collect_first=True)
        assert collected() is None
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # in the permanent generation
    finally:
        gc.unfreeze()
        gc.collect()


def test_the_console_command_imports_the_cli_frozen_and_runs_it() -> None:
    (script,) = entry_points(group="console_scripts", name="careergraph")
    assert script.value == "careergraph.api.console:run"
    code = (
        "import gc, sys\n"
        "from careergraph.api.console import run\n"
        "sys.argv = ['careergraph', '--version']\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as exc:\n"
        "    print(exc.code, gc.isenabled(), gc.get_freeze_count())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    version_line, outcome = done.stdout.strip().splitlines()[-2:]
    assert "careergraph" in version_line
    code_, enabled, frozen = outcome.split()
    assert code_ in ("0", "None") and enabled == "True"
    assert int(frozen) > 50_000  # the CLI's modules (typer, FastAPI, pydantic, the models)
