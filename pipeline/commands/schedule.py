"""`veille schedule`: run the configured jobs on schedule (or list them)."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError


def schedule(
    ctx: typer.Context,
    list_jobs: Annotated[
        bool, typer.Option("--list", help="Print the jobs and their next run times, then exit.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Run the configured jobs on schedule until SIGTERM or Ctrl-C (or list them)."""
    state: AppState = ctx.obj
    from pipeline.scheduler import planned_jobs, serve

    settings = state.settings
    engine = state.engine()
    if list_jobs:
        jobs = planned_jobs(settings, engine)
        if as_json:
            state.emit_json(
                {
                    "timezone": settings.schedules.timezone,
                    "jobs": [
                        {
                            "id": j.id,
                            "description": j.description,
                            "cron": j.cron,
                            "stages": list(j.stages),
                            "next_run": j.next_run.isoformat() if j.next_run else None,
                            "missed": j.missed,
                        }
                        for j in jobs
                    ],
                }
            )
            return
        from rich.table import Table

        table = Table(title=f"Jobs (times in {settings.schedules.timezone})", title_justify="left")
        for col in ("job", "when (crontab)", "next run", "stages"):
            table.add_column(col)
        for j in jobs:
            when = "off" if j.next_run is None else f"{j.next_run:%a %Y-%m-%d %H:%M}"
            if j.missed:
                when += " (missed: runs once on start)"
            table.add_row(j.id, j.cron or "off", when, ", ".join(j.stages))
        state.console.print(table)
        return
    if as_json:
        raise CommandError("--json goes with --list; the scheduler itself logs to stderr.")
    from config.loading import DEFAULT_CONFIG

    path = state.config_path or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
    # Jobs are stored with the config's absolute path: they run whatever the folder.
    serve(settings, engine, str(path.resolve()) if path else None)


def register(app: typer.Typer) -> None:
    app.command()(schedule)
