"""The `report` stage: the reports the config asks for (brands × periods × languages × formats)."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "report"


def run(ctx: StageContext) -> StageResult:
    from reports.output import write_configured_reports

    # A job may name its own periods (the weekly and monthly report jobs: `last-7-days`,
    # `last-30-days`); otherwise the config's reports.periods.
    periods = ctx.options.get("periods")
    done = write_configured_reports(
        ctx.engine,
        ctx.settings,
        ctx.now,
        ctx.run_id,
        should_stop=ctx.should_stop,
        periods=list(periods) if periods else None,
    )
    result = StageResult(items=len(done.written), errors=len(done.failed))
    result.outputs = [str(p) for p in done.written]
    if done.index is not None:
        result.outputs.append(str(done.index))
    if done.failed:
        result.counts["failed"] = done.failed
    result.counts["reports"] = result.items
    if done.mail is not None:  # sent to reports.recipients and .routes; what failed stays owed
        result.outputs += done.mail.outputs
        result.counts["sent"] = done.mail.sent
        if done.mail.errors:
            result.counts["send_errors"] = done.mail.errors
    return result
