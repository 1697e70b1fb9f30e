"""Saved Cypher queries and Neo4j Browser links (used by the CLI and the HTTP API).

Reads ``cypher/queries/*.cypher`` and their ``//`` headers, writes parameter values into a
query as Cypher literals (Neo4j Browser cannot take parameters from a URL) and builds the
``/browser/?cmd=edit&arg=`` link that opens it. Also holds the O*NET attribution text.
"""

from __future__ import annotations

import json
import math
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from careergraph.graph.backends.cypher_files import cypher_files, read_cypher
from careergraph.graph.errors import CareerGraphError

ATTRIBUTION = (
    "This site incorporates information from O*NET {release} Database by the U.S. Department "
    "of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
    "license. O*NET® is a trademark of USDOL/ETA."
)


SAVED_QUERY_DIR = "queries"
"""Folder of the saved queries in the ``careergraph.cypher`` package."""
_HEADER_FIELD = re.compile(r"^// ([A-Z][A-Za-z ]*):\s?(.*)$")
_CYPHER_PARAMETER = re.compile(
    r"(?P<skip>//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`)"
    r"|\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)",
    re.DOTALL,
)
# Neo4j Browser 5.24 splits the editor text into statements on every ";", and reads the URL's
# `arg` after decoding the whole URL, so a "&" or "#" would end the text early.
_BROWSER_UNSAFE = {";": ",", "&": " and ", "#": "no. "}
_CYPHER_STRING_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def saved_query_names() -> list[str]:
    """Names of the saved Cypher queries: the ``cypher/queries/*.cypher`` file stems, sorted."""
    folder = cypher_files().joinpath(SAVED_QUERY_DIR)
    return sorted(
        entry.name.removesuffix(".cypher")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".cypher")
    )


def read_saved_query(name: str) -> str:
    """Text of the saved query ``cypher/queries/<name>.cypher``.

    Raises
    ------
    CareerGraphError
        No saved query has that name; the message lists the names.
    """
    names = saved_query_names()
    if name not in names:
        raise CareerGraphError(f"unknown saved query {name!r}; saved queries: {', '.join(names)}")
    return read_cypher(f"queries/{name}")


def read_query_header(text: str) -> dict[str, str]:
    """The fields of a query's leading ``//`` header, e.g. ``{"Question": "...", ...}``.

    A field starts with ``// Name: value``; lines that follow without a field name (usually
    indented, ``//   ...``) continue it and are joined with single spaces.
    """
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        match = _HEADER_FIELD.match(line)
        if match:
            current = match.group(1)
            fields[current] = match.group(2).strip()
        elif current is not None:
            fields[current] = f"{fields[current]} {line[2:].strip()}".strip()
    return fields


def read_example_params(name: str) -> dict[str, Any]:
    """The ``// Example params:`` header of a saved query (a JSON object), or ``{}``.

    Raises
    ------
    CareerGraphError
        Unknown query name, or the header is not a JSON object.
    """
    raw = read_query_header(read_saved_query(name)).get("Example params")
    if raw is None:
        return {}
    try:
        params = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CareerGraphError(f"{name}.cypher: Example params are not JSON: {exc}") from None
    if not isinstance(params, dict):
        raise CareerGraphError(f"{name}.cypher: Example params must be a JSON object")
    return params


def query_parameter_names(text: str) -> set[str]:
    """Names of the ``$parameters`` a Cypher text uses (comments and strings skipped)."""
    return {m.group("name") for m in _CYPHER_PARAMETER.finditer(text) if m.group("name")}


def cypher_literal(value: Any) -> str:
    """Write a JSON-like value as a Cypher literal (``'text'``, ``3``, ``[1, 2]``, ``{k: 1}``).

    Characters Neo4j Browser treats specially in a URL or editor (``;``, ``&``, ``#``) are
    written as ``\\uXXXX`` escapes inside strings, so the value reaches the server intact.

    Raises
    ------
    CareerGraphError
        A value that has no Cypher literal (a non-finite float, an unsupported type).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CareerGraphError(f"{value} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(_CYPHER_STRING_ESCAPES.get(ch, ch) for ch in value)
        for ch in _BROWSER_UNSAFE:
            escaped = escaped.replace(ch, f"\\u{ord(ch):04x}")
        return f"'{escaped}'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"`{str(k).replace('`', '``')}`: {cypher_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise CareerGraphError(f"a {type(value).__name__} has no Cypher literal")


def build_browser_text(text: str, params: Mapping[str, Any]) -> str:
    """The editor text for Neo4j Browser: the query with its parameter values written in.

    Neo4j Browser 5.24 pre-fills its editor from ``?cmd=edit&arg=...`` but cannot set
    parameters from a URL, and a ``:param`` line before the query turns the text into a
    multi-statement script whose frame shows no graph or table. So each ``$name`` outside
    comments and strings becomes the literal of ``params[name]``; the header comment stays,
    with its ``Example params`` lines replaced by the values used and with ``;``, ``&``
    and ``#`` replaced (see ``_BROWSER_UNSAFE``).

    Raises
    ------
    CareerGraphError
        A parameter the query uses has no value, a value names no parameter of the query,
        or the statement itself contains ``;``, ``&`` or ``#``.
    """
    used = query_parameter_names(text)
    missing, unknown = sorted(used - params.keys()), sorted(params.keys() - used)
    if missing or unknown:
        problems = [f"no value for ${n}" for n in missing] + [f"no parameter ${n}" for n in unknown]
        wanted = ", ".join(f"${n}" for n in sorted(used)) or "none"
        raise CareerGraphError(f"{'; '.join(problems)} (the query takes: {wanted})")
    lines = text.splitlines()
    n_header = next((i for i, line in enumerate(lines) if not line.startswith("//")), len(lines))
    kept: list[str] = []
    field: str | None = None
    for line in lines[:n_header]:
        match = _HEADER_FIELD.match(line)
        field = match.group(1) if match else field
        if field != "Example params":
            kept.append(line)
    if params:
        values = ", ".join(f"${k} = {cypher_literal(v)}" for k, v in params.items())
        kept.append(f"// Parameter values written in by `careergraph browser`: {values}")
    for ch, replacement in _BROWSER_UNSAFE.items():
        kept = [line.replace(ch, replacement) for line in kept]
    statement = _CYPHER_PARAMETER.sub(
        lambda m: m.group(0) if m.group("skip") else cypher_literal(params[m.group("name")]),
        "\n".join(lines[n_header:]),
    )
    unsafe = sorted({ch for ch in _BROWSER_UNSAFE if ch in statement})
    if unsafe:
        raise CareerGraphError(
            f"the statement contains {' '.join(unsafe)}, which Neo4j Browser cannot take from a URL"
        )
    return "\n".join([*kept, statement])


def browser_url(http_url: str, text: str) -> str:
    """Neo4j Browser URL that opens with ``text`` in its editor (``?cmd=edit&arg=...``)."""
    return f"{http_url.rstrip('/')}/browser/?cmd=edit&arg={urllib.parse.quote(text, safe='')}"
