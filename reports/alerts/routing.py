"""Which messages an alert owes, and to whom: one delivery per target, queued with the alert.

A brand's alerts go to its `alerts.recipients` (e-mail) and to the targets of every route of
`alerts.routes` whose brands, severities and kinds match; an alert whose severity rises during
its episode reaches the targets of the higher level too (each target is told once). The
back-to-normal note goes to the targets that were told of the alert.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, Engine

from config.settings import AlertSettings
from storage import deliveries

RECIPIENTS = "recipients"  # a brand's alert e-mails go to alerts.recipients.<brand>
OPERATORS = "operators"  # the target (and kind) of the operators' e-mails: alerts.operators


def targets_for(
    settings: AlertSettings, brand: str, severity: str, kind: str
) -> list[tuple[str, str]]:
    """(channel, target) pairs an alert of this brand, severity and kind goes to, in order."""
    found: list[tuple[str, str]] = []
    if settings.recipients.get(brand):
        found.append(("email", RECIPIENTS))
    for route in settings.routes:
        if route.brands and brand not in route.brands:
            continue
        if route.severities and severity not in route.severities:
            continue
        if route.kinds and kind not in route.kinds:
            continue
        found += [(settings.targets[name].channel, name) for name in route.targets]
    if not found:
        # Nobody to tell: the e-mail to the brand's recipients stays owed, and says why.
        found.append(("email", RECIPIENTS))
    return list(dict.fromkeys(found))


def owe_alert_messages(
    conn: Connection,
    settings: AlertSettings,
    alert_id: int,
    brand: str,
    kind: str,
    now: datetime,
    *,
    severity: str = "low",
    alert_kind: str = "bad_buzz",
) -> list[int]:
    """Queue the alert's `kind` messages (opened, closed) in the same transaction as the
    alert itself, so an alert never exists without what it owes; returns the new ids."""
    if kind == "opened":
        targets = targets_for(settings, brand, severity, alert_kind)
    else:
        targets = deliveries.targets_of(conn, alert_id, "opened")
    found = []
    for channel, target in targets:
        new = deliveries.owe(
            conn, f"alert:{alert_id}:{kind}:{channel}:{target}", kind=kind, target=target,
            channel=channel, now=now, alert_id=alert_id, payload={"brand": brand},
        )  # fmt: skip
        if new is not None:
            found.append(new)
    return found


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
