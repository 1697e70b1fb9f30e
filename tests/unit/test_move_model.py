"""The move model: the conditional-logit fit, observed shares held out, the shipped file."""

from __future__ import annotations

import numpy as np
import pytest

from careergraph.graph.move_model import (
    FEATURES,
    FloatArray,
    ObservedShares,
    fit_conditional_logit,
    load_move_model,
    softmax,
)

Choice = tuple[FloatArray, FloatArray, float]


def _synthetic(beta: FloatArray, origins: int = 120, alternatives: int = 25) -> list[Choice]:
    rng = np.random.default_rng(7)
    choices: list[Choice] = []
    for _ in range(origins):
        x = rng.normal(size=(alternatives, len(beta)))
        choices.append((x, softmax(x @ beta), 1.0))
    return choices


def test_fit_recovers_known_coefficients_and_is_deterministic() -> None:
    beta = np.array([1.5, -0.7, 0.0])
    choices = _synthetic(beta)
    center, scale, fitted = fit_conditional_logit(choices, l2=1e-6)
    raw = fitted / scale  # coefficients on the unstandardised features
    assert raw == pytest.approx(beta, abs=1e-3)
    again = fit_conditional_logit(choices, l2=1e-6)
    assert all(np.array_equal(u, v) for u, v in zip((center, scale, fitted), again, strict=True))


def test_ridge_shrinks_and_bad_shares_are_refused() -> None:
    choices = _synthetic(np.array([2.0, 0.0]))
    _, _, free = fit_conditional_logit(choices, l2=1e-6)
    _, _, shrunk = fit_conditional_logit(choices, l2=100.0)
    assert abs(shrunk[0]) < abs(free[0])
    x, y, w = choices[0]
    with pytest.raises(ValueError, match="sum to 1"):
        fit_conditional_logit([(x, y * 2, w)])
    with pytest.raises(ValueError, match="no choices"):
        fit_conditional_logit([])


def test_observed_features_never_use_the_origins_own_unit() -> None:
    codes = ["a", "b", "c", "d"]
    shares = {("a", "c"): 0.6, ("a", "d"): 0.4, ("b", "c"): 1.0, ("c", "a"): 0.5, ("c", "d"): 0.5}
    # a and b were read from one OES code: b's row is a's own data
    observed = ObservedShares.build(
        codes, shares, {"a": "U", "b": "U", "c": "V"}, {"a": 1.0, "b": 1.0, "c": 2.0}
    )
    reverse, inflow = observed.others(0)
    assert reverse.tolist() == [0.0, 0.0, 0.5, 0.0]
    assert inflow.tolist() == pytest.approx([0.5, 0.0, 0.0, 0.5])  # c's row alone
    held_out = observed.without_units(["U"])
    assert held_out.row(0).sum() == 0 and held_out.row(2).sum() == pytest.approx(1.0)
    assert held_out.others(2)[1].sum() == 0, "no other observed origin is left"


def test_shipped_model_matches_the_features_and_gives_probabilities() -> None:
    model = load_move_model()
    assert model.features == list(FEATURES)
    assert 0 < model.observed_weight < 1 and model.fitted_on
    x = np.random.default_rng(1).normal(size=(50, len(FEATURES)))
    p = model.probabilities(x)
    assert p.sum() == pytest.approx(1.0) and (p > 0).all()
