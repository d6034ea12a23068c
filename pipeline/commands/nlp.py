"""`veille analyze`, `veille label` and `veille classify`: labelling by models and people."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError, UsageError


class Task(StrEnum):
    sentiment = "sentiment"
    topic = "topic"
    language = "language"


def analyze(
    ctx: typer.Context,
    relabel: Annotated[
        bool, typer.Option("--relabel", help="Label again what the current models labelled.")
    ] = False,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", min=1, help="Mentions per batch.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Counts as one JSON object.")] = False,
) -> None:
    """Label language, sentiment and topic of every mention not labelled yet."""
    state: AppState = ctx.obj
    from pipeline.stages import StageContext
    from pipeline.stages.analyze import run

    state.engine()  # fail early on a database not at this schema version
    with state.progress("Labelling") as bar:
        bars: dict[str, Any] = {}

        def progress(task: str, done: int, total: int) -> None:
            if task not in bars:
                bars[task] = bar.add_task(task, total=total)
            bar.update(bars[task], completed=done)

        options = {"relabel": relabel, "batch_size": batch_size, "progress": progress}
        result = run(StageContext(state=state, options=options))
    if as_json:
        state.emit_json({"labelled": result.items, **result.counts})
        return
    for task, n in result.counts.items():
        if task == "disabled":
            for name, why in n.items():
                state.say(f"Labeler {name} is disabled: {why}")
        else:
            state.say(f"{task}: labelled {n:,} mentions.")


def label(
    ctx: typer.Context,
    mention_id: Annotated[int | None, typer.Argument(help="The mention to label.")] = None,
    assignments: Annotated[
        list[str] | None, typer.Argument(help="TASK=VALUE pairs, e.g. sentiment=negative.")
    ] = None,
    import_file: Annotated[
        Path | None, typer.Option("--import", help="CSV of mention_id,task,value to record.")
    ] = None,
    export_file: Annotated[
        Path | None, typer.Option("--export", help="Write every human label to this CSV.")
    ] = None,
) -> None:
    """Record a person's labels (they win over models and are never overwritten)."""
    state: AppState = ctx.obj
    from nlp import human_labels as labelling

    chosen = sum(x is not None for x in (mention_id, import_file, export_file))
    if chosen != 1:
        raise UsageError("give either MENTION_ID TASK=VALUE…, or --import FILE, or --export FILE")
    pairs: list[tuple[str, str]] = []
    if mention_id is not None:
        if not assignments:
            raise UsageError("say what to record, e.g. `veille label 42 sentiment=negative`")
        try:
            pairs = [labelling.parse_assignment(a) for a in assignments]
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    engine = state.engine()
    if export_file is not None:
        n = labelling.export_human(engine, export_file)
        state.say(f"Wrote {n:,} human labels to {export_file}.")
        return
    if import_file is not None:
        try:
            report = labelling.import_human(engine, import_file)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        state.say(f"Recorded {report.saved:,} labels from {str(import_file)!r}.")
        from rich.markup import escape

        for problem in report.problems[:20]:
            state.say(f"  {escape(problem)}")
        if report.problems:
            more = len(report.problems) - 20
            state.say(
                (f"  … and {more:,} more. " if more > 0 else "  ")
                + f"{len(report.problems):,} bad lines were kept aside (`rejected` table, "
                "stage label); fix them and import them again."
            )
        return
    assert mention_id is not None
    try:
        labelling.record(engine, mention_id, pairs)
    except LookupError as exc:
        raise CommandError(str(exc)) from None
    state.say(f"Mention {mention_id}: " + ", ".join(f"{t}={v}" for t, v in pairs) + ".")


def classify(
    ctx: typer.Context,
    task: Annotated[Task, typer.Argument(help="sentiment, topic or language.")],
    file: Annotated[
        Path | None, typer.Argument(help="Texts, one per line (standard input when absent).")
    ] = None,
    scores: Annotated[
        bool, typer.Option("--scores", help="One JSON object per line with every score.")
    ] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 1000,
) -> None:
    """Label texts without a database: one label (or JSON object) per input line."""
    state: AppState = ctx.obj
    from nlp.labelling import classify_lines

    if file is not None and not file.is_file():
        raise UsageError(f"{file} is not a readable file")
    stream = file.open("rb") if file is not None else sys.stdin.buffer
    try:
        for line in classify_lines(state.settings, task.value, stream, scores, batch_size):
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    finally:
        if file is not None:
            stream.close()


def register(app: typer.Typer) -> None:
    app.command()(analyze)
    app.command()(label)
    app.command()(classify)
