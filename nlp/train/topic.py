"""Train the topic model on the labelled corpus and print its cross-validated figures.

    nice python -m nlp.train.topic [--data DIR] [--cache DIR] [--out FILE] [--seed N]
        [--no-thorough] [--tuned]

Data: the corpus's train split (`nlp/corpus`, texts rebuilt from ../shared/data; never its
test split), and for the suggestion detector SemEval-2019 Task 9's training sentences
(`suggestions_en/V1.4_Training.csv`, less the corpus's own items). Method: a linear SVM on
TF-IDF hashed word 1–2-grams and character 2–5-grams (classes balanced) and a logistic
regression on USE sentence vectors give out-of-fold scores (5 folds) that a last logistic
regression stacks with the cue features (`nlp.topic_features`), the suggestion detector's two
scores (n-gram SVM and sentence-vector LR trained on the suggestion sentences) and a French
flag — with the vectors (profile `accurate`) and without (`fast`). Per-class biases that
maximise the out-of-fold macro-F1 of the languages other than French (each language's macro-F1
is what the model is held to; French rows take none, which there overfit: `stack_biases`),
then a temperature that minimises its log-loss, are fitted on the stack's own out-of-fold
scores. Seeded: the same data and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from config.settings import LABELING_PROFILES
from nlp import cascade, features
from nlp.calibration import (
    calibrated,
    fit_biases_by_language,
    fit_temperature,
    macro_f1,
    reliability,
    row_biases,
)
from nlp.cleanup import bounded
from nlp.e5_tuned import TOPIC_PATH as TUNED_PATH
from nlp.evaluation import SCORED
from nlp.labelers.topic_model import VERSION
from nlp.media import MEDIA, medium_flags
from nlp.model_io import meta_array, meta_of, save_npz
from nlp.model_store import packaged_model
from nlp.topic_features import CUE_FEATURES, cue_matrix
from nlp.train.data import DEFAULT_DATA, origin_weights
from storage.vocab import TOPICS

SEED = 20240601
C_NGRAM = 1.0
C_SENTENCE = 10.0
C_STACK = 1.0
C_SUGGESTION_NGRAM = 0.3
C_SUGGESTION_SENTENCE = 1.0
# Language specialists: the same two base models trained on one language's rows only (French;
# English, which also stands for every other language), added beside the shared ones.
SPECIALISTS = ("fr", "en")
C_SPECIALIST_NGRAM = 0.3
C_SPECIALIST_SENTENCE = 3.0
FOLDS = 5
RULES_WEIGHT = 3.0
# A person's label in the workspace (`veille train`) weighs this many corpus items: chosen of
# 1, 3, 10 (and 30) by `bench/corrections.py` on the train part (a source left out, 100 of its
# texts as people's labels): the best mean macro-F1 on the source's other texts, with no cost
# on the other sources' cross-validated figures (nlp/models/HISTORY.md, "A brand the model has
# not seen").
HUMAN_WEIGHT = 3.0
# The `thorough` profile's e5-vector LR: the C of this grid with the best out-of-fold macro-F1.
C_E5_GRID = (1.0, 10.0, 100.0)

Vectors = Callable[[Sequence[str]], np.ndarray]


@dataclass
class Rows:
    """Labelled texts for one task: text, label, language, written by the brand itself,
    where the row comes from (corpus, rules, human: only corpus rows make the CV figures),
    and the kind of source it was written on (`config.settings.SourceKind`; "" unknown)."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    own: list[bool] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    source_kinds: list[str] = field(default_factory=list)

    def add(
        self, text: str, label: str, lang: str, own: bool = False, origin: str = "corpus",
        source_kind: str = "",
    ) -> None:  # fmt: skip
        self.texts.append(bounded(text))
        self.labels.append(label)
        self.langs.append(lang)
        self.own.append(bool(own))
        self.origins.append(origin)
        self.source_kinds.append(source_kind)

    def extend(self, other: Rows) -> None:
        self.append(other, range(len(other.texts)))

    def take(self, rows: Sequence[int]) -> Rows:
        out = Rows()
        out.append(self, rows)
        return out

    def append(self, other: Rows, rows: Sequence[int]) -> None:
        for i in rows:
            self.add(other.texts[i], other.labels[i], other.langs[i], other.own[i],
                     other.origins[i], other.source_kinds[i])  # fmt: skip

    def __len__(self) -> int:
        return len(self.texts)


