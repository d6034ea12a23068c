"""`veille train`: retrain the topic or sentiment model with people's labels, and activate it
in the workspace when it is not worse (`nlp.retrain.activation`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError

if TYPE_CHECKING:
    from nlp.retrain import Outcome


class Trainable(StrEnum):
    topic = "topic"
    sentiment = "sentiment"


def train(
    ctx: typer.Context,
    task: Annotated[Trainable, typer.Argument(help="topic or sentiment.")],
    force: Annotated[
        bool, typer.Option("--force", help="Activate the new model even if it scores lower.")
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", min=20, help="Topic only: train on about N corpus items (trials)."
        ),
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", help="Name the model as of this UTC time (tests).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Retrain on the labelled corpus plus every person's label; activate the new model in
    this workspace only if it is not worse on the corpus's test split, or lower within its
    noise and better on this workspace's own held-out labels (then run
    `veille analyze --relabel`)."""
    state: AppState = ctx.obj
    from nlp.retrain import CannotTrain, reported_part, retrain
    from pipeline.commands.alerts import _parse_now
    from storage.clock import utcnow

    engine = state.engine()
    at = _parse_now(now) or utcnow()
    state.say(f"Training the {task.value} model (minutes: it encodes every training text)…")
    try:
        outcome = retrain(engine, state.settings, task.value, now=at, force=force, sample=sample)
    except CannotTrain as exc:
        raise CommandError(str(exc)) from None
    if as_json:
        state.emit_json({
            "task": outcome.task, "model": str(outcome.path), "activated": outcome.activated,
            "test_score": outcome.new["score"], "active_score": outcome.active["score"],
            "delta": outcome.delta, "delta_interval": list(outcome.delta_interval),
            "reason": outcome.reason,
            "human_labels": outcome.human_labels, "workspace": outcome.workspace,
            "forum": outcome.forum, "reviews": outcome.reviews, "guide": outcome.guide,
            "calibration_lost": outcome.calibration,
            "languages": reported_part(outcome.languages),
            "active_model": str(outcome.active_file),
        })  # fmt: skip
        return
    new, old = outcome.new, outcome.active
    low, high = outcome.delta_interval
    noise = "within" if low <= 0 <= high else "beyond"
    state.say(
        f"New {task.value} model {outcome.path.name} ({outcome.human_labels:,} people's labels "
        f"added): test macro-F1 fr {new.get('fr', {}).get('macro_f1', '-')}, "
        f"en {new.get('en', {}).get('macro_f1', '-')} (mean {new['score']:.4f}); "
        f"the active model ({outcome.active_path.name}) scores {old['score']:.4f}. "
        f"Difference {outcome.delta:+.4f}, 95 % interval {low:+.4f} to {high:+.4f}: {noise} "
        "what the test split can tell apart."
    )
    state.say(_workspace_line(outcome.workspace, outcome.human_labels))
    if outcome.forum:
        state.say(_beside_line(outcome.forum, "forum posts (the forum rounds' own test parts"))
    if outcome.reviews:
        state.say(
            _beside_line(
                outcome.reviews,
                "English reviews (the review rounds' own test parts: products, a hotel's service",
            )
        )
    state.say(_guide_line(outcome.guide))
    for line in _verdict(outcome, force):
        state.say(line)


