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

from nlp import cues, features, rowwise
from nlp.cleanup import bounded, letter_count
from nlp.labelers import register
from nlp.labelers.base import Doc, Prediction, best, docs_of
from nlp.labelers.language import language_labeler, source_language
from nlp.model_io import load_npz
from nlp.model_store import active_model, model_id, packaged_model
from nlp.word_vectors import french_vectors
from storage.vocab import SENTIMENTS

if TYPE_CHECKING:
    from config.settings import Settings

MODEL_PATH = packaged_model("sentiment")
VERSION = "veille.sentiment.v4"
# The scores of a text with nothing to judge (no words, only a URL or emoji).
NEUTRAL_ONLY = {s: float(s == "neutral") for s in SENTIMENTS}


SPECIALISTS = ("fr", "en")


class _Base:
    """The base models of one group of training rows: n-gram SVM, sentence-vector LR and,
    French only, the word-vector LR."""

    def __init__(self, get: Any, has: Any, tag: str) -> None:
        self.ngram_coef_t = np.ascontiguousarray(get(f"{tag}ngram_coef").T)
        self.ngram_intercept = get(f"{tag}ngram_intercept")
        self.use_coef_t = get(f"{tag}use_coef").T
        self.use_intercept = get(f"{tag}use_intercept")
        self.wv = (
            (get(f"{tag}wv_coef").T, get(f"{tag}wv_intercept")) if has(f"{tag}wv_coef") else None
        )


class _Block:
    """One stack: base models per group of training rows (general tweets, brand talk), the
    stacking LRs (accurate, fast), and per profile the temperature that calibrates them."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str) -> None:
        def get(name: str) -> np.ndarray:
            return arrays[f"{prefix}_{name}"].astype(np.float32)

        def has(name: str) -> bool:
            return f"{prefix}_{name}" in arrays

        self.idf = get("idf")
        n_groups = int(arrays[f"{prefix}_groups"]) if has("groups") else 1
        self.bases = [_Base(get, has, "" if g == 0 else f"g{g}_") for g in range(n_groups)]
        self.stack = {p: (get(f"{p}_coef").T, get(f"{p}_intercept")) for p in ("accurate", "fast")}
        self.temperature = {
            p: float(arrays[f"{prefix}_{p}_temperature"]) if has(f"{p}_temperature") else 1.0
            for p in ("accurate", "fast")
        }  # fmt: skip
        self.wv = any(b.wv is not None for b in self.bases)

    def predict(self, texts: Sequence[str], counts: Any, vectors: np.ndarray | None) -> np.ndarray:
        """The stack's probabilities (before the domain rules and the temperature)."""
        x = features.tfidf(counts, self.idf)
        word_vectors = french_vectors().mean(texts) if self.wv and vectors is not None else None
        parts = []
        for base in self.bases:
            parts.append(np.asarray(x @ base.ngram_coef_t) + base.ngram_intercept)
            if vectors is not None:
                parts.append(
                    features.softmax(rowwise.matmul(vectors, base.use_coef_t) + base.use_intercept)
                )
                if base.wv is not None and word_vectors is not None:
                    coef_t, intercept = base.wv
                    parts.append(features.softmax(rowwise.matmul(word_vectors, coef_t) + intercept))
        parts.append(features.lexicon_matrix(texts))
        coef_t, intercept = self.stack["accurate" if vectors is not None else "fast"]
        return features.softmax(rowwise.matmul(np.hstack(parts), coef_t) + intercept)


