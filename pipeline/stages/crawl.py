"""The crawl stage of a run: every enabled web source, one recorded run per source."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "crawl"


def run(ctx: StageContext) -> StageResult:
    """ctx.options: `sources` (names), `distributed` (through the crawl workers; default
    `workers.crawl`), `workers` (crawl workers started here for it; default `workers.local`),
    `progress` (a callable(pages, pending))."""
    from crawlers.crawling import crawl_sources

    names = ctx.options.get("sources") or None
    now = ctx.now.isoformat() if ctx.now is not None else None
    distributed = ctx.options.get("distributed")
    if distributed is None:
        distributed = ctx.settings.workers.crawl
    outcome = crawl_sources(
        ctx.settings, ctx.engine, names, now=now, parent_run_id=ctx.run_id,
        log_level="DEBUG" if ctx.state.debug else "WARNING", distributed=bool(distributed),
        local=ctx.options.get("workers"), progress=ctx.options.get("progress"),
    )  # fmt: skip
    summary = outcome.summary
    return StageResult(
        items=int(summary["new"]) + int(summary["updated"]),
        errors=int(summary["errors"]),
        counts={k: v for k, v in summary.items() if k != "sources"},
        failed_sources=outcome.failed,
    )
