"""Train the bundled sentiment model and print its validation scores.

    nice python -m nlp.train.sentiment [--data DIR] [--human labels.csv] [--cache DIR]

Data: UMSAB train splits (8 languages), Allociné TV reviews (French), and optionally the
human labels of `veille label --export`. Method, for a multilingual model and for French
and English specialists: a linear SVM on TF-IDF hashed word
1–2-grams and character 2–5-grams; logistic regression on USE-multilingual sentence vectors;
both give out-of-fold scores (5 folds) that a last logistic regression stacks with
lexicon cues — with the sentence model (profile `accurate`) and without it (`fast`).
Scores: macro-F1 on each UMSAB validation split. Seeded: the same data gives the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from nlp import features
from nlp.labelers.language import LanguageLabeler
from nlp.labelers.sentiment import MODEL_PATH, SPECIALISTS, SentimentLabeler, SentimentModel
from nlp.train.data import DEFAULT_DATA, UMSAB_LANGUAGES, allocine, human_labels, umsab
from nlp.word_vectors import french_vectors
from storage.vocab import SENTIMENTS

SEED = 20240601
C_NGRAM = 0.3
C_SENTENCE = 1.0
C_STACK = 1.0
C_WORDS = 100.0  # French word-vector LR (see the model card for how it was chosen)


def _idf(counts: Any) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    n = counts.shape[0]
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)


def _embed(texts: list[str], cache: Path | None) -> np.ndarray:
    encoder = features.SentenceEncoder(threads=1)
    key = hashlib.sha1("\n".join([encoder.tokenizer, *texts]).encode()).hexdigest()[:16]
    path = cache / f"use-{key}.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    vectors = encoder.encode(texts)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def _lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, random_state=SEED)


def fit_block(
    prefix: str, texts: list[str], labels: list[str], vectors: np.ndarray,
    word_vectors: np.ndarray | None = None,
) -> dict[str, np.ndarray]:  # fmt: skip
    """One stack (n-gram SVM, sentence-vector LR, and the two stacking LRs) as named arrays."""
    y = np.array(labels)
    counts = features.ngram_counts(texts)
    idf = _idf(counts)
    x_ngram = features.tfidf(counts, idf)
    lexicon = features.lexicon_matrix(texts)
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    ngram = LinearSVC(C=C_NGRAM, random_state=SEED)
    oof_ngram = cross_val_predict(ngram, x_ngram, y, cv=folds, method="decision_function")
    ngram.fit(x_ngram, y)
    sentence = _lr(C_SENTENCE)
    oof_sentence = cross_val_predict(sentence, vectors, y, cv=folds, method="predict_proba")
    sentence.fit(vectors, y)
    stacked = [oof_ngram, oof_sentence]
    extra: dict[str, np.ndarray] = {}
    if word_vectors is not None:
        words = _lr(C_WORDS)
        stacked.append(cross_val_predict(words, word_vectors, y, cv=folds, method="predict_proba"))
        words.fit(word_vectors, y)
        assert list(words.classes_) == list(SENTIMENTS)
        extra = {"wv_coef": words.coef_.astype(np.float32), "wv_intercept": words.intercept_}
    accurate = _lr(C_STACK).fit(np.hstack([*stacked, lexicon]), y)
    fast = _lr(C_STACK).fit(np.hstack([oof_ngram, lexicon]), y)
    for model in (ngram, sentence, accurate, fast):
        assert list(model.classes_) == list(SENTIMENTS)
    arrays = {
        "idf": idf.astype(np.float16), "ngram_coef": ngram.coef_.astype(np.float16),
        "ngram_intercept": ngram.intercept_, "use_coef": sentence.coef_.astype(np.float32),
        "use_intercept": sentence.intercept_, "accurate_coef": accurate.coef_,
        "accurate_intercept": accurate.intercept_, "fast_coef": fast.coef_,
        "fast_intercept": fast.intercept_,
    }  # fmt: skip
    arrays.update(extra)
    return {f"{prefix}_{k}": v for k, v in arrays.items()}


def train(data: Path, human: Path | None, cache: Path | None, out: Path) -> dict[str, Any]:
    started = time.time()
    texts: list[str] = []
    labels: list[str] = []
    languages: list[str] = []
    for folder, code in UMSAB_LANGUAGES.items():
        t, y = umsab(data, folder, "train")
        texts += t
        labels += y
        languages += [code] * len(t)
    t, y = allocine(data, "train")
    texts += t
    labels += y
    languages += ["allocine"] * len(t)
    if human is not None:
        t, y = human_labels(human, "sentiment")
        texts += t
        labels += y
        languages += [p.value for p in load_language().label_batch(t)]
    vectors = _embed(texts, cache)
    arrays = fit_block("multi", texts, labels, vectors)
    # Language specialists: in-language data beats more data for French and English tweets
    # (Allociné's long reviews help the multilingual model but not the French tweets).
    for code in SPECIALISTS:
        rows = [i for i, lang in enumerate(languages) if lang == code]
        block_texts = [texts[i] for i in rows]
        words = french_vectors().mean(block_texts) if code == "fr" else None
        arrays.update(fit_block(code, block_texts, [labels[i] for i in rows], vectors[rows], words))
    meta = {
        "n_features": features.N_FEATURES, "seed": SEED, "train_size": len(texts),
        "version": "veille.sentiment.v3", "specialists": list(SPECIALISTS),
    }  # fmt: skip
    arrays["meta"] = np.array(json.dumps(meta))
    arrays["classes"] = np.array(SENTIMENTS)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    scores = evaluate(data, out)
    scores["train_seconds"] = round(time.time() - started, 1)
    scores["size_bytes"] = out.stat().st_size
    return scores


def load_language() -> LanguageLabeler:
    return LanguageLabeler.from_file()


def evaluate(data: Path, path: Path = MODEL_PATH) -> dict[str, Any]:
    """Validation macro-F1 per UMSAB language, for both profiles, rules included."""
    model = SentimentModel.from_file(path)
    report: dict[str, Any] = {}
    for profile in ("accurate", "fast"):
        labeler = SentimentLabeler(model, profile)
        per_language: dict[str, float] = {}
        for folder, code in UMSAB_LANGUAGES.items():
            texts, gold = umsab(data, folder, "val")
            predicted = [p.value for p in labeler.label_batch(texts)]
            per_language[code] = round(float(f1_score(gold, predicted, average="macro")), 4)
        report[profile] = per_language
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--human", type=Path, help="a `veille label --export` CSV to add")
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    print(json.dumps(train(args.data, args.human, args.cache, args.out), indent=1))


if __name__ == "__main__":
    main()
