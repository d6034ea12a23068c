"""The `retention` stage: delete mentions older than `privacy.retention_days`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pipeline.stages import StageContext, StageResult

if TYPE_CHECKING:
    from config.settings import Settings

name = "retention"


def cutoffs(settings: Settings, now: datetime) -> dict[str, datetime]:
    """Per source kind, the publication time before which mentions go."""
    from config.settings import SourceKind

    privacy = settings.privacy
    return {k.value: now - timedelta(days=privacy.retention_for(k.value)) for k in SourceKind}


def run(ctx: StageContext) -> StageResult:
    """Mentions past their source kind's retention go, and authors left with none.

    ctx.options["dry_run"] = True only counts what would go.
    """
    from storage.clock import utcnow
    from storage.retention import apply_retention

    now = ctx.now or utcnow()
    dry_run = bool(ctx.options.get("dry_run", False))
    limits = cutoffs(ctx.settings, now)
    counts = apply_retention(ctx.engine, limits, "retention stage", now, dry_run=dry_run)
    return StageResult(items=int(counts["mentions"]), counts=counts)
