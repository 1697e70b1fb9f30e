"""Write docs/evaluation.md from the evaluation figures (bench/evaluate_paths.py)."""

from __future__ import annotations

from pathlib import Path

from graph.model import OnetRelease


def write_evaluation_doc(path: Path, report: dict[str, object], release: OnetRelease) -> None:
    """Render ``report`` as Markdown at ``path``."""
