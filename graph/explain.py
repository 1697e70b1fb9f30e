"""Assemble a hop explanation from raw graph data, identically for both backends.

Each backend fetches the raw facts (occupation properties, edge properties, skill gaps,
hot technologies, typical education); this module does all arithmetic, so the networkx
and Neo4j answers are equal to the last bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from careergraph.graph.estimated_ratings import ESTIMATE_PROPERTIES
from careergraph.graph.model import DescriptorKind, ObservedMove
from careergraph.graph.paths import SkillGap
from careergraph.graph.store import EducationCategory, HopExplanation

MAX_TECHNOLOGIES_TO_LEARN = 5
"""At most this many technologies to learn are listed per hop or gap: the target's In Demand
technologies (O*NET ``Technology Skills`` / ``In Demand`` = Y for the target) that the
source does not use, Hot Technology ones first, then by name; none when none qualify."""


def technologies_limit(limit: int) -> int:
    """How many technologies to list for a caller's ``limit`` (at most 5)."""
    return max(0, min(limit, MAX_TECHNOLOGIES_TO_LEARN))


OBSERVED_MOVE_PROPERTIES = tuple(
    name for name in ObservedMove.model_fields if name not in ("code", "next_code")
)
"""Properties of a ``MOVED_TO`` edge (:class:`graph.model.ObservedMove` without the codes)."""


def _change(a: Any, b: Any) -> Any:
    return None if a is None or b is None else b - a


def shared_bls_group(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """The BLS group ("15-1299 Computer occupations, all other") whose figures both
    occupations carry, or None: two O*NET occupations with the same ``bls_soc_code`` (a SOC
    code and its specialties, or the codes of one BLS aggregate) have the same wages, growth
    and entry education, so a change between them is unknown, not zero."""
    code = a.get("bls_soc_code")
    if code is None or code != b.get("bls_soc_code"):
        return None
    title = a.get("bls_title")
    return f"{code} {title}" if title else str(code)


def observed_move_of(
    a: Mapping[str, Any], b: Mapping[str, Any], observed: Mapping[str, Any] | None
) -> ObservedMove | None:
    """The :class:`ObservedMove` ``a -> b`` from ``MOVED_TO`` edge properties, or None."""
    if observed is None:
        return None
    values = {name: observed[name] for name in OBSERVED_MOVE_PROPERTIES if name in observed}
    return ObservedMove(code=a["code"], next_code=b["code"], **values)


def describe_rating_estimates(occupation: Mapping[str, Any]) -> list[str]:
    """Sentences saying which of an occupation's ratings are estimated and from what, e.g.
    "Software Developers: skills estimated from 15-1132.00/15-1133.00 (O*NET 23.x Skills of
    the O*NET-SOC 2010 predecessors)"; empty for an occupation O*NET rates.

    ``occupation`` holds ``title`` and the :data:`graph.estimated_ratings.ESTIMATE_PROPERTIES`
    of an ``Occupation`` node (absent = not estimated).
    """
    lines = []
    for kind, (codes_key, source_key) in ESTIMATE_PROPERTIES.items():
        codes = occupation.get(codes_key)
        if codes:
            domain = "skills" if kind is DescriptorKind.SKILL else "knowledge"
            lines.append(
                f"{occupation['title']}: {domain} estimated from {'/'.join(codes)}"
                f" ({occupation.get(source_key)})"
            )
    return lines


def assemble_hop_explanation(
    *,
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    related: Mapping[str, Any] | None,
    move: Mapping[str, Any] | None,
    relationship: str,
    observed: Mapping[str, Any] | None = None,
    skills: Sequence[SkillGap],
    knowledge: Sequence[SkillGap],
    technologies: Sequence[str],
    from_rl: EducationCategory | None,
    to_rl: EducationCategory | None,
) -> HopExplanation:
    """Build the :class:`HopExplanation` of the hop ``a -> b``.

    Parameters
    ----------
    a, b
        Occupation properties (``code``, ``title``, ``job_zone`` and, where loaded, the BLS
        figures ``median_wage_usd``, ``growth_pct``, ``bright_outlook``,
        ``typical_entry_education``, ``typical_entry_education_rank``).
    related, move
        Properties of the ``RELATED_TO`` and ``LEADS_TO`` edges, None where absent.
    relationship
        Which edge's ``cost`` the hop carries.
    observed
        Properties of the ``MOVED_TO`` edge (observed moves, CPS ASEC), None where absent.
    skills, knowledge, technologies, from_rl, to_rl
        Gaps, technologies to learn (:data:`MAX_TECHNOLOGIES_TO_LEARN` at most) and
        education facts fetched by the backend.

    Raises
    ------
    KeyError
        The edge named by ``relationship`` is absent.
    """
    edge = move if relationship == "LEADS_TO" else related
    if edge is None:
        raise KeyError(f"no {relationship} edge {a['code']} -> {b['code']}")
    wage_a, wage_b = a.get("median_wage_usd"), b.get("median_wage_usd")
    wage_change = _change(wage_a, wage_b)
    observed_move = observed_move_of(a, b, observed)
    same_group = shared_bls_group(a, b)
    education_change = _change(
        a.get("typical_entry_education_rank"), b.get("typical_entry_education_rank")
    )
    if same_group is not None:  # one group's figures on both sides: the change is unknown
        wage_change = education_change = None
    wage_pct = None
    if wage_change is not None and wage_a:
        wage_pct = round(100.0 * wage_change / wage_a, 2)
    return HopExplanation(
        from_code=a["code"],
        from_title=a["title"],
        to_code=b["code"],
        to_title=b["title"],
        relationship=relationship,
        cost=float(edge["cost"]),
        tier=related["tier"] if related else None,
        rank=related["rank"] if related else None,
        kind=move["kind"] if move else None,
        reasons=list(move["reasons"]) if move else [],
        similarity=move.get("similarity") if move else None,
        career_changers_rank=move.get("career_changers_rank") if move else None,
        from_job_zone=a.get("job_zone"),
        to_job_zone=b.get("job_zone"),
        job_zone_change=_change(a.get("job_zone"), b.get("job_zone")),
        skills_to_gain=list(skills),
        knowledge_to_gain=list(knowledge),
        technologies_to_learn=list(technologies)[:MAX_TECHNOLOGIES_TO_LEARN],
        from_median_wage_usd=wage_a,
        to_median_wage_usd=wage_b,
        wage_change_usd=wage_change,
        wage_change_pct=wage_pct,
        to_growth_pct=b.get("growth_pct"),
        to_bright_outlook=b.get("bright_outlook"),
        from_entry_education=a.get("typical_entry_education"),
        to_entry_education=b.get("typical_entry_education"),
        education_change=education_change,
        from_figures_for=a.get("figures_for"),
        to_figures_for=b.get("figures_for"),
        same_bls_group=same_group,
        from_rl=from_rl,
        to_rl=to_rl,
        estimated_ratings=describe_rating_estimates(a) + describe_rating_estimates(b),
        observed_move=observed_move,
        observed_move_text=(
            observed_move.describe(a["title"], b["title"]) if observed_move else None
        ),
    )
