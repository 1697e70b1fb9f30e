"""careergraph domain: records, the GraphStore protocol, path finding and errors.

Imports only the standard library and pydantic; backends live in ``graph.backends``.
"""
