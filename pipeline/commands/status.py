"""`veille status`: last runs, silent sources, pending alerts, database size."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.context import AppState


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Last runs of each job and stage, silent sources, pending alerts, database size."""
    state: AppState = ctx.obj
    from rich.text import Text

    from pipeline.status import collect_status, status_tables

    result = collect_status(state)
    if as_json:
        state.emit_json(result)
        return
    for part in status_tables(result):
        state.console.print(Text(part) if isinstance(part, str) else part)


def register(app: typer.Typer) -> None:
    app.command()(status)
