"""The `import` stage of a run: every new file in the export sources' inbox folders."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "import"


def run(ctx: StageContext) -> StageResult:
    from crawlers.importing import by_source, failed_sources, import_targets, inbox_targets
    from crawlers.process import merge

    only = ctx.options.get("sources")
    targets = inbox_targets(ctx.settings, list(only) if only else None)
    files = import_targets(ctx.settings, ctx.engine, targets, ctx.run_id)
    summary = merge(files)
    return StageResult(
        items=int(summary["seen"]),
        errors=int(summary["errors"]),
        counts={
            **{k: v for k, v in summary.items() if k != "sources"},
            "sources": by_source(files),
        },
        failed_sources=failed_sources(files),
    )
