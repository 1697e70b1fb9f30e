"""How alike two occupations are beyond their skills: features of the move model.

People move between occupations that share more than skill and knowledge ratings: the
same interests and work styles, the same tools, the same education, and work described in
the same words. :class:`OccupationKinship` computes, for every pair of occupations of a
release, one similarity per kind (:data:`KINSHIP_FEATURES`, each 0-1 or -1-1, symmetric):

``interest_similarity``
    Pearson-style cosine of the RIASEC interest profiles (``Interests``, Scale ID OI,
    centred on the mean profile).
``work_style_similarity``, ``work_value_similarity``
    The same over ``Work Styles`` (IM) and ``Work Values`` (EX).
``education_overlap``
    Overlap of the required-education distributions (``Education, Training, and
    Experience``, Scale ID RL): the sum over the 12 categories of the smaller share, 0-1.
``technology_overlap``, ``technology_class_overlap``
    Jaccard overlap of the technology products (``Technology Skills`` ``Example``) and of
    their UNSPSC commodity codes (``Commodity Code``).
``title_similarity``
    TF-IDF cosine of the words of the occupation's titles (``Occupation Data`` title,
    three times, and every ``Alternate Titles`` / ``Sample of Reported Titles`` title).
``task_similarity``
    TF-IDF cosine of the words of the task statements (O*NET 30.1 ``Task Statements``);
    0 everywhere when the statements are not loaded.

Occupations without data for a kind have similarity 0 to every other occupation for it.
The matrices are built once per load (about 8 x 8 MB, a few seconds) and dropped after the
moves are derived. numpy is used as in :mod:`graph.similarity`; the TF-IDF weighting is
the usual ``(1 + ln tf) * (1 + ln((1 + n) / (1 + df)))`` with unit-length rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from careergraph.graph.model import OnetRelease, TaskStatement

FloatArray = npt.NDArray[np.floating[Any]]

KINSHIP_FEATURES: tuple[str, ...] = (
    "interest_similarity",
    "work_style_similarity",
    "work_value_similarity",
    "education_overlap",
    "technology_overlap",
    "technology_class_overlap",
    "title_similarity",
    "task_similarity",
)
"""The kinds of similarity :class:`OccupationKinship` computes, in this order."""

EDUCATION_CATEGORIES = 12
"""RL categories of ``Education, Training, and Experience`` (1 = less than high school ...
12 = post-doctoral training)."""
_STOP_WORDS = frozenset(
    [
        "and",
        "or",
        "of",
        "the",
        "for",
        "in",
        "to",
        "a",
        "an",
        "with",
        "on",
        "at",
        "by",
        "other",
        "all",
    ]
)
_STEM_LENGTH = 6
"""Words are compared by their first six letters, a crude stem ("manager" and "management"
meet at "manage")."""


def words(text: str) -> list[str]:
    """Lower-case content words of ``text`` (letters only, three or more, stop words out),
    each cut to its first :data:`_STEM_LENGTH` letters."""
    return [
        w[:_STEM_LENGTH]
        for w in re.findall(r"[a-z]+", text.lower())
        if len(w) >= 3 and w not in _STOP_WORDS
    ]


class OccupationKinship:
    """All-pairs similarities of occupations beyond skills (module docstring).

    Parameters
    ----------
    codes
        O*NET-SOC codes; the row and column order of every matrix.
    profiles
        Per kind, ``code -> {element: value}`` for the profile kinds (interests, work
        styles, work values: centred cosine) and the education distribution (overlap).
    sets
        Per kind, ``code -> set of items`` (technologies: Jaccard overlap).
    documents
        Per kind, ``code -> words`` (titles, tasks: TF-IDF cosine).

    Attributes
    ----------
    matrices
        ``name -> (n, n)`` float32 array for every name of :data:`KINSHIP_FEATURES`.
    """

    def __init__(
        self,
        codes: Sequence[str],
        *,
        profiles: Mapping[str, Mapping[str, Mapping[str, float]]],
        sets: Mapping[str, Mapping[str, Iterable[str]]],
        documents: Mapping[str, Mapping[str, Sequence[str]]],
    ) -> None:
        self.codes = tuple(codes)
        n = len(self.codes)
        self.matrices: dict[str, FloatArray] = {}
        for name in KINSHIP_FEATURES:
            if name == "education_overlap":
                matrix = _overlap(self.codes, profiles.get(name, {}))
            elif name in profiles:
                matrix = _centred_cosine(self.codes, profiles[name])
            elif name in sets:
                matrix = _jaccard(self.codes, sets[name])
            elif name in documents:
                matrix = _tfidf_cosine(self.codes, documents[name])
            else:
                matrix = np.zeros((n, n), dtype=np.float32)
            self.matrices[name] = matrix

    @classmethod
    def from_release(
        cls, release: OnetRelease, tasks: Iterable[TaskStatement] = ()
    ) -> OccupationKinship:
        """Kinship of ``release``'s occupations from its records (and ``tasks``, the O*NET
        30.1 task statements, when loaded; ``release.career.tasks`` is used if empty)."""
        codes = sorted(o.code for o in release.occupations)
        interests: dict[str, dict[str, float]] = defaultdict(dict)
        for s in release.interest_scores:
            interests[s.code][s.element_id] = s.score
        styles: dict[str, dict[str, float]] = defaultdict(dict)
        for r in release.work_style_ratings:
            styles[r.code][r.element_id] = r.importance
        values: dict[str, dict[str, float]] = defaultdict(dict)
        for v in release.work_value_scores:
            values[v.code][v.element_id] = v.extent
        education: dict[str, dict[str, float]] = defaultdict(dict)
        for e in release.education_shares:
            education[e.code][str(e.category)] = e.share_pct / 100.0
        products: dict[str, set[str]] = defaultdict(set)
        classes: dict[str, set[str]] = defaultdict(set)
        for t in release.technologies:
            products[t.code].add(t.name)
            classes[t.code].add(t.commodity_code)
        titles: dict[str, list[str]] = defaultdict(list)
        for o in release.occupations:
            titles[o.code] += words(o.title) * 3
        for title in release.titles:
            titles[title.code] += words(title.name)
        task_words: dict[str, list[str]] = defaultdict(list)
        for task in list(tasks) or release.career.tasks:
            task_words[task.code] += words(task.statement)
        return cls(
            codes,
            profiles={
                "interest_similarity": interests,
                "work_style_similarity": styles,
                "work_value_similarity": values,
                "education_overlap": education,
            },
            sets={"technology_overlap": products, "technology_class_overlap": classes},
            documents={"title_similarity": titles, "task_similarity": task_words},
        )


def _dense(
    codes: Sequence[str], rows: Mapping[str, Mapping[str, float]]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """``(n, k)`` matrix of ``rows`` over their keys, and which codes have any value."""
    keys = sorted({k for row in rows.values() for k in row})
    column = {k: j for j, k in enumerate(keys)}
    m = np.zeros((len(codes), len(keys)), dtype=np.float64)
    known = np.zeros(len(codes), dtype=bool)
    for i, code in enumerate(codes):
        for k, value in rows.get(code, {}).items():
            m[i, column[k]] = value
            known[i] = True
    return m, known


def _centred_cosine(codes: Sequence[str], rows: Mapping[str, Mapping[str, float]]) -> FloatArray:
    m, known = _dense(codes, rows)
    if not known.any():
        return np.zeros((len(codes), len(codes)), dtype=np.float32)
    m[known] -= m[known].mean(axis=0)
    m[~known] = 0.0
    norms = np.linalg.norm(m, axis=1)
    m /= np.where(norms > 0, norms, 1.0)[:, None]
    return np.asarray(m @ m.T, dtype=np.float32)


def _overlap(codes: Sequence[str], rows: Mapping[str, Mapping[str, float]]) -> FloatArray:
    m, _ = _dense(codes, rows)
    out = np.zeros((len(codes), len(codes)), dtype=np.float32)
    for j in range(m.shape[1]):
        out += np.minimum(m[:, j][:, None], m[:, j][None, :]).astype(np.float32)
    return out


def _incidence(codes: Sequence[str], items: Mapping[str, Iterable[str]]) -> FloatArray:
    vocabulary: dict[str, int] = {}
    pairs = [
        (i, vocabulary.setdefault(t, len(vocabulary)))
        for i, c in enumerate(codes)
        for t in items.get(c, ())
    ]
    m = np.zeros((len(codes), max(len(vocabulary), 1)), dtype=np.float32)
    for i, j in pairs:
        m[i, j] += 1.0
    return m


def _jaccard(codes: Sequence[str], items: Mapping[str, Iterable[str]]) -> FloatArray:
    m = np.minimum(_incidence(codes, {c: set(v) for c, v in items.items()}), 1.0)
    shared = m @ m.T
    size = m.sum(axis=1)
    union = size[:, None] + size[None, :] - shared
    return np.where(union > 0, shared / np.maximum(union, 1.0), 0.0).astype(np.float32)


def _tfidf_cosine(codes: Sequence[str], documents: Mapping[str, Sequence[str]]) -> FloatArray:
    counts = _incidence(codes, documents)
    present = counts > 0
    document_frequency = present.sum(axis=0)
    idf = 1.0 + np.log((1.0 + len(codes)) / (1.0 + document_frequency))
    m = np.where(present, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0) * idf[None, :]
    norms = np.linalg.norm(m, axis=1)
    m /= np.where(norms > 0, norms, 1.0)[:, None]
    m = m.astype(np.float32)
    return np.asarray(m @ m.T, dtype=np.float32)
