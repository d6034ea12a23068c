"""Stage `alerts`: send every alert e-mail still owed (failed ones are retried here)."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "alerts"


def run(ctx: StageContext) -> StageResult:
    from reports.alerts.delivery import deliver_pending
    from storage.clock import utcnow

    d = deliver_pending(ctx.engine, ctx.settings, ctx.now or utcnow())
    return StageResult(
        items=d.sent, errors=d.failed, counts={"sent": d.sent, "pending": d.failed},
        outputs=d.outputs,
    )  # fmt: skip
