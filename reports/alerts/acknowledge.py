"""People answer alerts: `veille alerts ack ID` (I'm on it) and `veille alerts resolve ID`.

Acknowledging or resolving an alert cancels its escalation not sent yet; resolving ends the
episode now (the brand's cooldown starts), as a person decided, whatever the numbers say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from reports.alerts.routing import cancel_escalation
from storage import alerts as repo
from storage.alerts import AlertRecord


@dataclass
class Answer:
    alert: AlertRecord
    cancelled: int  # escalation messages owed no more


def acknowledge_alert(
    engine: Engine, alert_id: int, by: str, note: str | None, now: datetime
) -> Answer:
    """Record who is on it; KeyError for an unknown id, ValueError when it makes no sense."""
    with engine.begin() as conn:
        alert = _found(repo.alert_for_update(conn, alert_id), alert_id)
        if alert.status != "open":
            raise ValueError(
                f"alert {alert_id} is {alert.status}; only an open alert is acknowledged"
            )
        if alert.acknowledged_at is not None:
            raise ValueError(
                f"alert {alert_id} was acknowledged by {alert.acknowledged_by} on "
                f"{alert.acknowledged_at:%Y-%m-%d %H:%M} UTC"
            )
        repo.acknowledge(conn, alert_id, by, note, now)
        cancelled = cancel_escalation(conn, alert_id, f"acknowledged by {by}")
    return Answer(_found(repo.get_alert(engine, alert_id), alert_id), cancelled)


def resolve_alert(
    engine: Engine, alert_id: int, by: str, note: str | None, now: datetime
) -> Answer:
    with engine.begin() as conn:
        alert = _found(repo.alert_for_update(conn, alert_id), alert_id)
        if alert.status != "open":
            raise ValueError(f"alert {alert_id} is already {alert.status}")
        repo.resolve(conn, alert_id, by, note, now)
        cancelled = cancel_escalation(conn, alert_id, f"resolved by {by}")
    return Answer(_found(repo.get_alert(engine, alert_id), alert_id), cancelled)


def _found(alert: AlertRecord | None, alert_id: int) -> AlertRecord:
    if alert is None:
        raise KeyError(f"no alert {alert_id}; `veille alerts list` shows their ids")
    return alert
