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

Language by language (sentiment): a sentiment model reads each text with the block of its
language alone. When the new model is refused as a whole, the languages where it is not worse
on its own — that language's test macro-F1, calibration and guide examples (`languages_taken`)
— are taken from it and the others kept from the active model (`nlp.language_blocks`); that
combined model is measured like any new one and activated when the rule takes it. A French
brand's corrections are then not refused for an English figure, nor the reverse.

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
    # When it was refused as a whole (sentiment): the languages taken from it
    # (`languages_taken`) and the combined model's file, figures and verdict (`by_language`).
    languages: dict[str, Any] = field(default_factory=dict)

    @property
    def active_file(self) -> Path:
        """The file the labeler now uses: the new model, or the combined one."""
        if self.reason == "languages":
            return Path(self.languages["path"])
        return self.path if self.activated else self.active_path

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
    from nlp.evaluation import SCORED, evaluate_on_test

    out: dict[str, Any] = {}
    for name, path in models.items():
        result = evaluate_on_test(task, path, data, profile, parts)
        langs = [lang for lang in SCORED if lang in result]
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
    from nlp.evaluation import SCORED, guide_misread
    from nlp.labelers.base import Doc
    from nlp.labelers.language import language_labeler

    wrong = {
        "new": guide_misread(task, new, profile, examples),
        "active": guide_misread(task, active, profile, examples),
    }
    active_wrong = {e["text"] for e in wrong["active"]}
    # Each example's language as the labelers detect it (the examples carry none): the
    # block of a sentiment model that reads it.
    detected = language_labeler().label_batch([Doc(e.text) for e in examples])
    language = {e.text: p.value for e, p in zip(examples, detected, strict=True)}
    return {
        "n": len(examples),
        "new": len(wrong["new"]),
        "active": len(wrong["active"]),
        "lost": [e for e in wrong["new"] if e["text"] not in active_wrong],
        "languages": {
            lang: {
                side: sum(language[e["text"]] == lang for e in wrong[side])
                for side in ("new", "active")
            }
            for lang in SCORED
        },
    }


def guide_worse(guide: dict[str, Any]) -> int:
    """How many more of the guide's examples the new model reads wrong than the active one
    (`guide_figures`; 0 when there are no such figures)."""
    return int(guide["new"] - guide["active"]) if guide else 0


def languages_taken(
    new: dict[str, Any], active: dict[str, Any], guide: dict[str, Any],
    calibration: list[dict[str, Any]],
) -> list[str]:  # fmt: skip
    """The languages where the new model is not worse on its own: its test macro-F1 in that
    language at least the active one's, its scores there still meaning what they say
    (`calibration`: `calibration_lost`'s languages), and no more of the guide's examples in
    that language read wrong (`guide_figures`)."""
    from nlp.evaluation import SCORED

    lost = {c["lang"] for c in calibration}
    wrong = guide.get("languages", {})
    return [
        lang for lang in SCORED
        if lang in new and lang in active and lang not in lost
        and new[lang]["macro_f1"] >= active[lang]["macro_f1"] - TOLERANCE
        and wrong.get(lang, {}).get("new", 0) <= wrong.get(lang, {}).get("active", 0)
    ]  # fmt: skip


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
    from nlp.model_store import new_model_path
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
    return settle(settings, task, path, now=now, data=data, force=force, examples=examples,
                  trained_on=len(extra), held=held, report=report)  # fmt: skip


def settle(
    settings: Settings, task: str, path: Path, *, now: datetime, data: Path, force: bool,
    examples: list[Example], trained_on: int = 0, held: Rows | None = None,
    report: dict[str, Any] | None = None,
) -> Outcome:  # fmt: skip
    """Measure a newly trained model file against the workspace's active one and activate it,
    or (sentiment) its languages that are not worse, when the rule takes it (`trained_on`:
    people's labels it learnt; `held`: those held out to measure both models)."""
    from nlp.evaluation import evaluate_on_test
    from nlp.model_store import activate, active_model
    from nlp.train.topic import Rows

    held = Rows() if held is None else held
    profile = settings.nlp.profile
    current = active_model(settings, task)
    old = evaluate_on_test(task, current, data, profile)
    judged = judge(task, path, current, old, data, profile, held, examples, force)
    outcome = Outcome(task, path, bool(judged["reason"]), judged["new"], old, current,
                      trained_on, report or {}, judged["delta_interval"], judged["workspace"],
                      judged["reason"], judged["forum"], judged["guide"], judged["reviews"],
                      judged["calibration"])  # fmt: skip
    if not outcome.activated and not force and task == "sentiment":
        outcome.languages = by_language(path, current, outcome.new, old, outcome.guide,
                                        outcome.calibration, data, profile, examples,
                                        held)  # fmt: skip
        if outcome.languages.get("reason"):
            outcome.activated, outcome.reason = True, "languages"
    if outcome.activated:
        chosen = judged if outcome.reason != "languages" else outcome.languages
        figures = {"test_score": chosen["new"]["score"],
                   "test_interval": chosen["new"].get("score_interval"),
                   "trained_at": now.isoformat(), "human_labels": trained_on,
                   "reason": outcome.reason, "workspace": chosen["workspace"],
                   "guide_misread": chosen["guide"]["new"]}  # fmt: skip
        if outcome.reason == "languages":
            figures["languages"] = outcome.languages["languages"]
        activate(settings, task, outcome.active_file, figures)
    return outcome


