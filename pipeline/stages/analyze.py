"""The analyze stage: every configured labeler over the mentions it has not labelled yet."""

from __future__ import annotations

from typing import Any

from pipeline.stages import StageContext, StageResult

name = "analyze"


def run(ctx: StageContext) -> StageResult:
    """ctx.options: `relabel` (label again what the current models labelled), `batch_size`,
    `progress` (a callable(task, done, total)), `jobs` (labelling processes of this machine;
    default `nlp.jobs`), `distributed` (through the labelling workers; default
    `workers.analyze`) and `workers` (processes started here for it; default
    `workers.local`)."""
    distributed = ctx.options.get("distributed")
    if distributed is None:
        distributed = ctx.settings.workers.analyze
    options: dict[str, Any] = {
        "relabel": bool(ctx.options.get("relabel", False)),
        "batch_size": ctx.options.get("batch_size"),
        "progress": ctx.options.get("progress"),
    }
    if distributed:
        from nlp.distributed import label_distributed

        counts = label_distributed(
            ctx.engine, ctx.settings, local=ctx.options.get("workers"),
            log_level="DEBUG" if ctx.state.debug else "WARNING", **options,
        )  # fmt: skip
    else:
        from nlp.labelling import label_mentions

        counts = label_mentions(ctx.engine, ctx.settings, jobs=ctx.options.get("jobs"), **options)
    items = sum(n for task, n in counts.items() if task in ctx.settings.nlp.labelers)
    return StageResult(items=items, counts=counts)
