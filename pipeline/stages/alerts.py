"""Stage `alerts`: send every message still owed (alerts', operators'; failed ones again),
the saved views' new mentions owed first (web/watches.py)."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "alerts"


def run(ctx: StageContext) -> StageResult:
    from reports.alerts.delivery import deliver_pending
    from storage.clock import utcnow
    from web.watches import owe_new_matches

    now = ctx.now or utcnow()
    owe_new_matches(ctx.engine, ctx.settings, now)  # the saved views' new mentions, sent below
    d = deliver_pending(ctx.engine, ctx.settings, now)
    return StageResult(
        items=d.sent, errors=d.failed + d.unconfirmed,
        counts={"sent": d.sent, "pending": d.failed, "unconfirmed": d.unconfirmed},
        outputs=d.outputs,
    )  # fmt: skip
