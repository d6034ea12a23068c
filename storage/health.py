"""What `veille status` reads: last runs, silent sources, pending alerts, database size."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select, text
from sqlalchemy.engine import make_url

from storage.deliveries import of_alerts, summary
from storage.models import Alert, Delivery, Run

# Collection stages and the source kinds each one collects (the others are exports).
COLLECTION_STAGES = ("crawl", "import")


@dataclass
class SourceHealth:
    name: str
    kind: str
    streak: int = 0  # consecutive failed-empty-or-broken collections, most recent first
    last_state: str | None = None  # ok, empty, failed, broken (None: never collected)
    last_at: datetime | None = None  # the last collection (crawl or import), whatever its state
    last_ok_at: datetime | None = None
    last_error: str | None = None
    observations: int = 0
    problem: bool = False
    # Pages of the last collection whose posts could not be read: {url, reason}.
    broken_pages: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "streak": self.streak,
            "last_state": self.last_state,
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "last_ok_at": self.last_ok_at.isoformat() if self.last_ok_at else None,
            "last_error": self.last_error,
            "problem": self.problem,
            "broken_pages": self.broken_pages,
        }


@dataclass
class _Observation:
    at: datetime
    state: str
    error: str | None = None
    pages: list[dict[str, str]] = field(default_factory=list)


def broken_error(pages: list[dict[str, str]]) -> str:
    """What a broken collection's error says: the first page and why, and how many more."""
    first = pages[0]
    more = f" (and {len(pages) - 1} more pages)" if len(pages) > 1 else ""
    return f"{first.get('reason')} on {first.get('url')}{more}: has the forum's theme changed?"


def _row_dict(row: Any) -> dict[str, Any]:
    m = row._mapping
    counts = m["counts"] or {}
    seconds = counts.get("seconds")
    if seconds is None and m["ended_at"] is not None:
        seconds = (m["ended_at"] - m["started_at"]).total_seconds()
    return {
        "id": m["id"],
        "job": m["job"],
        "stage": m["stage"],
        "status": m["status"],
        "started_at": m["started_at"].isoformat(),
        "ended_at": m["ended_at"].isoformat() if m["ended_at"] else None,
        "seconds": seconds,
        "items": counts.get("items"),
        "errors": counts.get("errors"),
        "error": m["error"],
    }


def last_runs(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the last run of each job, the last run of each stage), newest first."""
    with engine.connect() as conn:
        job_ids = (
            select(func.max(Run.id)).where(Run.parent_id.is_(None)).group_by(Run.job)
        ).scalar_subquery()
        jobs = conn.execute(
            select(Run).where(Run.id.in_(job_ids)).order_by(Run.started_at.desc())
        ).all()
        stage_ids = (
            select(func.max(Run.id))
            .where(Run.stage.is_not(None), Run.source.is_(None))
            .group_by(Run.stage)
        ).scalar_subquery()
        stages = conn.execute(
            select(Run).where(Run.id.in_(stage_ids)).order_by(Run.started_at.desc())
        ).all()
    return [_row_dict(r) for r in jobs], [_row_dict(r) for r in stages]


def calendar_health(
    engine: Engine, calendars: Iterable[tuple[str, str | None]], scan: int = 200
) -> list[dict[str, Any]]:
    """Per configured calendar (`events.calendars`: name, brand), from the `calendars` stage's
    rows: its last reading (status ok or failed, with the error and the counts), when, and
    when it was last read well — a calendar failing since its address changed shows so."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Run.ended_at, Run.counts)
            .where(Run.stage == "calendars", Run.source.is_(None), Run.ended_at.is_not(None))
            .order_by(Run.id.desc())
            .limit(scan)
        ).all()
    out = []
    for name, brand in calendars:
        last: dict[str, Any] | None = None
        last_ok_at = None
        for ended_at, counts in rows:
            detail = ((counts or {}).get("detail") or {}).get("calendars") or []
            entry = next((c for c in detail if isinstance(c, dict) and c.get("calendar") == name),
                         None)  # fmt: skip
            if entry is None:
                continue
            if last is None:
                last = {**entry, "at": ended_at.isoformat()}
            if entry.get("status") == "ok":
                last_ok_at = ended_at.isoformat()
                break
        found = last or {"status": "not read yet"}
        out.append({**found, "calendar": name, "brand": brand, "last_ok_at": last_ok_at})
    return out


