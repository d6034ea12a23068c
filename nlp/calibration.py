"""Per-class decision biases and temperature scaling, fitted on out-of-fold scores, and the
reliability table that says whether a score means what it says."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

BIAS_GRID = np.round(np.linspace(-2.0, 2.0, 41), 2)


def macro_f1(gold: np.ndarray, predicted: np.ndarray, n_classes: int) -> float:
    """Macro-F1 over the classes present in gold or predictions (as sklearn's default)."""
    confusion = np.bincount(
        np.asarray(gold) * n_classes + np.asarray(predicted), minlength=n_classes * n_classes
    ).reshape(n_classes, n_classes)
    tp = np.diag(confusion).astype(float)
    denominator = confusion.sum(axis=0) + confusion.sum(axis=1)  # 2tp + fp + fn
    present = denominator > 0
    return float(np.mean(2 * tp[present] / denominator[present])) if present.any() else 0.0


def fit_biases(log_probs: np.ndarray, gold: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Per-class additive biases on log-probabilities that maximise macro-F1 (coordinate
    ascent over a fixed grid; ties keep the smaller bias, so the result is deterministic)."""
    n = log_probs.shape[1]
    bias = np.zeros(n)
    best = macro_f1(gold, log_probs.argmax(1), n)
    for _ in range(rounds):
        changed = False
        for k in range(n):
            for value in BIAS_GRID:
                trial = bias.copy()
                trial[k] = value
                score = macro_f1(gold, (log_probs + trial).argmax(1), n)
                if score > best + 1e-9 or (abs(score - best) <= 1e-9 and abs(value) < abs(bias[k])):
                    best, bias, changed = score, trial, True
        if not changed:
            break
    return bias


def fit_biases_by_language(
    log_probs: np.ndarray, gold: np.ndarray, french: np.ndarray
) -> np.ndarray:
    """`fit_biases` for each language group apart — row 0 every language but French, row 1
    French — so that each language's macro-F1 (the figure the model is held to, language by
    language) is what they maximise; zeros for a group with no row."""
    out = np.zeros((2, log_probs.shape[1]))
    for group in (0, 1):
        rows = np.flatnonzero(np.asarray(french, dtype=bool) == bool(group))
        if len(rows):
            out[group] = fit_biases(log_probs[rows], gold[rows])
    return out


def row_biases(bias: np.ndarray, french: np.ndarray) -> np.ndarray:
    """Each row's biases: `bias` itself when one set is shared by every language (a model
    trained before the biases were fitted by language), else its language group's row."""
    if bias.ndim == 1:
        return bias
    return bias[np.asarray(french, dtype=bool).astype(int)]


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature T minimising the log-loss of softmax(logits / T) (golden-section search
    on log T)."""

    def loss(log_t: float) -> float:
        z = logits / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(len(gold)), gold].mean())

    lo, hi = np.log(0.05), np.log(20.0)
    ratio = (np.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = loss(a), loss(b)
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = loss(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = loss(b)
    return float(np.exp((lo + hi) / 2))


def calibrated(log_probs: np.ndarray, bias: np.ndarray, temperature: float) -> np.ndarray:
    z = (log_probs + bias) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


EDGES = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability(
    probs: np.ndarray, gold: np.ndarray, edges: Sequence[float] = EDGES
) -> tuple[list[dict[str, float]], float]:
    """Per bin of the top score: count, mean score, share right; and the expected calibration
    error (the count-weighted gap between mean score and share right)."""
    top = probs.max(axis=1)
    right = probs.argmax(axis=1) == gold
    rows: list[dict[str, float]] = []
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (top >= lo) & ((top < hi) if hi < 1 else (top <= hi))
        n = int(mask.sum())
        if n:
            mean, share = float(top[mask].mean()), float(right[mask].mean())
            ece += n / len(top) * abs(mean - share)
            rows.append({"from": lo, "to": hi, "n": n, "mean_score": round(mean, 3),
                         "right": round(share, 3)})  # fmt: skip
    return rows, round(ece, 4)
