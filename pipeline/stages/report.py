"""The `report` stage: the reports the config asks for (brands × periods × languages × formats)."""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.stages import StageContext, StageResult

name = "report"

log = logging.getLogger(__name__)


def run(ctx: StageContext) -> StageResult:
    from reports.output import write_index, write_reports
    from reports.periods import parse_period
    from storage.clock import utcnow

    settings = ctx.settings
    conf = settings.reports
    folder = Path(conf.output_dir)
    now = ctx.now or utcnow()
    result = StageResult()
    engine = ctx.engine
    should_stop = getattr(ctx, "should_stop", lambda: False)  # set on SIGTERM by the runner
    for brand in (b for b in settings.brands if b.reports):
        for name in conf.periods:
            if should_stop():
                break
            period = parse_period(name, now=now, tz=settings.schedules.timezone)
            try:
                _, written = write_reports(
                    engine,
                    settings,
                    folder,
                    brand.name,
                    period,
                    list(conf.languages),
                    list(conf.formats),
                    now=now,
                    run_id=ctx.run_id,
                )
            except Exception as exc:  # one brand's failure must not stop the others
                log.exception("report for %s (%s) failed", brand.name, name)
                result.errors += 1
                result.counts.setdefault("failed", []).append(
                    f"{brand.name} {name}: {type(exc).__name__}: {exc}"
                )
                continue
            result.items += len(written)
            result.outputs += [str(w.path) for w in written]
    if result.items or folder.exists():
        result.outputs.append(
            str(write_index(engine, folder, conf.languages[0], settings.schedules.timezone))
        )
    result.counts["reports"] = result.items
    return result
