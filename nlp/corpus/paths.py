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
# The second reading of suspected label errors in the train part (`nlp.corpus.reread`): the
# queue (the finder's guesses: readers never open it) and the readers' answers.
REREAD_QUEUE = RECORDS / "suspects.csv"
# The annotators' folder (batches, their outputs, the adjudication queue): ../annot beside
# the project unless VEILLE_ANNOT says otherwise. It holds texts, so it is never committed.
DEFAULT_ANNOT = (
    Path(os.environ["VEILLE_ANNOT"])
    if os.environ.get("VEILLE_ANNOT")
    else Path(__file__).resolve().parents[3] / "annot"
)
SEED = 17

__all__ = [
    "ADJUDICATION", "DEFAULT_ANNOT", "DEFAULT_DATA", "ITEMS", "RECORDS", "REREAD_QUEUE", "SEED",
    "SPLIT",
]  # fmt: skip

# Each annotation round has its own folders under ANNOT, so that a later round never touches
# the files of an earlier one: round 1 keeps the names it was labelled with (batches/, <lang>/,
# todo_<lang>.jsonl), round N adds N (batches2/, <lang>2/, todo2_<lang>.jsonl).


def _suffix(round_no: int) -> str:
    return "" if round_no == 1 else str(round_no)


def batches_dir(annot: Path, round_no: int = 1) -> Path:
    """ANNOT/batches (round 1), ANNOT/batches2, …: the batch files of one round."""
    return annot / f"batches{_suffix(round_no)}"


def lang_folder(lang: str, round_no: int = 1) -> str:
    """The folder name of one language's files in a round: `fr` (round 1), `fr2`, …; used for
    the annotators' outputs (ANNOT/<annotator>/fr2/) and the adjudicator's answers."""
    return f"{lang}{_suffix(round_no)}"


def todo_file(annot: Path, lang: str, round_no: int = 1) -> Path:
    """ANNOT/adjudication/todo_<lang>.jsonl (round 1), todo2_<lang>.jsonl, …"""
    return annot / "adjudication" / f"todo{_suffix(round_no)}_{lang}.jsonl"


def annotations_file(annotator: str) -> Path:
    return RECORDS / f"annotations_{annotator}.csv"
