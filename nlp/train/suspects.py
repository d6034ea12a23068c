"""Suspected label errors in the corpus's train part, for a second reading.

Run: `python -m nlp.train.suspects [--data DIR] [--cache DIR] [--per-task N]`: writes
`nlp/corpus/data/suspects.csv` once (the items to read again, why, and the finder's guess —
readers never open it; it refuses to overwrite the queue without `--force`), then `python -m
nlp.corpus.reread batches` writes their batch files.

The finder is confident learning (Northcutt, Jiang and Chuang, "Confident Learning:
Estimating Uncertainty in Dataset Labels", JAIR 2021): out-of-fold class probabilities of a
plain model (a logistic regression on the USE sentence vectors and one on n-gram TF-IDF,
averaged; 5 folds), a threshold per class — the mean probability of that class over the items
labelled with it — and an item is suspect when the class it passes the threshold of most
strongly is not its label. Suspects are ranked by how far the guess's probability exceeds the
label's. Only the train part is read: the test split and the later rounds' own test parts are
never re-read (their labels are frozen). `cleanlab` implements the same rule but is AGPL-3.0,
which this Apache-2.0 project does not take as a dependency; the rule is a few lines of NumPy.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from nlp import features
from nlp.corpus.gold import TASKS as CORPUS_TASKS
from nlp.corpus.paths import REREAD_QUEUE
from nlp.train.data import DEFAULT_DATA
from storage.vocab import values_of

SEED = 17
FOLDS = 5
C_VECTORS = 10.0
C_NGRAMS = 10.0
PER_TASK = 250  # the most suspect items of each task sent to the second reading
TASKS = {task: values_of(task) for task in CORPUS_TASKS}  # the corpus's tasks and values
QUEUE_FIELDS = ("id", "task", "label", "guess", "label_p", "guess_p")


@dataclass(frozen=True)
class Suspect:
    row: int
    label: int
    guess: int
    label_p: float
    guess_p: float


def confident_errors(probs: np.ndarray, labels: np.ndarray) -> list[Suspect]:
    """The off-diagonal of the confident joint: rows whose probability passes the threshold of
    a class other than their label, and passes it most strongly there (largest probability
    among the classes whose threshold it passes). Most suspect first (guess's probability
    minus label's), ties in row order."""
    n_classes = probs.shape[1]
    thresholds = np.array([
        probs[labels == k, k].mean() if np.any(labels == k) else np.inf
        for k in range(n_classes)
    ])  # fmt: skip
    passed = np.where(probs >= thresholds, probs, -np.inf)
    guess = passed.argmax(1)
    confident = np.isfinite(passed.max(1))
    rows = np.flatnonzero(confident & (guess != labels))
    out = [
        Suspect(int(i), int(labels[i]), int(guess[i]), float(probs[i, labels[i]]),
                float(probs[i, guess[i]]))
        for i in rows
    ]  # fmt: skip
    return sorted(out, key=lambda s: (s.label_p - s.guess_p, s.row))


def out_of_fold(
    vectors: np.ndarray, counts: Any, labels: np.ndarray, n_classes: int, seed: int = SEED
) -> np.ndarray:
    """Out-of-fold probabilities: the mean of a sentence-vector LR and an n-gram LR."""
    out = np.zeros((len(labels), n_classes))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train_rows, test_rows in folds.split(vectors, labels):
        # Only the n-grams the fold's training rows hold: the others' weights would stay 0
        # (no gradient but the penalty's), so the model is the same, fitted on 10⁵ times
        # fewer columns than the hashing space's.
        used = np.flatnonzero(counts[train_rows].getnnz(axis=0))
        idf = features.idf(counts[train_rows])
        x_train = features.tfidf(counts[train_rows], idf)[:, used]
        x_test = features.tfidf(counts[test_rows], idf)[:, used]  # rows normed on every n-gram
        for x_fit, x_score, c in (
            (vectors[train_rows], vectors[test_rows], C_VECTORS),
            (x_train, x_test, C_NGRAMS),
        ):
            model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
            model.fit(x_fit, labels[train_rows])
            p = np.zeros((len(test_rows), n_classes))
            p[:, model.classes_] = model.predict_proba(x_score)
            out[test_rows] += p / 2
    return out


def find(
    ids: Sequence[str], texts: Sequence[str], gold: dict[str, Sequence[str]], vectors: np.ndarray,
    per_task: int = PER_TASK,
) -> list[dict[str, str]]:  # fmt: skip
    """The queue's rows: per task, the `per_task` most suspect items."""
    counts = features.ngram_counts(list(texts))
    rows: list[dict[str, str]] = []
    for task, classes in TASKS.items():
        labels = np.array([classes.index(v) for v in gold[task]])
        probs = out_of_fold(vectors, counts, labels, len(classes))
        for s in confident_errors(probs, labels)[:per_task]:
            rows.append({
                "id": ids[s.row], "task": task, "label": classes[s.label],
                "guess": classes[s.guess], "label_p": f"{s.label_p:.4f}",
                "guess_p": f"{s.guess_p:.4f}",
            })  # fmt: skip
    return rows


def write_queue(rows: Sequence[dict[str, str]], path: Path = REREAD_QUEUE) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=QUEUE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    from nlp.corpus.build import load_corpus
    from nlp.train.vectors import sentence_vectors

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    parser.add_argument("--per-task", type=int, default=PER_TASK)
    parser.add_argument("--out", type=Path, default=REREAD_QUEUE)
    parser.add_argument("--force", action="store_true", help="overwrite an existing queue")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.force:
        print(
            f"{args.out} exists: its items were read again, and the readings are kept against it."
            " A new queue is for a new reading: --force, and new readers' names.",
            file=sys.stderr,
        )
        return 1
    frame = load_corpus(args.data)
    frame = frame[frame["split"] == "train"].reset_index(drop=True)
    texts = [str(t) for t in frame["text"]]
    rows = find(
        list(frame["id"]), texts,
        {task: [str(v) for v in frame[task]] for task in TASKS},
        sentence_vectors(texts, args.cache), args.per_task,
    )  # fmt: skip
    write_queue(rows, args.out)
    items = len({r["id"] for r in rows})
    print(f"{len(rows)} suspect labels on {items} items of {len(frame)} written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
