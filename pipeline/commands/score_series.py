"""`veille score-series`: add an anomaly score to a timestamp,value CSV (the detector alone)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError, UsageError
from reports.detect import DEFAULT, DETECTORS

# `--detector` choices: every registered detector (reports.detect.DETECTORS).
Detector = StrEnum("Detector", {name: name for name in DETECTORS})  # type: ignore[misc]


def score_series(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with timestamp,value columns.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="CSV to write (default: stdout).")
    ] = None,
    detector: Annotated[
        Detector, typer.Option("--detector", help="The anomaly detector that scores.")
    ] = Detector(DEFAULT),
) -> None:
    """Add an anomaly_score column (0–1) to a timestamp,value CSV, scoring each row from the
    rows before it only."""
    state: AppState = ctx.obj
    from reports.detect.csvio import CsvInputError, detect_csv

    try:
        if out is None:
            detect_csv(file, sys.stdout, name=detector.value)
            return
        tmp = out.with_name(out.name + ".part")
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            n = detect_csv(file, handle, name=detector.value)
        tmp.replace(out)
    except CsvInputError as exc:
        if out is not None:
            out.with_name(out.name + ".part").unlink(missing_ok=True)
        raise CommandError(str(exc)) from None
    state.say(f"Scored {n:,} rows of {file} into {out}.")


def register(app: typer.Typer) -> None:
    app.command("score-series")(score_series)
    # The old name, hidden: it says what the command is called now (the `detect` stage of a
    # run, which opens alerts, is another thing).
    app.command(
        "detect",
        hidden=True,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(_renamed)


def _renamed() -> None:
    """Renamed: `veille score-series`."""
    raise UsageError(
        "`veille detect` is now `veille score-series` (it scores a timestamp,value CSV); "
        "the `detect` stage of `veille run` is unchanged"
    )
