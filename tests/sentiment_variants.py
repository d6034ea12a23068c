"""Sentiment model files made from the packaged one with some language blocks changed: a new
model worse in one language and not in the other, for the tests of `nlp.language_blocks` and
of the rule that takes a model's languages one by one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from config.settings import LABELING_PROFILES as PROFILES
from nlp.model_io import load_npz, meta_array, meta_of, save_npz
from nlp.model_store import packaged_model
from storage.vocab import SENTIMENTS


def variant(path: Path, *changes: Callable[[dict[str, np.ndarray]], None]) -> Path:
    """The packaged sentiment model with some blocks changed, written to `path` as a trainer
    writes a model: without the record of the files its blocks were trained in."""
    arrays = load_npz(packaged_model("sentiment"))
    for change in changes:
        change(arrays)
    meta = meta_of(arrays)
    meta.pop("blocks", None)
    arrays["meta"] = meta_array(meta)
    save_npz(path, arrays)
    return path


def french_reads_neutral(arrays: dict[str, np.ndarray]) -> None:
    """A French block much worse than the packaged one: every text neutral."""
    for profile in PROFILES:
        arrays[f"fr_{profile}_coef"] = np.zeros_like(arrays[f"fr_{profile}_coef"])
        arrays[f"fr_{profile}_intercept"] = np.array(
            [4.0 if s == "neutral" else -4.0 for s in SENTIMENTS]
        )


def english_cooler(arrays: dict[str, np.ndarray]) -> None:
    """An English block whose labels are the packaged one's, its scores a little less sure."""
    for profile in PROFILES:
        name = f"en_{profile}_temperature"
        arrays[name] = np.array(float(arrays[name]) * 1.05, dtype=np.float32)
