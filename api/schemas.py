"""Response models of the HTTP API (``/v1``), with the examples shown at ``/docs``.

Every model that carries O*NET data has an ``attribution`` (:class:`AttributionResponse`):
the CC BY 4.0 notice naming the loaded release, as the O*NET licence requires. Domain
records (:mod:`graph.store`, :mod:`graph.service`) are reused as nested fields, so the
API says exactly what the graph answers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from careergraph.api.browser import ATTRIBUTION
from careergraph.graph.model import GraphCounts
from careergraph.graph.paths import RouteFilters
from careergraph.graph.role_profile import RoleProfile
from careergraph.graph.service import CareerPath, SameOccupation
from careergraph.graph.store import (
    LikelyNextStep,
    NextStep,
    OccupationGap,
    OccupationProfile,
    OccupationSummary,
    RelatedOccupationLink,
)
from careergraph.graph.titles import TitleResolution, TitleSearch

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
SEED_RELEASE = "29.3"

_ATTRIBUTION_EXAMPLE: dict[str, Any] = {
    "release": SEED_RELEASE,
    "license": "CC BY 4.0",
    "license_url": LICENSE_URL,
    "text": ATTRIBUTION.format(release=SEED_RELEASE),
}

_TARGET_EXAMPLE: dict[str, Any] = {
    "query": "Engineering Director",
    "confidence": "alternate",
    "ambiguous": False,
    "interpreted_as": None,
    "matches": [
        {
            "title": "Engineering Director",
            "code": "11-9041.00",
            "occupation_title": "Architectural and Engineering Managers",
            "match_kind": "alternate",
            "score": 100.0,
            "onet_sources": ["02", "09", "10"],
            "shown_in_my_next_move": True,
            "employment_thousands": 212.5,
        }
    ],
    "candidates": [],
    "runners_up": [],
}


_SEED_SOURCE_MATCH: dict[str, Any] = {
    "title": "Software Systems Engineer",
    "code": "15-1252.00",
    "occupation_title": "Software Developers",
    "match_kind": "alternate",
    "score": 100.0,
    "onet_sources": ["02", "10"],
    "shown_in_my_next_move": False,
    "employment_thousands": 1693.8,
}


_UX_WEB: dict[str, Any] = {
    "title": "User Experience Designer (UX Designer)",
    "code": "15-1255.00",
    "occupation_title": "Web and Digital Interface Designers",
    "match_kind": "alternate",
    "score": 100.0,
    "onet_sources": ["08"],
    "shown_in_my_next_move": False,
    "employment_thousands": 128.9,
}
_UX_QA: dict[str, Any] = {
    **_UX_WEB,
    "code": "15-1253.00",
    "occupation_title": "Software Quality Assurance Analysts and Testers",
    "employment_thousands": 201.7,
}


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    """Model config that shows ``examples`` in the OpenAPI schema (``/docs``)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class AttributionResponse(BaseModel):
    """The O*NET licence notice: release, licence and the text to show with the data."""

    release: str = Field(description="O*NET release the graph was loaded from, e.g. 29.3")
    license: Literal["CC BY 4.0"] = "CC BY 4.0"
    license_url: str = LICENSE_URL
    text: str

    @classmethod
    def for_release(cls, release: str) -> AttributionResponse:
        """The attribution for O*NET ``release`` (text from :data:`api.browser.ATTRIBUTION`)."""
        return cls(release=release, text=ATTRIBUTION.format(release=release))


class SuggestionResponse(BaseModel):
    """An occupation the caller may have meant."""

    title: str
    code: str


