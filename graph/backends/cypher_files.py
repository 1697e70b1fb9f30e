"""The Cypher files shipped with careergraph (``cypher/``: schema, loads, saved queries),
read as package data; no Neo4j driver needed (the memory backend's API links its routes to
a saved query)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import LiteralString

CYPHER_PACKAGE = "careergraph.cypher"
"""The package whose data files are the Cypher files (the repository's ``cypher/``)."""


def cypher_files() -> Traversable:
    """The Cypher folder as installed: ``cypher/`` of the repository (editable install) or
    ``careergraph/cypher/`` of the wheel, read through :mod:`importlib.resources`."""
    return resources.files(CYPHER_PACKAGE)


@cache
def read_cypher(name: str) -> LiteralString:
    """Return the text of ``cypher/<name>.cypher`` (e.g. ``"queries/explain_hop"``), a data
    file of the ``careergraph.cypher`` package.

    Raises
    ------
    FileNotFoundError
        No such file.
    """
    # Trusted text from the package's own files (mypy treats LiteralString as str).
    text: LiteralString = cypher_files().joinpath(f"{name}.cypher").read_text(encoding="utf-8")
    return text
