"""Directional, importance-weighted skill similarity between occupations.

For occupations A (where a worker is) and B (where they want to go), over the 35 skills and
33 knowledge areas rated for both (O*NET ``Skills`` and ``Knowledge``, IM and LV scales):

    v_X(e)     = IM_X(e) * LV_X(e)                              (importance-weighted level)
    profile    = cos(v_A, v_B)                                  (same shape of work)
    w_e        = IM_B(e) / sum_e IM_B(e)                        (B's importance weights)
    coverage   = sum_e w_e * min(LV_A(e), LV_B(e)) / LV_B(e)    (share of B's levels A has)
    shortfall  = sum_e w_e * max(0, LV_B(e) - LV_A(e)) / 7      (how far A falls short)
    score      = clip(profile - SHORTFALL_WEIGHT * shortfall, 0, 1),  SHORTFALL_WEIGHT = 0.1

``profile`` says whether the two jobs use the same things; ``shortfall`` (directional) says
how much A must still learn where B needs more, so moving to a simpler job scores higher
than the reverse, as transferability should. The weight 0.1 was chosen on O*NET's own
Primary-Short lists (``bench/evaluate_paths.py``): precision@5 0.330 against 0.322 for the
plain cosine; larger weights favour simpler jobs too much (0.5: 0.303, 1.0: 0.259). The
career-move cost uses ``shortfall`` again, with its own weight.

This uses numpy (a documented exception to "graph imports only stdlib and pydantic": an
all-pairs comparison of 879 x 879 profiles in pure Python takes ~30 s; numpy ~0.1 s).

References
----------
CareerOneStop, "Skills Matcher / transferable skills" (U.S. DOL): compare the level a
worker has with the level the target needs, weighted by the target's importance ratings.
Dawson, N., Williams, M.-A., & Rizoiu, M.-A. (2021). Skill-driven recommendations for job
transition pathways. PLOS ONE 16(8): e0254722 (asymmetric, importance-weighted similarity;
they weight by revealed comparative advantage, we use O*NET importance directly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from careergraph.graph.model import DescriptorRating, SimilarOccupation

LEVEL_MAX = 7.0
SHORTFALL_WEIGHT = 0.1

FloatMatrix = npt.NDArray[np.float64]


class SkillProfiles:
    """Importance (IM) and level (LV) matrices, one row per rated occupation.

    Parameters
    ----------
    ratings
        O*NET skill and knowledge ratings (``DescriptorRating``).

    Attributes
    ----------
    codes
        O*NET-SOC codes, row order (sorted).
    importance, level
        ``len(codes) x n_elements`` arrays (IM 1-5, LV 0-7); 0 where unrated.
    """

    def __init__(self, ratings: Iterable[DescriptorRating]) -> None:
        rows = list(ratings)
        self.codes: list[str] = sorted({r.code for r in rows})
        elements = sorted({(r.kind.value, r.element_id) for r in rows})
        self.row = {c: i for i, c in enumerate(self.codes)}
        column = {e: i for i, e in enumerate(elements)}
        self.importance: FloatMatrix = np.zeros((len(self.codes), len(elements)))
        self.level: FloatMatrix = np.zeros((len(self.codes), len(elements)))
        for r in rows:
            i, j = self.row[r.code], column[(r.kind.value, r.element_id)]
            self.importance[i, j] = r.importance
            self.level[i, j] = r.level

    def __contains__(self, code: object) -> bool:
        return code in self.row

    def _profile_cosine(self) -> FloatMatrix:
        weighted = self.importance * self.level
        norms = np.linalg.norm(weighted, axis=1, keepdims=True)
        unit = weighted / np.where(norms == 0, 1.0, norms)
        return np.asarray(unit @ unit.T, dtype=np.float64)

    def _coverage_shortfall(
        self, sources: Sequence[int], targets: Sequence[int]
    ) -> tuple[FloatMatrix, FloatMatrix]:
        """``coverage[i, j]`` and ``shortfall[i, j]`` from source row i to target row j."""
        lv_a = self.level[list(sources)][:, None, :]
        lv_b = self.level[list(targets)][None, :, :]
        im_b = self.importance[list(targets)]
        weights = im_b / np.where(im_b.sum(1, keepdims=True) == 0, 1.0, im_b.sum(1, keepdims=True))
        ratio = np.where(lv_b > 0, np.minimum(lv_a, lv_b) / np.where(lv_b > 0, lv_b, 1.0), 1.0)
        coverage = np.einsum("je,ije->ij", weights, ratio)
        shortfall = np.einsum("je,ije->ij", weights, np.clip(lv_b - lv_a, 0, None)) / LEVEL_MAX
        return coverage, shortfall

    def profile_cosine(self) -> FloatMatrix:
        """Cosine of the importance-weighted level profiles, ``(n, n)`` in :attr:`codes`
        order."""
        return self._profile_cosine()

    def coverage_shortfall(
        self, sources: Sequence[int], targets: Sequence[int]
    ) -> tuple[FloatMatrix, FloatMatrix]:
        """``(coverage, shortfall)``, each ``(len(sources), len(targets))``, by row index."""
        return self._coverage_shortfall(sources, targets)

    def similarity(self, source: str, target: str) -> SimilarOccupation:
        """Similarity record from ``source`` to ``target`` (both must be rated).

        Raises
        ------
        KeyError
            Either code has no skill/knowledge ratings.
        """
        i, j = self.row[source], self.row[target]
        a, b = self.importance[i] * self.level[i], self.importance[j] * self.level[j]
        denom = float(np.linalg.norm(a) * np.linalg.norm(b))
        profile = float(a @ b) / denom if denom else 0.0
        coverage, shortfall = self._coverage_shortfall([i], [j])
        return _record(source, target, profile, float(coverage[0, 0]), float(shortfall[0, 0]))

    def top_similar(self, top_n: int = 10, candidates: int = 50) -> list[SimilarOccupation]:
        """The ``top_n`` most similar targets of every rated occupation, best first
        (ties broken by code).

        Exact, but fast: since ``score`` lies in ``[profile - 0.1, profile]``, only the
        ``candidates`` best targets by profile cosine are scored in full, and a row is
        scored against everyone when the cut-off could hide a better target.
        """
        cosine = self._profile_cosine()
        np.fill_diagonal(cosine, -2.0)
        n = len(self.codes)
        result: list[SimilarOccupation] = []
        for i, code in enumerate(self.codes):
            by_cosine = np.argsort(-cosine[i], kind="stable")
            pool = by_cosine[: min(max(candidates, top_n), n - 1)]
            coverage, shortfall = self._coverage_shortfall([i], list(pool))
            score = np.clip(cosine[i, pool] - SHORTFALL_WEIGHT * shortfall[0], 0, 1)
            cutoff = cosine[i, by_cosine[len(pool)]] if len(pool) < n - 1 else -np.inf
            ranked = sorted(
                range(len(pool)), key=lambda m: (-round(float(score[m]), 4), int(pool[m]))
            )
            if len(pool) < n - 1 and score[ranked[min(top_n, len(ranked)) - 1]] < cutoff:
                pool = by_cosine[: n - 1]
                coverage, shortfall = self._coverage_shortfall([i], list(pool))
                score = np.clip(cosine[i, pool] - SHORTFALL_WEIGHT * shortfall[0], 0, 1)
                ranked = sorted(
                    range(len(pool)), key=lambda m: (-round(float(score[m]), 4), int(pool[m]))
                )
            for m in ranked[:top_n]:
                j = int(pool[m])
                result.append(
                    _record(
                        code,
                        self.codes[j],
                        float(cosine[i, j]),
                        float(coverage[0, m]),
                        float(shortfall[0, m]),
                    )
                )
        return result


def _record(
    source: str, target: str, profile: float, coverage: float, shortfall: float
) -> SimilarOccupation:
    score = max(0.0, min(1.0, profile - SHORTFALL_WEIGHT * shortfall))
    return SimilarOccupation(
        code=source,
        other_code=target,
        score=round(score, 4),
        coverage=round(min(1.0, coverage), 4),
        shortfall=round(min(1.0, shortfall), 4),
    )
