"""Readers of the public data sets in ../shared/data that the training scripts use."""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

UMSAB_LANGUAGES = {
    "arabic": "ar", "english": "en", "french": "fr", "german": "de",
    "hindi": "hi", "italian": "it", "portuguese": "pt", "spanish": "es",
}  # fmt: skip
SENTIMENT_OF_UMSAB = {"0": "negative", "1": "neutral", "2": "positive"}
# ../shared/data beside the project, unless VEILLE_SHARED points at another shared/ folder.
DEFAULT_DATA = (
    Path(os.environ["VEILLE_SHARED"]) / "data"
    if os.environ.get("VEILLE_SHARED")
    else Path(__file__).resolve().parents[3] / "shared" / "data"
)


def origin_weights(origins: Sequence[str], by_origin: Mapping[str, float]) -> np.ndarray:
    """Each training row's weight by where it comes from (`by_origin`: rule sentences, people's
    labels…); a corpus or data-set row weighs 1."""
    return np.array([by_origin.get(o, 1.0) for o in origins])


def umsab(data: Path, language: str, split: str) -> tuple[list[str], list[str]]:
    """Texts and sentiment labels of one UMSAB language and split (train or val)."""
    folder = data / "umsab" / language
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()
    if len(texts) != len(labels):
        raise ValueError(f"{folder}: {len(texts)} texts but {len(labels)} labels in {split}")
    return texts, [SENTIMENT_OF_UMSAB[x] for x in labels]


def allocine(data: Path, split: str = "train") -> tuple[list[str], list[str]]:
    """Allociné TV-series reviews: positive or negative, French, lower-cased."""
    texts: list[str] = []
    labels: list[str] = []
    with (data / "allocine_tv_fr" / f"{split}.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            label, _, text = line.rstrip("\n").partition("\t")
            if label in ("0", "1") and text:
                texts.append(text)
                labels.append("positive" if label == "1" else "negative")
    return texts, labels


def human_labels(path: Path, task: str = "sentiment") -> tuple[list[str], list[str]]:
    """Texts and values of one task from a `veille label --export` CSV file."""
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("task") == task and row.get("text") and row.get("value"):
                texts.append(row["text"])
                labels.append(row["value"])
    return texts, labels
