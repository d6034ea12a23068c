"""`veille stats`: counts of what is stored."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.context import AppState


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Counts of mentions per source, brand, language and label."""
    state: AppState = ctx.obj
    from storage.queries import stats as compute

    result = compute(state.engine())
    if as_json:
        state.emit_json(result)
        return
    from pipeline.render import stats_tables

    for table in stats_tables(result):
        state.console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(stats)
