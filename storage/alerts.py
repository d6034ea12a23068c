"""Alerts: episodes opened, updated and closed (what they owe is in storage/deliveries.py).

The rule that decides when an alert opens or closes lives in `reports/alerts/`; these are the
reads and writes it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, false, func, select, update

from storage.dialect import insert
from storage.models import Alert, Mention, MentionBrand
from storage.rows import Stored
from storage.scope import Scope, brand_condition

# An episode's posts: the brand's mentions from the hour whose count opened it (the
# detector's last hour) until it closed (still growing while open).
EPISODE_LEAD = timedelta(hours=1)


@dataclass
class AlertRecord(Stored):
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


def _alert_select() -> Any:
    return AlertRecord.select_from(Alert.__table__)


def episode_span(
    opened_at: datetime, closed_at: datetime | None
) -> tuple[datetime, datetime | None]:
    """[start, end) of the publication times of an episode's posts (end None: still open)."""
    return opened_at - EPISODE_LEAD, closed_at


def in_episode(brand: str, opened_at: datetime, closed_at: datetime | None) -> Any:
    """The condition on Mention of belonging to this episode (the one definition)."""
    start, end = episode_span(opened_at, closed_at)
    condition = and_(
        Mention.published_at >= start,
        exists().where(MentionBrand.mention_id == Mention.id, MentionBrand.brand == brand),
    )
    return condition if end is None else and_(condition, Mention.published_at < end)


def episodes_of(
    engine: Engine, brands: list[str], published_at: datetime | None
) -> list[AlertRecord]:
    """The alerts whose episode a mention of these brands published then belongs to."""
    if not brands or published_at is None:
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            _alert_select()
            .where(Alert.brand.in_(brands), Alert.opened_at <= published_at + EPISODE_LEAD)
            .order_by(Alert.opened_at.desc(), Alert.id.desc())
        ).mappings()
        alerts = [AlertRecord.of(r) for r in rows]
    out = []
    for a in alerts:
        start, end = episode_span(a.opened_at, a.closed_at)
        if start <= published_at and (end is None or published_at < end):
            out.append(a)
    return out


def _rescore(conn: Connection, alert_id: int) -> None:
    """An episode opened or closed: its brand's mentions since its start are rescored."""
    from storage.attention import rescore_where

    row = conn.execute(select(Alert.brand, Alert.opened_at).where(Alert.id == alert_id)).first()
    if row is not None:
        rescore_where(conn, in_episode(row.brand, row.opened_at, None))


def open_alert(conn: Connection, brand: str, kind: str | None = None) -> AlertRecord | None:
    """The brand's open alert of this kind (of any kind if None; the latest, should there be
    several), or None."""
    stmt = _alert_select().where(Alert.brand == brand, Alert.status == "open")
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    row = conn.execute(stmt.order_by(Alert.id.desc()).limit(1)).mappings().first()
    return AlertRecord.of(row) if row is not None else None


def latest_alert(conn: Connection, brand: str, kind: str) -> AlertRecord | None:
    """The brand's latest alert of this kind, open or not (None if none)."""
    stmt = _alert_select().where(Alert.brand == brand, Alert.kind == kind)
    row = conn.execute(stmt.order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(1))
    found = row.mappings().first()
    return AlertRecord.of(found) if found is not None else None


def last_closed_at(conn: Connection, brand: str, kind: str | None = None) -> datetime | None:
    """When the brand's last alert (of this kind, if given) closed (None if none ever did)."""
    stmt = select(Alert.closed_at).where(Alert.brand == brand, Alert.closed_at.is_not(None))
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    return conn.execute(stmt.order_by(Alert.closed_at.desc()).limit(1)).scalar()


def insert_alert(conn: Connection, **values: Any) -> int:
    """A new alert row; returns its id."""
    table = Alert.__table__
    alert_id = int(
        conn.execute(insert(conn, table).values(**values).returning(table.c.id)).scalar_one()
    )
    if values.get("status", "open") == "open":
        _rescore(conn, alert_id)
    return alert_id


def update_alert(conn: Connection, alert_id: int, **values: Any) -> None:
    conn.execute(update(Alert).where(Alert.id == alert_id).values(**values))
    if "status" in values or "opened_at" in values:
        _rescore(conn, alert_id)


# What a list of alerts can be narrowed to (web workspace, `veille alerts list --status`).
ALERT_STATES = ("open", "unacknowledged", "closed", "resolved")
# Open, and nobody has taken it on yet.
_UNACKNOWLEDGED = and_(Alert.status == "open", Alert.acknowledged_at.is_(None))


def latest_alerts(
    engine: Engine,
    brand: str | None = None,
    limit: int = 50,
    kind: str | None = None,
    state: str | None = None,
    scope: Scope = None,
) -> list[AlertRecord]:
    """The latest alerts, newest first; of one brand, one kind, one of ALERT_STATES (open;
    open and taken on by nobody yet; ended, by the numbers or by a person; resolved by a
    person) when given; of the brands `scope` sees (storage.scope)."""
    stmt = _alert_select().order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(limit)
    stmt = stmt.where(brand_condition(scope, Alert.brand))
    if brand is not None:
        stmt = stmt.where(Alert.brand == brand)
    if kind is not None:  # an alert of before the kinds is a bad buzz
        stmt = stmt.where(
            (Alert.kind == kind) | (Alert.kind.is_(None) if kind == "bad_buzz" else false())
        )
    if state == "unacknowledged":
        stmt = stmt.where(_UNACKNOWLEDGED)
    elif state == "closed":
        stmt = stmt.where(Alert.status.in_(("closed", "resolved")))
    elif state is not None:
        stmt = stmt.where(Alert.status == state)
    with engine.connect() as conn:
        return [AlertRecord.of(row) for row in conn.execute(stmt).mappings()]


def count_unacknowledged(engine: Engine, scope: Scope = None) -> int:
    """How many alerts are open with nobody on them (latest_alerts' `unacknowledged`), of the
    brands `scope` sees."""
    stmt = (
        select(func.count())
        .select_from(Alert)
        .where(_UNACKNOWLEDGED, brand_condition(scope, Alert.brand))
    )
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def get_alert(engine: Engine, alert_id: int) -> AlertRecord | None:
    with engine.connect() as conn:
        row = conn.execute(_alert_select().where(Alert.id == alert_id)).mappings().first()
    return AlertRecord.of(row) if row is not None else None


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
    _rescore(conn, alert_id)


def alert_for_update(conn: Connection, alert_id: int) -> AlertRecord | None:
    row = (
        conn.execute(_alert_select().where(Alert.id == alert_id).with_for_update())
        .mappings()
        .first()
    )
    return AlertRecord.of(row) if row is not None else None
