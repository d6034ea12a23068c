"""`veille run`: run the pipeline once, stage by stage, under the run lock."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError


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
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
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
        from pipeline.render import show_summary

        show_summary(state, summary)
    if notify and summary.status == "failed":
        from pipeline.jobs import failure_message
        from pipeline.notify import notify_quietly

        subject, body = failure_message(summary, names)
        where = notify_quietly(state.settings, subject, body, key=f"run:{summary.run_id}")
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


def register(app: typer.Typer) -> None:
    app.command()(run)
