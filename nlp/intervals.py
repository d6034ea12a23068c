"""How far a test figure can be trusted: bootstrap intervals of macro-F1 on the corpus's test
split, for one model and for the difference between two models labelling the same items.

The test split is small (655 French and 236 English items, a handful of some topics), so a
macro-F1 moves by several hundredths when one rare item changes sides. The items are resampled
with replacement within each language (each language keeps its size), the figure recomputed
on every resample, and the interval is the central `LEVEL` share of those figures (percentile
bootstrap). For two models the same resampled items score both (a paired bootstrap): the
interval of the difference says whether a gain is larger than what the split can tell apart.
Seeded, so the same predictions give the same interval.

The expected calibration error has the same trouble: on a few hundred items a perfectly
calibrated model's ECE is some hundredths above zero. `calibrated_ece_bound` says how high it
goes in 95 % of draws with the model's own scores; an ECE above that is the model's, not the
split's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.calibration import EDGES

RESAMPLES = 2000
LEVEL = 0.95
# A rule that refuses on a bound (`nlp.retrain.calibration_lost`) takes this level, so that a
# calibrated model is refused by the split's noise once in a hundred, not once in twenty.
STRICT_LEVEL = 0.99
SEED = 20240601


def resampled_macro_f1(
    gold: np.ndarray, predicted: np.ndarray, n_classes: int, picks: np.ndarray
) -> np.ndarray:
    """Macro-F1 (over the classes present in gold or predictions, as `calibration.macro_f1`)
    of each row of `picks`, an array of item indices (resamples × items)."""
    cells = n_classes * n_classes
    codes = np.asarray(gold)[picks] * n_classes + np.asarray(predicted)[picks]
    codes = codes + (np.arange(len(picks)) * cells)[:, None]
    confusion = np.bincount(codes.ravel(), minlength=len(picks) * cells).reshape(
        len(picks), n_classes, n_classes
    )
    tp = np.diagonal(confusion, axis1=1, axis2=2).astype(float)
    denominator = confusion.sum(axis=1) + confusion.sum(axis=2)
    present = denominator > 0
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=present)
    return f1.sum(axis=1) / np.maximum(present.sum(axis=1), 1)


def bootstrap(
    gold: Sequence[int] | np.ndarray,
    predictions: Sequence[Sequence[int] | np.ndarray],
    groups: Sequence[str] | np.ndarray,
    n_classes: int,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> np.ndarray:
    """For each prediction array, the mean over `groups` (languages) of its macro-F1 on each
    resample of the items, resampled within each group: shape (predictions, resamples).
    Every prediction array is scored on the same resamples."""
    gold = np.asarray(gold)
    group_array = np.asarray(groups)
    rng = np.random.default_rng(seed)
    out = np.zeros((len(predictions), resamples))
    names = sorted(set(group_array.tolist()))
    for name in names:
        members = np.flatnonzero(group_array == name)
        picks = members[rng.integers(0, len(members), size=(resamples, len(members)))]
        for i, predicted in enumerate(predictions):
            out[i] += resampled_macro_f1(gold, np.asarray(predicted), n_classes, picks)
    return out / max(len(names), 1)


def interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """The central `level` share of `values` (percentiles), rounded to 4 decimals."""
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return round(float(low), 4), round(float(high), 4)


def macro_f1_interval(
    gold: Sequence[int] | np.ndarray, predicted: Sequence[int] | np.ndarray, n_classes: int
) -> tuple[float, float]:
    """95 % interval of one macro-F1."""
    return interval(bootstrap(gold, [predicted], np.zeros(len(gold), dtype=int), n_classes)[0])


def difference_interval(
    gold: Sequence[int] | np.ndarray,
    new: Sequence[int] | np.ndarray,
    old: Sequence[int] | np.ndarray,
    groups: Sequence[str] | np.ndarray,
    n_classes: int,
) -> tuple[float, float]:
    """95 % interval of (new − old), each the mean over `groups` of its macro-F1, both models
    scored on the same resampled items."""
    scores = bootstrap(gold, [new, old], groups, n_classes)
    return interval(scores[0] - scores[1])


def calibrated_ece_bounds(
    top: Sequence[float] | np.ndarray,
    levels: Sequence[float] = (LEVEL,),
    edges: Sequence[float] = EDGES,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[float, ...]:
    """The expected calibration error that a perfectly calibrated model, with these items' top
    scores, stays under in each of `levels` of the draws: each item is drawn right with its
    score's probability and binned as `calibration.reliability` bins it. A few hundred items
    leave a calibrated model's ECE well above zero; an ECE above such a bound is more than the
    items' noise. Rounded to 4 decimals; seeded."""
    scores = np.asarray(top, dtype=np.float64)
    if not len(scores):
        return tuple(0.0 for _ in levels)
    right = np.random.default_rng(seed).random((resamples, len(scores))) < scores
    bins = np.clip(np.searchsorted(edges, scores, side="right") - 1, 0, len(edges) - 2)
    ece = np.zeros(resamples)
    for b in np.unique(bins):
        members = bins == b
        gap = np.abs(right[:, members].mean(axis=1) - scores[members].mean())
        ece += members.sum() / len(scores) * gap
    return tuple(round(float(q), 4) for q in np.quantile(ece, list(levels)))


def calibrated_ece_bound(top: Sequence[float] | np.ndarray, level: float = LEVEL) -> float:
    """`calibrated_ece_bounds` at one level."""
    return calibrated_ece_bounds(top, (level,))[0]
