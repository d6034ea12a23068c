"""`veille export`: mentions with their brands and labels, for analysts' tools."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import UsageError
from pipeline.options import day_start


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, jsonl or parquet.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    brand: Annotated[str | None, typer.Option("--brand", "-b", help="Only this brand.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only mentions published since DATE (YYYY-MM-DD).")
    ] = None,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise",
            help="Authors as stable keyed pseudonyms, @user in texts (key: "
            "VEILLE_PRIVACY__PSEUDONYM_KEY); brands' own accounts and privacy.allow stay.",
        ),
    ] = False,
) -> None:
    """Write mentions with their brands and labels to CSV, JSON lines or Parquet."""
    state: AppState = ctx.obj
    pseudonymiser = None
    if pseudonymise:
        from reports.pseudonym import PseudonymError, Pseudonymiser

        try:
            pseudonymiser = Pseudonymiser.from_settings(state.settings)
        except PseudonymError as exc:
            raise UsageError(str(exc)) from None
    since_dt = day_start(since, "--since")
    if brand is not None:
        try:
            brand = state.settings.brand(brand).name
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    engine = state.engine()
    from reports.export import write_export
    from storage.queries import count_mentions

    with state.progress("Exporting") as progress:
        task = progress.add_task("Exporting", total=count_mentions(engine, brand, since_dt))
        n = write_export(
            engine, fmt.value, out, brand=brand, since=since_dt,
            on_row=lambda: progress.advance(task), pseudonymiser=pseudonymiser,
        )  # fmt: skip
    state.say(f"Wrote {n:,} mentions to {out}.")


def register(app: typer.Typer) -> None:
    app.command()(export)
