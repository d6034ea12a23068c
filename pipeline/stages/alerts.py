"""Stage `alerts`: send every message still owed (alerts', operators'; failed ones again),
the morning reminders and the saved views' new mentions owed first (reports/alerts/)."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "alerts"


def run(ctx: StageContext) -> StageResult:
    from reports.alerts.delivery import deliver_pending
    from storage.clock import utcnow

    now = ctx.now or utcnow()
    d = deliver_pending(ctx.engine, ctx.settings, now)
    return StageResult(
        items=d.sent, errors=d.failed + d.unconfirmed,
        counts={"sent": d.sent, "pending": d.failed, "unconfirmed": d.unconfirmed},
        outputs=d.outputs,
    )  # fmt: skip
