"""careergraph benchmarks: each module prints Markdown tables and writes JSON to
``bench/results/``. Run them all with ``scripts/bench`` (or ``.venv/bin/python -m bench``);
see ``docs/benchmarks.md``."""