def source_health(
    engine: Engine, sources: Iterable[tuple[str, str, bool]], window: int, scan: int = 500
) -> list[SourceHealth]:
    """Per source (name, kind, is_export): how many collections in a row failed or found nothing.

    Reads the rows of the collection stages (their `failed_sources` and, when the stage gives
    it, the per-source detail `detail.sources[].seen`) and the per-source rows stages write
    (`runs.source`). A source is a problem when its last `window` collections all failed or
    returned nothing: a silent source is not a success. A source whose last collection said
    it is broken (a credential to set, review markup that changed) is a problem at once.
    """
    wanted = {name: (kind, export) for name, kind, export in sources}
    history: dict[str, list[_Observation]] = {name: [] for name in wanted}
    with engine.connect() as conn:
        stage_rows = conn.execute(
            select(Run)
            .where(
                Run.stage.in_(COLLECTION_STAGES),
                Run.source.is_(None),
                Run.ended_at.is_not(None),
                Run.status.not_in(("skipped", "not_run")),
            )
            .order_by(Run.id.desc())
            .limit(scan)
        ).all()
        source_rows = conn.execute(
            select(Run)
            .where(Run.source.in_(list(wanted)), Run.ended_at.is_not(None))
            .order_by(Run.id.desc())
            .limit(scan)
        ).all()
    for row in stage_rows:
        m = row._mapping
        counts = m["counts"] or {}
        failed = set(counts.get("failed_sources") or [])
        detail = {
            str(s.get("source")): s
            for s in ((counts.get("detail") or {}).get("sources") or [])
            if isinstance(s, dict)
        }
        for name, (_kind, export) in wanted.items():
            belongs = (m["stage"] == "import") == export
            if name in failed:
                error = (detail.get(name) or {}).get("error") or m["error"]
                history[name].append(_Observation(m["started_at"], "failed", error))
            elif name in detail:
                entry = detail[name]
                seen = int(entry.get("seen") or entry.get("items") or 0)
                state = "ok" if seen else ("failed" if entry.get("error") else "empty")
                pages = list(entry.get("broken_pages") or [])
                error = entry.get("error")
                if pages:
                    state, error = "broken", broken_error(pages)
                history[name].append(_Observation(m["started_at"], state, error, pages))
            elif belongs and m["status"] == "failed":
                history[name].append(_Observation(m["started_at"], "failed", m["error"]))
    for row in source_rows:
        m = row._mapping
        counts = m["counts"] or {}
        found = counts.get("seen", counts.get("items"))
        pages = list(counts.get("broken_pages") or [])
        error = m["error"]
        if m["status"] == "failed":
            # A source that says it is broken (a credential to set, review markup that
            # changed: SourceSpider.report) needs a person at once.
            state = "broken" if counts.get("broken") else "failed"
        elif pages:  # pages whose posts the engine cannot read: not a quiet forum
            state, error = "broken", broken_error(pages)
        elif found is not None and int(found) == 0:
            state = "empty"
        else:
            state = "ok"
        history[m["source"]].append(_Observation(m["started_at"], state, error, pages))
    out = []
    for name, (kind, _export) in wanted.items():
        rows = sorted(history[name], key=lambda o: o.at, reverse=True)
        health = SourceHealth(name=name, kind=kind, observations=len(rows))
        if rows:
            health.last_state = rows[0].state
            health.broken_pages = rows[0].pages
            health.last_at = rows[0].at
        for obs in rows:
            if obs.state == "ok":
                health.last_ok_at = obs.at
                break
            health.streak += 1
            health.last_error = health.last_error or obs.error
        # A broken theme is a problem at once: waiting `window` nights loses their mentions.
        health.problem = health.streak >= window or health.last_state == "broken"
        out.append(health)
    return out


def pending_alerts(engine: Engine, limit: int = 20) -> tuple[int, list[dict[str, Any]]]:
    """Alerts still open or owing a message not delivered yet: (how many, the newest `limit`)."""
    owing = (
        select(Delivery.alert_id)
        .where(Delivery.alert_id.is_not(None), Delivery.status != "sent")
        .where(Delivery.status != "cancelled")
    )
    where = or_(Alert.status == "open", Alert.id.in_(owing))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Alert).where(where)).scalar_one()
        rows = conn.execute(
            select(Alert.id, Alert.brand, Alert.kind, Alert.severity, Alert.status,
                   Alert.opened_at, Alert.negative_count)
            .where(where)
            .order_by(Alert.opened_at.desc(), Alert.id.desc())
            .limit(limit)
        ).all()  # fmt: skip
    found = of_alerts(engine, [r.id for r in rows])
    items = [
        {
            "id": r.id,
            "brand": r.brand,
            "kind": r.kind,
            "severity": r.severity,
            "status": r.status,
            "delivery": summary(found.get(r.id, [])),
            "opened_at": r.opened_at.isoformat(),
            "negative_count": r.negative_count,
        }
        for r in rows
    ]
    return int(total), items


def database_size(engine: Engine) -> dict[str, Any]:
    """Bytes used: the SQLite file (with its WAL), or PostgreSQL's database and schema sizes."""
    if engine.dialect.name == "sqlite":
        path = make_url(str(engine.url)).database or ""
        total = 0
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                total += os.path.getsize(path + suffix)
        return {"backend": "sqlite", "path": path, "bytes": total}
    with engine.connect() as conn:
        database = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        schema, schema_bytes = conn.execute(
            text(
                "SELECT current_schema(), COALESCE(SUM(pg_total_relation_size(c.oid)), 0) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
            )
        ).one()
    return {
        "backend": "postgresql",
        "bytes": int(database),
        "schema": schema,
        "schema_bytes": int(schema_bytes),
    }
