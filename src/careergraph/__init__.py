"""careergraph: a career-path knowledge graph over O*NET and BLS data, in networkx or Neo4j.

The installed package is one namespace. Its subpackages live in the repository's top-level
folders (the design card's layout), mapped by setuptools ``package-dir`` in pyproject.toml:

* :mod:`careergraph.graph` (``graph/``): records, the GraphStore protocol, path finding;
  backends in :mod:`careergraph.graph.backends`, shipped data in :mod:`careergraph.graph.data`
* :mod:`careergraph.loaders` (``loaders/``): O*NET, BLS and transitions readers, downloads
* :mod:`careergraph.api` (``api/``): the HTTP API (FastAPI) and the ``careergraph`` CLI
* :mod:`careergraph.cypher` (``cypher/``): the Cypher files, package data read through
  :func:`importlib.resources.files`

This file is the only one of the top package; it lives in ``src/careergraph/`` because the
repository root cannot be a package directory.
"""
