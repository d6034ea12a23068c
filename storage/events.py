"""Events: what the team marks on a brand's timeline (storage.models.BrandEvent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, or_, select, update

from config.refusals import SHARED, Refusal
from storage.dialect import insert
from storage.models import BrandEvent
from storage.rows import Stored
from storage.vocab import EVERY


@dataclass(frozen=True)
class EventRecord(Stored):
    id: int
    brand: str | None  # None: every brand
    at: datetime
    label: str
    created_by: str
    created_at: datetime
    calendar: str | None  # read from this calendar (None: marked by a person)
    ends_at: datetime | None = None  # an event that lasts (a campaign); None: a moment


_TABLE = BrandEvent.__table__


LABEL_LIMIT = 200
# An event lasts a year at most (a longer one is the brand's life, not a moment of its timeline).
MAX_SPAN = timedelta(days=366)


def mark(
    engine: Engine, brands: list[str], brand: str, at: datetime, label: str, by: str,
    now: datetime, until: datetime | None = None,
) -> EventRecord:  # fmt: skip
    """Mark an event on `brand`'s timeline (`*`: every brand's), lasting `until` when given,
    after checking what a person typed (the command line and the web workspace share these
    rules); ValueError says what to do."""
    if brand != EVERY and brand not in brands:
        raise Refusal(SHARED, "brand", brand=brand, known=", ".join(brands))
    text = " ".join(label.split())
    if not text or len(text) > LABEL_LIMIT:
        raise Refusal(REFUSALS, "label", limit=LABEL_LIMIT)
    problem = span_problem(at, until)
    if problem is not None:
        raise problem
    event_id = add(engine, None if brand == EVERY else brand, at, text, by, now, until)
    found = get(engine, event_id)
    assert found is not None
    return found


REFUSALS = {
    "label": ("dire ce qui s'est passé en 1 à {limit} caractères",
              "say what happened in 1 to {limit} characters"),
    "end_first": ("sa fin ({end}) doit venir après son début ({start})",
                  "its end ({end}) must come after its start ({start})"),
    "too_long": ("il dure plus de {days} jours\u00a0: marquer plutôt les moments qui comptent",
                 "it lasts over {days} days: mark the moments of it that matter instead"),
    "from_calendar": ("l'événement n°{id} vient du calendrier « {calendar} »\u00a0: le"
                      " supprimer là-bas, et la prochaine lecture du calendrier le retire ici",
                      "event {id} comes from the calendar {calendar!r}: delete it there, and the"
                      " calendar's next reading removes it here"),
}  # fmt: skip


def span_problem(at: datetime, until: datetime | None) -> Refusal | None:
    """Why an event cannot last from `at` to `until` (None: it can, or it is a moment)."""
    if until is None:
        return None
    if until <= at:
        return Refusal(REFUSALS, "end_first", end=f"{until:%Y-%m-%d %H:%M}",
                       start=f"{at:%Y-%m-%d %H:%M}")  # fmt: skip
    if until - at > MAX_SPAN:
        return Refusal(REFUSALS, "too_long", days=MAX_SPAN.days)
    return None


def add(engine: Engine, brand: str | None, at: datetime, label: str, by: str,
        now: datetime, until: datetime | None = None) -> int:  # fmt: skip
    with engine.begin() as conn:
        stmt = (
            insert(conn, BrandEvent.__table__)
            .values(brand=brand, at=at, ends_at=until, label=label, created_by=by, created_at=now)
            .returning(BrandEvent.__table__.c.id)
        )
        return int(conn.execute(stmt).scalar_one())


def sync(
    engine: Engine, brand: str | None, calendar: str,
    read: Sequence[tuple[str, datetime, datetime | None, str]], within: tuple[datetime, datetime],
    by: str, now: datetime,
) -> dict[str, int]:  # fmt: skip
    """Make `brand`'s events of `calendar` what the calendar says (`read`: key, start, end or
    None, label per event): new ones added, moved or renamed ones updated, and those of
    `within` the calendar no longer has removed (older ones stay: it was read over `within`).
    Returns the counts: new, updated, unchanged, removed."""
    c = _TABLE.c
    counts = dict.fromkeys(("new", "updated", "unchanged", "removed"), 0)
    mine = (c.calendar == calendar) & (c.brand.is_(None) if brand is None else c.brand == brand)
    read_back = (c.id, c.calendar_key, c.at, c.ends_at, c.label)
    with engine.begin() as conn:
        held = {row.calendar_key: row for row in conn.execute(select(*read_back).where(mine))}
        seen = set()
        for key, at, until, label in read:
            if key in seen:
                continue
            seen.add(key)
            text = _label(label)
            row = held.get(key)
            if row is None:
                added = conn.execute(insert(conn, _TABLE).values(
                    brand=brand, at=at, ends_at=until, label=text, created_by=by,
                    created_at=now, calendar=calendar, calendar_key=key,
                ).on_conflict_do_nothing().returning(c.id)).scalar_one_or_none()  # fmt: skip
                if added is not None:
                    counts["new"] += 1
                    continue
                # Another reading of this calendar (a person's import beside the stage) added
                # it since: that row is the one to bring up to date (uq_brand_events_calendar).
                row = conn.execute(select(*read_back).where(mine, c.calendar_key == key)).one()
                held[key] = row
            if (row.at, row.ends_at, row.label) != (at, until, text):
                conn.execute(update(BrandEvent).where(c.id == row.id)
                             .values(at=at, ends_at=until, label=text))  # fmt: skip
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        start, end = within
        gone = [row.id for key, row in held.items()
                if key not in seen and start <= row.at < end]  # fmt: skip
        if gone:
            conn.execute(delete(BrandEvent).where(c.id.in_(gone)))
        counts["removed"] = len(gone)
    return counts


def _label(label: str) -> str:
    """A calendar's title within LABEL_LIMIT (cut with an ellipsis: the calendar keeps it)."""
    text = " ".join(label.split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


def between(
    conn: Connection, brand: str | None, start: datetime, end: datetime | None
) -> list[EventRecord]:
    """The events of `brand` (and of every brand) of [start, end) — begun in it, or lasting
    into it — in time order; every brand's events when `brand` is None, every later one when
    `end` is None."""
    c = _TABLE.c
    lasting_into = c.ends_at.is_not(None) & (c.ends_at > start)
    stmt = EventRecord.select_from(_TABLE).where((c.at >= start) | lasting_into)
    if end is not None:
        stmt = stmt.where(c.at < end)
    if brand is not None:
        stmt = stmt.where(_of_brand(brand))
    return [EventRecord.of(r) for r in conn.execute(stmt.order_by(c.at, c.id)).mappings()]


def listing(engine: Engine, brand: str | None = None) -> list[EventRecord]:
    """Every event in time order; `brand`'s (and every brand's) only when given."""
    stmt = EventRecord.select_from(_TABLE)
    if brand is not None:
        stmt = stmt.where(_of_brand(brand))
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(_TABLE.c.at, _TABLE.c.id)).mappings()
        return [EventRecord.of(r) for r in rows]


def _of_brand(brand: str) -> Any:
    """The brand's events and those marked for every brand."""
    return or_(_TABLE.c.brand.is_(None), _TABLE.c.brand == brand)


def get(engine: Engine, event_id: int) -> EventRecord | None:
    with engine.connect() as conn:
        stmt = EventRecord.select_from(_TABLE).where(_TABLE.c.id == event_id)
        found = conn.execute(stmt).mappings().first()
    return EventRecord.of(found) if found is not None else None


def unmark(engine: Engine, event_id: int) -> EventRecord:
    """Remove an event a person marked; LookupError when there is none, ValueError (what to
    do) when it comes from a calendar (the calendar's next reading would mark it again)."""
    found = get(engine, event_id)
    if found is None:
        raise LookupError(f"no event {event_id}")
    if found.calendar is not None:
        raise Refusal(REFUSALS, "from_calendar", id=event_id, calendar=found.calendar)
    with engine.begin() as conn:
        conn.execute(delete(BrandEvent).where(_TABLE.c.id == event_id))
    return found
