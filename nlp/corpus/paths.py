"""Where the corpus files live: the committed records in nlp/corpus/data, the texts and the
annotators' work outside the repository."""

from __future__ import annotations

import os
from pathlib import Path

from nlp.train.data import DEFAULT_DATA

RECORDS = Path(__file__).resolve().parent / "data"
ITEMS = RECORDS / "items.csv"
SPLIT = RECORDS / "split.csv"
ADJUDICATION = RECORDS / "adjudication.csv"
# The annotators' folder (batches, their outputs, the adjudication queue): ../annot beside
# the project unless VEILLE_ANNOT says otherwise. It holds texts, so it is never committed.
DEFAULT_ANNOT = (
    Path(os.environ["VEILLE_ANNOT"])
    if os.environ.get("VEILLE_ANNOT")
    else Path(__file__).resolve().parents[3] / "annot"
)
SEED = 17

__all__ = ["ADJUDICATION", "DEFAULT_ANNOT", "DEFAULT_DATA", "ITEMS", "RECORDS", "SEED", "SPLIT"]


def annotations_file(annotator: str) -> Path:
    return RECORDS / f"annotations_{annotator}.csv"
