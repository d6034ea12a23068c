"""Alerts: episodes opened, updated and closed (what they owe is in storage/deliveries.py).

The rule that decides when an alert opens or closes lives in `reports/alerts/`; these are the
reads and writes it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from storage.dialect import insert
from storage.models import Alert


@dataclass
class AlertRecord:
    """One alert (an episode of one kind for one brand: a bad buzz, a campaign…) as stored."""

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
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    note: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None


_ALERT_COLUMNS = tuple(AlertRecord.__dataclass_fields__)


def _alert(row: Any) -> AlertRecord:
    return AlertRecord(**{name: row[name] for name in _ALERT_COLUMNS})


def _alert_select() -> Any:
    table = Alert.__table__
    return select(*(table.c[name] for name in _ALERT_COLUMNS))


def open_alert(conn: Connection, brand: str, kind: str | None = None) -> AlertRecord | None:
    """The brand's open alert of this kind (of any kind if None; the latest, should there be
    several), or None."""
    stmt = _alert_select().where(Alert.brand == brand, Alert.status == "open")
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    row = conn.execute(stmt.order_by(Alert.id.desc()).limit(1)).mappings().first()
    return _alert(row) if row is not None else None


def latest_alert(conn: Connection, brand: str, kind: str) -> AlertRecord | None:
    """The brand's latest alert of this kind, open or not (None if none)."""
    stmt = _alert_select().where(Alert.brand == brand, Alert.kind == kind)
    row = conn.execute(stmt.order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(1))
    found = row.mappings().first()
    return _alert(found) if found is not None else None


def last_closed_at(conn: Connection, brand: str, kind: str | None = None) -> datetime | None:
    """When the brand's last alert (of this kind, if given) closed (None if none ever did)."""
    stmt = select(Alert.closed_at).where(Alert.brand == brand, Alert.closed_at.is_not(None))
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    return conn.execute(stmt.order_by(Alert.closed_at.desc()).limit(1)).scalar()


def insert_alert(conn: Connection, **values: Any) -> int:
    """A new alert row; returns its id."""
    table = Alert.__table__
    return int(
        conn.execute(insert(conn, table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_alert(conn: Connection, alert_id: int, **values: Any) -> None:
    conn.execute(update(Alert).where(Alert.id == alert_id).values(**values))


def latest_alerts(engine: Engine, brand: str | None = None, limit: int = 50) -> list[AlertRecord]:
    """The latest alerts, newest first."""
    stmt = _alert_select().order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(limit)
    if brand is not None:
        stmt = stmt.where(Alert.brand == brand)
    with engine.connect() as conn:
        return [_alert(row) for row in conn.execute(stmt).mappings()]


def get_alert(engine: Engine, alert_id: int) -> AlertRecord | None:
    with engine.connect() as conn:
        row = conn.execute(_alert_select().where(Alert.id == alert_id)).mappings().first()
    return _alert(row) if row is not None else None


def acknowledge(conn: Connection, alert_id: int, by: str, note: str | None, now: datetime) -> None:
    values: dict[str, Any] = {"acknowledged_at": now, "acknowledged_by": by}
    if note:
        values["note"] = note
    conn.execute(update(Alert).where(Alert.id == alert_id).values(**values))


def resolve(conn: Connection, alert_id: int, by: str, note: str | None, now: datetime) -> None:
    """A person closed the alert: it ends now (the cooldown starts), acknowledged if not yet."""
    values: dict[str, Any] = {
        "status": "resolved", "resolved_at": now, "resolved_by": by, "closed_at": now,
        "updated_at": now,
        "acknowledged_at": func.coalesce(Alert.acknowledged_at, now),
        "acknowledged_by": func.coalesce(Alert.acknowledged_by, by),
    }  # fmt: skip
    if note:
        values["note"] = note
    conn.execute(update(Alert).where(Alert.id == alert_id).values(**values))


def alert_for_update(conn: Connection, alert_id: int) -> AlertRecord | None:
    row = (
        conn.execute(_alert_select().where(Alert.id == alert_id).with_for_update())
        .mappings()
        .first()
    )
    return _alert(row) if row is not None else None
