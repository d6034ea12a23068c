"""Alert episodes in the database: one alert per episode, updated while it lasts, then closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from config.settings import Settings
from reports.alerts.kinds import cooldown_of
from reports.alerts.routing import owe_alert_messages
from reports.alerts.rule import SEVERITIES, Evaluation
from storage import alerts as repo
from storage.alerts import AlertRecord


@dataclass
class Outcome:
    brand: str
    action: str  # opened, updated, closed, cooldown, quiet, covered
    alert_id: int | None = None
    kind: str = "bad_buzz"


def in_cooldown(
    conn: Connection, brand: str, now: datetime, minutes: int, kind: str | None = None
) -> bool:
    last = repo.last_closed_at(conn, brand, kind)
    return last is not None and now - last < timedelta(minutes=minutes)


def covering(conn: Connection, ev: Evaluation) -> int | None:
    """The bad buzz a finding of another kind is part of: the brand's open one, or one that
    ended within the finding's window (its posts are still in it)."""
    alert = repo.latest_alert(conn, ev.brand, "bad_buzz")
    if alert is None or ev.kind == "bad_buzz":
        return None
    if alert.closed_at is None:
        return alert.id
    return alert.id if ev.at - alert.closed_at < timedelta(minutes=ev.window_minutes) else None


def apply(conn: Connection, ev: Evaluation, settings: Settings) -> Outcome:
    """Open, update or close the brand's alert of the evaluation's kind (idempotent per check).

    While a bad buzz lasts (and for a window after it), a new episode of another kind is part
    of it (written in its details, said in its messages) rather than an alert of its own.
    """
    cfg = settings.alerts
    kind = ev.kind
    current = repo.open_alert(conn, ev.brand, kind)
    if current is not None:
        if not ev.is_normal(cfg):
            severity = _update(conn, current, ev)
            # A rise in severity reaches the routes of the higher level (each target once).
            owe_alert_messages(
                conn, settings, current.id, ev.brand, "opened", ev.at, severity=severity,
                alert_kind=current.kind, opened_at=current.opened_at,
                acknowledged=current.acknowledged_at is not None,
            )  # fmt: skip
            return Outcome(ev.brand, "updated", current.id, kind)
        details = dict(current.details or {})
        details["closing"] = ev.as_dict()
        repo.update_alert(
            conn, current.id, status="closed", closed_at=ev.at, updated_at=ev.at, details=details
        )
        owe_alert_messages(conn, settings, current.id, ev.brand, "closed", ev.at)
        return Outcome(ev.brand, "closed", current.id, kind)
    if not ev.triggered:
        return Outcome(ev.brand, "quiet", kind=kind)
    cover = covering(conn, ev)
    if cover is not None:
        _cover(conn, cover, ev)
        return Outcome(ev.brand, "covered", cover, kind)
    if in_cooldown(conn, ev.brand, ev.at, cooldown_of(cfg, ev.brand, kind), kind):
        return Outcome(ev.brand, "cooldown", kind=kind)
    alert_id = repo.insert_alert(
        conn,
        brand=ev.brand,
        kind=kind,
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
        alert_kind=kind, opened_at=ev.at,
    )  # fmt: skip
    return Outcome(ev.brand, "opened", alert_id, kind)


def _cover(conn: Connection, alert_id: int, ev: Evaluation) -> None:
    """Note in the bad buzz's details what another kind saw during it (latest per kind)."""
    alert = repo.alert_for_update(conn, alert_id)
    if alert is None:
        return
    details: dict[str, Any] = dict(alert.details or {})
    covered = dict(details.get("covered") or {})
    covered[ev.kind] = ev.as_dict()
    details["covered"] = covered
    repo.update_alert(conn, alert_id, details=details)


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
