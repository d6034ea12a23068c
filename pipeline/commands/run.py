"""`veille run`, `veille schedule` and `veille status`: run the pipeline, on a schedule, watched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError

if TYPE_CHECKING:
    from pipeline.stage_runner import RunSummary

JSON_OPTION = typer.Option("--json", help="One JSON object for scripts.")


def run(
    ctx: typer.Context,
    stages: Annotated[
        str | None,
        typer.Option(
            "--stages",
            "-s",
            help="Comma-separated stages, run in this order (default: schedules.stages).",
        ),
    ] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
    notify: Annotated[
        bool, typer.Option("--notify", help="E-mail alerts.operators when the run fails.")
    ] = False,
    wait: Annotated[
        int,
        typer.Option("--wait", min=0, help="Seconds to wait for a run in progress to finish."),
    ] = 0,
) -> None:
    """Run the pipeline once, stage by stage; exit code 1 when anything failed."""
    state: AppState = ctx.obj
    from pipeline.shutdown import graceful_signals
    from pipeline.stage_runner import StopFlag, resolve_stages, run_pipeline

    names = resolve_stages(stages.split(",") if stages else state.settings.schedules.stages)
    stop = StopFlag()
    with graceful_signals(stop):
        summary = run_pipeline(state, names, job="run", stop=stop, lock_wait=wait)
    if as_json:
        state.emit_json(summary.as_dict())
    else:
        show_summary(state, summary)
    if notify and summary.status == "failed":
        from pipeline.jobs import failure_message
        from pipeline.notify import notify_quietly

        subject, body = failure_message(summary, names)
        where = notify_quietly(state.settings, subject, body)
        if where:
            state.say(f"Operators told: {where}")
    if summary.status == "interrupted":
        raise CommandError(
            f"Run {summary.run_id} stopped by {summary.stopped_by or 'a signal'}; what it "
            "committed is kept and the rows are marked interrupted. Run it again to finish."
        )
    if summary.status != "ok":
        raise CommandError(
            f"Run {summary.run_id} finished with failures: {'; '.join(summary.failures())}. "
            "`veille status` shows the history; re-run a stage with `veille run --stages NAME`."
        )


def show_summary(state: AppState, summary: RunSummary) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Run {summary.run_id} ({summary.job})", title_justify="left")
    for col in ("stage", "status", "took", "items", "errors", "note"):
        table.add_column(col, justify="right" if col in ("took", "items", "errors") else "left")
    styles = {"ok": "green", "failed": "red", "interrupted": "yellow", "skipped": "dim"}
    for s in summary.stages:
        ran = s.status not in ("skipped", "not_run")
        table.add_row(
            s.name,
            Text(s.status.replace("_", " "), style=styles.get(s.status, "")),
            f"{s.seconds:.1f} s" if ran else "—",
            f"{s.items:,}" if ran else "—",
            f"{s.errors:,}" if ran else "—",
            Text((s.error or "")[:160]),  # error texts may quote collected text: no markup
        )
    state.console.print(table)
    for path in summary.outputs:
        state.console.print(Text(f"Wrote {path}"))
    items = sum(s.items for s in summary.stages)
    errors = sum(s.errors for s in summary.stages)
    state.say(
        f"Run {summary.run_id} {summary.status} in {summary.seconds:.1f} s: {items:,} items, "
        f"{errors:,} errors."
    )


def schedule(
    ctx: typer.Context,
    list_jobs: Annotated[
        bool, typer.Option("--list", help="Print the jobs and their next run times, then exit.")
    ] = False,
    as_json: Annotated[bool, JSON_OPTION] = False,
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


def status(ctx: typer.Context, as_json: Annotated[bool, JSON_OPTION] = False) -> None:
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
    app.command()(run)
    app.command()(schedule)
    app.command()(status)
