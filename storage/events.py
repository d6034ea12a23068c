"""Events: what the team marks on a brand's timeline (storage.models.BrandEvent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, or_, select

from storage.dialect import insert
from storage.models import BrandEvent
from storage.vocab import EVERY


@dataclass(frozen=True)
class EventRecord:
    id: int
    brand: str | None  # None: every brand
    at: datetime
    label: str
    created_by: str
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in _COLUMNS}
        return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in out.items()}


_COLUMNS = tuple(EventRecord.__dataclass_fields__)


def _select() -> Any:
    table = BrandEvent.__table__
    return select(*(table.c[name] for name in _COLUMNS))


def _record(row: Any) -> EventRecord:
    return EventRecord(**{name: row[name] for name in _COLUMNS})


LABEL_LIMIT = 200


def mark(
    engine: Engine, brands: list[str], brand: str, at: datetime, label: str, by: str,
    now: datetime,
) -> EventRecord:  # fmt: skip
    """Mark an event on `brand`'s timeline (`*`: every brand's) after checking what a person
    typed (the command line and the web workspace share these rules); ValueError says what to
    do."""
    if brand != EVERY and brand not in brands:
        raise ValueError(f"{brand!r} is not a configured brand (known: {', '.join(brands)}, or *)")
    text = " ".join(label.split())
    if not text or len(text) > LABEL_LIMIT:
        raise ValueError(f"say what happened in 1 to {LABEL_LIMIT} characters")
    event_id = add(engine, None if brand == EVERY else brand, at, text, by, now)
    found = get(engine, event_id)
    assert found is not None
    return found


def add(engine: Engine, brand: str | None, at: datetime, label: str, by: str,
        now: datetime) -> int:  # fmt: skip
    with engine.begin() as conn:
        stmt = (
            insert(conn, BrandEvent.__table__)
            .values(brand=brand, at=at, label=label, created_by=by, created_at=now)
            .returning(BrandEvent.__table__.c.id)
        )
        return int(conn.execute(stmt).scalar_one())


def between(
    conn: Connection, brand: str | None, start: datetime, end: datetime
) -> list[EventRecord]:
    """The events of `brand` (and of every brand) in [start, end), in time order; every
    event when `brand` is None."""
    c = BrandEvent.__table__.c
    stmt = _select().where(c.at >= start, c.at < end)
    if brand is not None:
        stmt = stmt.where(or_(c.brand.is_(None), c.brand == brand))
    return [_record(r) for r in conn.execute(stmt.order_by(c.at, c.id)).mappings()]


def get(engine: Engine, event_id: int) -> EventRecord | None:
    with engine.connect() as conn:
        row = conn.execute(_select().where(BrandEvent.__table__.c.id == event_id)).mappings()
        found = row.first()
    return _record(found) if found is not None else None


def remove(engine: Engine, event_id: int) -> bool:
    with engine.begin() as conn:
        done = conn.execute(delete(BrandEvent).where(BrandEvent.__table__.c.id == event_id))
    return bool(done.rowcount)
