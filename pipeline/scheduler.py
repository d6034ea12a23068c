"""`veille schedule`: APScheduler 3.x with the jobs of the config and a job store in the database.

Every job has an explicit id (`nightly`, `incremental`, `weekly-report`, `monthly-report`), is
added with `replace_existing=True`, `max_instances=1`, coalescing and a misfire grace time. The
run lock in the database keeps any two jobs (or two schedulers) from overlapping.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from config.settings import Settings
from pipeline.jobs import STOP, JobSpec, job_specs
from pipeline.shutdown import graceful_signals
from storage.clock import utcnow

log = logging.getLogger("veille.scheduler")

JOBSTORE_TABLE = "apscheduler_jobs"  # created by migration 0008 (storage/models/locks.py)
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class OncePerWallTimeCronTrigger(CronTrigger):  # type: ignore[misc]
    """A cron trigger that fires once when the autumn clock change repeats its wall time.

    On the night summer time ends, 02:00-02:59 happens twice in Europe/Paris: a plain
    CronTrigger fires `0 2 * * *` at both, running the nightly job (and its reports and
    e-mails) twice. This one skips the second occurrence.
    """

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> Any:
        fire = super().get_next_fire_time(previous_fire_time, now)
        while fire is not None and _repeated_wall_time(fire):
            fire = super().get_next_fire_time(fire, fire)
        return fire


def _repeated_wall_time(moment: datetime) -> bool:
    return bool(moment.fold) and moment.replace(fold=0).utcoffset() != moment.utcoffset()


def cron_trigger(expr: str, timezone: ZoneInfo, once_per_wall_time: bool = False) -> CronTrigger:
    """A CronTrigger from a crontab line, weekdays as crontab means them (0 or 7 = Sunday).

    APScheduler 3's own `from_crontab` counts weekdays from Monday = 0, so `0 6 * * 1` would
    fire on Tuesdays; the weekday field is translated to day names first.
    """
    minute, hour, day, month, weekday = expr.split()
    cls = OncePerWallTimeCronTrigger if once_per_wall_time else CronTrigger
    return cls(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_weekdays(weekday),
        timezone=timezone,
    )


def crontab_weekdays(field: str) -> str:
    """Translate a crontab weekday field (`1-5`, `*/2`, `0,6`, `mon`) to APScheduler's names."""
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            lo, hi = 0, 6
        elif "-" in base:
            a, b = base.split("-", 1)
            lo, hi = _day_number(a), _day_number(b)
            if hi == 0 and b.strip() == "7":
                hi = 7
        else:
            lo = hi = _day_number(base)
            if step_text:
                hi = 6
        if hi < lo:
            raise ValueError(f"weekday range {base!r} runs backwards")
        days.update(d % 7 for d in range(lo, hi + 1, step))
    return ",".join(_DAYS[d] for d in sorted(days, key=lambda d: (d + 6) % 7))


def _day_number(text: str) -> int:
    text = text.strip()
    if text.isdigit():
        number = int(text)
        if not 0 <= number <= 7:
            raise ValueError(f"weekday {number} is outside 0-7")
        return number % 7
    if text[:3] in _DAYS:
        return _DAYS.index(text[:3])
    raise ValueError(f"{text!r} is not a weekday")


@dataclass
class PlannedJob:
    id: str
    description: str
    cron: str | None
    stages: tuple[str, ...]
    next_run: datetime | None
    missed: bool  # the stored next run time is already past: it runs (once) on start


def build_scheduler(
    settings: Settings,
    engine: Any,
    config_path: str | None,
    scheduler_cls: type[BaseScheduler] = BlockingScheduler,
    executor: Any = None,
) -> BaseScheduler:
    """A scheduler (not started) holding exactly the configured jobs."""
    tz = ZoneInfo(settings.schedules.timezone)
    scheduler = scheduler_cls(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
        executors={"default": executor or ThreadPoolExecutor(max_workers=2)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.schedules.misfire_grace_seconds,
        },
        timezone=tz,
    )
    sync_jobs(scheduler, settings, config_path)
    return scheduler


