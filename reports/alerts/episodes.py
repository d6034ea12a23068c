"""Alert episodes in the database: one alert per episode, updated while it lasts, then closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from config.settings import AlertSettings
from reports.alerts.rule import SEVERITIES, Evaluation
from storage.dialect import insert
from storage.models import Alert, AlertEmail


@dataclass
class Outcome:
    brand: str
    action: str  # opened, updated, closed, cooldown, quiet
    alert_id: int | None = None


def open_alert(conn: Connection, brand: str) -> Alert | None:
    with Session(bind=conn) as session:
        alert = session.scalars(
            select(Alert)
            .where(Alert.brand == brand, Alert.status == "open")
            .order_by(Alert.id.desc())
        ).first()
        session.expunge_all()
    return alert


def in_cooldown(conn: Connection, brand: str, now: datetime, minutes: int) -> bool:
    last = conn.execute(
        select(Alert.closed_at)
        .where(Alert.brand == brand, Alert.closed_at.is_not(None))
        .order_by(Alert.closed_at.desc())
        .limit(1)
    ).scalar()
    return last is not None and now - last < timedelta(minutes=minutes)


def apply(conn: Connection, ev: Evaluation, settings: AlertSettings) -> Outcome:
    """Open, update or close the brand's alert after an evaluation (idempotent per check)."""
    current = open_alert(conn, ev.brand)
    if current is not None:
        if not ev.is_normal(settings):
            _update(conn, current, ev)
            return Outcome(ev.brand, "updated", current.id)
        details = dict(current.details or {})
        details["closing"] = ev.as_dict()
        conn.execute(
            update(Alert)
            .where(Alert.id == current.id)
            .values(status="closed", closed_at=ev.at, updated_at=ev.at, details=details)
        )
        _queue_email(conn, current.id, "closed", ev.at)
        return Outcome(ev.brand, "closed", current.id)
    if not ev.triggered:
        return Outcome(ev.brand, "quiet")
    if in_cooldown(conn, ev.brand, ev.at, settings.cooldown_minutes):
        return Outcome(ev.brand, "cooldown")
    alert_id = conn.execute(
        insert(conn, Alert.__table__)
        .values(
            brand=ev.brand,
            kind="bad_buzz",
            severity=ev.severity,
            status="open",
            opened_at=ev.at,
            updated_at=ev.at,
            score=ev.score,
            negative_count=ev.negative_last_hour,
            expected_count=ev.expected_last_hour,
            details={"opening": ev.as_dict(), "peak": ev.as_dict()},
            email_status="pending",
            email_attempts=0,
        )
        .returning(Alert.__table__.c.id)
    ).scalar_one()
    _queue_email(conn, alert_id, "opened", ev.at)
    return Outcome(ev.brand, "opened", alert_id)


def _update(conn: Connection, alert: Alert, ev: Evaluation) -> None:
    details: dict[str, Any] = dict(alert.details or {})
    details["latest"] = ev.as_dict()
    peak = details.get("peak") or {}
    if ev.negative_last_hour >= int(peak.get("negative_last_hour", 0)):
        details["peak"] = ev.as_dict()
    severity = max(alert.severity, ev.severity, key=SEVERITIES.index)
    values: dict[str, Any] = {"updated_at": ev.at, "details": details, "severity": severity}
    if ev.negative_last_hour >= (alert.negative_count or 0):
        values.update(negative_count=ev.negative_last_hour, expected_count=ev.expected_last_hour)
    values["score"] = max(alert.score or 0.0, ev.score)
    conn.execute(update(Alert).where(Alert.id == alert.id).values(**values))


def _queue_email(conn: Connection, alert_id: int, kind: str, now: datetime) -> None:
    stmt = insert(conn, AlertEmail.__table__).values(
        alert_id=alert_id, kind=kind, status="pending", attempts=0, created_at=now
    )
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["alert_id", "kind"]))
