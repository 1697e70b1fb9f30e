"""Similarities beyond skills (graph.kinship), recomputed by hand on a small fixture."""

from __future__ import annotations

import math

import numpy as np
import pytest

from careergraph.graph.kinship import KINSHIP_FEATURES, OccupationKinship, words

CODES = ["11-0001.00", "11-0002.00", "11-0003.00"]


def _kinship() -> OccupationKinship:
    return OccupationKinship(
        CODES,
        profiles={
            "interest_similarity": {
                CODES[0]: {"R": 7.0, "I": 1.0},
                CODES[1]: {"R": 6.0, "I": 2.0},
                CODES[2]: {"R": 1.0, "I": 7.0},
            },
            "education_overlap": {
                CODES[0]: {"2": 0.5, "3": 0.5},
                CODES[1]: {"3": 1.0},
            },
        },
        sets={"technology_overlap": {CODES[0]: {"Excel", "SAP"}, CODES[1]: {"Excel"}}},
        documents={
            "title_similarity": {
                CODES[0]: words("Nurse Manager"),
                CODES[1]: words("Registered Nurse"),
                CODES[2]: words("Truck Driver"),
            }
        },
    )


def test_every_kind_is_a_symmetric_matrix_over_the_codes() -> None:
    kinship = _kinship()
    assert set(kinship.matrices) == set(KINSHIP_FEATURES)
    for matrix in kinship.matrices.values():
        assert matrix.shape == (3, 3)
        assert np.allclose(matrix, matrix.T)
    # kinds without data (work styles, tasks, ...) are all zero: no evidence either way
    assert not kinship.matrices["task_similarity"].any()


def test_values_recomputed_by_hand() -> None:
    m = _kinship().matrices
    # interests, centred on the mean profile (R 14/3, I 10/3)
    a, b = (7 - 14 / 3, 1 - 10 / 3), (6 - 14 / 3, 2 - 10 / 3)
    cos = (a[0] * b[0] + a[1] * b[1]) / (math.hypot(*a) * math.hypot(*b))
    assert m["interest_similarity"][0, 1] == pytest.approx(cos, abs=1e-6)
    assert m["interest_similarity"][0, 2] < 0 < m["interest_similarity"][0, 1]
    # education: sum of the smaller share per category; none for the third occupation
    assert m["education_overlap"][0, 1] == pytest.approx(0.5)
    assert m["education_overlap"][0, 2] == 0
    # technologies: Jaccard |{Excel}| / |{Excel, SAP}|
    assert m["technology_overlap"][0, 1] == pytest.approx(0.5)
    # titles: the nurse titles share a word, the driver none
    assert m["title_similarity"][0, 1] > 0 == m["title_similarity"][0, 2]
    assert m["title_similarity"][1, 1] == pytest.approx(1.0, abs=1e-6)


def test_words_are_content_words_cut_to_a_stem() -> None:
    assert words("Manager of the Nursing Staff, All Other") == ["manage", "nursin", "staff"]
    assert words("IT") == []
