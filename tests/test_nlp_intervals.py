"""Bootstrap intervals of macro-F1 (`nlp.intervals`) and the paired comparison of two models
on the same test items (`nlp.evaluation.compare`)."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import intervals
from nlp.calibration import macro_f1
from nlp.evaluation import compare, figures

CLASSES = 4


def _noisy(gold: np.ndarray, error_rate: float, seed: int) -> np.ndarray:
    """Gold with `error_rate` of the items moved to another class."""
    rng = np.random.default_rng(seed)
    wrong = rng.random(len(gold)) < error_rate
    return np.where(wrong, (gold + rng.integers(1, CLASSES, len(gold))) % CLASSES, gold)


def _gold(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, CLASSES, n)


def test_resampled_figures_are_macro_f1_of_the_picked_items() -> None:
    gold = _gold(50)
    predicted = _noisy(gold, 0.3, 2)
    picks = np.vstack([np.arange(50), np.random.default_rng(3).integers(0, 50, (3, 50))])
    scores = intervals.resampled_macro_f1(gold, predicted, CLASSES, picks)
    for row, score in zip(picks, scores, strict=True):
        assert score == pytest.approx(macro_f1(gold[row], predicted[row], CLASSES))


def test_interval_holds_the_figure_is_seeded_and_narrows_with_more_items() -> None:
    small_gold = _gold(100)
    small = _noisy(small_gold, 0.3, 2)
    low, high = intervals.macro_f1_interval(small_gold, small, CLASSES)
    assert low < macro_f1(small_gold, small, CLASSES) < high
    assert intervals.macro_f1_interval(small_gold, small, CLASSES) == (low, high)
    large_gold = _gold(2000)
    large = _noisy(large_gold, 0.3, 2)
    large_low, large_high = intervals.macro_f1_interval(large_gold, large, CLASSES)
    assert large_high - large_low < (high - low) / 3
    perfect = intervals.macro_f1_interval(small_gold, small_gold, CLASSES)
    assert perfect == (1.0, 1.0)


def test_paired_difference_tells_a_real_gain_from_noise() -> None:
    gold = _gold(600)
    langs = np.array(["fr", "en"] * 300)
    base = _noisy(gold, 0.35, 2)
    assert intervals.difference_interval(gold, base, base, langs, CLASSES) == (0.0, 0.0)
    # Mending a third of the errors is a gain the split can see.
    better = np.where(np.random.default_rng(5).random(600) < 0.33, gold, base)
    low, high = intervals.difference_interval(gold, better, base, langs, CLASSES)
    assert 0 < low < high
    # Changing three answers is not.
    changed = base.copy()
    changed[:3] = gold[:3]
    low, high = intervals.difference_interval(gold, changed, base, langs, CLASSES)
    assert low <= 0 <= high


def test_compare_needs_the_same_items() -> None:
    classes = ["negative", "neutral", "positive"]
    gold = [classes[i % 3] for i in range(30)]
    langs = ["fr"] * 20 + ["en"] * 10
    probs = np.full((30, 3), 1 / 3)
    new = figures("sentiment", gold, gold, probs, langs)
    old = figures("sentiment", gold, [classes[(i + 1) % 3] for i in range(30)], probs, langs)
    low, high = compare(new, old)
    assert 0 < low <= high
    assert new["fr"]["macro_f1_interval"] == (1.0, 1.0)
    assert new["score_interval"] == (1.0, 1.0)
    fewer = figures("sentiment", gold[:29], gold[:29], probs[:29], langs[:29])
    with pytest.raises(ValueError, match="same test items"):
        compare(fewer, old)


def test_a_calibrated_model_s_ece_stays_under_the_bound_and_an_overconfident_one_does_not() -> None:
    """`calibrated_ece_bound`: scores that are the true chances of being right give an ECE
    above zero on a few hundred items, under the bound in about 95 % of test sets; the same
    items scored too high go over it. The same scores give the same bound."""
    from nlp.calibration import reliability

    rng = np.random.default_rng(5)
    under = 0
    for _ in range(200):
        top = rng.uniform(0.34, 1.0, 400)
        probs = np.column_stack([top, (1 - top) / 2, (1 - top) / 2])
        gold = np.where(rng.random(400) < top, 0, 1)  # right with the score's probability
        ece = reliability(probs, gold)[1]
        bound = intervals.calibrated_ece_bound(top)
        under += ece <= bound
        assert ece > 0
    assert 180 <= under <= 199
    top = rng.uniform(0.34, 1.0, 400)
    gold = np.where(rng.random(400) < top * 0.8, 0, 1)  # right less often than scored
    probs = np.column_stack([top, (1 - top) / 2, (1 - top) / 2])
    assert reliability(probs, gold)[1] > 2 * intervals.calibrated_ece_bound(top)
    assert intervals.calibrated_ece_bound(top) == intervals.calibrated_ece_bound(top.copy())


def test_every_language_s_figures_carry_the_calibrated_bound() -> None:
    gold = ["positive", "negative", "neutral"] * 20
    probs = np.tile(np.eye(3) * 0.5 + 0.5 / 3, (20, 1))
    out = figures("sentiment", gold, gold, probs, ["fr", "en"] * 30)
    for lang in ("fr", "en"):
        assert 0 < out[lang]["ece_calibrated_bound"] < 0.3


def test_figures_by_kind_of_text_are_those_of_its_items_alone() -> None:
    """`nlp.evaluation.by_kind`: a kind's figures are its own items' (wrong reviews do not
    lower the tweets), per language; kinds under the least count are left out."""
    from nlp.evaluation import by_kind

    gold = ["positive", "negative", "neutral"] * 20
    predicted = list(gold)
    for i in range(0, 30, 2):  # every French review read wrong
        predicted[i] = "neutral" if gold[i] != "neutral" else "positive"
    langs = ["fr", "en"] * 30
    kinds = ["review"] * 30 + ["tweet_general"] * 24 + ["forum_post"] * 6
    probs = np.tile(np.eye(3) * 0.5 + 0.5 / 3, (20, 1))
    out = by_kind(figures("sentiment", gold, predicted, probs, langs, kinds), least=10)
    assert out["fr"]["review"] == {"n": 15, "macro_f1": 0.0, "accuracy": 0.0}
    assert out["fr"]["tweet_general"] == {"n": 12, "macro_f1": 1.0, "accuracy": 1.0}
    assert out["en"]["review"]["accuracy"] == 1.0
    assert "forum_post" not in out["fr"] and "forum_post" not in out["en"]
