"""The `authors` stage: recompute contributor profiles, influence and suspicion flags."""

from __future__ import annotations

from pipeline.stages import StageContext, StageResult

name = "authors"


def run(ctx: StageContext) -> StageResult:
    """Profiles of authors with new mentions or labels (or expired posts) since the last run.

    ctx.options["full"] = True recomputes and rewrites every profile of the window.
    """
    from nlp.authors.compute import recompute
    from nlp.label_pool import jobs_of

    counts = recompute(
        ctx.engine,
        ctx.settings.nlp.authors,
        ctx.now,
        full=bool(ctx.options.get("full", False)),
        jobs=jobs_of(ctx.settings),
    )
    return StageResult(items=int(counts["profiles_written"]), counts=counts)
