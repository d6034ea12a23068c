"""Runs of jobs and stages, the report files they wrote, and records kept aside (and why)."""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from storage.clock import utcnow
from storage.models import Rejected, Report, Run


@dataclass
class RunHandle:
    id: int
    job: str
    counts: dict[str, Any] = field(default_factory=dict)
    status: str = "ok"
    error: str | None = None


def start_run(
    engine: Engine,
    job: str,
    stage: str | None = None,
    source: str | None = None,
    parent_id: int | None = None,
) -> RunHandle:
    with engine.begin() as conn:
        run_id = conn.execute(
            insert(Run)
            .values(job=job, stage=stage, source=source, parent_id=parent_id, started_at=utcnow())
            .returning(Run.id)
        ).scalar_one()
    return RunHandle(id=run_id, job=job)


def finish_run(engine: Engine, run: RunHandle) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(Run)
            .where(Run.id == run.id)
            .values(ended_at=utcnow(), status=run.status, counts=run.counts, error=run.error)
        )


@contextmanager
def recorded_run(
    engine: Engine,
    job: str,
    stage: str | None = None,
    source: str | None = None,
    parent_id: int | None = None,
) -> Iterator[RunHandle]:
    """Record a run: `ok` when the block ends, `failed` with the error when it raises."""
    run = start_run(engine, job, stage, source, parent_id)
    try:
        yield run
    except BaseException as exc:
        run.status = "failed" if not isinstance(exc, KeyboardInterrupt) else "interrupted"
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        finish_run(engine, run)
        raise
    finish_run(engine, run)


def keep_aside(
    engine: Engine,
    stage: str,
    origin: str,
    reason: str,
    record: str | None = None,
    location: str | None = None,
    run_id: int | None = None,
    once: bool = False,
) -> None:
    """Store a bad record with its reason, for `--errors` listings and later repair; `once`:
    not again when the same record was kept aside at the same place already (a source read
    every hour)."""
    record = record[:100_000] if record else None
    with engine.begin() as conn:
        if once:
            t = Rejected
            same = select(t.id).where(
                t.stage == stage, t.origin == origin,
                t.location.is_(None) if location is None else t.location == location,
                t.record.is_(None) if record is None else t.record == record,
            )  # fmt: skip
            if conn.execute(same.limit(1)).first() is not None:
                return
        conn.execute(
            insert(Rejected).values(
                stage=stage, origin=origin, location=location, reason=reason[:2000],
                record=record, run_id=run_id, created_at=utcnow(),
            )
        )  # fmt: skip


@dataclass(frozen=True)
class ReportFile:
    """A report written to a file: which brand, period, language and format."""

    brand: str
    period_start: datetime
    period_end: datetime
    lang: str
    format: str
    path: str
    created_at: datetime | None = None
    run_id: int | None = None


def record_report_files(engine: Engine, files: Sequence[ReportFile]) -> None:
    """Record written reports; a file written again replaces its row."""
    with engine.begin() as conn:
        for f in files:
            conn.execute(delete(Report).where(Report.path == f.path))
            conn.execute(insert(Report).values(**asdict(f)))


def report_files(engine: Engine) -> list[ReportFile]:
    """Every report recorded, newest first."""
    fields = [c for c in ReportFile.__dataclass_fields__]
    table = Report.__table__
    stmt = select(*(table.c[f] for f in fields)).order_by(
        table.c.created_at.desc(), table.c.id.desc()
    )
    with engine.connect() as conn:
        return [ReportFile(*row) for row in conn.execute(stmt).tuples()]


def close_abandoned(engine: Engine, jobs: Sequence[str], now: datetime | None = None) -> int:
    """Finish `abandoned` the rows of `jobs` (and their children) a dead process left
    `running`; only call it holding the run lock, so that none of them can still be live."""
    now = now or utcnow()
    with engine.begin() as conn:
        frontier = list(
            conn.execute(
                select(Run.id).where(
                    Run.ended_at.is_(None), Run.parent_id.is_(None), Run.job.in_(list(jobs))
                )
            ).scalars()
        )
        found = list(frontier)
        while frontier:
            frontier = list(
                conn.execute(
                    select(Run.id).where(Run.ended_at.is_(None), Run.parent_id.in_(frontier))
                ).scalars()
            )
            found.extend(frontier)
        if found:
            conn.execute(
                update(Run)
                .where(Run.id.in_(found))
                .values(
                    status="abandoned",
                    ended_at=now,
                    error="the process running it ended without finishing it (killed or "
                    "crashed); what it had committed is kept",
                )
            )
    return len(found)


def rejected(engine: Engine, stage: str, limit: int = 100) -> list[dict[str, Any]]:
    """The latest records a stage kept aside, newest first: origin (the file), location,
    reason, record (its text) and created_at."""
    t = Rejected
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.origin, t.location, t.reason, t.record, t.created_at)
            .where(t.stage == stage)
            .order_by(t.id.desc())
            .limit(limit)
        ).mappings()
        return [dict(row) for row in rows]


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
