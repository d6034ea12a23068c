"""Alerts and the e-mails they owe: episodes opened, updated and closed; e-mails claimed, sent.

The rule that decides when an alert opens or closes lives in `reports/alerts/`; these are the
reads and writes it needs. An e-mail row is `pending` until a send succeeds; a check claims it
(`sending`) first, so two checks never send the same e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, or_, select, update

from storage.dialect import chunks, insert
from storage.models import Alert, AlertEmail


@dataclass
class AlertRecord:
    """One alert (a bad-buzz episode of one brand) as stored."""

    id: int
    brand: str
    severity: str
    opened_at: datetime
    kind: str = "bad_buzz"
    status: str = "open"
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    score: float | None = None
    negative_count: int | None = None
    expected_count: float | None = None
    details: dict[str, Any] | None = field(default=None)
    email_status: str = "pending"
    email_attempts: int = 0
    emailed_at: datetime | None = None
    email_error: str | None = None


@dataclass(frozen=True)
class EmailRecord:
    id: int
    alert_id: int
    kind: str  # opened, closed
    status: str
    attempts: int
    message_id: str | None


_ALERT_COLUMNS = tuple(AlertRecord.__dataclass_fields__)


def _alert(row: Any) -> AlertRecord:
    return AlertRecord(**{name: row[name] for name in _ALERT_COLUMNS})


def _alert_select() -> Any:
    table = Alert.__table__
    return select(*(table.c[name] for name in _ALERT_COLUMNS))


def open_alert(conn: Connection, brand: str) -> AlertRecord | None:
    """The brand's open alert (the latest, should there be several), or None."""
    row = (
        conn.execute(
            _alert_select()
            .where(Alert.brand == brand, Alert.status == "open")
            .order_by(Alert.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return _alert(row) if row is not None else None


def last_closed_at(conn: Connection, brand: str) -> datetime | None:
    """When the brand's last alert closed (None if none ever did)."""
    return conn.execute(
        select(Alert.closed_at)
        .where(Alert.brand == brand, Alert.closed_at.is_not(None))
        .order_by(Alert.closed_at.desc())
        .limit(1)
    ).scalar()


def insert_alert(conn: Connection, **values: Any) -> int:
    """A new alert row (e-mail still owed); returns its id."""
    table = Alert.__table__
    values = {"email_status": "pending", "email_attempts": 0, **values}
    return int(
        conn.execute(insert(conn, table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_alert(conn: Connection, alert_id: int, **values: Any) -> None:
    conn.execute(update(Alert).where(Alert.id == alert_id).values(**values))


def queue_email(conn: Connection, alert_id: int, kind: str, now: datetime) -> None:
    """Owe the alert's `kind` e-mail (opened, closed); owing it twice changes nothing."""
    stmt = insert(conn, AlertEmail.__table__).values(
        alert_id=alert_id, kind=kind, status="pending", attempts=0, created_at=now
    )
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["alert_id", "kind"]))


def due_emails(engine: Engine, now: datetime, stale: timedelta) -> list[tuple[int, str]]:
    """(id, status) of the e-mails to send: pending, failed, or claimed longer than `stale`
    ago by a check that died mid-send; oldest first."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(AlertEmail.id, AlertEmail.status)
                .where(
                    or_(
                        AlertEmail.status.in_(("pending", "failed")),
                        (AlertEmail.status == "sending") & (AlertEmail.claimed_at < now - stale),
                    )
                )
                .order_by(AlertEmail.id)
            ).tuples()
        )


def claim_email(engine: Engine, email_id: int, status: str, now: datetime) -> bool:
    """Mark the e-mail `sending` if it is still in `status`; False if another check took it."""
    with engine.begin() as conn:
        done = conn.execute(
            update(AlertEmail)
            .where(AlertEmail.id == email_id, AlertEmail.status == status)
            .values(status="sending", claimed_at=now)
        )
        return done.rowcount == 1


def email_and_alert(engine: Engine, email_id: int) -> tuple[EmailRecord, AlertRecord]:
    e = AlertEmail
    with engine.connect() as conn:
        email = EmailRecord(
            *conn.execute(
                select(e.id, e.alert_id, e.kind, e.status, e.attempts, e.message_id).where(
                    e.id == email_id
                )
            ).one()
        )
        alert = _alert(
            conn.execute(_alert_select().where(Alert.id == email.alert_id)).mappings().one()
        )
    return email, alert


def mark_email_failed(engine: Engine, email: EmailRecord, message_id: str, reason: str) -> None:
    """The send failed: the e-mail stays owed (retried by the next check), the alert says why."""
    with engine.begin() as conn:
        conn.execute(
            update(AlertEmail)
            .where(AlertEmail.id == email.id)
            .values(
                status="failed", error=reason, attempts=AlertEmail.attempts + 1,
                message_id=message_id,
            )
        )  # fmt: skip
        conn.execute(
            update(Alert)
            .where(Alert.id == email.alert_id)
            .values(
                email_status="pending", email_error=reason,
                email_attempts=Alert.email_attempts + 1,
            )
        )  # fmt: skip


def mark_email_sent(
    engine: Engine, email: EmailRecord, message_id: str, delivered_to: str, now: datetime
) -> None:
    """The e-mail went out; the alert's own e-mail status follows its `opened` e-mail."""
    with engine.begin() as conn:
        conn.execute(
            update(AlertEmail)
            .where(AlertEmail.id == email.id)
            .values(
                status="sent", sent_at=now, error=None, attempts=AlertEmail.attempts + 1,
                message_id=message_id, delivered_to=delivered_to,
            )
        )  # fmt: skip
        if email.kind == "opened":
            conn.execute(
                update(Alert)
                .where(Alert.id == email.alert_id)
                .values(
                    email_status="sent", emailed_at=now, email_error=None,
                    email_attempts=Alert.email_attempts + 1,
                )
            )  # fmt: skip


def latest_alerts(
    engine: Engine, brand: str | None = None, limit: int = 50
) -> list[tuple[AlertRecord, dict[str, str]]]:
    """The latest alerts, newest first, each with its e-mails' status by kind."""
    stmt = _alert_select().order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(limit)
    if brand is not None:
        stmt = stmt.where(Alert.brand == brand)
    with engine.connect() as conn:
        alerts = [_alert(row) for row in conn.execute(stmt).mappings()]
        emails: dict[int, dict[str, str]] = {}
        for part in chunks([a.id for a in alerts]):
            q = select(AlertEmail.alert_id, AlertEmail.kind, AlertEmail.status).where(
                AlertEmail.alert_id.in_(part)
            )
            for alert_id, kind, status in conn.execute(q):
                emails.setdefault(alert_id, {})[kind] = status
    return [(a, emails.get(a.id, {})) for a in alerts]
