"""Estimated skill and knowledge ratings for occupations O*NET does not rate (build time).

O*NET 29.3 has no ``Skills`` or ``Knowledge`` ratings for 137 occupations, among them
15-1252.00 Software Developers. Without ratings a move out of them cannot say what is to
learn, and skill similarity cannot compare them. :func:`estimate_missing_ratings` fills the
gap, one occupation and one domain (skills, knowledge) at a time, by the first rule that
applies:

1. **Skills of the SOC 2010 predecessors.** The occupation's O*NET-SOC 2010 predecessors
   (O*NET-SOC 2010 -> 2019 crosswalk) rated in an older release's ``Skills``: the mean of
   their importance (IM) and level (LV) per element (15-1252.00 <- 15-1132.00 + 15-1133.00,
   O*NET 23.x). The older release has no ``Knowledge``, so this rule is for skills only.
2. **The most related rated occupation.** The first occupation in the occupation's own
   O*NET ``Related Occupations`` list (rank 1 first) that has ratings of the domain: its
   ratings, copied (O*NET ranks related occupations by similarity of the work, which is
   the nearest data careergraph has for an unrated occupation).
3. **Its SOC group.** For residual "All Other" occupations O*NET lists no related
   occupations: the mean of the rated occupations of the same SOC broad group (the first 6
   characters of the code: 19-1029.00 -> 19-1021 ... 19-1029.xx), else of the SOC minor
   group (first 4 characters).

Otherwise the occupation stays unrated (the military 55-xxxx codes). Every estimated value
says where it comes from (:attr:`graph.model.DescriptorRating.estimated_from`,
:attr:`~graph.model.DescriptorRating.estimate_source`); estimates are never used to
estimate others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from careergraph.graph.model import DescriptorKind, DescriptorRating, Occupation, RelatedOccupation

DOMAIN_NAME = {DescriptorKind.SKILL: "Skills", DescriptorKind.KNOWLEDGE: "Knowledge"}
"""O*NET table of each descriptor domain."""


def _mean_ratings(
    code: str,
    kind: DescriptorKind,
    donors: Sequence[Mapping[str, DescriptorRating]],
    donor_codes: Sequence[str],
    source: str,
    known_elements: set[str],
) -> list[DescriptorRating]:
    """The mean IM and LV per element over ``donors`` (each element ID -> rating), as
    ratings of ``code`` marked as estimated from ``donor_codes``; 2 decimals, as O*NET."""
    elements = sorted({e for donor in donors for e in donor if e in known_elements})
    out: list[DescriptorRating] = []
    for element in elements:
        values = [donor[element] for donor in donors if element in donor]
        out.append(
            DescriptorRating(
                code=code,
                element_id=element,
                kind=kind,
                importance=round(sum(v.importance for v in values) / len(values), 2),
                level=round(sum(v.level for v in values) / len(values), 2),
                estimated_from=list(donor_codes),
                estimate_source=source,
            )
        )
    return out


def estimate_missing_ratings(
    occupations: Iterable[Occupation],
    ratings: Iterable[DescriptorRating],
    related: Iterable[RelatedOccupation],
    *,
    release: str,
    predecessors: Mapping[str, Sequence[str]] | None = None,
    older_skills: Iterable[DescriptorRating] = (),
    older_release: str | None = None,
) -> list[DescriptorRating]:
    """Estimated ratings for the occupations and domains without O*NET ratings.

    Parameters
    ----------
    occupations
        Occupations of the release.
    ratings
        The release's own ``Skills`` and ``Knowledge`` ratings (IM 1-5, LV 0-7).
    related
        The release's ``Related Occupations`` (rank 1-20).
    release
        Label of the release, e.g. ``29.3`` (named in ``estimate_source``).
    predecessors
        O*NET-SOC 2019 code -> its O*NET-SOC 2010 codes (crosswalk); None = rule 1 off.
    older_skills
        ``Skills`` ratings of the older release, coded in O*NET-SOC 2010.
    older_release
        Label of that release, e.g. ``23.x``.

    Returns
    -------
    list[DescriptorRating]
        Only new, estimated ratings (never one for an occupation and domain O*NET rates),
        sorted by code, domain and element ID.
    """
    occupation_list = list(occupations)
    own: dict[tuple[str, DescriptorKind], dict[str, DescriptorRating]] = defaultdict(dict)
    for rating in ratings:
        own[(rating.code, rating.kind)][rating.element_id] = rating
    elements = {
        kind: {e for (_, k), values in own.items() if k is kind for e in values}
        for kind in DescriptorKind
    }
    older: dict[str, dict[str, DescriptorRating]] = defaultdict(dict)
    for rating in older_skills:
        if rating.kind is DescriptorKind.SKILL:
            older[rating.code][rating.element_id] = rating
    related_by_code: dict[str, list[RelatedOccupation]] = defaultdict(list)
    for link in related:
        related_by_code[link.code].append(link)
    estimated: list[DescriptorRating] = []
    for occupation in sorted(occupation_list, key=lambda o: o.code):
        code = occupation.code
        for kind in DescriptorKind:
            if own.get((code, kind)):
                continue
            table = DOMAIN_NAME[kind]
            rated_before = [
                p for p in (predecessors or {}).get(code, ()) if older.get(p) and older_release
            ]
            if kind is DescriptorKind.SKILL and rated_before:
                source = f"O*NET {older_release} {table} of the O*NET-SOC 2010 predecessors"
                donors = [older[p] for p in rated_before]
                estimated += _mean_ratings(code, kind, donors, rated_before, source, elements[kind])
                continue
            links = sorted(related_by_code.get(code, ()), key=lambda r: (r.rank, r.related_code))
            nearest = next((r for r in links if own.get((r.related_code, kind))), None)
            if nearest is not None:
                source = (
                    f"O*NET {release} {table} of the most related rated occupation"
                    f" (Related Occupations #{nearest.rank})"
                )
                donor = own[(nearest.related_code, kind)]
                estimated += _mean_ratings(
                    code, kind, [donor], [nearest.related_code], source, elements[kind]
                )
                continue
            for prefix, group in ((code[:6], "broad group"), (code[:4], "minor group")):
                soc_group = prefix.ljust(7, "0")
                donor_codes = sorted(
                    o.code
                    for o in occupation_list
                    if o.code != code and o.code.startswith(prefix) and own.get((o.code, kind))
                )
                if donor_codes:
                    source = (
                        f"O*NET {release} {table}, mean of the rated occupations of SOC"
                        f" {group} {soc_group}"
                    )
                    donors = [own[(c, kind)] for c in donor_codes]
                    estimated += _mean_ratings(
                        code, kind, donors, donor_codes, source, elements[kind]
                    )
                    break
    return estimated


ESTIMATE_PROPERTIES: dict[DescriptorKind, tuple[str, str]] = {
    DescriptorKind.SKILL: ("skills_estimated_from", "skills_estimate_source"),
    DescriptorKind.KNOWLEDGE: ("knowledge_estimated_from", "knowledge_estimate_source"),
}
"""``Occupation`` properties that mark estimated ratings, per domain: the codes the values
are taken from (list of strings) and where they come from (string)."""


def estimate_properties(ratings: Iterable[DescriptorRating]) -> dict[str, dict[str, object]]:
    """Occupation code -> the :data:`ESTIMATE_PROPERTIES` of its estimated domains (only
    occupations with estimated ratings appear), for the ``Occupation`` node of each backend.
    """
    out: dict[str, dict[str, object]] = defaultdict(dict)
    for rating in ratings:
        if rating.estimated:
            codes_key, source_key = ESTIMATE_PROPERTIES[rating.kind]
            out[rating.code][codes_key] = list(rating.estimated_from)
            out[rating.code][source_key] = rating.estimate_source
    return dict(out)