def sync_jobs(scheduler: BaseScheduler, settings: Settings, config_path: str | None) -> None:
    """Put the configured jobs in the scheduler; drop stored jobs the config no longer has.

    A stored job whose trigger is unchanged keeps its stored next run time, so a run missed
    while the scheduler was stopped is caught up once on start (within the grace time).
    """
    store = scheduler._lookup_jobstore("default")
    store.start(scheduler, "default")  # bind it early to read it; start() binds it again
    stored = {job.id: job for job in store.get_all_jobs()}
    tz = ZoneInfo(settings.schedules.timezone)
    wanted: set[str] = set()
    for job in job_specs(settings):
        if job.cron is None:
            continue
        wanted.add(job.id)
        trigger = cron_trigger(job.cron, tz, once_per_wall_time=not job.repeats_in_dst_fold)
        kwargs: dict[str, Any] = {}
        old = stored.get(job.id)
        if old is not None and repr(old.trigger) == repr(trigger) and old.next_run_time:
            kwargs["next_run_time"] = old.next_run_time
        scheduler.add_job(
            job.func,
            trigger=trigger,
            args=[config_path],
            id=job.id,
            name=f"{job.id}: {job.description}",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=settings.schedules.misfire_grace_seconds,
            **kwargs,
        )
    for job_id in set(stored) - wanted:
        store.remove_job(job_id)
        log.info("job %s removed from the job store: no longer in the config", job_id)


def planned_jobs(settings: Settings, engine: Any, now: datetime | None = None) -> list[PlannedJob]:
    """The configured jobs and their next run times, read without changing the job store."""
    tz = ZoneInfo(settings.schedules.timezone)
    now = (now or utcnow()).astimezone(tz)
    reader = BackgroundScheduler(timezone=tz)
    store = SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)
    store.start(reader, "default")
    stored = {job.id: job for job in store.get_all_jobs()}
    out: list[PlannedJob] = []
    for job in job_specs(settings):
        out.append(_planned(job, stored.get(job.id), tz, now))
    return out


def _planned(job: JobSpec, old: Any, tz: ZoneInfo, now: datetime) -> PlannedJob:
    if job.cron is None:
        return PlannedJob(job.id, job.description, None, job.stages, None, False)
    trigger = cron_trigger(job.cron, tz, once_per_wall_time=not job.repeats_in_dst_fold)
    next_run = trigger.get_next_fire_time(None, now)
    missed = False
    if old is not None and repr(old.trigger) == repr(trigger) and old.next_run_time:
        next_run = old.next_run_time.astimezone(tz)
        missed = next_run < now
    return PlannedJob(job.id, job.description, job.cron, job.stages, next_run, missed)


def serve(settings: Settings, engine: Any, config_path: str | None) -> None:
    """Run the scheduler until SIGTERM/SIGINT; the running job ends at a batch boundary."""
    scheduler = build_scheduler(settings, engine, config_path)
    STOP.clear()
    STOP.reason = None

    def started(_event: Any) -> None:
        for job in scheduler.get_jobs():
            log.info("job %s: next run %s", job.id, job.next_run_time)
        log.info("scheduler started; SIGTERM or Ctrl-C stops it")

    def shut_down() -> None:
        # The signal may come while start() is still setting up: retry until it runs.
        for _ in range(600):
            try:
                scheduler.shutdown(wait=True)  # returns once the running job has returned
                return
            except SchedulerNotRunningError:
                time.sleep(0.1)

    def stop_scheduler(signal_name: str) -> None:
        log.info("%s: stopping the scheduler once the running job has finished", signal_name)
        # shutdown(wait=True) blocks until the job returns: not in the signal handler.
        threading.Thread(target=shut_down, name="scheduler-shutdown").start()

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    with graceful_signals(STOP, on_first=stop_scheduler, force=False):
        scheduler.start()  # blocks until shut down
    log.info("scheduler stopped")
