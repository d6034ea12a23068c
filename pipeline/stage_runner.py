"""One run of the pipeline: its stages in order, each recorded in `runs`, under the run lock.

A run is a parent row in `runs` (job `run`, `nightly`, …) with one child row per stage
(parent_id = the run). A stage that raises is recorded `failed` with its error and the run goes
on; a stage listed but not installed is recorded `skipped`. The stop flag (SIGTERM/SIGINT) ends
the run at the next stage boundary — or, for stages that check `ctx.should_stop()`, at the next
batch boundary — and the rows are finished `interrupted`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from pipeline.context import AppState
from pipeline.errors import UsageError
from pipeline.stages import STAGES, StageContext, StageResult, known_stages, load_stage
from storage.clock import utcnow
from storage.locks import RunLock
from storage.runs import RunHandle, close_abandoned, finish_run, format_exception, start_run

log = logging.getLogger("veille.run")

# The jobs whose rows the runner writes: rows of these left `running` by a crashed process are
# closed `abandoned` by the next run (which holds the lock, so none of them can still be live).
RUNNER_JOBS = ("run", "nightly", "incremental", "weekly-report", "monthly-report", "demo")


class StopFlag(threading.Event):
    """Set once the run must end; remembers why (SIGTERM, SIGINT, lock lost)."""

    reason: str | None = None

    def request(self, reason: str) -> None:
        if not self.is_set():
            self.reason = reason
        self.set()


@dataclass
class StageOutcome:
    name: str
    status: str = "ok"  # ok, failed, skipped, interrupted, not_run
    seconds: float = 0.0
    items: int = 0
    errors: int = 0
    failed_sources: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    run_id: int | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed" or self.errors > 0 or bool(self.failed_sources)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RunSummary:
    job: str
    run_id: int
    started_at: datetime
    status: str = "ok"  # ok, failed, interrupted
    seconds: float = 0.0
    stages: list[StageOutcome] = field(default_factory=list)
    stopped_by: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def outputs(self) -> list[str]:
        return [path for stage in self.stages for path in stage.outputs]

    def failures(self) -> list[str]:
        """One phrase per stage that failed, for messages and e-mails."""
        out = []
        for s in self.stages:
            if s.status == "failed":
                out.append(f"{s.name} failed ({s.error})")
            elif s.failed_sources:
                out.append(f"{s.name}: sources failed: {', '.join(s.failed_sources)}")
            elif s.errors:
                out.append(f"{s.name}: {s.errors:,} errors")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "run_id": self.run_id,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "items": sum(s.items for s in self.stages),
            "errors": sum(s.errors for s in self.stages),
            "stopped_by": self.stopped_by,
            "stages": [s.as_dict() for s in self.stages],
            "outputs": self.outputs,
        }


def resolve_stages(names: Iterable[str]) -> list[str]:
    """Check a list of stage names (order kept); unknown or repeated names are usage errors."""
    known = known_stages()
    out: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name not in known:
            raise UsageError(f"unknown stage {name!r}; the stages are {', '.join(known)}")
        if name in out:
            raise UsageError(f"stage {name!r} is listed twice; a run runs each stage once")
        out.append(name)
    if not out:
        raise UsageError(f"no stage to run; name some of {', '.join(known)}")
    return out


def run_pipeline(
    state: AppState,
    stages: Sequence[str],
    *,
    job: str = "run",
    options: Mapping[str, Any] | None = None,
    stop: StopFlag | None = None,
    lock_wait: float = 0.0,
    now: datetime | None = None,
) -> RunSummary:
    """Run `stages` once, in order, under the run lock; raises LockHeld if another run holds it."""
    engine = state.engine()
    stop = stop if stop is not None else StopFlag()
    lock = RunLock(
        engine,
        holder=job,
        timeout=state.settings.schedules.lock_timeout_seconds,
        on_lost=lambda: stop.request("run lock lost"),
    )
    lock.acquire(wait=lock_wait, cancel=stop)
    try:
        closed = close_abandoned(engine, RUNNER_JOBS)
        if closed:
            log.warning("closed %d run rows a crashed or killed run had left `running`", closed)
        return _run(state, engine, list(stages), job, dict(options or {}), stop, now)
    finally:
        lock.release()


def _run(
    state: AppState,
    engine: Engine,
    stages: list[str],
    job: str,
    options: dict[str, Any],
    stop: StopFlag,
    now: datetime | None,
) -> RunSummary:
    started = time.monotonic()
    parent = start_run(engine, job)
    summary = RunSummary(job=job, run_id=parent.id, started_at=now or utcnow())
    log.info(
        "run %d (%s) started: %s", parent.id, job, ", ".join(stages), extra={"run_id": parent.id}
    )
    try:
        for name in stages:
            if stop.is_set():
                summary.stages.append(StageOutcome(name, status="not_run"))
                continue
            summary.stages.append(
                _run_stage(state, engine, name, job, parent.id, summary.started_at, options, stop)
            )
    except BaseException as exc:  # a second signal: the stage's transaction is rolled back
        summary.stopped_by = stop.reason or type(exc).__name__
        _finish(engine, parent, summary, started, "interrupted")
        raise
    if any(s.status in ("interrupted", "not_run") for s in summary.stages):
        summary.stopped_by = stop.reason
        status = "interrupted"
    else:
        status = "failed" if any(s.failed for s in summary.stages) else "ok"
    _finish(engine, parent, summary, started, status)
    return summary


def _finish(
    engine: Engine, parent: RunHandle, summary: RunSummary, started: float, status: str
) -> None:
    summary.seconds = time.monotonic() - started
    summary.status = status
    parent.status = status
    data = summary.as_dict()
    parent.counts = {k: data[k] for k in ("seconds", "items", "errors", "outputs", "stopped_by")}
    parent.counts["stages"] = [
        {k: s[k] for k in ("name", "status", "seconds", "items", "errors", "failed_sources")}
        for s in data["stages"]
    ]
    failures = summary.failures()
    if status == "interrupted":
        parent.error = f"stopped by {summary.stopped_by or 'a signal'}"
    elif failures:
        parent.error = "; ".join(failures)[:2000]
    finish_run(engine, parent)
    log.info(
        "run %d (%s) %s in %.1f s: %s",
        parent.id,
        summary.job,
        status,
        summary.seconds,
        ", ".join(f"{s.name} {s.status}" for s in summary.stages),
        extra={"run_id": parent.id, "status": status},
    )


def _run_stage(
    state: AppState,
    engine: Engine,
    name: str,
    job: str,
    parent_id: int,
    now: datetime,
    options: dict[str, Any],
    stop: StopFlag,
) -> StageOutcome:
    row = start_run(engine, job, stage=name, parent_id=parent_id)
    outcome = StageOutcome(name, run_id=row.id)
    extra = {"run_id": parent_id, "stage": name}
    if name not in STAGES:
        outcome.status = "skipped"
        outcome.error = "not installed in this version of Veille"
        log.warning("stage %s skipped: not installed", name, extra=extra)
        _record_stage(engine, row, outcome)
        return outcome
    ctx = StageContext(state=state, run_id=row.id, now=now, options=dict(options), stop=stop)
    began = time.monotonic()
    log.info("stage %s started", name, extra=extra)
    try:
        result = load_stage(name)(ctx)
        if not isinstance(result, StageResult):
            raise TypeError(f"stage {name} returned {type(result).__name__}, not a StageResult")
    except Exception as exc:
        outcome.seconds = time.monotonic() - began
        outcome.status = "failed"
        outcome.error = format_exception(exc)[:2000]
        log.error("stage %s failed: %s", name, outcome.error, exc_info=True, extra=extra)
        _record_stage(engine, row, outcome)
        return outcome
    except BaseException:
        outcome.seconds = time.monotonic() - began
        outcome.status = "interrupted"
        outcome.error = f"stopped by {stop.reason or 'an interrupt'} during the stage"
        _record_stage(engine, row, outcome)
        raise
    outcome.seconds = time.monotonic() - began
    outcome.items, outcome.errors = int(result.items), int(result.errors)
    outcome.failed_sources = list(result.failed_sources)
    outcome.outputs = [str(p) for p in result.outputs]
    outcome.counts = dict(result.counts)
    if stop.is_set():
        outcome.status = "interrupted"
        outcome.error = f"stopped by {stop.reason or 'request'}; committed batches are kept"
    elif outcome.failed_sources:
        outcome.error = f"sources failed: {', '.join(outcome.failed_sources)}"
    _record_stage(engine, row, outcome)
    log.info(
        "stage %s %s in %.1f s: %s items, %s errors",
        name,
        outcome.status,
        outcome.seconds,
        f"{outcome.items:,}",
        f"{outcome.errors:,}",
        extra={**extra, "items": outcome.items, "errors": outcome.errors},
    )
    return outcome


def _record_stage(engine: Engine, row: RunHandle, outcome: StageOutcome) -> None:
    row.status = outcome.status
    row.error = outcome.error
    row.counts = {
        "seconds": round(outcome.seconds, 3),
        "items": outcome.items,
        "errors": outcome.errors,
        "failed_sources": outcome.failed_sources,
        "outputs": outcome.outputs,
        "detail": outcome.counts,
    }
    finish_run(engine, row)
