"""Alert episodes in the database: one alert per episode, updated while it lasts, then closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from config.settings import Settings
from reports.alerts.routing import owe_alert_messages
from reports.alerts.rule import SEVERITIES, Evaluation
from storage import alerts as repo
from storage.alerts import AlertRecord


@dataclass
class Outcome:
    brand: str
    action: str  # opened, updated, closed, cooldown, quiet
    alert_id: int | None = None


def in_cooldown(conn: Connection, brand: str, now: datetime, minutes: int) -> bool:
    last = repo.last_closed_at(conn, brand)
    return last is not None and now - last < timedelta(minutes=minutes)


def apply(conn: Connection, ev: Evaluation, settings: Settings) -> Outcome:
    """Open, update or close the brand's alert after an evaluation (idempotent per check)."""
    cfg = settings.alerts
    current = repo.open_alert(conn, ev.brand)
    if current is not None:
        if not ev.is_normal(cfg):
            severity = _update(conn, current, ev)
            # A rise in severity reaches the routes of the higher level (each target once).
            owe_alert_messages(
                conn, settings, current.id, ev.brand, "opened", ev.at, severity=severity,
                alert_kind=current.kind, opened_at=current.opened_at,
                acknowledged=current.acknowledged_at is not None,
            )  # fmt: skip
            return Outcome(ev.brand, "updated", current.id)
        details = dict(current.details or {})
        details["closing"] = ev.as_dict()
        repo.update_alert(
            conn, current.id, status="closed", closed_at=ev.at, updated_at=ev.at, details=details
        )
        owe_alert_messages(conn, settings, current.id, ev.brand, "closed", ev.at)
        return Outcome(ev.brand, "closed", current.id)
    if not ev.triggered:
        return Outcome(ev.brand, "quiet")
    if in_cooldown(conn, ev.brand, ev.at, cfg.cooldown_minutes):
        return Outcome(ev.brand, "cooldown")
    alert_id = repo.insert_alert(
        conn,
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
    )
    owe_alert_messages(
        conn, settings, alert_id, ev.brand, "opened", ev.at, severity=ev.severity,
        alert_kind="bad_buzz", opened_at=ev.at,
    )  # fmt: skip
    return Outcome(ev.brand, "opened", alert_id)


def _update(conn: Connection, alert: AlertRecord, ev: Evaluation) -> str:
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
    repo.update_alert(conn, alert.id, **values)
    return severity
