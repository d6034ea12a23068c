"""The `answers` stage: mentions the brand answered in their source leave the inbox's open ones
(marked `answered`), and so do the brand's own posts (`closed`); see storage/answers.py."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "answers"


def run(ctx: StageContext) -> StageResult:
    from storage.answers import mark_answers
    from storage.clock import utcnow
    from storage.reporting import own_account_ids

    with ctx.engine.begin() as conn:
        own = {b.name: own_account_ids(conn, b.own_accounts) for b in ctx.settings.brands}
        counts = mark_answers(conn, own, ctx.now or utcnow())
    return StageResult(items=counts["answered"] + counts["own_posts_closed"], counts=counts)
