"""`veille classify`: label lines of text without a database."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError, UsageError
from storage.vocab import MENTION_TASKS

# The tasks of storage.vocab, read from there (the labelers registry would cost an import of
# every labeler to build `veille --help`).
Task = StrEnum("Task", {task: task for task in MENTION_TASKS})  # type: ignore[misc]
TASKS_HELP = f"{', '.join(MENTION_TASKS[:-1])} or {MENTION_TASKS[-1]}."


def classify(
    ctx: typer.Context,
    task: Annotated[Task, typer.Argument(help=TASKS_HELP)],
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
    app.command()(classify)
