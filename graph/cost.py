"""Per-hop cost of moving between related occupations (path query v0).

The cost of one hop along ``RELATED_TO`` from A to B, in *cost points*:

    cost = HOP_BASE + TIER_PENALTY[tier] + rank

* ``HOP_BASE`` (10) makes every extra step expensive, so short routes win;
* ``TIER_PENALTY`` (Primary-Short 0, Primary-Long 5, Supplemental 10) keeps
  O*NET's closest tier clearly ahead of looser ones;
* ``rank`` is O*NET's ``Index`` (1-20), ordering occupations inside the list.

A Primary-Short hop costs 11-15, Primary-Long 21-25, Supplemental 31-40: two close
hops (22-30) are preferred to one Supplemental hop. All costs are whole numbers, so
sums are exact in floating point and both backends order paths identically.
See ``docs/pathfinding.md``.

Source: O*NET 29.3 ``Related Occupations`` (``Relatedness Tier``, ``Index``).
"""

from __future__ import annotations

from careergraph.graph.model import RelatednessTier

HOP_BASE = 10.0
TIER_PENALTY: dict[RelatednessTier, float] = {
    RelatednessTier.PRIMARY_SHORT: 0.0,
    RelatednessTier.PRIMARY_LONG: 5.0,
    RelatednessTier.SUPPLEMENTAL: 10.0,
}


def related_hop_cost(tier: RelatednessTier, rank: int) -> float:
    """Return the cost points of one ``RELATED_TO`` hop.

    Parameters
    ----------
    tier
        O*NET relatedness tier of the related occupation.
    rank
        O*NET ``Index`` of the related occupation, 1-20.

    Returns
    -------
    float
        Whole-number cost, 11 (Primary-Short #1) to 40 (Supplemental #20).

    Raises
    ------
    ValueError
        If ``rank`` is outside 1-20.
    """
    if not 1 <= rank <= 20:
        raise ValueError(f"rank must be within 1-20, got {rank}")
    return HOP_BASE + TIER_PENALTY[tier] + float(rank)
