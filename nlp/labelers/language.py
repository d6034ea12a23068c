"""Language of a mention: Unicode script first, then naive Bayes on character n-grams (the
model `nlp.train.language` builds); the source's own language field wins when the text does
not clearly say otherwise."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.cleanup import letter_count, words_only
from nlp.features import char_wb_counts
from nlp.labelers import register
from nlp.labelers.base import Doc, Prediction, docs_of
from nlp.model_io import meta_of
from storage.vocab import UNDETERMINED_LANGUAGE

if TYPE_CHECKING:
    from config.settings import Settings

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "language.npz"
N_FEATURES = 2**17
NGRAMS = (1, 3)
MIN_LETTERS = 3
# Below this probability the model's answer gives way to the source's language field.
TRUST_TEXT_ABOVE = 0.9
# Scripts that name their language well enough; Latin, Arabic and Devanagari go to the model.
_SCRIPT_LANGUAGE = {
    "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "CJK": "zh", "CYRILLIC": "ru",
    "GREEK": "el", "HEBREW": "he", "THAI": "th", "ARMENIAN": "hy", "GEORGIAN": "ka",
    "BENGALI": "bn", "TAMIL": "ta", "TELUGU": "te", "GUJARATI": "gu", "GURMUKHI": "pa",
    "ARABIC": "ar", "DEVANAGARI": "hi",
}  # fmt: skip
_ISO_639_1 = re.compile(r"^[a-z]{2}$")
# A letter past Latin Extended-B (U+024F): below it every letter's script is Latin (or a
# sign named otherwise, such as "MICRO SIGN"), which names no language here.
_PAST_LATIN = re.compile(r"[^\W\d_\x00-\u024f]")


def vectorizer() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb", ngram_range=NGRAMS, n_features=N_FEATURES,
        alternate_sign=False, norm=None, lowercase=False, dtype=np.float32,
    )  # fmt: skip


@lru_cache(maxsize=512)
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def script_language(text: str) -> str | None:
    """The language a non-Latin script points to, when most letters are in it."""
    if text.isascii() or not _PAST_LATIN.search(text):
        return None  # (French, English, ...: the model decides)
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    if not letters:
        return None
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n / letters < 0.5:
        return None
    if script in ("HIRAGANA", "KATAKANA") or (
        script == "CJK" and counts.keys() & {"HIRAGANA", "KATAKANA"}
    ):
        return "ja"
    return _SCRIPT_LANGUAGE.get(script)


def source_language(value: str | None) -> str | None:
    """A source's language field as an ISO 639-1 code, or None when it says nothing useful."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if _ISO_639_1.match(code) and code != "un" else None


class LanguageLabeler:
    task = "language"
    version = "veille.language.v1"
    model = "veille-language-nb"
    labels: tuple[str, ...] = ()  # an open set of ISO 639-1 codes, and "und"

    def __init__(self, log_prob: np.ndarray, classes: list[str]) -> None:
        self.log_prob_t = np.ascontiguousarray(log_prob.astype(np.float32).T)
        self.classes = classes
        self._vectorizer = vectorizer()

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> LanguageLabeler:
        with np.load(path, allow_pickle=False) as data:
            meta = meta_of(data)
            if meta["n_features"] != N_FEATURES or tuple(meta["ngrams"]) != NGRAMS:
                raise ValueError(f"{path} was trained with other features: retrain it")
            return cls(data["log_prob"], [str(c) for c in data["classes"]])

    def label_batch(self, docs: Sequence[Doc | str]) -> list[Prediction]:
        items = docs_of(docs)
        cleaned = [words_only(d.text) for d in items]
        out: list[Prediction | None] = [None] * len(items)
        todo: list[int] = []
        for i, text in enumerate(cleaned):
            letters = letter_count(text)
            hint = source_language(items[i].lang)
            by_script = script_language(text) if letters else None
            if letters < MIN_LETTERS:
                out[i] = Prediction(hint or UNDETERMINED_LANGUAGE, 1.0 if hint else 0.0, {})
            elif by_script and by_script not in ("ar", "hi"):
                out[i] = Prediction(by_script, 1.0, {by_script: 1.0})
            else:
                todo.append(i)
        if todo:
            features = char_wb_counts(self._vectorizer, [cleaned[i] for i in todo])
            loglik = np.asarray(features @ self.log_prob_t)
            loglik -= loglik.max(axis=1, keepdims=True)
            probs = np.exp(loglik)
            probs /= probs.sum(axis=1, keepdims=True)
            for row, i in enumerate(todo):
                out[i] = self._decide(probs[row], source_language(items[i].lang))
        return [p if p is not None else Prediction(UNDETERMINED_LANGUAGE, 0.0, {}) for p in out]

    def _decide(self, probs: np.ndarray, hint: str | None) -> Prediction:
        top = int(probs.argmax())
        value, score = self.classes[top], float(probs[top])
        scores = {
            c: round(float(p), 4) for c, p in zip(self.classes, probs, strict=True) if p >= 0.01
        }
        if hint and hint != value and score < TRUST_TEXT_ABOVE:
            return Prediction(hint, 1.0 - score if hint not in scores else scores[hint], scores)
        return Prediction(value, round(score, 4), scores)


@lru_cache(maxsize=1)
def language_labeler() -> LanguageLabeler:
    """The bundled language labeler, loaded once per process."""
    return LanguageLabeler.from_file()


@register("language", version="veille.language.v1")
def make_language(settings: Settings) -> LanguageLabeler:
    return language_labeler()