class ValidationDetailResponse(BaseModel):
    """One invalid request value: where (``["query", "k"]``) and why."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """Every error answer: a stable machine-readable ``error`` code and a message.

    ``error`` is one of ``invalid_request`` (422), ``unknown_occupation`` (404, with up to
    five ``suggestions``), ``no_path`` (404), ``not_found`` (404, no such URL),
    ``method_not_allowed`` (405), ``backend_unavailable`` (503, with a ``Retry-After``
    header), ``backend_misconfigured`` (503, no ``Retry-After``: the server's Neo4j settings
    need fixing), ``deadline_exceeded`` (503 with ``Retry-After``: the server was too busy to
    answer within the request deadline), ``not_loaded`` (503) or ``internal_error`` (500).
    """

    model_config = _examples(
        {
            "error": "unknown_occupation",
            "message": "no occupation matches '15-1252.07'",
            "query": "15-1252.07",
            "suggestions": [
                {"title": "Software Developers", "code": "15-1252.00"},
                {"title": "Computer Programmers", "code": "15-1251.00"},
            ],
            "details": [],
        }
    )

    error: str
    message: str
    query: str | None = None
    suggestions: list[SuggestionResponse] = []
    details: list[ValidationDetailResponse] = []


class TitleSearchResponse(TitleSearch):
    """Job titles matching a text (:class:`graph.titles.TitleSearch`): how the text
    resolves (``resolution``: what ``/v1/paths`` and ``/v1/gap`` would use, None when it
    resolves to nothing) and the matching titles, one per occupation, best first."""

    model_config = _examples(
        {
            "query": "UX designer",
            "resolution": {
                "query": "UX designer",
                "confidence": "alternate",
                "ambiguous": True,
                "interpreted_as": None,
                "matches": [_UX_WEB],
                "candidates": [_UX_WEB, _UX_QA],
                "runners_up": [_UX_QA],
            },
            "results": [_UX_WEB, _UX_QA],
            "attribution": _ATTRIBUTION_EXAMPLE,
        }
    )

    attribution: AttributionResponse


class OccupationResponse(OccupationProfile):
    """An occupation: description, job zone, top skills and knowledge (O*NET IM 1-5, LV
    0-7), hot technologies, typical education shares (percent) and BLS figures.

    Skills and knowledge O*NET does not rate are estimates, marked per element
    (``estimated_from``: the O*NET-SOC codes they are taken from; ``estimate_source``: the
    release and rule) and summed up in ``estimated_ratings``.
    """

    model_config = _examples(
        {
            "code": "15-1252.00",
            "title": "Software Developers",
            "description": "Research, design, and develop computer and network software ...",
            "job_zone": 4,
            "skills": [],
            "knowledge": [],
            "hot_technologies": [
                {
                    "name": "Amazon Web Services AWS software",
                    "commodity_title": "Data base user interface and query software",
                    "hot": True,
                    "in_demand": True,
                }
            ],
            "hot_technology_count": 149,
            "technology_count": 426,
            "education": [],
            "attribution": _ATTRIBUTION_EXAMPLE,
        }
    )

    attribution: AttributionResponse


_ROLE_EXAMPLE: dict[str, Any] = {
    "query": "Software Systems Engineer",
    "resolution": {
        "query": "Software Systems Engineer",
        "confidence": "alternate",
        "ambiguous": True,
        "interpreted_as": None,
        "matches": [_SEED_SOURCE_MATCH],
        "candidates": [_SEED_SOURCE_MATCH],
        "runners_up": [],
    },
    "code": "15-1252.00",
    "title": "Software Developers",
    "job_zone": 4,
    "summary": "Research, design, and develop computer and network software or specialized"
    " utility programs.",
    "description": "Research, design, and develop computer and network software ...",
    "title_span": {
        "title": "Software Systems Engineer",
        "occupations": [
            {
                "code": "15-1252.00",
                "title": "Software Developers",
                "match_kind": "alternate",
                "median_wage_usd": 133080.0,
                "growth_pct": 15.8,
                "employment_2024_thousands": 1693.8,
                "figures_for": None,
                "weight_thousands": 1693.8,
            },
            {
                "code": "15-1299.08",
                "title": "Computer Systems Engineers/Architects",
                "match_kind": "alternate",
                "median_wage_usd": 108970.0,
                "growth_pct": 8.2,
                "employment_2024_thousands": 472.0,
                "figures_for": "15-1299 (BLS figures shared by 10 O*NET occupations)",
                "weight_thousands": 47.2,
            },
            {
                "code": "15-1253.00",
                "title": "Software Quality Assurance Analysts and Testers",
                "match_kind": "alternate",
                "median_wage_usd": 102610.0,
                "growth_pct": 10.0,
                "employment_2024_thousands": 201.7,
                "figures_for": None,
                "weight_thousands": 201.7,
            },
        ],
        "median_wage_usd": {
            "low": 102610.0,
            "high": 133080.0,
            "weighted": 129330.69,
            "plain_mean": 114886.67,
            "count": 3,
        },
        "growth_pct": {
            "low": 8.2,
            "high": 15.8,
            "weighted": 15.01,
            "plain_mean": 11.33,
            "count": 3,
        },
        "employment_2024_thousands": 1942.7,
        "method": "Range: the lowest and highest BLS figure of the occupations. Weighted: ...",
        "note": "'Software Systems Engineer' is an O*NET title of 3 occupations: ...",
    },
    "tasks": [
        {
            "task_id": 21662,
            "statement": "Analyze user needs and software requirements to determine feasibility"
            " of design within time and cost constraints.",
            "task_type": "Core",
            "incumbents_responding": 72,
            "position": 1,
        }
    ],
    "task_count": 17,
    "tasks_release": "30.1",
    "who_thrives": {
        "interest_code": "ICR",
        "summary": "Mostly Investigative (working with ideas, researching and solving"
        " problems), then Conventional and Realistic.",
        "interests": [
            {
                "element_id": "1.B.1.b",
                "name": "Investigative",
                "description": "Work involves studying and researching ...",
                "value": 5.86,
                "estimated_from": [],
                "estimate_source": None,
            }
        ],
        "work_styles": [],
        "work_values": [],
    },
    "skills": [],
    "knowledge": [],
    "education": {
        "typical_entry_education": "Bachelor's degree",
        "headline": None,
        "shares": [],
    },
    "pay": {
        "median_wage_usd": 133080.0,
        "wage_p10_usd": 79850.0,
        "wage_p25_usd": 103050.0,
        "wage_p75_usd": 169000.0,
        "wage_p90_usd": 211450.0,
        "figures_for": None,
        "source": "BLS Employment Projections 2024-34 and OEWS May 2024",
    },
    "outlook": {
        "employment_2024_thousands": 1693.8,
        "employment_2034_thousands": 1961.4,
        "growth_pct": 15.8,
        "annual_openings_thousands": 115.2,
        "bright_outlook": True,
        "figures_for": None,
        "source": "BLS Employment Projections 2024-34 and OEWS May 2024",
    },
    "related": [],
    "next_steps": [],
    "incoming": [],
    "estimates": [],
    "sources": ["O*NET 29.3 Database (USDOL/ETA, CC BY 4.0)"],
    "attribution": _ATTRIBUTION_EXAMPLE,
}


class RoleResponse(RoleProfile):
    """A role's page (:class:`graph.role_profile.RoleProfile`): resolution, summary, the
    occupations a title spans with figures across them, tasks, who thrives, skills,
    knowledge, education, pay, outlook, related roles, moves out and in, estimates and
    sources; with the O*NET attribution. Example abridged."""

    model_config = _examples(_ROLE_EXAMPLE)

    attribution: AttributionResponse


class RelatedOccupationsResponse(BaseModel):
    """O*NET's related occupations of one occupation, by rank (1 = most related), with
    the cost in cost points of moving there in one hop; and the career moves
    (``LEADS_TO``: advancement, lateral, step back) out of it, cheapest first."""

    model_config = _examples(
        {
            "occupation": {"code": "15-1252.00", "title": "Software Developers", "job_zone": 4},
            "related": [
                {
                    "code": "15-1299.08",
                    "title": "Computer Systems Engineers/Architects",
                    "job_zone": 3,
                    "tier": "Primary-Short",
                    "rank": 1,
                    "cost": 11.0,
                }
            ],
            "next_steps": [
                {
                    "code": "17-2061.00",
                    "title": "Computer Hardware Engineers",
                    "job_zone": 4,
                    "kind": "advancement",
                    "cost": 14.144,
                    "related_tier": "Primary-Short",
                    "related_rank": 4,
                    "career_changers_rank": None,
                    "similarity": None,
                    "job_zone_delta": 0,
                    "wage_delta_pct": 16.49,
                    "reasons": [
                        "O*NET related occupation (Primary-Short #4)",
                        "median wage +21,940 USD (+16.5 %)",
                    ],
                }
            ],
            "attribution": _ATTRIBUTION_EXAMPLE,
        }
    )

    occupation: OccupationSummary
    related: list[RelatedOccupationLink]
    next_steps: list[NextStep]
    attribution: AttributionResponse


NEXT_STEP_ESTIMATE = (
    "probability: estimate of the move model fitted on CPS ASEC year-to-year occupation moves "
    "(conditional logit over O*NET, BLS and observed-move features; docs/pathfinding.md), "
    "not an observed figure; observed_share: the observed CPS ASEC share of movers"
)


class LikelyNextStepsResponse(BaseModel):
    """Where people who leave one occupation are likely to work next, over every
    occupation, most likely first. ``probability`` is the move model's estimate (fitted on
    CPS ASEC year-to-year moves, ``docs/pathfinding.md``), not an observed figure:
    ``observed_share`` is the observed CPS ASEC share of movers where there is one;
    ``career_move`` says whether routes can take the step (a ``LEADS_TO`` move)."""

    model_config = _examples(
        {
            "occupation": {"code": "15-1252.00", "title": "Software Developers", "job_zone": 4},
            "estimate": NEXT_STEP_ESTIMATE,
            "next_steps": [
                {
                    "rank": 1,
                    "code": "11-3021.00",
                    "title": "Computer and Information Systems Managers",
                    "job_zone": 4,
                    "probability": 0.061,
                    "observed_share": 0.048,
                    "career_move": True,
                }
            ],
            "attribution": _ATTRIBUTION_EXAMPLE,
        }
    )

    occupation: OccupationSummary
    estimate: str = NEXT_STEP_ESTIMATE
    """What the probabilities are."""
    next_steps: list[LikelyNextStep]
    attribution: AttributionResponse


class CypherQueryResponse(BaseModel):
    """A Cypher statement that draws the route, and a Neo4j Browser link that opens it.

    ``statement`` takes its values as ``parameters`` (``codes``: the route's O*NET-SOC
    codes; ``relationships``: each hop's edge type), to run with a driver; ``browser_url``
    opens the same statement in Neo4j Browser's editor with those values written in, since
    a Browser link cannot carry parameters.
    """

    statement: str
    parameters: dict[str, list[str]]
    browser_url: str


class PathResponse(CareerPath):
    """One route, cheapest first (``rank`` 1): its occupations, every hop explained, the
    total cost in cost points, and the Cypher that draws it in Neo4j Browser."""

    rank: int
    cypher: CypherQueryResponse


class AlternativeTargetResponse(BaseModel):
    """Another target offered beside the asked one (:class:`graph.service.AlternativeTarget`):
    the occupation, the O*NET title that makes it the field-specific form of the asked title,
    why it is offered, and its cheapest route."""

    code: str
    title: str
    matched_title: str
    title_source: str
    reason: str
    paths: list[PathResponse]


class PathsResponse(BaseModel):
    """How each role was resolved, and up to ``k`` routes between them, cheapest first.

    ``same_occupation`` is set (and ``paths`` empty) when both roles name one occupation;
    ``alternatives`` offers the field-specific form of a broad target title with its route
    (e.g. 11-3021.00 "Software Engineering Director" for "Engineering Director" asked from
    Software Developers)."""

    model_config = _examples(
        {
            "source": {
                "query": "Software Systems Engineer",
                "confidence": "alternate",
                "ambiguous": True,
                "interpreted_as": None,
                "matches": [_SEED_SOURCE_MATCH],
                "candidates": [
                    _SEED_SOURCE_MATCH,
                    {
                        "title": "Software Systems Engineer",
                        "code": "15-1299.08",
                        "occupation_title": "Computer Systems Engineers/Architects",
                        "match_kind": "alternate",
                        "score": 100.0,
                        "onet_sources": ["02"],
                        "shown_in_my_next_move": False,
                        "employment_thousands": None,
                    },
                ],
                "runners_up": [],
            },
            "target": _TARGET_EXAMPLE,
            "k": 1,
            "max_hops": 4,
            "paths": [
                {
                    "rank": 1,
                    "codes": ["15-1252.00", "15-1253.00", "17-2112.02", "11-9041.00"],
                    "titles": [
                        "Software Developers",
                        "Software Quality Assurance Analysts and Testers",
                        "Validation Engineers",
                        "Architectural and Engineering Managers",
                    ],
                    "total_cost": 44.152,
                    "hops": [
                        {
                            "from_code": "15-1252.00",
                            "from_title": "Software Developers",
                            "to_code": "15-1253.00",
                            "to_title": "Software Quality Assurance Analysts and Testers",
                            "relationship": "LEADS_TO",
                            "cost": 15.376,
                            "tier": "Primary-Short",
                            "rank": 5,
                            "kind": "step_back",
                            "reasons": [
                                "O*NET related occupation (Primary-Short #5)",
                                "median wage -30,470 USD (-22.9 %)",
                            ],
                            "from_job_zone": 4,
                            "to_job_zone": 4,
                            "job_zone_change": 0,
                            "skills_to_gain": [
                                {
                                    "element_id": "2.A.1.a",
                                    "name": "Reading Comprehension",
                                    "kind": "skill",
                                    "from_level": None,
                                    "to_level": 4.12,
                                    "importance": 4.0,
                                    "gain": 3.296,
                                }
                            ],
                            "knowledge_to_gain": [],
                            "technologies_to_learn": ["Selenium", "Apache Kafka"],
                            "from_median_wage_usd": 133080.0,
                            "to_median_wage_usd": 102610.0,
                            "wage_change_pct": -22.9,
                        }
                    ],
                    "cypher": {
                        "statement": "UNWIND range(0, size($codes) - 2) AS i ...",
                        "parameters": {
                            "codes": ["15-1252.00", "15-1253.00", "17-2112.02", "11-9041.00"],
                            "relationships": ["LEADS_TO", "LEADS_TO", "LEADS_TO"],
                        },
                        "browser_url": "http://127.0.0.1:7474/browser/?cmd=edit&arg=...",
                    },
                }
            ],
            "attribution": _ATTRIBUTION_EXAMPLE,
        }
    )

    source: TitleResolution
    target: TitleResolution
    k: int
    max_hops: int
    filters: RouteFilters = RouteFilters()
    """Route options applied (relationship followed, wage drop, growth, via, exclude)."""
    paths: list[PathResponse]
    same_occupation: SameOccupation | None = None
    alternatives: list[AlternativeTargetResponse] = []
    attribution: AttributionResponse


class GapResponse(BaseModel):
    """How each role was resolved (best match used) and what the target occupation
    needs that the source does not: skills and knowledge to level up (O*NET LV 0-7,
    weighted by the target's IM 1-5) and technologies to learn."""

    model_config = _examples(
        {
            "source": {
                "query": "15-1252.00",
                "confidence": "code",
                "ambiguous": False,
                "interpreted_as": None,
                "matches": [
                    {
                        "title": "Software Developers",
                        "code": "15-1252.00",
                        "occupation_title": "Software Developers",
                        "match_kind": "code",
                        "score": 100.0,
                        "onet_sources": [],
                        "shown_in_my_next_move": False,
                        "employment_thousands": 1693.8,
                    }
                ],
                "candidates": [],
                "runners_up": [],
            },
            "target": _TARGET_EXAMPLE,
            "gap": {
                "source": {"code": "15-1252.00", "title": "Software Developers", "job_zone": 4},
                "target": {
                    "code": "11-9041.00",
                    "title": "Architectural and Engineering Managers",
                    "job_zone": 5,
                },
                "job_zone_change": 1,
                "skills_to_gain": [],
                "knowledge_to_gain": [],
                "technologies_to_learn": [
                    {
                        "name": "Autodesk AutoCAD",
                        "commodity_title": "Computer aided design CAD software",
                        "hot": True,
                        "in_demand": True,
                    }
                ],
                "technologies_to_learn_count": 39,
                "shared_technology_count": 92,
            },
            "attribution": _ATTRIBUTION_EXAMPLE,
        }
    )

    source: TitleResolution
    target: TitleResolution
    gap: OccupationGap
    attribution: AttributionResponse


class HealthResponse(BaseModel):
    """Backend, whether it answers, the loaded O*NET release and the graph's counts.

    ``status`` is ``ok`` (reachable and loaded), ``empty`` (reachable, nothing loaded) or
    ``unavailable`` (not reachable); the HTTP status is 200 only for ``ok``.
    """

    model_config = _examples(
        {
            "status": "ok",
            "backend": "neo4j",
            "reachable": True,
            "release": SEED_RELEASE,
            "counts": {
                "nodes": {"Occupation": 1016, "Title": 47073},
                "relationships": {"RELATED_TO": 18460, "TITLE_OF": 65370},
            },
            "message": None,
            "attribution": _ATTRIBUTION_EXAMPLE,
        }
    )

    status: Literal["ok", "empty", "unavailable"]
    backend: str
    reachable: bool
    release: str | None
    counts: GraphCounts | None
    message: str | None = None
    attribution: AttributionResponse | None


_ERROR_MEANINGS = {
    404: "Unknown occupation, code or title (with up to 5 suggestions), or no route.",
    422: "Invalid parameter: empty or over-long text, number out of range, bad code.",
    503: "The graph backend is unreachable, timed out or empty (see Retry-After), or "
    "misconfigured (no Retry-After: an operator must fix its settings).",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses (all ErrorResponse)."""
    return {
        status: {"model": ErrorResponse, "description": _ERROR_MEANINGS[status]}
        for status in statuses
    }
