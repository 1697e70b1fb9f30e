"""Request parameters and helpers shared by the ``/v1`` routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query

from careergraph.api.deps import require_loaded_release
from careergraph.api.schemas import AttributionResponse
from careergraph.graph.errors import UnknownOccupationError
from careergraph.graph.model import ONET_SOC_CODE_PATTERN
from careergraph.graph.store import GraphStore
from careergraph.graph.titles import MAX_QUERY_LENGTH, suggest_codes


def _role_query(alias: str, which: str, title: str, code: str) -> Any:
    """A ``from``/``to`` query parameter: a job title or an O*NET-SOC code, 1-200 chars."""
    return Query(
        alias=alias,
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        pattern=r"\S",
        description=f"{which} role: a job title (free text) or an O*NET-SOC code.",
        openapi_examples={
            "title": {"summary": "a job title", "value": title},
            "code": {"summary": "an O*NET-SOC code", "value": code},
        },
    )


FromRole = Annotated[str, _role_query("from", "Current", "Software Systems Engineer", "15-1252.00")]
ToRole = Annotated[str, _role_query("to", "Wanted", "Engineering Director", "11-9041.00")]
OccupationCode = Annotated[
    str,
    Path(
        pattern=ONET_SOC_CODE_PATTERN,
        description="O*NET-SOC code, e.g. 15-1252.00.",
        openapi_examples={"software developers": {"value": "15-1252.00"}},
    ),
]
ListLimit = Annotated[
    int, Query(ge=1, le=50, description="Entries per list (skills, knowledge, technologies).")
]


def attribution_of(store: GraphStore) -> AttributionResponse:
    """The CC BY 4.0 attribution for the release loaded in ``store``.

    Raises
    ------
    NotLoadedError
        The graph is empty.
    BackendUnavailableError
        Neo4j is unreachable.
    """
    return AttributionResponse.for_release(require_loaded_release(store))


def unknown_code_error(store: GraphStore, code: str) -> UnknownOccupationError:
    """The 404 error for an unknown O*NET-SOC code, suggesting up to five occupations whose
    codes share the longest prefix with it (same SOC major group at least), as title
    resolution does (:func:`graph.titles.suggest_codes`)."""
    near = suggest_codes(store, code, 5)
    return UnknownOccupationError(code, [(m.occupation_title, m.code) for m in near])
