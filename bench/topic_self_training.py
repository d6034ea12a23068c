"""Does self-training on unlabelled English brand tweets lift English topic? A proxy check.

    nice python bench/topic_self_training.py [--pool N] [--data DIR] [--cache DIR]

On the **train part** only (the test split and the later rounds' test parts are never read,
and no text of the corpus, of any split, enters the pool): the English train rows in 5 folds
(the topic trainer's seed). In each fold a teacher — one of two inputs of the topic model's
`accurate` stack, the USE-vector LR or the n-gram SVC, with the trainer's C — is fitted on the
other folds, labels a pool of unlabelled tweets of the test split's own English sources
(airline, music-service and festival brand tweets), and a student is fitted on the other folds
and the pool items the teacher is surest of (top score ≥ τ, weight w); both read the held-out
fold. Printed: out-of-fold macro-F1 of the teacher (no pool) and of each student, on every
English train row and on the test split's own sources (rounds 1 and 6). Written when English
topic stayed at 0.57 (nlp/models/HISTORY.md, "Self-training on unlabelled English tweets").
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bench.topic_parts import TEST_SOURCE_ROUNDS  # noqa: E402
from nlp.train.data import DEFAULT_DATA  # noqa: E402

POOL_SOURCES = ("en_airline_tweets", "en_spotifycares_tweets", "en_sxsw_brand_tweets")
TAUS = (0.6, 0.8, 0.9)
WEIGHTS = (0.3, 1.0)


def run(data: Path, cache: Path | None, pool_size: int) -> list[tuple[str, str, float, float]]:
    """(input, setting, macro-F1 on every English train row, on the test split's sources)."""
    import numpy as np
    from scipy.sparse import vstack
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    from nlp import features
    from nlp.corpus.batches import shown_text
    from nlp.corpus.build import labels, load_corpus
    from nlp.corpus.sources import usable
    from nlp.corpus.textkey import text_key
    from nlp.train import topic
    from nlp.train.vectors import sentence_vectors

    frame = load_corpus(data)
    train = frame[(frame["split"] == "train") & (frame["lang"] == "en")].reset_index(drop=True)
    classes = sorted(set(train["topic"]))
    y = np.array([classes.index(t) for t in train["topic"]])
    texts = [str(t) for t in train["text"]]
    own = train["round"].isin(TEST_SOURCE_ROUNDS).to_numpy()
    corpus_keys = set(labels()["key"])  # every split: no corpus text, test ones above all
    pool = [
        shown_text(t)
        for name in POOL_SOURCES
        for t in usable(name, data)
        if t.key not in corpus_keys and text_key(t.text) not in corpus_keys
    ]
    order = np.random.default_rng(topic.SEED).permutation(len(pool))
    pool = [pool[i] for i in order[:pool_size]]
    print(f"English train rows {len(texts):,}, pool {len(pool):,}", flush=True)
    use, pool_use = sentence_vectors(texts, cache), sentence_vectors(pool, cache)
    counts = features.ngram_counts(texts + pool)
    tfidf = features.tfidf(counts, features.idf(counts)).tocsr()
    ngrams, pool_ngrams = tfidf[: len(texts)], tfidf[len(texts) :]
    folds = list(StratifiedKFold(topic.FOLDS, shuffle=True, random_state=topic.SEED).split(use, y))

    def softmax(d: Any) -> Any:
        e = np.exp(d - d.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    inputs: list[tuple[str, Callable[[], Any], Any, Any, Callable[[Any, Any], Any]]] = [
        ("USE LR", lambda: LogisticRegression(C=topic.C_SENTENCE, max_iter=5000,
                                              random_state=topic.SEED),
         use, pool_use, lambda m, x: m.predict_proba(x)),
        ("n-gram SVC", lambda: LinearSVC(C=topic.C_NGRAM, class_weight="balanced",
                                         random_state=topic.SEED),
         ngrams, pool_ngrams, lambda m, x: softmax(m.decision_function(x))),
    ]  # fmt: skip
    out = []
    for name, model, x, px, scores in inputs:
        dense = isinstance(x, np.ndarray)
        for tau, weight in [(None, 0.0), *((t, w) for t in TAUS for w in WEIGHTS)]:
            predicted = np.zeros(len(y), int)
            for fit_rows, held in folds:
                teacher = model().fit(x[fit_rows], y[fit_rows])
                if tau is None:
                    predicted[held] = teacher.predict(x[held])
                    continue
                p = scores(teacher, px)
                keep = p.max(1) >= tau
                rows = (
                    np.vstack([x[fit_rows], px[keep]]) if dense else vstack([x[fit_rows], px[keep]])
                )
                gold = np.concatenate([y[fit_rows], p.argmax(1)[keep]])
                weights = np.concatenate([np.ones(len(fit_rows)), np.full(keep.sum(), weight)])
                student = model().fit(rows, gold, sample_weight=weights)
                predicted[held] = student.predict(x[held])
            setting = "teacher, no pool" if tau is None else f"student, tau {tau}, weight {weight}"
            every = f1_score(y, predicted, average="macro")
            sources = f1_score(y[own], predicted[own], average="macro")
            print(f"{name:11} {setting:32} {every:.3f}  {sources:.3f}", flush=True)
            out.append((name, setting, float(every), float(sources)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pool", type=int, default=6000, help="unlabelled tweets drawn")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    args = parser.parse_args(argv)
    print("out-of-fold macro-F1, TRAIN part, English: every row / the test split's sources")
    run(args.data, args.cache, args.pool)


if __name__ == "__main__":
    main()
