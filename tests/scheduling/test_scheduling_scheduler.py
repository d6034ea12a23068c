"""The scheduler on a controlled clock: right jobs at the right times, no overlap, one catch-up."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import apscheduler.executors.base
import apscheduler.schedulers.base
import pytest
import scheduling_test_stages as test_stages
from apscheduler.events import (
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import BaseScheduler
from scheduling_support import url_of, write_config
from sqlalchemy import Engine, select

from config.loading import load_settings
from pipeline.scheduler import build_scheduler, cron_trigger, crontab_weekdays, planned_jobs
from storage.models import Run

PARIS = ZoneInfo("Europe/Paris")


class ManualScheduler(BaseScheduler):  # type: ignore[misc]
    """A scheduler whose loop the test drives: each tick() is one wake-up of the real loop."""

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def tick(self) -> None:
        self._process_jobs()


class Clock:
    now = datetime(2026, 11, 30, 1, 40, tzinfo=PARIS)


class FakeDatetime(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        return Clock.now.astimezone(tz) if tz else Clock.now.replace(tzinfo=None)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Clock]]:
    # The scheduler's loop and the executor's misfire check both read this clock.
    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", FakeDatetime)
    monkeypatch.setattr(apscheduler.executors.base, "datetime", FakeDatetime)
    yield Clock


class Recorder:
    def __init__(self) -> None:
        self.submitted: list[tuple[str, list[datetime]]] = []
        self.executed: list[tuple[str, Any]] = []
        self.max_instances: list[str] = []
        self.missed: list[str] = []
        self.done = threading.Condition()

    def __call__(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_SUBMITTED:
            self.submitted.append(
                (event.job_id, [t.astimezone(PARIS) for t in event.scheduled_run_times])
            )
        elif event.code == EVENT_JOB_EXECUTED:
            with self.done:
                self.executed.append((event.job_id, event.retval))
                self.done.notify_all()
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            self.max_instances.append(event.job_id)
        elif event.code == EVENT_JOB_MISSED:
            self.missed.append(event.job_id)

    def wait_executed(self, n: int, timeout: float = 20) -> None:
        with self.done:
            assert self.done.wait_for(lambda: len(self.executed) >= n, timeout), self.executed


def _scheduler(config: Path, executor: Any) -> tuple[ManualScheduler, Recorder]:
    settings = load_settings(config)
    from storage.engine import make_engine

    engine = make_engine(settings.database.url)
    scheduler = build_scheduler(
        settings, engine, str(config), scheduler_cls=ManualScheduler, executor=executor
    )
    recorder = Recorder()
    scheduler.add_listener(
        recorder,
        EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED,
    )
    return scheduler, recorder


def _parents(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(Run).where(Run.parent_id.is_(None)).order_by(Run.id)).all())


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return (
        datetime(2026, 11, day, hour, minute, tzinfo=PARIS)
        if day <= 30
        else datetime(2026, 12, day - 30, hour, minute, tzinfo=PARIS)
    )


def test_crontab_weekdays_mean_what_crontab_means() -> None:
    assert crontab_weekdays("1") == "mon"
    assert crontab_weekdays("0") == crontab_weekdays("7") == "sun"
    assert crontab_weekdays("1-5") == "mon,tue,wed,thu,fri"
    assert crontab_weekdays("*/2") == "tue,thu,sat,sun"
    assert crontab_weekdays("5-7") == "fri,sat,sun"
    assert crontab_weekdays("sat,0") == "sat,sun"
    monday = cron_trigger("0 6 * * 1", PARIS).get_next_fire_time(None, at(25, 12))
    assert monday == at(30, 6) and monday.strftime("%A") == "Monday"


def test_the_default_jobs_fire_at_their_times_for_a_week(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, f"sqlite:///{tmp_path / 'v.db'}"))
    from pipeline.jobs import job_specs

    start, end = at(29, 0), at(36, 0)  # Sunday 29 November to Sunday 6 December
    fires: dict[str, list[datetime]] = {}
    for job in job_specs(settings):
        assert job.cron is not None
        trigger = cron_trigger(job.cron, PARIS, once_per_wall_time=not job.repeats_in_dst_fold)
        previous, now, times = None, start, []
        while (fire := trigger.get_next_fire_time(previous, now)) < end:
            times.append(fire)
            previous = now = fire
        fires[job.id] = times
    assert fires["nightly"] == [at(d, 2) for d in range(29, 36)]  # 02:00 Paris, every day
    assert fires["weekly-report"] == [at(30, 6)]  # Monday 06:00
    assert fires["monthly-report"] == [at(31, 6)]  # 1 December 06:00
    assert len(fires["incremental"]) == 7 * 24 * 4 and fires["incremental"][1] == at(29, 0, 15)


def test_the_nightly_job_runs_once_when_the_clock_goes_back(tmp_path: Path) -> None:
    nightly = cron_trigger("0 2 * * *", PARIS, once_per_wall_time=True)
    plain = cron_trigger("0 2 * * *", PARIS)
    night = datetime(2027, 10, 30, 12, tzinfo=PARIS)

    def fires(trigger: Any) -> list[datetime]:
        out, previous, now = [], None, night
        for _ in range(3):
            previous = now = trigger.get_next_fire_time(previous, now)
            out.append(now)
        return out

    assert len({f.date() for f in fires(plain)}) == 2  # 02:00 summer time and 02:00 winter time
    assert [f.date().day for f in fires(nightly)] == [31, 1, 2]  # once a night


def test_scheduled_jobs_run_the_pipeline_at_the_right_times(
    clock: type[Clock], engine: Engine, tmp_path: Path, register: Callable[..., None]
) -> None:
    register(crawl="ok_stage", report="report_stage")
    config = write_config(
        tmp_path, url_of(engine),
        schedules={"stages": ["crawl", "report"], "incremental_stages": ["crawl"]},
    )  # fmt: skip
    scheduler, events = _scheduler(config, DebugExecutor())
    clock.now = at(30, 1, 40)  # Monday 30 November, 01:40 Paris
    scheduler.start()
    while clock.now <= at(30, 2, 20):
        scheduler.tick()
        clock.now += timedelta(minutes=5)
    clock.now = at(30, 6, 0)
    scheduler.tick()
    scheduler.shutdown()

    assert sorted(events.submitted, key=lambda e: (e[1], e[0])) == [
        ("incremental", [at(30, 1, 45)]),
        ("incremental", [at(30, 2, 0)]),
        ("nightly", [at(30, 2, 0)]),
        ("incremental", [at(30, 2, 15)]),
        # 06:00: the incremental runs missed since 02:30 coalesce into one (the latest).
        ("incremental", [at(30, 6, 0)]),
        ("weekly-report", [at(30, 6, 0)]),
    ]
    assert [job for job, _ in events.executed] == [job for job, _ in events.submitted]
    assert {status for _, status in events.executed} == {"ok"}
    runs = _parents(engine)
    assert [r.job for r in runs] == [job for job, _ in events.submitted]  # one run per firing
    weekly = [c for c in test_stages.CALLS if "report" in c and c["options"].get("periods")]
    assert weekly[-1]["options"] == {"periods": ["last-7-days"]}


def test_jobs_never_overlap(
    clock: type[Clock], engine: Engine, tmp_path: Path, register: Callable[..., None]
) -> None:
    register(crawl="blocking_stage", **{"import": "ok_stage"})
    config = write_config(
        tmp_path, url_of(engine),
        schedules={"stages": ["crawl"], "incremental_stages": ["import"],
                   "lock_wait_seconds": 1, "alerts_check": "5-59/15 * * * *"},
    )  # fmt: skip
    scheduler, events = _scheduler(config, ThreadPoolExecutor(max_workers=3))
    clock.now = at(30, 1, 59)
    scheduler.start()
    clock.now = at(30, 2, 0)
    scheduler.tick()  # the nightly job starts and blocks
    assert test_stages.STARTED.wait(10)
    clock.now = at(30, 2, 5)
    scheduler.tick()  # the incremental job: the run lock is held, it skips its turn
    events.wait_executed(1)
    clock.now = at(31, 2, 0)
    scheduler.tick()  # the next night: the nightly job still runs, max_instances=1 refuses it
    assert events.max_instances == ["nightly"]
    events.wait_executed(2)  # and the incremental turn due (01:50) skips again
    test_stages.RELEASE.set()
    events.wait_executed(3)
    scheduler.shutdown(wait=True)

    assert events.executed == [
        ("incremental", "skipped"),
        ("incremental", "skipped"),
        ("nightly", "ok"),
    ]
    runs = _parents(engine)
    assert [r.job for r in runs] == ["nightly"]  # the skipped turn wrote no run
    spans = [(r.started_at, r.ended_at) for r in runs]
    for i, (a_start, a_end) in enumerate(spans):
        for b_start, b_end in spans[i + 1 :]:
            assert a_end <= b_start or b_end <= a_start


def test_a_missed_run_is_caught_up_once_after_a_restart(
    clock: type[Clock], engine: Engine, tmp_path: Path, register: Callable[..., None]
) -> None:
    register(crawl="ok_stage", report="report_stage")
    config = write_config(
        tmp_path, url_of(engine),
        schedules={"stages": ["crawl"], "incremental_stages": ["crawl"]},
    )  # fmt: skip
    first, _ = _scheduler(config, DebugExecutor())
    clock.now = at(30, 1, 0)
    first.start()
    first.tick()
    first.shutdown()  # the machine stops at 01:00 and comes back at 02:40

    clock.now = at(30, 2, 40)
    settings = load_settings(config)
    listed = {j.id: j for j in planned_jobs(settings, engine, now=clock.now)}
    assert listed["nightly"].missed and listed["nightly"].next_run == at(30, 2, 0)
    second, events = _scheduler(config, DebugExecutor())
    second.start()
    second.tick()
    second.tick()  # nothing more is due: each missed job ran once
    # Nightly missed 40 min ago (within the hour of grace): it runs once. The incremental job
    # missed six turns (01:15 … 02:30): coalesced, it runs once.
    assert sorted(events.submitted) == [
        ("incremental", [at(30, 2, 30)]),
        ("nightly", [at(30, 2, 0)]),
    ]
    second.shutdown()

    clock.now = at(31, 5, 30)  # down again, back 3 h 30 after the next nightly run
    third, events = _scheduler(config, DebugExecutor())
    third.start()
    third.tick()
    third.shutdown()
    # Beyond misfire_grace_seconds: Tuesday's nightly run and Monday's 06:00 weekly reports are
    # not run late (the next ones will); the incremental job runs at once.
    assert sorted(events.missed) == ["nightly", "weekly-report"]
    assert events.executed == [("incremental", "ok")]
    # 01:00 (before the stop), 02:40 (the catch-up), Tuesday 05:30; one nightly run.
    assert sorted(r.job for r in _parents(engine)) == ["incremental"] * 3 + ["nightly"]


def test_the_job_store_follows_the_config(engine: Engine, tmp_path: Path) -> None:
    config = write_config(tmp_path, url_of(engine))
    scheduler, _ = _scheduler(config, DebugExecutor())
    scheduler.start(paused=True)
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert set(jobs) == {"nightly", "incremental", "weekly-report", "monthly-report"}
    nightly = jobs["nightly"]
    assert nightly.func_ref == "pipeline.jobs:nightly" and nightly.args == (str(config),)
    assert (nightly.max_instances, nightly.coalesce, nightly.misfire_grace_time) == (1, True, 3600)
    scheduler.shutdown()

    config = write_config(tmp_path, url_of(engine), schedules={"monthly_report": None})
    scheduler, _ = _scheduler(config, DebugExecutor())
    scheduler.start(paused=True)
    assert {j.id for j in scheduler.get_jobs()} == {"nightly", "incremental", "weekly-report"}
    scheduler.shutdown()
