"""The analyze stage: every configured labeler over the mentions it has not labelled yet."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "analyze"


def run(ctx: StageContext) -> StageResult:
    """ctx.options: `relabel` (label again what the current models labelled), `batch_size`,
    `progress` (a callable(task, done, total))."""
    from nlp.labelling import label_mentions

    counts = label_mentions(
        ctx.engine,
        ctx.settings,
        relabel=bool(ctx.options.get("relabel", False)),
        batch_size=ctx.options.get("batch_size"),
        progress=ctx.options.get("progress"),
    )
    items = sum(n for task, n in counts.items() if task != "disabled")
    return StageResult(items=items, counts=counts)
