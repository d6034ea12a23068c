"""`veille train topic|sentiment`: retrain on the labelled corpus plus the people's labels in
the database, measure the new model on the corpus's frozen test split, and activate it in the
workspace only when it is not worse than the active one (or when forced).

From `HOLD_OUT_FROM` people's labels of the task on, one in `HOLD_OUT_EVERY` is kept out of
training: both models are measured on those too, the workspace's own texts. Under that, every
label trains: too few would be held out to measure anything.

"Not worse" (`activation`): the new model's mean test macro-F1 is at least the active one's;
or, when it is lower but within the test split's noise (the paired 95 % interval of the
difference reaches zero), it is better on the workspace's own held-out labels — what people's
corrections are for (two models whose training data differ by 7 sentences in 6,955 differed by
up to 0.025 on the test split, model card: without this, a model that learned a brand's texts
could be refused by that noise alone).

The annotation guide's decision rules come first: a new model that reads more of the guide's
examples wrong (`nlp.corpus.guide`: three per rule) than the active model is refused whatever
its scores, unless forced; the examples it reads wrong and the active one right are named
either way. (Not "none of them": each retrain of the project's own models lost one to three
of the 69, and even a model trained on 3,000 texts loses some that one trained on 60 reads
right — a rule that forbids any trade would refuse nearly every retrain.)

A label's score must keep meaning what it says (the review list rests on it): a new model
whose expected calibration error on the test split, in French or English, is over what a
perfectly calibrated model with its scores stays under in 99 % of draws, where the active
model's is under its own, is refused whatever its scores, unless forced (`calibration_lost`;
added on 2026-12-06 for a sentiment retrain whose French scores lost their meaning on the test
split while its macro-F1 rose: model card).

Both models are also measured on the corpus's forum posts and on its English reviews (the
forum and review rounds' own test parts): reported beside, never part of the rule.

Which labels are held out depends on the mention's source and id alone, so a label stays on
its side from one retrain to the next, on any database.

The corpus texts are rebuilt from ../shared/data (`nlp.corpus`); a clone without them cannot
train nor measure a model on the test split, so it refuses with a message saying so rather
than activate a model nobody measured.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from config.settings import Settings
    from nlp.corpus.guide import Example
    from nlp.train.topic import Rows

TASKS = ("topic", "sentiment")
# A new model whose test score is at most this much below the active one counts as "not
# worse": float noise of a retrain on the same data must not block it.
TOLERANCE = 1e-4
HOLD_OUT_EVERY = 5
HOLD_OUT_FROM = 50


class CannotTrain(Exception):
    """Training is impossible here (no corpus texts, unknown task): the message says why."""


@dataclass
class Outcome:
    task: str
    path: Path
    activated: bool
    new: dict[str, Any]
    active: dict[str, Any]
    active_path: Path
    human_labels: int
    train: dict[str, Any] = field(default_factory=dict)
    # 95 % interval of the difference (new − active) in mean macro-F1: a paired bootstrap of
    # the test items (`nlp.evaluation.compare`); an interval across zero is within the
    # test split's noise.
    delta_interval: tuple[float, float] = (0.0, 0.0)
    # Both models on the people's labels held out of training (`nlp.evaluation.on_texts`).
    workspace: dict[str, Any] = field(default_factory=dict)
    # Why it was activated (`activation`): "not worse", "workspace", "forced"; "" if not.
    reason: str = ""
    # Both models on the corpus's forum posts and English reviews (`part_figures`): reported
    # beside, not decisive.
    forum: dict[str, Any] = field(default_factory=dict)
    # Both models on the annotation guide's examples (`guide_figures`): how many each reads
    # wrong, and "lost", those the new model reads wrong and the active one right.
    guide: dict[str, Any] = field(default_factory=dict)
    reviews: dict[str, Any] = field(default_factory=dict)  # as `forum`, English reviews
    # The languages where its scores stopped meaning what they say (`calibration_lost`).
    calibration: list[dict[str, Any]] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return score_delta(self.new, self.active)


def score_delta(new: dict[str, Any], active: dict[str, Any]) -> float:
    """The new model's mean test macro-F1 less the active one's."""
    return round(float(new["score"]) - float(active["score"]), 4)


def corpus_available(data: Path) -> None:
    if not (data / "brand_talk").is_dir() or not (data / "umsab").is_dir():
        raise CannotTrain(
            f"the labelled corpus's texts are rebuilt from {data}, which is absent or "
            "incomplete (a clone outside the workplace): `veille train` needs them to train "
            "and to measure the model on the frozen test split. Put the shared data beside the "
            "project (../shared/data) or point VEILLE_SHARED at its shared/ folder."
        )


def activation(
    delta: float, delta_interval: tuple[float, float], workspace: dict[str, Any], force: bool,
    guide_worse: int = 0, calibration_lost: int = 0,
) -> str:  # fmt: skip
    """Why a new model is activated, or "" when it is refused (see the module's docstring);
    `guide_worse`: how many more of the guide's examples it reads wrong than the active one;
    `calibration_lost`: in how many languages its scores stopped meaning what they say."""
    if guide_worse > 0 or calibration_lost > 0:
        return "forced" if force else ""
    if delta >= -TOLERANCE:
        return "not worse"
    within_noise = delta_interval[1] >= 0
    if (
        within_noise
        and "new" in workspace
        and (workspace["new"]["macro_f1"] > workspace["active"]["macro_f1"])
    ):
        return "workspace"
    return "forced" if force else ""


def refusal(
    delta: float, guide_worse: int, calibration: list[dict[str, Any]] | None = None
) -> list[str]:
    """Why a model that `activation` refuses is refused, one clause per rule it breaks
    (`calibration`: `calibration_lost`'s languages)."""
    why = [f"it is worse by {-delta:.4f} macro-F1"] if delta < -TOLERANCE else []
    if guide_worse > 0:
        why.append(
            f"it reads {guide_worse} more of the annotation guide's examples wrong than the "
            "active model"
        )
    from nlp.intervals import STRICT_LEVEL

    for lost in calibration or []:
        why.append(
            f"its {lost['lang']} scores no longer mean what they say (test ECE "
            f"{lost['ece']:.3f}, over the {lost['bound']:.3f} a calibrated model stays under in "
            f"{STRICT_LEVEL * 100:.0f} % of draws; the active model's {lost['active_ece']:.3f} "
            "is under its own)"
        )
    return why


def calibration_lost(new: dict[str, Any], active: dict[str, Any]) -> list[dict[str, Any]]:
    """The languages where the new model's expected calibration error on the test split is
    over what a perfectly calibrated model with its scores stays under in 99 % of draws
    (`nlp.intervals.STRICT_LEVEL`) while the active model's is under its own: a label's score
    then no longer says how often such labels are right, and the review list (labels under
    `nlp.review_below`) misses the wrong ones it should hold."""
    from nlp.evaluation import SCORED

    bound = "ece_calibrated_bound_99"
    return [
        {"lang": lang, "ece": new[lang]["ece"], "bound": new[lang][bound],
         "active_ece": active[lang]["ece"]}
        for lang in SCORED
        if lang in new and lang in active and bound in new[lang] and bound in active[lang]
        and new[lang]["ece"] > new[lang][bound] and active[lang]["ece"] <= active[lang][bound]
    ]  # fmt: skip


def part_figures(
    task: str, models: dict[str, Path], data: Path, profile: str, parts: tuple[str, ...]
) -> dict[str, Any]:
    """Each model's macro-F1 and accuracy per language on some of the later rounds' own test
    parts (the forum posts', the English reviews'), with how many items there are; empty when
    the corpus has none."""
    from nlp.evaluation import evaluate_on_test

    out: dict[str, Any] = {}
    for name, path in models.items():
        result = evaluate_on_test(task, path, data, profile, parts)
        langs = [lang for lang in ("fr", "en") if lang in result]
        if not langs:
            return {}
        out["n"] = {lang: result[lang]["n"] for lang in langs}
        out[name] = {lang: {"macro_f1": result[lang]["macro_f1"],
                            "accuracy": result[lang]["accuracy"]} for lang in langs}  # fmt: skip
    return out


def guide_available() -> list[Example]:
    """The annotation guide's examples, or a message saying why they cannot be read (checked
    before training: minutes of it would be lost)."""
    from nlp.corpus.guide import GUIDE, guide_examples

    try:
        return guide_examples()
    except (OSError, ValueError, IndexError) as exc:
        raise CannotTrain(
            f"the annotation guide's examples cannot be read from {GUIDE} ({exc}): `veille "
            "train` checks every new model against them. Restore docs/annotation-guide.md "
            "(nlp/corpus/annotation-guide.md links to it) or reinstall Veille."
        ) from None


def guide_figures(
    task: str, new: Path, active: Path, profile: str, examples: list[Example]
) -> dict[str, Any]:
    """How many of the annotation guide's examples each model reads wrong, and those the new
    one reads wrong that the active one reads right (`lost`)."""
    from nlp.evaluation import guide_misread

    wrong = {
        "new": guide_misread(task, new, profile, examples),
        "active": guide_misread(task, active, profile, examples),
    }
    active_wrong = {e["text"] for e in wrong["active"]}
    return {
        "n": len(examples),
        "new": len(wrong["new"]),
        "active": len(wrong["active"]),
        "lost": [e for e in wrong["new"] if e["text"] not in active_wrong],
    }


def guide_worse(guide: dict[str, Any]) -> int:
    """How many more of the guide's examples the new model reads wrong than the active one
    (`guide_figures`; 0 when there are no such figures)."""
    return int(guide["new"] - guide["active"]) if guide else 0


def held_out(source: str, external_id: str) -> bool:
    """Whether a person's label on this mention is kept out of training (one in
    HOLD_OUT_EVERY, by a hash of the mention's source and id)."""
    digest = hashlib.sha1(f"{source}\x1f{external_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % HOLD_OUT_EVERY == 0


def human_rows(engine: Engine, task: str) -> tuple[Rows, Rows]:
    """The labels people gave for `task`, with the mention's text and language: those to train
    on, and those held out (`held_out`)."""
    from nlp.train.topic import Rows
    from storage.labelling import iter_human_labels

    train, held = Rows(), Rows()
    for row in iter_human_labels(engine):
        if row["task"] == task and row.get("text"):
            side = held if held_out(str(row["source"]), str(row["external_id"])) else train
            side.add(str(row["text"]), str(row["value"]), str(row.get("lang") or "und"),
                     origin="human", source_kind=str(row.get("source_kind") or ""))  # fmt: skip
    return train, held


def retrain(
    engine: Engine, settings: Settings, task: str, *, now: datetime, data: Path | None = None,
    force: bool = False, sample: int | None = None, seed: int | None = None,
) -> Outcome:  # fmt: skip
    """Train, measure, and activate when not worse (see the module's docstring)."""
    from nlp.corpus.split import FORUM_TEST_PARTS, REVIEW_TEST_PARTS
    from nlp.evaluation import compare, evaluate_on_test, on_texts
    from nlp.model_store import activate, active_model, new_model_path
    from nlp.train.data import DEFAULT_DATA

    if task not in TASKS:
        raise CannotTrain(f"no trainable model for {task!r}; tasks: {', '.join(TASKS)}")
    data = data or DEFAULT_DATA
    corpus_available(data)
    examples = guide_available()
    extra, held = human_rows(engine, task)
    if len(extra) + len(held) < HOLD_OUT_FROM:
        extra.extend(held)
        held = held.take([])  # none held out
    cache = Path(settings.nlp.models_dir) / "cache"
    path = new_model_path(settings, task, now)
    profile = settings.nlp.profile
    # The thorough profile's stacks are trained only for a workspace that uses it: sentiment's
    # e5 vectors cost minutes (cached in the models folder for the next retrain).
    report = _train(task, data, cache, path, extra, sample, seed, profile == "thorough")
    new = evaluate_on_test(task, path, data, profile)
    current = active_model(settings, task)
    old = evaluate_on_test(task, current, data, profile)
    workspace: dict[str, Any] = {"n": len(held), "held_out_every": HOLD_OUT_EVERY,
                                 "from": HOLD_OUT_FROM}  # fmt: skip
    if held.texts:
        workspace.update(on_texts(task, {"new": path, "active": current}, held.texts,
                                  held.langs, held.labels, profile, held.source_kinds))  # fmt: skip
    both = {"new": path, "active": current}
    forum = part_figures(task, both, data, profile, FORUM_TEST_PARTS)
    reviews = part_figures(task, both, data, profile, REVIEW_TEST_PARTS)
    guide = guide_figures(task, path, current, profile, examples)
    delta_interval = compare(new, old)
    calibration = calibration_lost(new, old)
    reason = activation(score_delta(new, old), delta_interval, workspace, force,
                        guide_worse(guide), len(calibration))  # fmt: skip
    activated = bool(reason)
    if activated:
        figures = {"test_score": new["score"], "test_interval": new.get("score_interval"),
                   "trained_at": now.isoformat(), "human_labels": len(extra), "reason": reason,
                   "workspace": workspace, "guide_misread": guide["new"]}  # fmt: skip
        activate(settings, task, path, figures)
    return Outcome(task, path, activated, new, old, current, len(extra), report,
                   delta_interval, workspace, reason, forum, guide, reviews,
                   calibration)  # fmt: skip


def _train(
    task: str, data: Path, cache: Path, path: Path, extra: Rows, sample: int | None,
    seed: int | None, thorough: bool = False,
) -> dict[str, Any]:  # fmt: skip
    if task == "topic":
        from nlp.train import topic

        if sample is None:
            # The thorough stack reads the tuned e5 topic classifier (`nlp.e5_tuned`), not e5
            # vectors: better by cross-validation, and no e5 pass over the corpus (model card).
            return topic.train(data, cache, path, seed or topic.SEED, extra, thorough,
                               topic.TUNED_PATH if thorough else None)  # fmt: skip
        return _train_topic_sample(data, cache, path, extra, sample, seed or topic.SEED)
    from nlp.train import sentiment

    if sample is not None:
        raise CannotTrain("--sample is for topic trials only; sentiment trains on all its data")
    # The thorough stacks read the tuned e5 sentiment classifiers where they raise the
    # out-of-fold macro-F1 of the brand talk (`nlp.train.sentiment.fit_block`; model card).
    tuned = sentiment.TUNED_PATH if thorough else None
    return sentiment.train(data, None, cache, path, extra=extra, validate=False,
                           thorough=thorough, tuned=tuned)  # fmt: skip


def _train_topic_sample(
    data: Path, cache: Path, path: Path, extra: Rows, sample: int, seed: int
) -> dict[str, Any]:
    """A small topic model (a quick trial, and the tests): `sample` corpus items drawn per
    topic in proportion (at least 8 of each), as many suggestion sentences."""
    from nlp.model_io import save_npz
    from nlp.train import topic
    from nlp.train.vectors import sentence_vectors

    rows = topic.corpus_rows(data, "topic", "train")
    rng = random.Random(seed)
    by_topic: dict[str, list[int]] = {}
    for i, label in enumerate(rows.labels):
        by_topic.setdefault(label, []).append(i)
    chosen: list[int] = []
    for label in sorted(by_topic):
        members = by_topic[label]
        want = max(8, round(sample * len(members) / len(rows)))
        chosen += rng.sample(members, min(want, len(members)))
    small = rows.take(sorted(chosen))
    small.extend(extra)
    texts, flags = topic.suggestion_sentences(data)
    picked = sorted(rng.sample(range(len(texts)), min(sample, len(texts))))
    suggestions = ([texts[i] for i in picked], [flags[i] for i in picked])
    arrays, oof = topic.fit(small, suggestions, lambda t: sentence_vectors(t, cache), seed)
    save_npz(path, arrays)
    return {"cv": topic.cv_figures(oof), "train_size": len(small)}