def corpus_rows(data: Path, task: str, split: str, rounds: int | None = None) -> Rows:
    """The corpus's gold labels of `task` in one split, with their texts (of rounds 1 to
    `rounds` only, when given)."""
    from nlp.corpus.build import load_corpus
    from nlp.corpus.sources import SOURCES

    frame = load_corpus(data, rounds=rounds)
    frame = frame[frame["split"] == split]
    rows = Rows()
    for r in frame.itertuples():
        rows.add(str(r.text), str(getattr(r, task)), str(r.lang), bool(r.brand_authored),
                 source_kind=SOURCES[str(r.source)].source_kind)  # fmt: skip
    return rows


RULES_SUPPLEMENT = Path(__file__).resolve().parent / "rules_supplement.csv"


def rules_rows(task: str, path: Path = RULES_SUPPLEMENT) -> Rows:
    """Sentences written for the project from the annotation guide's decision rules (not its
    examples, which the tests check): training only, never in a figure. A sentence written
    for one task leaves the other's value empty, and trains only that task."""
    rows = Rows()
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r[task]:
                rows.add(r["text"], r[task], r["lang"], r["brand_authored"] == "1", "rules")
    return rows


def suggestion_sentences(data: Path) -> tuple[list[str], list[int]]:
    """SemEval-2019 Task 9 training sentences (1 = suggestion), less every corpus item read
    so far (an item of a later round still pending its readings trains nothing yet, so the
    detector stays the same until it does)."""
    from nlp.corpus.build import labels, text_key

    frame = labels()
    corpus_keys = set(frame.loc[frame["status"] != "pending", "key"])
    texts: list[str] = []
    flags: list[int] = []
    with (data / "suggestions_en" / "V1.4_Training.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 3 and row[2] in ("0", "1") and text_key(row[1]) not in corpus_keys:
                texts.append(bounded(row[1].strip().strip('"')))
                flags.append(int(row[2]))
    return texts, flags


def suggestion_trial(data: Path) -> tuple[list[str], list[int]]:
    """The SemEval trial sentences: a measure reported beside, never used to choose."""
    raw = (data / "suggestions_en" / "SubtaskA_Trial_Test_Labeled.csv").read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows = list(csv.DictReader(text.splitlines()))
    return [bounded(r["sentence"]) for r in rows], [int(r["label"]) for r in rows]


def fold_strata(langs: Sequence[str], labels: Sequence[str]) -> list[str]:
    """Each row's stratum for the folds: French or not, and the topic (its index in TOPICS)."""
    pairs = zip(langs, labels, strict=True)
    return [f"{lang == 'fr'}|{TOPICS.index(label)}" for lang, label in pairs]


def row_weights(origins: Sequence[str]) -> np.ndarray:
    """Each row's training weight: the guide's rule sentences are few and weigh RULES_WEIGHT
    corpus items each, a person's label HUMAN_WEIGHT."""
    return origin_weights(origins, {"rules": RULES_WEIGHT, "human": HUMAN_WEIGHT})


def _lr(c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=5000, random_state=seed)


def fit(
    rows: Rows,
    suggestions: tuple[list[str], list[int]],
    vectors: Vectors,
    seed: int = SEED,
    e5_vectors: Vectors | None = None,
    tuned: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The model's arrays and the out-of-fold material (stack scores before and after
    calibration, per profile) for the figures. With `e5_vectors` or `tuned`, also the
    `thorough` profile's stack and its cascade threshold: the `accurate` inputs, and an
    e5-vector LR, or the tuned e5 topic classifier's probabilities (`tuned`: each row's, out of
    fold on the texts it was tuned on), or both."""
    classes = list(TOPICS)
    y = np.array([classes.index(v) for v in rows.labels])
    missing = [c for i, c in enumerate(classes) if not np.any(y == i)]
    if missing:
        raise ValueError(f"no training example of the topics {missing}: cannot train")
    sug_texts, sug_flags = suggestions
    counts = features.ngram_counts(rows.texts)
    sug_counts = features.ngram_counts(sug_texts) if sug_texts else None
    from scipy.sparse import vstack

    idf = features.idf(counts if sug_counts is None else vstack([counts, sug_counts], format="csr"))
    x = features.tfidf(counts, idf)
    v = vectors(rows.texts)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    strata = np.array(fold_strata(rows.langs, rows.labels))
    splits = list(folds.split(x, strata))

    weight = row_weights(rows.origins)
    fit_params = {"sample_weight": weight}
    ngram = LinearSVC(C=C_NGRAM, class_weight="balanced", random_state=seed)
    oof_ngram = cross_val_predict(
        ngram, x, y, cv=splits, method="decision_function", params=fit_params
    )
    ngram.fit(x, y, sample_weight=weight)
    sentence = _lr(C_SENTENCE, seed)
    oof_sentence = cross_val_predict(
        sentence, v, y, cv=splits, method="predict_proba", params=fit_params
    )
    sentence.fit(v, y, sample_weight=weight)
    french = np.array([lang == "fr" for lang in rows.langs])
    spec_ngram, spec_sentence, spec_arrays = _specialists(x, v, y, weight, french, splits, seed)

    # The suggestion detector never sees a corpus item: its scores on them are out of sample.
    if sug_texts and len(set(sug_flags)) == 2:
        sx = features.tfidf(sug_counts, idf)
        sug_ngram = LinearSVC(C=C_SUGGESTION_NGRAM, random_state=seed).fit(sx, sug_flags)
        sug_sentence = _lr(C_SUGGESTION_SENTENCE, seed).fit(vectors(sug_texts), sug_flags)
        sug_arrays = {
            "sug_ngram_coef": sug_ngram.coef_.astype(np.float16),
            "sug_ngram_intercept": sug_ngram.intercept_.astype(np.float32),
            "sug_use_coef": sug_sentence.coef_.astype(np.float32),
            "sug_use_intercept": sug_sentence.intercept_.astype(np.float32),
        }
    else:
        sug_arrays = {
            "sug_ngram_coef": np.zeros((1, x.shape[1]), np.float16),
            "sug_ngram_intercept": np.zeros(1, np.float32),
            "sug_use_coef": np.zeros((1, 512), np.float32),
            "sug_use_intercept": np.zeros(1, np.float32),
        }
    sug_n = np.asarray(x @ sug_arrays["sug_ngram_coef"].astype(np.float32).T).reshape(-1, 1)
    sug_n += sug_arrays["sug_ngram_intercept"][0]
    sug_u = (v @ sug_arrays["sug_use_coef"].T).reshape(-1, 1) + sug_arrays["sug_use_intercept"][0]
    cue = cue_matrix(rows.texts, rows.own)
    fr = np.array([lang == "fr" for lang in rows.langs], dtype=np.float32).reshape(-1, 1)
    media = medium_flags(rows.source_kinds)
    inputs = {
        "accurate": np.hstack(
            [oof_ngram, oof_sentence, cue, sug_n, sug_u, fr, spec_ngram, spec_sentence, media]
        ),
        "fast": np.hstack([oof_ngram, cue, sug_n, fr, spec_ngram, media]),
    }
    arrays: dict[str, np.ndarray] = {
        "idf": idf.astype(np.float16),
        "ngram_coef": ngram.coef_.astype(np.float16),
        "ngram_intercept": ngram.intercept_.astype(np.float32),
        "use_coef": sentence.coef_.astype(np.float32),
        "use_intercept": sentence.intercept_.astype(np.float32),
        **sug_arrays,
        **spec_arrays,
        "media": np.array(MEDIA),
    }
    oof_corpus = np.array([o == "corpus" for o in rows.origins])
    oof: dict[str, Any] = {
        "gold": y, "langs": np.array(rows.langs), "classes": classes, "corpus": oof_corpus,
    }  # fmt: skip
    if e5_vectors is not None or tuned is not None:
        thorough = [inputs["accurate"]]
        if e5_vectors is not None:
            oof_e5, e5_model, c_e5 = _e5_block(e5_vectors(rows.texts), y, weight, splits,
                                               oof_corpus, seed)  # fmt: skip
            thorough.append(oof_e5)
            arrays.update({
                "e5_coef": e5_model.coef_.astype(np.float32),
                "e5_intercept": e5_model.intercept_.astype(np.float32),
                "e5_c": np.array(c_e5),
            })  # fmt: skip
        if tuned is not None:
            thorough.append(tuned)
            arrays["tuned"] = np.array(1)
        inputs["thorough"] = np.hstack(thorough)
    for profile in inputs:
        z = inputs[profile].astype(np.float32)
        stack = _lr(C_STACK, seed)
        p = cross_val_predict(stack, z, y, cv=splits, method="predict_proba", params=fit_params)
        stack.fit(z, y, sample_weight=weight)
        log_p = np.log(p + 1e-9)
        bias = stack_biases(log_p, y, french)
        temperature = fit_temperature(log_p + row_biases(bias, french), y)
        arrays.update({
            f"{profile}_coef": stack.coef_.astype(np.float32),
            f"{profile}_intercept": stack.intercept_.astype(np.float32),
            f"{profile}_bias": bias.astype(np.float32),
            f"{profile}_temperature": np.array(temperature, dtype=np.float32),
        })  # fmt: skip
        oof[profile] = {
            "log_probs": log_p,
            "calibrated": calibrated(log_p, row_biases(bias, french), temperature),
            "nested": _nested_bias_predictions(log_p, y, french, strata, seed),
        }
    if "thorough" in oof:
        accurate = oof["accurate"]["calibrated"]
        threshold, table = cascade.choose(
            accurate, oof["accurate"]["nested"], oof["thorough"]["nested"], y, oof_corpus,
            len(classes),
        )  # fmt: skip
        arrays["thorough_threshold"] = np.array(threshold, dtype=np.float32)
        oof["cascade"] = {"threshold": threshold, "table": table}
    meta = {
        "version": VERSION, "seed": seed, "n_features": features.N_FEATURES,
        "cue_features": list(CUE_FEATURES), "train_size": len(rows),
        "suggestion_sentences": len(sug_texts),
        "c": {"ngram": C_NGRAM, "sentence": C_SENTENCE, "stack": C_STACK,
              "specialist_ngram": C_SPECIALIST_NGRAM,
              "specialist_sentence": C_SPECIALIST_SENTENCE},
        "specialists": list(SPECIALISTS),
    }  # fmt: skip
    arrays["meta"] = meta_array(meta)
    arrays["classes"] = np.array(classes)
    return arrays, oof


def _e5_block(
    e5: np.ndarray, y: np.ndarray, weight: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]],
    corpus: np.ndarray, seed: int,
) -> tuple[np.ndarray, LogisticRegression, float]:  # fmt: skip
    """The e5-vector LR with the C of C_E5_GRID whose out-of-fold macro-F1 on the corpus rows
    is best: its out-of-fold probabilities, the model fitted on every row, and C."""
    best: tuple[float, np.ndarray, float] | None = None
    for c in C_E5_GRID:
        oof = cross_val_predict(_lr(c, seed), e5, y, cv=splits, method="predict_proba",
                                params={"sample_weight": weight})  # fmt: skip
        score = macro_f1(y[corpus], oof[corpus].argmax(1), len(TOPICS))
        if best is None or score > best[0]:
            best = (score, oof, c)
    assert best is not None
    return best[1], _lr(best[2], seed).fit(e5, y, sample_weight=weight), best[2]


def _specialists(
    x: Any, v: np.ndarray, y: np.ndarray, weight: np.ndarray, french: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]], seed: int,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:  # fmt: skip
    """Out-of-fold scores of each row's own-language specialists (an n-gram SVM and a
    sentence-vector LR trained on that language's rows of the other folds), and their arrays.

    Chosen by 5-fold CV on the train part (model card): English macro-F1 0.535 → 0.572."""
    n_classes = len(TOPICS)
    oof_ngram = np.zeros((len(y), n_classes))
    oof_sentence = np.zeros((len(y), n_classes))
    arrays: dict[str, np.ndarray] = {}
    for code in SPECIALISTS:
        members = french if code == "fr" else ~french

        def own(rows: np.ndarray) -> np.ndarray:
            # The language's rows; all of them when the language lacks a topic (a tiny
            # training set, such as a quick trial's): the specialist then equals a shared model.
            mine = rows[members[rows]]  # noqa: B023
            return mine if len(np.unique(y[mine])) == n_classes else rows

        def ngram() -> LinearSVC:
            return LinearSVC(C=C_SPECIALIST_NGRAM, class_weight="balanced", random_state=seed)

        def sentence() -> LogisticRegression:
            return _lr(C_SPECIALIST_SENTENCE, seed)

        for train_rows, test_rows in splits:
            chosen = own(train_rows)
            scored = test_rows[members[test_rows]]
            model = ngram().fit(x[chosen], y[chosen], sample_weight=weight[chosen])
            oof_ngram[scored] = model.decision_function(x[scored])
            lr = sentence().fit(v[chosen], y[chosen], sample_weight=weight[chosen])
            oof_sentence[scored] = lr.predict_proba(v[scored])
        chosen = own(np.arange(len(y)))
        full_ngram = ngram().fit(x[chosen], y[chosen], sample_weight=weight[chosen])
        full_sentence = sentence().fit(v[chosen], y[chosen], sample_weight=weight[chosen])
        arrays.update({
            f"{code}_ngram_coef": full_ngram.coef_.astype(np.float16),
            f"{code}_ngram_intercept": full_ngram.intercept_.astype(np.float32),
            f"{code}_use_coef": full_sentence.coef_.astype(np.float32),
            f"{code}_use_intercept": full_sentence.intercept_.astype(np.float32),
        })  # fmt: skip
    return oof_ngram, oof_sentence, arrays


def stack_biases(log_p: np.ndarray, gold: np.ndarray, french: np.ndarray) -> np.ndarray:
    """The stack's per-class biases: fitted for the languages other than French
    (`fit_biases_by_language`'s row 0); none for French (row 1 zero), whose stack they overfit.

    Chosen by nested 5-fold CV on the train part (five fold seeds; nlp/models/HISTORY.md, "English
    reviews"): French macro-F1 without biases ≥ with them in five of six settings (rounds 1–6
    and 1–8 × three profiles: +0.002 to +0.008, one −0.003), English +0.005 to +0.015 with them."""
    bias = fit_biases_by_language(log_p, gold, french)
    bias[1] = 0.0
    return bias


def _nested_bias_predictions(
    log_p: np.ndarray, gold: np.ndarray, french: np.ndarray, strata: np.ndarray, seed: int
) -> np.ndarray:
    """Predictions whose biases were fitted on the other folds: an honest CV figure."""
    out = np.zeros(len(gold), dtype=int)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed + 1)
    for train_rows, test_rows in folds.split(log_p, strata):
        bias = stack_biases(log_p[train_rows], gold[train_rows], french[train_rows])
        out[test_rows] = (log_p[test_rows] + row_biases(bias, french[test_rows])).argmax(1)
    return out


def cv_figures(oof: dict[str, Any]) -> dict[str, Any]:
    """Cross-validated macro-F1 per language and profile (biases fitted within the folds),
    and the reliability of the calibrated scores."""
    gold, langs, classes, corpus = oof["gold"], oof["langs"], oof["classes"], oof["corpus"]
    report: dict[str, Any] = {}
    for profile in [p for p in oof if p in LABELING_PROFILES]:
        part: dict[str, Any] = {}
        for lang in SCORED:
            mask = (langs == lang) & corpus
            if mask.any():
                part[f"macro_f1_{lang}"] = round(
                    macro_f1(gold[mask], oof[profile]["nested"][mask], len(classes)), 4
                )
        _, ece = reliability(oof[profile]["calibrated"][corpus], gold[corpus])
        part["ece"] = ece
        report[profile] = part
    if "cascade" in oof:
        report["cascade"] = _cascade_figures(oof)
    return report


def _cascade_figures(oof: dict[str, Any]) -> dict[str, Any]:
    """Per language: macro-F1 of `accurate`, of `thorough` on every text, and of the cascade
    at each share tried (out of fold, biases fitted within the folds), and the chosen one."""
    gold, langs, corpus = oof["gold"], oof["langs"], oof["corpus"]
    n = len(oof["classes"])
    accurate = oof["accurate"]["calibrated"]
    confidence = accurate.max(axis=1)[corpus if corpus.any() else slice(None)]
    table: dict[str, Any] = {"chosen": oof["cascade"]["table"]}
    for lang in SCORED:
        mask = (langs == lang) & corpus
        part: dict[str, Any] = {}
        for share in cascade.SHARES:
            sent = cascade.routed(accurate, cascade.threshold_for(confidence, share))
            mixed = np.where(sent, oof["thorough"]["nested"], oof["accurate"]["nested"])
            part[f"share_{share:g}"] = round(macro_f1(gold[mask], mixed[mask], n), 4)
        sent = cascade.routed(accurate, oof["cascade"]["threshold"])
        mixed = np.where(sent, oof["thorough"]["nested"], oof["accurate"]["nested"])
        part["chosen"] = round(macro_f1(gold[mask], mixed[mask], n), 4)
        part["routed"] = round(float(sent[mask].mean()), 4)
        table[lang] = part
    return table


def train(
    data: Path,
    cache: Path | None,
    out: Path,
    seed: int = SEED,
    extra: Rows | None = None,
    thorough: bool = True,
    tuned: Path | None = None,
) -> dict[str, Any]:
    """Train and save; `thorough` also fits the `thorough` stack: on e5 vectors (encoding every
    row with e5, ≈ 15–35 texts per CPU second: cache them), or with `tuned` (a file of
    `nlp.e5_tuned`: the topic classifier tuned for every language) on its probabilities."""
    from nlp.e5_tuned import ALL, identity
    from nlp.train.vectors import e5_vectors, sentence_vectors, tuned_probabilities

    started = time.time()
    rows = corpus_rows(data, "topic", "train")
    rows.extend(rules_rows("topic"))
    if extra is not None:
        rows.extend(extra)
    tuned = tuned if thorough else None
    probs = None if tuned is None else tuned_probabilities(tuned, ALL, rows.texts, cache)
    # The tuned classifier takes the e5-vector LR's place: as good by CV, and one network pass
    # for a routed text instead of two (nlp/models/HISTORY.md, "Tuning e5 for topic").
    e5 = (lambda t: e5_vectors(t, cache)) if thorough and tuned is None else None
    arrays, oof = fit(rows, suggestion_sentences(data), lambda t: sentence_vectors(t, cache),
                      seed, e5, probs)  # fmt: skip
    figures = cv_figures(oof)
    # The cross-validated figures travel with the model (bench/labels.py prints them), and the
    # identity of the tuned classifier its thorough stack read (checked when it is loaded).
    meta = meta_of(arrays)
    if tuned is not None:
        meta["e5_tuned"] = identity(tuned)
    arrays["meta"] = meta_array({**meta, "cv": figures})
    save_npz(out, arrays)
    return {
        "cv": figures, "train_size": len(rows),
        "train_seconds": round(time.time() - started, 1), "size_bytes": out.stat().st_size,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    parser.add_argument("--out", type=Path, default=packaged_model("topic"))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--no-thorough",
        action="store_true",
        help="skip the thorough profile's e5 stack (no e5 encoding)",
    )
    parser.add_argument(
        "--tuned",
        action="store_true",
        help="the thorough stack also reads the tuned e5 topic classifier (e5_topic.npz)",
    )
    args = parser.parse_args()
    report = train(args.data, args.cache, args.out, args.seed, thorough=not args.no_thorough,
                   tuned=TUNED_PATH if args.tuned else None)  # fmt: skip
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
