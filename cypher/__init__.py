"""The Cypher files (schema, loads, saved queries), shipped as package data of
``careergraph.cypher`` and read with ``importlib.resources.files("careergraph.cypher")``.
"""
