"""The `report` stage: the reports the config asks for (brands × periods × languages × formats)."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "report"


def run(ctx: StageContext) -> StageResult:
    from reports.output import write_configured_reports

    done = write_configured_reports(
        ctx.engine, ctx.settings, ctx.now, ctx.run_id, should_stop=ctx.should_stop
    )
    result = StageResult(items=len(done.written), errors=len(done.failed))
    result.outputs = [str(p) for p in done.written]
    if done.index is not None:
        result.outputs.append(str(done.index))
    if done.failed:
        result.counts["failed"] = done.failed
    result.counts["reports"] = result.items
    return result
