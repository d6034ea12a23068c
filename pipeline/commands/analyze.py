"""`veille analyze`: label the stored mentions (language, sentiment, topic) not labelled yet."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pipeline.context import AppState


def analyze(
    ctx: typer.Context,
    relabel: Annotated[
        bool, typer.Option("--relabel", help="Label again what the current models labelled.")
    ] = False,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", min=1, help="Mentions per batch.")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=0,
            help="Processes of this machine labelling each batch, a slice each; 0: one per "
            "core. Default: nlp.jobs.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Counts as one JSON object.")] = False,
    distributed: Annotated[
        bool | None,
        typer.Option(
            "--distributed/--no-distributed",
            help="Hand batches to labelling workers (`veille worker analyze`, any machine; "
            "PostgreSQL only), or label in this process. Default: workers.analyze.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="With --distributed: labelling processes to start on this "
            "machine for the run (default: workers.local).",
        ),
    ] = None,
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

        options = {
            "relabel": relabel, "batch_size": batch_size, "progress": progress,
            "distributed": distributed, "workers": workers, "jobs": jobs,
        }  # fmt: skip
        result = run(StageContext(state=state, options=options))
    if as_json:
        state.emit_json({"labelled": result.items, **result.counts})
        return
    for task, n in result.counts.items():
        if task == "disabled":
            for name, why in n.items():
                state.say(f"Labeler {name} is disabled: {why}")
        elif task in state.settings.nlp.labelers:
            state.say(f"{task}: labelled {n:,} mentions.")
    if "batches" in result.counts:
        by = ", ".join(f"{w} {n:,}" for w, n in sorted(result.counts["workers"].items()))
        state.say(
            f"{result.counts['batches']:,} batches labelled by {len(result.counts['workers'])} "
            f"worker(s){': ' + by if by else ''}"
            + (
                f"; {result.counts['redelivered']:,} batch(es) taken over from a worker that died"
                if result.counts["redelivered"]
                else ""
            )
            + "."
        )


def register(app: typer.Typer) -> None:
    app.command()(analyze)
