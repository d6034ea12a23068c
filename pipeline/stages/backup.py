"""The `backup` stage: the whole database into `backup.folder`, one file a day (a SQLite
file, or a PostgreSQL workspace's pg_dump archive: `backup.format`)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.stages import StageContext, StageResult

name = "backup"


def run(ctx: StageContext) -> StageResult:
    """Nothing when `backup.folder` is unset; else `veille-DAY.db` or `.dump` (the run's day
    in schedules.timezone), and the backups past `backup.keep` deleted."""
    from storage.backups import back_up
    from storage.clock import utcnow

    settings = ctx.settings.backup
    if settings.folder is None:
        return StageResult(counts={"off": "backup.folder is not set"})
    now = ctx.now or utcnow()
    day = now.astimezone(ZoneInfo(ctx.settings.schedules.timezone)).date()
    done = back_up(ctx.engine, Path(settings.folder), day, settings.keep, settings.format)
    size = {"rows": done.rows} if done.rows is not None else {"bytes": done.path.stat().st_size}
    return StageResult(
        items=done.rows or 0,
        counts={**size, "removed": [p.name for p in done.removed]},
        outputs=[str(done.path)],
    )