def judge(
    task: str, path: Path, current: Path, old: dict[str, Any], data: Path, profile: str,
    held: Rows, examples: list[Example], force: bool, beside: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """The model file `path` measured against the active one (`current`, whose test figures
    are `old`): its test figures (`new`), the paired interval of the difference, the
    workspace's held-out labels, the guide's examples, the calibration, the forum posts and
    English reviews (`beside`: else left empty), and the rule's `reason` ("" if refused)."""
    from nlp.corpus.split import FORUM_TEST_PARTS, REVIEW_TEST_PARTS
    from nlp.evaluation import compare, evaluate_on_test, on_texts

    new = evaluate_on_test(task, path, data, profile)
    workspace: dict[str, Any] = {"n": len(held), "held_out_every": HOLD_OUT_EVERY,
                                 "from": HOLD_OUT_FROM}  # fmt: skip
    if held.texts:
        workspace.update(on_texts(task, {"new": path, "active": current}, held.texts,
                                  held.langs, held.labels, profile, held.source_kinds))  # fmt: skip
    both = {"new": path, "active": current}
    guide = guide_figures(task, path, current, profile, examples)
    delta_interval = compare(new, old)
    calibration = calibration_lost(new, old)
    reason = activation(score_delta(new, old), delta_interval, workspace, force,
                        guide_worse(guide), len(calibration))  # fmt: skip
    return {
        "new": new, "delta_interval": delta_interval, "workspace": workspace, "guide": guide,
        "calibration": calibration, "reason": reason,
        "forum": part_figures(task, both, data, profile, FORUM_TEST_PARTS) if beside else {},
        "reviews": part_figures(task, both, data, profile, REVIEW_TEST_PARTS) if beside else {},
    }  # fmt: skip


def by_language(
    path: Path, active_path: Path, new: dict[str, Any], active: dict[str, Any],
    guide: dict[str, Any], calibration: list[dict[str, Any]], data: Path, profile: str,
    examples: list[Example], held: Rows | None = None,
) -> dict[str, Any]:  # fmt: skip
    """For a sentiment model (`path`, test figures `new`) refused as a whole against the active
    one (`active_path`, `active`): the languages where it is not worse on its own
    (`languages_taken`, from its `guide` figures and lost `calibration`), and when that is
    some of them, the model combining its blocks of those languages with the active model's
    others (`nlp.language_blocks`), written beside it as `<stem>-<languages>.npz` and measured
    as any new model (`judge`, not forced). Empty when no language or every language is taken
    (the whole model was then refused for its mean alone), or when the languages taken have
    the active model's blocks already (`changed`). When the two files' blocks cannot be read
    side by side (`CannotCombine`), `cannot` says why and nothing is activated."""
    from nlp.evaluation import SCORED
    from nlp.language_blocks import CannotCombine, ModelPair, combined_path
    from nlp.train.topic import Rows

    taken = languages_taken(new, active, guide, calibration)
    if len(taken) == len(SCORED):
        return {}
    pair = ModelPair(path, active_path)
    taken = [lang for lang in taken if lang in pair.changed()]
    if not taken:
        return {}
    combined = combined_path(path, taken)
    try:
        pair.combine(taken, combined)
    except CannotCombine as exc:
        return {"languages": taken, "reason": "", "cannot": str(exc)}
    judged = judge("sentiment", combined, active_path, active, data, profile,
                   Rows() if held is None else held, examples, force=False,
                   beside=False)  # fmt: skip
    return {"languages": taken, "path": str(combined),
            "delta": score_delta(judged["new"], active), **judged}  # fmt: skip


def reported_part(part: dict[str, Any]) -> dict[str, Any]:
    """`by_language`'s result as `veille train --json` and `bench/candidate.py` report it: the
    languages taken, the combined file, its test figures, the difference from the active
    model and its interval, the guide's examples, the calibration lost, and the verdict (or
    why the blocks could not be combined, `cannot`); empty when nothing was combined."""
    from nlp.evaluation import SCORED

    if not part:
        return {}
    if "cannot" in part:
        return {"taken": part["languages"], "activated": False, "reason": "",
                "cannot": part["cannot"]}  # fmt: skip
    new = part["new"]
    return {
        "taken": part["languages"], "model": part["path"],
        "activated": bool(part["reason"]), "reason": part["reason"],
        "test": {lang: new[lang]["macro_f1"] for lang in SCORED if lang in new}
        | {"score": new["score"]},
        "delta": part["delta"], "delta_interval": [round(x, 4) for x in part["delta_interval"]],
        "guide": {k: part["guide"][k] for k in ("new", "active")},
        "calibration_lost": part["calibration"],
    }  # fmt: skip


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
    # The gated thorough stacks read the tuned e5 sentiment classifiers where they raise the
    # out-of-fold macro-F1 of the brand talk, or tie on it and raise the general tweets'
    # (`nlp.train.sentiment.fit_block`; model card).
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
