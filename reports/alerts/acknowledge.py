"""People answer alerts: `veille alerts ack ID` (I'm on it) and `veille alerts resolve ID`.

Acknowledging or resolving an alert cancels its escalation not sent yet; resolving ends the
episode now (the brand's cooldown starts), as a person decided, whatever the numbers say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from config.refusals import Refusal
from reports.alerts.routing import cancel_escalation
from storage import alerts as repo
from storage.alerts import AlertRecord


@dataclass
class Answer:
    alert: AlertRecord
    cancelled: int  # escalation messages owed no more


REFUSALS = {
    "not_open": ("l'alerte n°{id} n'est plus ouverte ({status})\u00a0; seule une alerte ouverte"
                 " est prise en charge",
                 "alert {id} is {status}; only an open alert is acknowledged"),
    "taken": ("l'alerte n°{id} a été prise en charge par {by} le {at} UTC",
              "alert {id} was acknowledged by {by} on {at} UTC"),
    "already": ("l'alerte n°{id} n'est plus ouverte ({status})", "alert {id} is already {status}"),
}  # fmt: skip


def acknowledge_alert(
    engine: Engine, alert_id: int, by: str, note: str | None, now: datetime
) -> Answer:
    """Record who is on it; KeyError for an unknown id, ValueError when it makes no sense."""
    with engine.begin() as conn:
        alert = _found(repo.alert_for_update(conn, alert_id), alert_id)
        if alert.status != "open":
            raise Refusal(REFUSALS, "not_open", id=alert_id, status=alert.status)
        if alert.acknowledged_at is not None:
            raise Refusal(REFUSALS, "taken", id=alert_id, by=alert.acknowledged_by,
                          at=f"{alert.acknowledged_at:%Y-%m-%d %H:%M}")  # fmt: skip
        repo.acknowledge(conn, alert_id, by, note, now)
        cancelled = cancel_escalation(conn, alert_id, f"acknowledged by {by}")
    return Answer(_found(repo.get_alert(engine, alert_id), alert_id), cancelled)


def resolve_alert(
    engine: Engine, alert_id: int, by: str, note: str | None, now: datetime
) -> Answer:
    with engine.begin() as conn:
        alert = _found(repo.alert_for_update(conn, alert_id), alert_id)
        if alert.status != "open":
            raise Refusal(REFUSALS, "already", id=alert_id, status=alert.status)
        repo.resolve(conn, alert_id, by, note, now)
        cancelled = cancel_escalation(conn, alert_id, f"resolved by {by}")
    return Answer(_found(repo.get_alert(engine, alert_id), alert_id), cancelled)


def _found(alert: AlertRecord | None, alert_id: int) -> AlertRecord:
    if alert is None:
        raise KeyError(f"no alert {alert_id}; `veille alerts list` shows their ids")
    return alert
