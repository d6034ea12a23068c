"""The `thorough` profile's cascade: the `accurate` stack labels every text, and a text whose
calibrated top probability is under the model's threshold goes on to the stack that adds
multilingual-e5-small: its sentence vectors (`nlp.e5_encoder`), or a classifier tuned from it
(`nlp.e5_tuned`). The threshold is chosen by the training scripts on
out-of-fold train scores: the smallest share of uncertain texts that gets most of the gain of
sending every text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nlp.calibration import macro_f1

# Shares of the least certain texts tried; 1.0 sends every text (the gain to get most of).
SHARES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
KEEP = 0.8  # "most of": this part of the gain of sending every text


def routed(probs: np.ndarray, threshold: float) -> np.ndarray:
    """Which rows (calibrated probabilities of the `accurate` stack) go to the thorough one."""
    return np.asarray(probs).max(axis=1) < threshold


def profile_name(profile: str, only: Sequence[str] = ()) -> str:
    """The profile as labels name it: `thorough[en]` when only some languages go on to e5, so
    that changing `nlp.thorough_languages` relabels as changing the profile does."""
    if profile == "thorough" and only:
        return f"thorough[{','.join(sorted(set(only)))}]"
    return profile


def split_profile(name: str) -> tuple[str, list[str]]:
    """`profile_name`'s inverse: `thorough[de,en]` → ("thorough", ["de", "en"])."""
    profile, _, only = name.partition("[")
    return profile, [code for code in only.rstrip("]").split(",") if code]


def allowed(languages: Sequence[str], only: frozenset[str] | None) -> np.ndarray:
    """Which rows may go on to the thorough stack: those in `only`'s languages (all if None)."""
    return np.array([only is None or lang in only for lang in languages], dtype=bool)


def threshold_for(confidence: np.ndarray, share: float) -> float:
    """The top-probability threshold under which `share` of these rows fall."""
    if share >= 1.0:
        return 2.0  # every text (a probability is at most 1)
    return float(np.quantile(confidence, share, method="lower")) + 1e-9


def choose(
    accurate: np.ndarray, predicted_accurate: np.ndarray, predicted_thorough: np.ndarray,
    gold: np.ndarray, scored: np.ndarray, n_classes: int,
) -> tuple[float, dict[str, Any]]:  # fmt: skip
    """The threshold, and the table it was chosen from, given the `accurate` stack's
    out-of-fold calibrated probabilities and both stacks' out-of-fold predictions (macro-F1
    over the `scored` rows: the corpus and public-data rows, not the rule sentences)."""
    if not scored.any():  # a training set of rule sentences only (a quick trial, the tests)
        scored = np.ones(len(gold), dtype=bool)
    confidence = accurate.max(axis=1)
    base = macro_f1(gold[scored], predicted_accurate[scored], n_classes)
    table: dict[str, Any] = {"accurate": round(base, 4)}
    gains: dict[float, float] = {}
    for share in SHARES:
        mask = routed(accurate, threshold_for(confidence[scored], share))
        mixed = np.where(mask, predicted_thorough, predicted_accurate)
        score = macro_f1(gold[scored], mixed[scored], n_classes)
        gains[share] = score - base
        table[f"share_{share:g}"] = round(score, 4)
    full = gains[1.0]
    share = next((s for s in SHARES if full <= 0 or gains[s] >= KEEP * full), 1.0)
    if full <= 0:
        share = 0.0  # the e5 stack does not help here: route nothing
    threshold = threshold_for(confidence[scored], share) if share > 0 else 0.0
    table.update({"share": share, "threshold": round(threshold, 4)})
    return threshold, table
