"""The `handoff` stage: the mentions `handoff.rules` pick are owed to their targets (a helpdesk,
a CRM); the `alerts` stage, or `veille alerts check`, delivers them (reports/alerts/handoff.py)."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "handoff"


def run(ctx: StageContext) -> StageResult:
    from reports.alerts.handoff import apply_rules
    from storage.clock import utcnow

    if not ctx.settings.handoff.rules:
        return StageResult(counts={"matched": 0, "owed": 0})
    counts = apply_rules(ctx.engine, ctx.settings, ctx.now or utcnow())
    return StageResult(items=counts["owed"], counts=counts)