class SentimentModel:
    """The trained arrays: a multilingual stack and French and English specialists."""

    def __init__(self, arrays: dict[str, np.ndarray], path: Path | None = None) -> None:
        self.meta: dict[str, Any] = json.loads(str(arrays["meta"]))
        classes = [str(c) for c in arrays["classes"]]
        if classes != list(SENTIMENTS) or self.meta["n_features"] != features.N_FEATURES:
            raise ValueError(f"{path or MODEL_PATH} does not match this code: retrain it")
        self.path = path
        self.rules = bool(self.meta.get("domain_rules", True))
        self.blocks = {name: _Block(arrays, name) for name in ("multi", *self.meta["specialists"])}

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> SentimentModel:
        return cls(load_npz(path), path)

    def block_of(self, lang: str) -> str:
        return lang if lang in self.blocks else "multi"

    def raw(
        self, texts: Sequence[str], languages: Sequence[str],
        encoder: features.SentenceEncoder | None,
    ) -> np.ndarray:  # fmt: skip
        """Each text's stack probabilities, from the block of its language."""
        vectors = encoder.encode(texts) if encoder is not None else None
        counts = features.ngram_counts(texts)  # once per batch, shared with the topic labeler
        out = np.zeros((len(texts), len(SENTIMENTS)), dtype=np.float32)
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(languages):
            groups.setdefault(self.block_of(lang), []).append(i)
        for name, rows in groups.items():
            out[rows] = self.blocks[name].predict(
                [texts[i] for i in rows],
                counts[rows],
                vectors[rows] if vectors is not None else None,
            )
        return out

    def predict(
        self, texts: Sequence[str], languages: Sequence[str],
        encoder: features.SentenceEncoder | None,
    ) -> np.ndarray:  # fmt: skip
        """Calibrated probabilities: stack, domain rules (when the model keeps them), then the
        block's temperature."""
        probs = self.raw(texts, languages, encoder)
        profile = "accurate" if encoder is not None else "fast"
        return self.finish(probs, texts, [self.block_of(lang) for lang in languages], profile)

    def finish(
        self, probs: np.ndarray, texts: Sequence[str], blocks: Sequence[str], profile: str
    ) -> np.ndarray:
        out = np.array(probs, dtype=np.float64)
        if self.rules:
            for i, text in enumerate(texts):
                moved = apply_domain_rules(text, dict(zip(SENTIMENTS, out[i], strict=True)))
                out[i] = [moved[k] for k in SENTIMENTS]
        temperature = np.array([self.blocks[b].temperature[profile] for b in blocks])
        return features.softmax(np.log(out + 1e-9) / temperature.reshape(-1, 1))


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
    version = VERSION
    labels: tuple[str, ...] = SENTIMENTS

    def __init__(self, model: SentimentModel, profile: str = "accurate") -> None:
        self.profile = profile
        name = model_id(model.path) if model.path else "custom"
        self.model = f"veille-sentiment-{profile}" + ("" if name == "packaged" else f"@{name}")
        self._model = model
        self._encoder = features.shared_encoder() if profile == "accurate" else None
        if self._encoder is not None and any(b.wv for b in model.blocks.values()):
            french_vectors()  # loaded with the model (0.3 s), not by the first French batch
        self._language = language_labeler()

    def label_batch(self, docs: Sequence[Doc | str]) -> list[Prediction]:
        items = docs_of(docs)
        texts = [bounded(" ".join(t for t in (d.title, d.text) if t)) for d in items]
        usable = [i for i, t in enumerate(texts) if letter_count(t) >= 2]
        out = [best(NEUTRAL_ONLY)] * len(items)  # overwritten where there is text to judge
        if usable:
            languages = self._languages([items[i] for i in usable])
            probs = self._model.predict([texts[i] for i in usable], languages, self._encoder)
            for row, i in enumerate(usable):
                out[i] = best(dict(zip(SENTIMENTS, (float(p) for p in probs[row]), strict=True)))
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


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH, stamp: float = 0.0) -> SentimentModel:
    """A sentiment model file, loaded once per path and modification time."""
    return SentimentModel.from_file(path)


@lru_cache(maxsize=4)
def _labeler(profile: str, path: Path = MODEL_PATH, stamp: float = 0.0) -> SentimentLabeler:
    return SentimentLabeler(load_model(path, stamp), profile)


@register("sentiment", version=VERSION)
def make_sentiment(settings: Settings) -> SentimentLabeler:
    path = active_model(settings, "sentiment")
    return _labeler(settings.nlp.profile, path, path.stat().st_mtime)
