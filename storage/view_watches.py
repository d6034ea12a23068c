"""Who hears of the new mentions of which saved view (`view_watches`; web/watches.py asks,
reports/alerts/watch_mail.py reads the views and owes the messages): rows only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update

from storage.dialect import insert
from storage.models import Mention, SavedView, User, ViewWatch


@dataclass(frozen=True)
class WatchRecord:
    id: int
    view_id: int
    view_name: str
    filters: dict[str, Any]
    person: str
    email: str | None
    last_mention_id: int
    brands: tuple[str, ...] | None = None  # those the person sees (storage.scope)


def newest_mention_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(Mention.id))).scalar() or 0)


def watch(engine: Engine, view_id: int, user_id: int, now: datetime) -> bool:
    """The person hears of the view's mentions newer than those stored now; False when they
    did already."""
    start = newest_mention_id(engine)
    table = ViewWatch.__table__
    with engine.begin() as conn:
        stmt = insert(conn, table).values(
            view_id=view_id, user_id=user_id, last_mention_id=start, created_at=now
        )
        done = conn.execute(stmt.on_conflict_do_nothing(index_elements=["view_id", "user_id"]))
        return bool(done.rowcount)


def unwatch(engine: Engine, view_id: int, user_id: int) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            delete(ViewWatch).where(ViewWatch.view_id == view_id, ViewWatch.user_id == user_id)
        )
        return bool(done.rowcount)


def watched_by(engine: Engine, user_id: int) -> set[int]:
    """The ids of the views this person hears of."""
    with engine.connect() as conn:
        q = select(ViewWatch.view_id).where(ViewWatch.user_id == user_id)
        return {int(i) for i in conn.execute(q).scalars()}


def every_watch(engine: Engine) -> list[WatchRecord]:
    """Every watch with its view and person, in the order they were made."""
    q = (
        select(ViewWatch.id, ViewWatch.view_id, SavedView.name, SavedView.filters, User.name,
               User.email, ViewWatch.last_mention_id, User.brands)
        .join(SavedView, SavedView.id == ViewWatch.view_id)
        .join(User, User.id == ViewWatch.user_id)
        .order_by(ViewWatch.id)
    )  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        WatchRecord(
            int(r[0]),
            int(r[1]),
            r[2],
            dict(r[3] or {}),
            r[4],
            r[5],
            int(r[6]),
            tuple(r[7]) if r[7] is not None else None,
        )
        for r in rows
    ]


def advance(conn: Connection, watch_id: int, seen: int, last_mention_id: int) -> bool:
    """The mentions after `seen` up to `last_mention_id` taken for this watch; False when
    another check took them first (the watch no longer at `seen`)."""
    done = conn.execute(
        update(ViewWatch)
        .where(ViewWatch.id == watch_id, ViewWatch.last_mention_id == seen)
        .values(last_mention_id=last_mention_id)
    )
    return bool(done.rowcount)
