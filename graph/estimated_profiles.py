"""Estimated role-page ratings for occupations O*NET does not rate (build time).

O*NET 29.3 rates work styles for 879 occupations, work values for 875, education for 858
and interests for 923 of its 1,016; 15-1252.00 Software Developers, the seed role, has no
work styles, work values or education ratings. :func:`estimate_missing_profiles` fills
each table's gap the way :mod:`graph.estimated_ratings` fills skills and knowledge (no
older release rates these tables, so its first rule, the SOC 2010 predecessors, does not
apply), per occupation and table, by the first rule that applies:

1. **The most related rated occupations.** The first :data:`RELATED_DONORS` occupations
   in the occupation's own O*NET ``Related Occupations`` list (rank 1 first) rated in the
   table: the mean of their values. (One donor alone can mislead: 15-1252.00's first
   related occupation, 15-1299.08, reports mostly post-secondary certificates, its next
   four mostly bachelor's degrees.)
2. **Its SOC group.** Otherwise (residual "All Other" occupations have no related list) the
   mean of the rated occupations of the same SOC broad group (first 6 characters of the
   code), else of the SOC minor group (first 4).

Otherwise the occupation stays unrated (the military 55-xxxx codes). Every estimated value
carries ``estimated_from`` (the donor codes) and ``estimate_source`` (release, table, rule)
(:class:`graph.model.Estimate`); estimates are never used to estimate others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from careergraph.graph.model import (
    EducationShare,
    Estimate,
    InterestScore,
    OnetRelease,
    RelatedOccupation,
    WorkStyleRating,
    WorkValueScore,
)

E = TypeVar("E", bound=Estimate)

RELATED_DONORS = 5
"""How many of the most related rated occupations an estimate averages (rule 1)."""

Values = dict[str, float]
"""One occupation's values in one table: element ID (or RL category) -> value."""


def choose_donors(
    code: str,
    rated: Mapping[str, Values],
    related: Sequence[RelatedOccupation],
    all_codes: Sequence[str],
    *,
    release: str,
    table: str,
) -> tuple[list[str], str] | None:
    """The occupations whose values stand in for ``code``'s in ``table``, and the rule in
    words, or None when no rule applies (see the module notes).

    Parameters
    ----------
    code
        The unrated occupation.
    rated
        Occupation code -> its own values in the table (rated occupations only).
    related
        ``code``'s O*NET Related Occupations (any order; ranked here, rank 1 first).
    all_codes
        Every occupation code of the release (for the SOC group rule), sorted.
    release, table
        Named in the rule text, e.g. ``29.3``, ``Work Styles``.
    """
    links = sorted(related, key=lambda r: (r.rank, r.related_code))
    nearest = [link for link in links if rated.get(link.related_code)][:RELATED_DONORS]
    if nearest:
        ranks = ", ".join(f"#{link.rank}" for link in nearest)
        source = (
            f"O*NET {release} {table}, mean of the {len(nearest)} most related rated"
            f" occupations (Related Occupations {ranks})"
        )
        return [link.related_code for link in nearest], source
    for prefix, group in ((code[:6], "broad group"), (code[:4], "minor group")):
        donors = [c for c in all_codes if c != code and c.startswith(prefix) and rated.get(c)]
        if donors:
            soc_group = prefix.ljust(7, "0")
            source = (
                f"O*NET {release} {table}, mean of the rated occupations of SOC {group} {soc_group}"
            )
            return donors, source
    return None


def _estimate_table(
    release: OnetRelease,
    table: str,
    entries: Iterable[tuple[str, str, float]],
    make: Callable[[str, str, float, list[str], str], E],
    related: Mapping[str, Sequence[RelatedOccupation]],
) -> list[E]:
    """Estimated records (only new ones) of one table for the occupations it lacks;
    ``entries`` are the table's own (code, element or category, value) triples."""
    rated: dict[str, Values] = defaultdict(dict)
    for code, key, number in entries:
        rated[code][key] = number
    all_codes = sorted(o.code for o in release.occupations)
    out: list[E] = []
    for code in all_codes:
        if rated.get(code):
            continue
        chosen = choose_donors(
            code, rated, related.get(code, ()), all_codes, release=release.release, table=table
        )
        if chosen is None:
            continue
        donors, source = chosen
        keys = sorted({k for d in donors for k in rated[d]})
        for k in keys:
            present = [rated[d][k] for d in donors if k in rated[d]]
            out.append(make(code, k, round(sum(present) / len(present), 2), donors, source))
    return out


def estimate_missing_profiles(release: OnetRelease) -> OnetRelease:
    """Return ``release`` with estimated work styles, work values, education shares and
    interests added for the occupations O*NET does not rate in those tables (module notes).

    Returns
    -------
    OnetRelease
        The same release; each list gains only estimated records (``estimated_from`` set),
        never one for an occupation the table rates.
    """
    related: dict[str, list[RelatedOccupation]] = defaultdict(list)
    for link in release.related:
        related[link.code].append(link)

    def style(code: str, k: str, v: float, donors: list[str], source: str) -> WorkStyleRating:
        return WorkStyleRating(
            code=code, element_id=k, importance=v, estimated_from=donors, estimate_source=source
        )

    def value(code: str, k: str, v: float, donors: list[str], source: str) -> WorkValueScore:
        return WorkValueScore(
            code=code, element_id=k, extent=v, estimated_from=donors, estimate_source=source
        )

    def share(code: str, k: str, v: float, donors: list[str], source: str) -> EducationShare:
        return EducationShare(
            code=code,
            category=int(k),
            share_pct=v,
            estimated_from=donors,
            estimate_source=source,
        )

    def interest(code: str, k: str, v: float, donors: list[str], source: str) -> InterestScore:
        return InterestScore(
            code=code, element_id=k, score=v, estimated_from=donors, estimate_source=source
        )

    own = _own(release)
    styles = _estimate_table(
        release,
        "Work Styles",
        ((r.code, r.element_id, r.importance) for r in own.work_style_ratings),
        style,
        related,
    )
    values = _estimate_table(
        release,
        "Work Values",
        ((r.code, r.element_id, r.extent) for r in own.work_value_scores),
        value,
        related,
    )
    shares = _estimate_table(
        release,
        "Education, Training, and Experience",
        ((r.code, str(r.category), r.share_pct) for r in own.education_shares),
        share,
        related,
    )
    interests = _estimate_table(
        release,
        "Interests",
        ((r.code, r.element_id, r.score) for r in own.interest_scores),
        interest,
        related,
    )
    return release.model_copy(
        update={
            "work_style_ratings": [*own.work_style_ratings, *styles],
            "work_value_scores": [*own.work_value_scores, *values],
            "education_shares": [*own.education_shares, *shares],
            "interest_scores": [*own.interest_scores, *interests],
        }
    )


def _own(release: OnetRelease) -> OnetRelease:
    """``release`` without earlier estimates (so estimating twice changes nothing)."""

    def kept(records: Iterable[E]) -> list[E]:
        return [r for r in records if not r.estimated]

    return release.model_copy(
        update={
            "work_style_ratings": kept(release.work_style_ratings),
            "work_value_scores": kept(release.work_value_scores),
            "education_shares": kept(release.education_shares),
            "interest_scores": kept(release.interest_scores),
        }
    )
