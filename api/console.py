"""The ``careergraph`` console command (``[project.scripts]`` in ``pyproject.toml``).

It imports the command line (:mod:`careergraph.api.cli`: typer, FastAPI, pydantic, numpy and
the domain's models: ~0.1 M tracked objects that live as long as the process) with the cyclic
garbage collector paused, then freezes them out of its reach
(:mod:`careergraph.graph.collector`). Made with it running, they started ~170 collections
(one of them full), ~40 ms of every start (``bench/startup.py``), and every later full
collection would scan them again.
"""

from __future__ import annotations

from careergraph.graph.collector import collector_paused, freeze_long_lived


def run() -> None:
    """Run the ``careergraph`` command (arguments from ``sys.argv``; exits the process)."""
    with collector_paused():
        from careergraph.api.cli import app

        freeze_long_lived(collect_first=False)  # modules: nothing to collect yet
    app()
