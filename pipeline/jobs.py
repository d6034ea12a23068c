"""The scheduled jobs: thin functions of serialisable arguments, kept apart from the scheduling.

The job store holds a reference (`pipeline.jobs:nightly`) and the config path, nothing else, so
a job runs the same from `veille schedule` as from any other scheduler. Each job builds its own
settings and engine, runs the stages under the run lock and disposes of the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.settings import Settings
from pipeline.context import AppState
from pipeline.stage_runner import RunSummary, StopFlag, run_pipeline

log = logging.getLogger("veille.jobs")

# The process's stop flag: `veille schedule` sets it on SIGTERM/SIGINT, the running job's
# stages see it through ctx.should_stop() and stop at the next batch boundary.
STOP = StopFlag()


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str  # "module:function", what the job store keeps
    cron: str | None  # None: the job is switched off
    stages: tuple[str, ...]
    options: dict[str, Any]
    waits_for_lock: bool
    description: str
    # Runs again when the autumn clock change repeats an hour (frequent jobs); the daily and
    # rarer ones fire once at a repeated wall time.
    repeats_in_dst_fold: bool = False


def job_specs(settings: Settings) -> list[JobSpec]:
    """The jobs of the config, in a fixed order, with their explicit ids."""
    s = settings.schedules
    return [
        JobSpec(
            "nightly", "pipeline.jobs:nightly", s.nightly_run, tuple(s.stages),
            {"mode": "full"}, True, "the full run",
        ),
        JobSpec(
            "incremental", "pipeline.jobs:incremental", s.alerts_check,
            tuple(s.incremental_stages), {"mode": "incremental"}, False,
            "incremental collection and alerts check", repeats_in_dst_fold=True,
        ),
        JobSpec(
            "weekly-report", "pipeline.jobs:weekly_report", s.weekly_report, ("report",),
            {"periods": ["last-7-days"]}, True, "weekly reports (last 7 days)",
        ),
        JobSpec(
            "monthly-report", "pipeline.jobs:monthly_report", s.monthly_report, ("report",),
            {"periods": ["last-30-days"]}, True, "monthly reports (last 30 days)",
        ),
    ]  # fmt: skip


def spec(settings: Settings, job_id: str) -> JobSpec:
    for candidate in job_specs(settings):
        if candidate.id == job_id:
            return candidate
    raise KeyError(job_id)


def nightly(config_path: str | None) -> str:
    return run_job("nightly", config_path, notify=True)


def incremental(config_path: str | None) -> str:
    return run_job("incremental", config_path)


def weekly_report(config_path: str | None) -> str:
    return run_job("weekly-report", config_path)


def monthly_report(config_path: str | None) -> str:
    return run_job("monthly-report", config_path)


def run_job(job_id: str, config_path: str | None, notify: bool = False) -> str:
    """Run one configured job now; returns its status (ok, failed, interrupted, skipped)."""
    from storage.locks import LockHeld

    state = AppState(config_path=Path(config_path) if config_path else None, quiet=True)
    try:
        settings = state.settings
        job = spec(settings, job_id)
        wait = settings.schedules.lock_wait_seconds if job.waits_for_lock else 0
        try:
            summary = run_pipeline(
                state, job.stages, job=job.id, options=job.options, stop=STOP, lock_wait=wait
            )
        except LockHeld as exc:
            if job.waits_for_lock and not STOP.is_set():
                log.error("job %s could not start: %s", job_id, exc, extra={"job": job_id})
                if notify:
                    _tell_operators(settings, f"[Veille] {job_id} run did not start", str(exc))
            else:
                log.info("job %s skips this turn: %s", job_id, exc, extra={"job": job_id})
            return "skipped"
        if notify and summary.status == "failed":
            subject, body = failure_message(summary, settings.schedules.stages)
            _tell_operators(settings, subject, body, key=f"run:{summary.run_id}")
        return summary.status
    except Exception as exc:
        log.exception("job %s crashed", job_id, extra={"job": job_id})
        if notify and state.settings_loaded:
            _tell_operators(
                state.settings,
                f"[Veille] {job_id} run crashed",
                f"The {job_id} run crashed: {type(exc).__name__}: {exc}\n",
            )
        raise
    finally:
        state.close()


def failure_message(summary: RunSummary, stages: Sequence[str]) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail telling operators a run failed."""
    failed = [s.name for s in summary.stages if s.failed]
    subject = (
        f"[Veille] {summary.job} run {summary.run_id} failed: {', '.join(failed) or 'see status'}"
    )
    lines = [
        f"The {summary.job} run {summary.run_id} started at "
        f"{summary.started_at:%Y-%m-%d %H:%M} UTC ended `{summary.status}` after "
        f"{summary.seconds:.0f} s.",
        "",
        "What failed:",
        *(f"  - {line}" for line in summary.failures()),
        "",
        "Every stage:",
    ]
    for s in summary.stages:
        lines.append(
            f"  {s.name:<10} {s.status:<12} {s.seconds:8.1f} s  {s.items:>10,} items"
            f"  {s.errors:>6,} errors"
        )
    lines += [
        "",
        "What was stored before and after the failure is kept; the next run retries. See",
        "`veille status` for the history and `veille run --stages "
        + ",".join(failed or stages)
        + "` to re-run what failed.",
    ]
    return subject, "\n".join(lines) + "\n"


def _tell_operators(settings: Settings, subject: str, body: str, key: str | None = None) -> None:
    from pipeline.notify import notify_quietly

    notify_quietly(settings, subject, body, key=key)
