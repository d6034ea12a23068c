"""Figures of a topic or sentiment model on the corpus's frozen test split: macro-F1 per
language with its 95 % bootstrap interval (`nlp.intervals`), per-class F1, confusion matrix and
the reliability of its scores. Used by `veille train` to compare a new model with the active
one, and by `bench/labels.py`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp import intervals
from nlp.calibration import macro_f1, reliability
from nlp.cascade import split_profile
from nlp.labelers.base import Doc
from storage.vocab import SENTIMENTS, TOPICS

if TYPE_CHECKING:
    from nlp.corpus.guide import Example

# The languages of the corpus's test split whose macro-F1 make a model's score (their mean).
SCORED = ("fr", "en")
BRAND = "corpus-brand"
BRAND_ACCOUNT = "corpus_brand_account"


@cache
def _corpus(data: Path) -> Any:
    """The labelled corpus rebuilt once per process and data folder (≈ 0.6 s): a bench or a
    `veille train` run measures several models on two of its parts."""
    from nlp.corpus.build import load_corpus

    return load_corpus(data)


def corpus_docs(
    data: Path, split: str | tuple[str, ...] = "test"
) -> tuple[list[Doc], list[dict[str, str]]]:
    """The corpus items of one split (or of several: the forum posts' test parts) as the
    labelers see them: the brand's own texts come from the brand's account, the language is
    the item's, and each comes from the kind of source its corpus source is."""
    from nlp.corpus.sources import SOURCES

    frame = _corpus(data)
    frame = frame[frame["split"].isin((split,) if isinstance(split, str) else split)]
    docs = [
        Doc(str(r.text), author=BRAND_ACCOUNT if r.brand_authored else "someone",
            brands=(BRAND,), lang=str(r.lang), source_kind=SOURCES[str(r.source)].source_kind)
        for r in frame.itertuples()
    ]  # fmt: skip
    gold = [
        {"topic": str(r.topic), "sentiment": str(r.sentiment), "lang": str(r.lang),
         "kind": str(r.kind)}
        for r in frame.itertuples()
    ]  # fmt: skip
    return docs, gold


def labeler_for(task: str, path: Path, profile: str = "accurate") -> Any:
    """The labeler of `task` from a model file; `profile` as labels name it (`thorough[en]`)."""
    profile, only = split_profile(profile)
    if task == "topic":
        from nlp.labelers.topic_model import LearnedTopicLabeler, TopicModel

        return LearnedTopicLabeler(TopicModel.from_file(path), profile, {BRAND: {BRAND_ACCOUNT}},
                                   only)  # fmt: skip
    if task == "sentiment":
        from nlp.labelers.sentiment import SentimentLabeler, SentimentModel

        return SentimentLabeler(SentimentModel.from_file(path), profile, only)
    raise ValueError(f"no trainable model for {task!r}; tasks: topic, sentiment")


def figures(
    task: str, gold: list[str], predicted: list[str], probs: np.ndarray, langs: list[str],
    kinds: list[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    classes = list(TOPICS if task == "topic" else SENTIMENTS)
    g = np.array([classes.index(v) for v in gold])
    p = np.array([classes.index(v) for v in predicted])
    out: dict[str, Any] = {}
    for lang in SCORED:
        mask = np.array([x == lang for x in langs])
        if not mask.any():
            continue
        per_class = {}
        for k, name in enumerate(classes):
            tp = int(np.sum((p[mask] == k) & (g[mask] == k)))
            denominator = int(np.sum(p[mask] == k) + np.sum(g[mask] == k))
            per_class[name] = round(2 * tp / denominator, 4) if denominator else None
        confusion = np.zeros((len(classes), len(classes)), dtype=int)
        for a, b in zip(g[mask], p[mask], strict=True):
            confusion[a, b] += 1
        table, ece = reliability(probs[mask], g[mask])
        out[lang] = {
            "n": int(mask.sum()), "macro_f1": round(macro_f1(g[mask], p[mask], len(classes)), 4),
            "macro_f1_interval": intervals.macro_f1_interval(g[mask], p[mask], len(classes)),
            "accuracy": round(float(np.mean(g[mask] == p[mask])), 4), "per_class_f1": per_class,
            "confusion": confusion.tolist(), "reliability": table, "ece": ece,
        }  # fmt: skip
        # What a perfectly calibrated model with these scores stays under in 95 % of draws
        # (printed) and in 99 % (the retrain rule's, `nlp.retrain.calibration_lost`).
        levels = (intervals.LEVEL, intervals.STRICT_LEVEL)
        bounds = intervals.calibrated_ece_bounds(probs[mask].max(axis=1), levels)
        out[lang]["ece_calibrated_bound"], out[lang]["ece_calibrated_bound_99"] = bounds
    scores = [out[lang]["macro_f1"] for lang in SCORED if lang in out]
    out["score"] = round(float(np.mean(scores)), 4) if scores else 0.0
    scored = np.array([x in SCORED for x in langs], dtype=bool)
    if scored.any():
        resampled = intervals.bootstrap(
            g[scored], [p[scored]], np.asarray(langs)[scored], len(classes)
        )
        out["score_interval"] = intervals.interval(resampled[0])
    out["classes"] = classes
    # Each item's gold and predicted class, for a paired comparison of two models
    # (`compare`); not a figure.
    out["items"] = {"gold": g.tolist(), "predicted": p.tolist(), "lang": list(langs)}
    if kinds is not None:
        out["items"]["kind"] = list(kinds)
    return out


def by_kind(result: dict[str, Any], least: int = 20) -> dict[str, dict[str, dict[str, Any]]]:
    """Macro-F1 and accuracy per language and kind of text (`tweet_general`, `review`…) of an
    `evaluate_on_test` result, for the kinds with at least `least` items: where a model gains
    or loses, beside the figures the rule reads."""
    items = result["items"]
    g, p = np.array(items["gold"]), np.array(items["predicted"])
    langs, kinds = np.array(items["lang"]), np.array(items["kind"])
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for lang in SCORED:
        for kind in sorted(set(kinds[langs == lang].tolist())):
            mask = (langs == lang) & (kinds == kind)
            if mask.sum() < least:
                continue
            out.setdefault(lang, {})[kind] = {
                "n": int(mask.sum()),
                "macro_f1": round(macro_f1(g[mask], p[mask], len(result["classes"])), 4),
                "accuracy": round(float(np.mean(g[mask] == p[mask])), 4),
            }
    return out


def on_texts(
    task: str, models: dict[str, Path], texts: list[str], langs: list[str], gold: list[str],
    profile: str = "accurate", source_kinds: list[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Each model's macro-F1 and accuracy on labelled texts (all languages together: a
    workspace's own held-out labels, with their sources' kinds), and the 95 % paired interval
    of the difference between the first two models."""
    classes = list(TOPICS if task == "topic" else SENTIMENTS)
    g = np.array([classes.index(v) for v in gold])
    kinds = source_kinds or [""] * len(texts)
    docs = [
        Doc(text, lang=lang, source_kind=kind or None)
        for text, lang, kind in zip(texts, langs, kinds, strict=True)
    ]
    out: dict[str, Any] = {}
    predicted: list[np.ndarray] = []
    for name, path in models.items():
        p = np.array([classes.index(x.value) for x in labeler_for(task, path, profile)
                      .label_batch(docs)])  # fmt: skip
        predicted.append(p)
        out[name] = {"macro_f1": round(macro_f1(g, p, len(classes)), 4),
                     "accuracy": round(float(np.mean(g == p)), 4)}  # fmt: skip
    if len(predicted) >= 2:
        out["delta_interval"] = intervals.difference_interval(
            g, predicted[0], predicted[1], np.zeros(len(g), dtype=int), len(classes)
        )
    return out


def guide_docs(examples: list[Example]) -> list[Doc]:
    """The annotation guide's examples (`nlp.corpus.guide`) as the labelers see them: those the
    brand writes (R4, F4's) come from the brand's account, the forum posts' from a forum."""
    return [
        Doc(e.text, author=BRAND_ACCOUNT if e.brand_authored else "someone", brands=(BRAND,),
            source_kind=e.source_kind or None)
        for e in examples
    ]  # fmt: skip


def guide_misread(
    task: str, path: Path, profile: str = "accurate", examples: list[Example] | None = None
) -> list[dict[str, str]]:
    """The annotation guide's examples (all of them unless given) the model file reads wrong
    for `task`: rule, text, the guide's label and the model's, in the guide's order."""
    from nlp.corpus.guide import guide_examples

    examples = guide_examples() if examples is None else examples
    predicted = labeler_for(task, path, profile).label_batch(guide_docs(examples))
    return [
        {"rule": e.rule, "text": e.text, "expected": getattr(e, task), "got": p.value}
        for e, p in zip(examples, predicted, strict=True)
        if p.value != getattr(e, task)
    ]


def compare(new: dict[str, Any], old: dict[str, Any]) -> tuple[float, float]:
    """95 % interval of the difference of `score` (new − old) between two models' figures on
    the same test items (a paired bootstrap: both scored on the same resamples)."""
    a, b = new["items"], old["items"]
    if a["gold"] != b["gold"] or a["lang"] != b["lang"]:
        raise ValueError("the two models were not measured on the same test items")
    scored = np.array([x in SCORED for x in a["lang"]], dtype=bool)
    return intervals.difference_interval(
        np.asarray(a["gold"])[scored], np.asarray(a["predicted"])[scored],
        np.asarray(b["predicted"])[scored], np.asarray(a["lang"])[scored], len(new["classes"]),
    )  # fmt: skip


def evaluate_on_test(
    task: str, path: Path, data: Path, profile: str = "accurate",
    split: str | tuple[str, ...] = "test",
) -> dict[str, Any]:  # fmt: skip
    """The model file's figures on the corpus test split (`score`: mean macro-F1 of fr, en),
    or on later rounds' own test parts (`split="test3"`, or `split.FORUM_TEST_PARTS`: every
    forum post held out)."""
    docs, gold = corpus_docs(data, split)
    labeler = labeler_for(task, path, profile)
    predictions = labeler.label_batch(docs)
    classes = list(TOPICS if task == "topic" else SENTIMENTS)
    probs = np.array([[p.scores.get(c, 0.0) for c in classes] for p in predictions])
    return figures(
        task, [g[task] for g in gold], [p.value for p in predictions], probs,
        [g["lang"] for g in gold], [g["kind"] for g in gold],
    )  # fmt: skip
