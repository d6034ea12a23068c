"""Stage `detect`: evaluate the bad-buzz rule per brand and open, update or close alerts."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "detect"


def run(ctx: StageContext) -> StageResult:
    from reports.alerts.check import detect

    result = detect(ctx.engine, ctx.settings, ctx.now)
    counts = {a: result.count(a) for a in ("opened", "updated", "closed", "cooldown", "quiet")}
    return StageResult(items=len(result.evaluations), counts=counts)