def _verdict(outcome: Outcome, force: bool) -> list[str]:
    """Activated or not, and what to do next."""
    from nlp.retrain import guide_worse, refusal

    if outcome.reason == "languages":
        figures = outcome.languages
        taken = ", ".join(figures["languages"])
        return [
            f"Not activated as a whole: {' and '.join(_why(outcome))}. "
            f"Its {taken} block{'s' if len(figures['languages']) > 1 else ''} "
            f"{'are' if len(figures['languages']) > 1 else 'is'} not worse on its own, so "
            f"{Path(figures['path']).name} takes {taken} from it and keeps every other "
            f"language from the active model: test macro-F1 {figures['new']['score']:.4f} "
            f"against {outcome.active['score']:.4f} ({figures['delta']:+.4f}).",
            f"Activated for {taken}: the sentiment labeler now uses {outcome.active_file.name}. "
            "Run `veille analyze --relabel` to relabel the stored mentions with it; "
            f"`veille train {outcome.task} --force` activates the whole new model instead.",
        ]
    if outcome.activated:
        notes = {
            "forced": " (forced)",
            "workspace": f" (lower by {-outcome.delta:.4f} on the corpus's test split, within "
            "its noise, and better on this workspace's own held-out labels)",
        }
        note = notes.get(outcome.reason, "")
        return [
            f"Activated{note}: the {outcome.task} labeler now uses {outcome.path.name}. Run "
            "`veille analyze --relabel` to relabel the stored mentions with it."
        ]
    lines = [
        f"Not activated: {' and '.join(_why(outcome))}; the active model stays. "
        f"`veille train {outcome.task} --force` activates it anyway."
    ]
    if "cannot" in outcome.languages:
        lines.append(
            f"Its {', '.join(outcome.languages['languages'])} part, not worse on its own, could "
            f"not be taken alone: {outcome.languages['cannot']}."
        )
    elif outcome.languages and not outcome.languages["reason"]:
        lines.append(
            f"Its {', '.join(outcome.languages['languages'])} part alone was not taken either: "
            + " and ".join(
                refusal(
                    outcome.languages["delta"],
                    guide_worse(outcome.languages["guide"]),
                    outcome.languages["calibration"],
                )
            )
            + "."
        )
    if outcome.workspace.get("delta_interval", (0.0, 0.0))[0] > 0:
        lines.append(
            "On this workspace's own labels it is better beyond their noise: if those texts "
            "are what matters here, `--force` is worth considering."
        )
    return lines


def _why(outcome: Outcome) -> list[str]:
    """Why the new model as a whole was refused, one clause per rule it breaks."""
    from nlp.retrain import guide_worse, refusal

    return refusal(outcome.delta, guide_worse(outcome.guide), outcome.calibration)


def _workspace_line(figures: dict[str, Any], human_labels: int) -> str:
    """Both models on this workspace's own held-out labels, or why there is no such figure."""
    n, every = figures["n"], figures["held_out_every"]
    if "new" not in figures:
        return (
            f"All {human_labels:,} people's labels were trained on: from {figures['from']}, one "
            f"in {every} is held out to measure the models on this workspace's own texts."
        )
    new, active = figures["new"], figures["active"]
    low, high = figures["delta_interval"]
    return (
        f"On this workspace's own labels held out of training ({n}, one in {every}): "
        f"macro-F1 {new['macro_f1']:.4f} (accuracy {new['accuracy']:.4f}) against the active "
        f"model's {active['macro_f1']:.4f} ({active['accuracy']:.4f}); difference 95 % "
        f"interval {low:+.4f} to {high:+.4f}."
    )


def _guide_line(figures: dict[str, Any]) -> str:
    """Both models on the annotation guide's examples, and each one the new model loses."""
    line = (
        f"On the annotation guide's {figures['n']} examples (docs/annotation-guide.md), the new "
        f"model reads {figures['new']} wrong, the active one {figures['active']}"
    )
    lost = figures["lost"]
    if not lost:
        return line + "; the new one reads right every example the active one reads right."
    return (
        line
        + "; read wrong by the new model only: "
        + "; ".join(
            f"{e['rule']} {e['text'][:60]!r} (guide: {e['expected']}, new model: {e['got']})"
            for e in lost
        )
        + "."
    )


def _beside_line(figures: dict[str, Any], what: str) -> str:
    """Both models' accuracy on some of the corpus's later test parts (`what`, an open
    parenthesis: reported beside, not decisive)."""
    parts = []
    for lang, n in figures["n"].items():
        new, active = figures["new"][lang], figures["active"][lang]
        parts.append(f"{lang} ({n}) {new['accuracy']:.2f} against {active['accuracy']:.2f}")
    return (
        f"On the corpus's {what}; reported beside, not part of the rule), accuracy of the new "
        "model against the active one: " + ", ".join(parts) + "."
    )


def register(app: typer.Typer) -> None:
    app.command()(train)
