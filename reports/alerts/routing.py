"""Which messages an alert owes, and to whom: one delivery per target, queued with the alert."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, Engine

from config.settings import AlertSettings
from storage import deliveries

RECIPIENTS = "recipients"  # a brand's alert e-mails go to alerts.recipients.<brand>
OPERATORS = "operators"  # the target (and kind) of the operators' e-mails: alerts.operators


def owe_alert_messages(
    conn: Connection, settings: AlertSettings, alert_id: int, brand: str, kind: str, now: datetime
) -> list[int]:
    """Queue the alert's `kind` messages (opened, closed) in the same transaction as the
    alert itself, so an alert never exists without what it owes."""
    del settings  # the routes (channels, escalation lists) come with the channels
    key = f"alert:{alert_id}:{kind}:email:{RECIPIENTS}"
    found = deliveries.owe(
        conn, key, kind=kind, target=RECIPIENTS, now=now, alert_id=alert_id,
        payload={"brand": brand},
    )  # fmt: skip
    return [found] if found is not None else []


def owe_operators_message(
    engine: Engine, subject: str, body: str, now: datetime, key: str | None = None
) -> int:
    """Queue an e-mail to `alerts.operators` (a failed run); returns its delivery id.

    Operators' e-mails go through the queue like alerts: one that cannot be sent now is sent
    by the next check, and never twice. `key` (a run id…) makes owing it twice a no-op.
    """
    key = f"operators:{key or uuid.uuid4().hex}"
    with engine.begin() as conn:
        found = deliveries.owe(
            conn, key, kind=OPERATORS, target=OPERATORS, now=now,
            payload={"subject": subject, "body": body},
        )  # fmt: skip
    if found is None:
        existing = deliveries.id_of(engine, key)
        assert existing is not None
        return existing
    return found
