"""The `calendars` stage: the team's calendars (`events.calendars`) read again, their events
marked on the brands' timelines — new ones added, moved or renamed ones updated, deleted ones
removed — before the alerts and reports that name them."""

from __future__ import annotations

import logging
import os
from collections import Counter

from pipeline.stages import StageContext, StageResult

name = "calendars"
log = logging.getLogger(__name__)


def run(ctx: StageContext) -> StageResult:
    """Each calendar on its own: one that cannot be read (a missing variable, an address that
    does not answer, a file that is not iCalendar) is a failed source, and the others go on."""
    from reports.calendars import REFUSALS, CalendarError, fetch, mark
    from storage.clock import utcnow

    settings = ctx.settings
    now = ctx.now or utcnow()
    result = StageResult()
    totals: Counter[str] = Counter()  # summed over the calendars read (reports.calendars.mark)
    read: list[dict[str, object]] = []  # per calendar, for `veille status` (storage.health)
    for i, calendar in enumerate(settings.events.calendars):
        where = calendar.path or os.environ.get(calendar.url_env or "", "").strip()
        zone = calendar.timezone or settings.zone_of(calendar.brand)
        entry: dict[str, object] = {"calendar": calendar.name, "brand": calendar.brand}
        try:
            if not where:
                raise CalendarError(REFUSALS, "url_env", name=calendar.url_env, i=i)
            counts = mark(ctx.engine, calendar.name, calendar.brand, fetch(where), zone,
                          f"calendar:{calendar.name}", now, ctx.run_id)  # fmt: skip
        except CalendarError as exc:
            log.warning("calendar %s not read: %s", calendar.name, exc)
            result.failed_sources.append(calendar.name)
            result.errors += 1
            read.append({**entry, "status": "failed", "error": str(exc)})
            continue
        read.append({**entry, "status": "ok", **counts})
        totals.update(counts)
    result.counts.update(totals)
    result.counts["calendars"] = read
    result.items = totals["new"] + totals["updated"] + totals["removed"]
    result.errors += totals["set_aside"]
    return result
