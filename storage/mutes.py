"""Mutes: a person's "not now" on a brand's alerts for a while (storage.models.AlertMute).

The rule that holds an alert's messages while a mute holds lives in `reports/alerts/routing.py`;
these are the reads and writes it and the people's commands need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, or_, update

from storage.dialect import insert
from storage.models import AlertMute
from storage.rows import Stored


@dataclass
class MuteRecord(Stored):
    id: int
    brand: str | None  # None: every brand
    kind: str | None  # None: every kind
    starts_at: datetime
    until: datetime
    reason: str
    created_by: str
    created_at: datetime
    ended_at: datetime | None = None
    ended_by: str | None = None

    def ends(self) -> datetime:
        """When it stops holding: its end, or when a person ended it."""
        return min(self.until, self.ended_at) if self.ended_at is not None else self.until


_TABLE = AlertMute.__table__


def add(
    engine: Engine,
    brand: str | None,
    kind: str | None,
    starts_at: datetime,
    until: datetime,
    reason: str,
    by: str,
) -> int:
    with engine.begin() as conn:
        stmt = insert(conn, AlertMute.__table__).values(
            brand=brand, kind=kind, starts_at=starts_at, until=until, reason=reason,
            created_by=by, created_at=starts_at,
        ).returning(AlertMute.__table__.c.id)  # fmt: skip
        return int(conn.execute(stmt).scalar_one())


def _not_over(at: datetime) -> Any:
    """Neither past its end nor ended by a person at `at`."""
    c = _TABLE.c
    return and_(c.until > at, or_(c.ended_at.is_(None), c.ended_at > at))


def holding(conn: Connection, brand: str, kind: str, at: datetime) -> MuteRecord | None:
    """The mute holding the brand's alerts of this kind at `at` (the one that ends last), if
    any."""
    return holding_among(spanning(conn, at, at), brand, kind, at)


def spanning(conn: Connection, start: datetime, end: datetime) -> list[MuteRecord]:
    """The mutes that hold at some moment from `start` to `end`, of any brand and kind: what
    `holding_among` picks from for many alerts in one query."""
    c = _TABLE.c
    stmt = MuteRecord.select_from(_TABLE).where(c.starts_at <= end, _not_over(start))
    return [MuteRecord.of(r) for r in conn.execute(stmt).mappings()]


def holding_among(
    found: list[MuteRecord], brand: str, kind: str, at: datetime
) -> MuteRecord | None:
    """Of `found`, the mute holding the brand's alerts of this kind at `at` (the one that ends
    last), if any."""
    holds = [
        m for m in found
        if m.starts_at <= at < m.until and (m.ended_at is None or m.ended_at > at)
        and m.brand in (None, brand) and m.kind in (None, kind)
    ]  # fmt: skip
    return max(holds, key=lambda m: (m.until, m.id), default=None)


def listing(engine: Engine, at: datetime, past: bool = False) -> list[MuteRecord]:
    """The mutes holding at `at` or to come (with `past`, the ended ones too), newest first."""
    c = AlertMute.__table__.c
    stmt = MuteRecord.select_from(_TABLE)
    if not past:
        stmt = stmt.where(_not_over(at))
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(c.created_at.desc(), c.id.desc())).mappings()
        return [MuteRecord.of(r) for r in rows]


def get(engine: Engine, mute_id: int) -> MuteRecord | None:
    with engine.connect() as conn:
        stmt = MuteRecord.select_from(_TABLE).where(_TABLE.c.id == mute_id)
        row = conn.execute(stmt).mappings().first()
    return MuteRecord.of(row) if row is not None else None


def end(engine: Engine, mute_id: int, by: str, at: datetime) -> bool:
    """End a mute now; False when it had ended already."""
    c = AlertMute.__table__.c
    with engine.begin() as conn:
        done = conn.execute(
            update(AlertMute)
            .where(c.id == mute_id, c.ended_at.is_(None), c.until > at)
            .values(ended_at=at, ended_by=by)
        )
    return bool(done.rowcount)
