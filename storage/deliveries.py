"""The delivery queue: every message owed (alert e-mails, operators' e-mails, channel posts).

A row is owed once (`key`), claimed by one check (`sending`), marked `handed_at` just before
its data goes to the server, then `sent`. A failure before the mark leaves it `failed` (the next
check tries again: at least once); a timeout or a crash after the mark makes it `unconfirmed`,
never sent again unless a person asks (at most once after the data was handed over).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, update

from storage.dialect import chunks, insert
from storage.models import Delivery
from storage.rows import Stored

# What a person sees first when an alert owes several messages: the worst state wins.
_WORST_FIRST = ("unconfirmed", "failed", "sending", "pending", "cancelled", "sent")


@dataclass(frozen=True)
class DeliveryRecord(Stored):
    id: int
    key: str
    alert_id: int | None
    mention_id: int | None
    kind: str
    channel: str
    target: str
    status: str
    attempts: int
    created_at: datetime
    due_at: datetime | None
    claimed_at: datetime | None
    handed_at: datetime | None
    sent_at: datetime | None
    message_id: str | None
    payload: dict[str, Any] | None
    delivered_to: str | None
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        """Every field but the payload (what the message said), times in ISO 8601."""
        out = super().as_dict()
        out.pop("payload")
        return out


def _select() -> Any:
    return DeliveryRecord.select_from(Delivery.__table__)


def owe(
    conn: Connection,
    key: str,
    *,
    kind: str,
    target: str,
    now: datetime,
    channel: str = "email",
    alert_id: int | None = None,
    mention_id: int | None = None,
    payload: dict[str, Any] | None = None,
    due_at: datetime | None = None,
) -> int | None:
    """Owe one message; owing the same `key` twice changes nothing. Returns the new row's id
    (None when it was owed already)."""
    table = Delivery.__table__
    stmt = insert(conn, table).values(
        key=key, alert_id=alert_id, mention_id=mention_id, kind=kind, channel=channel,
        target=target, status="pending", attempts=0, created_at=now, due_at=due_at,
        payload=payload,
    )  # fmt: skip
    stmt = stmt.on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
    found = conn.execute(stmt).scalar()
    return int(found) if found is not None else None


def id_of(engine: Engine, key: str) -> int | None:
    with engine.connect() as conn:
        found = conn.execute(select(Delivery.id).where(Delivery.key == key)).scalar()
    return int(found) if found is not None else None


def release_stale(engine: Engine, now: datetime, stale: timedelta) -> tuple[list[int], list[int]]:
    """Claims older than `stale` belong to checks that died: a message past its "data sent"
    mark becomes `unconfirmed` (it may have arrived), one before it is owed again (`failed`).
    Returns (unconfirmed ids, released ids)."""
    limit = now - stale
    dead = (Delivery.status == "sending") & (Delivery.claimed_at < limit)
    with engine.begin() as conn:
        handed = list(
            conn.execute(select(Delivery.id).where(dead, Delivery.handed_at.is_not(None))).scalars()
        )
        released = list(
            conn.execute(select(Delivery.id).where(dead, Delivery.handed_at.is_(None))).scalars()
        )
        if handed:
            conn.execute(
                update(Delivery)
                .where(Delivery.id.in_(handed), Delivery.status == "sending")
                .values(
                    status="unconfirmed",
                    error="the sender stopped after handing the message over; it may or may "
                    "not have arrived, so it is not sent again automatically",
                )
            )
        if released:
            conn.execute(
                update(Delivery)
                .where(Delivery.id.in_(released), Delivery.status == "sending")
                .values(
                    status="failed",
                    error="the sender stopped before handing the message over; sent again",
                )
            )
    return handed, released


def due(engine: Engine, now: datetime, ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
    """(id, status) of the messages to send now: pending or failed, due; oldest first."""
    stmt = (
        select(Delivery.id, Delivery.status)
        .where(
            Delivery.status.in_(("pending", "failed")),
            or_(Delivery.due_at.is_(None), Delivery.due_at <= now),
        )
        .order_by(Delivery.id)
    )
    if ids is not None:
        stmt = stmt.where(Delivery.id.in_(list(ids)))
    with engine.connect() as conn:
        return [(int(i), str(s)) for i, s in conn.execute(stmt)]


def claim(engine: Engine, delivery_id: int, status: str, now: datetime) -> bool:
    """Mark the message `sending` if it is still in `status`; False if another check took it."""
    with engine.begin() as conn:
        done = conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.status == status)
            .values(status="sending", claimed_at=now, handed_at=None)
        )
        return done.rowcount == 1


def get(engine: Engine, delivery_id: int) -> DeliveryRecord | None:
    with engine.connect() as conn:
        row = conn.execute(_select().where(Delivery.id == delivery_id)).mappings().first()
    return DeliveryRecord.of(row) if row is not None else None


def set_message_id(engine: Engine, delivery_id: int, message_id: str) -> None:
    """Record the Message-ID before anything leaves: a resend carries the same one."""
    with engine.begin() as conn:
        conn.execute(
            update(Delivery).where(Delivery.id == delivery_id).values(message_id=message_id)
        )


def mark_handed(engine: Engine, delivery_id: int, now: datetime) -> None:
    """The "data sent" mark, committed before the message data goes to the server."""
    with engine.begin() as conn:
        conn.execute(update(Delivery).where(Delivery.id == delivery_id).values(handed_at=now))


def clear_handed(engine: Engine, delivery_id: int) -> None:
    """The data provably did not arrive (refused before the end of it): no mark."""
    with engine.begin() as conn:
        conn.execute(update(Delivery).where(Delivery.id == delivery_id).values(handed_at=None))


def mark_sent(engine: Engine, delivery_id: int, now: datetime, delivered_to: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                status="sent", sent_at=now, error=None, delivered_to=delivered_to,
                attempts=Delivery.attempts + 1,
            )
        )  # fmt: skip


def mark_failed(engine: Engine, delivery_id: int, reason: str) -> None:
    """Not handed over: owed still, the next check tries again."""
    with engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(status="failed", error=reason, handed_at=None, attempts=Delivery.attempts + 1)
        )


def mark_unconfirmed(engine: Engine, delivery_id: int, reason: str) -> None:
    """Handed over, no answer: it may have arrived; never sent again automatically."""
    with engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(status="unconfirmed", error=reason, attempts=Delivery.attempts + 1)
        )


# A delivery's target that is a person of the workspace (their account's e-mail): user:NAME.
PERSON = "user:"


def person_target(name: str) -> str:
    return f"{PERSON}{name}"


def person_of(target: str) -> str | None:
    """The name of the person a delivery goes to, None when its target is not a person."""
    return target[len(PERSON) :] if target.startswith(PERSON) else None


def cancel_to(conn: Connection, target: str, reason: str) -> int:
    """Every message still owed to `target` is owed no more (a removed account's)."""
    owed = conn.execute(
        select(Delivery.id).where(
            Delivery.target == target, Delivery.status.in_(("pending", "failed"))
        )
    ).scalars()
    return mark_cancelled(conn, list(owed), reason)


def mark_cancelled(conn: Connection, delivery_ids: list[int], reason: str) -> int:
    """Owed no more (an acknowledged alert's escalation…); sent ones are left alone."""
    if not delivery_ids:
        return 0
    done = conn.execute(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), Delivery.status.in_(("pending", "failed")))
        .values(status="cancelled", error=reason)
    )
    return int(done.rowcount)


def requeue(engine: Engine, delivery_id: int, now: datetime, reason: str) -> None:
    """A person asked for it again (`veille alerts resend`): owed now, same Message-ID."""
    with engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(status="pending", due_at=now, handed_at=None, claimed_at=None, error=reason)
        )


def confirm(engine: Engine, delivery_id: int, now: datetime, reason: str) -> None:
    """A person checked that an unconfirmed message arrived."""
    with engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(status="sent", sent_at=now, error=reason)
        )


def of_alerts(engine: Engine, alert_ids: list[int]) -> dict[int, list[DeliveryRecord]]:
    """The deliveries of each alert, oldest first."""
    found: dict[int, list[DeliveryRecord]] = {}
    with engine.connect() as conn:
        for part in chunks(sorted(set(alert_ids))):
            stmt = _select().where(Delivery.alert_id.in_(part)).order_by(Delivery.id)
            for row in conn.execute(stmt).mappings():
                record = DeliveryRecord.of(row)
                found.setdefault(int(record.alert_id or 0), []).append(record)
    return found


def of_mention(engine: Engine, mention_id: int) -> list[DeliveryRecord]:
    """The messages owed about one mention (its hand-overs), oldest first."""
    stmt = _select().where(Delivery.mention_id == mention_id).order_by(Delivery.id)
    with engine.connect() as conn:
        return [DeliveryRecord.of(r) for r in conn.execute(stmt).mappings()]


def of_kind(engine: Engine, kind: str, since: datetime | None = None) -> list[DeliveryRecord]:
    """The messages of one kind (reports…) owed since `since`, oldest first."""
    stmt = _select().where(Delivery.kind == kind)
    if since is not None:
        stmt = stmt.where(Delivery.created_at >= since)
    with engine.connect() as conn:
        return [DeliveryRecord.of(r) for r in conn.execute(stmt.order_by(Delivery.id)).mappings()]


def summary(records: list[DeliveryRecord]) -> str:
    """One word for a person: the worst state among the messages an alert owes."""
    states = {r.status for r in records}
    return next((s for s in _WORST_FIRST if s in states), "none")


def needing_attention(engine: Engine, limit: int = 50) -> tuple[int, list[DeliveryRecord]]:
    """Messages not delivered: unconfirmed (a person decides) and failed; newest first."""
    where = Delivery.status.in_(("unconfirmed", "failed"))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Delivery).where(where)).scalar()
        rows = conn.execute(
            _select().where(where).order_by(Delivery.id.desc()).limit(limit)
        ).mappings()
        return int(total or 0), [DeliveryRecord.of(r) for r in rows]


def counts_by_status(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        stmt = select(Delivery.status, func.count()).group_by(Delivery.status)
        rows = conn.execute(stmt.order_by(Delivery.status))
        return {str(s): int(n) for s, n in rows}


def targets_of(conn: Connection, alert_id: int, kind: str) -> list[tuple[str, str]]:
    """(channel, target) of the alert's `kind` messages, in the order they were owed."""
    rows = conn.execute(
        select(Delivery.channel, Delivery.target)
        .where(Delivery.alert_id == alert_id, Delivery.kind == kind)
        .order_by(Delivery.id)
    )
    return [(str(c), str(t)) for c, t in rows]


def add_to_digest(conn: Connection, key: str, alert_id: int) -> bool:
    """Add the alert to the digest `key` if it exists and is not handed over yet; False when
    there is no such digest still to send (the caller owes a new one)."""
    row = conn.execute(
        select(Delivery.id, Delivery.status, Delivery.payload)
        .where(Delivery.key == key)
        .with_for_update()
    ).first()
    if row is None or row.status not in ("pending", "failed"):
        return False
    payload = dict(row.payload or {})
    alerts = [int(a) for a in payload.get("alerts", [])]
    if alert_id not in alerts:
        payload["alerts"] = [*alerts, alert_id]
        conn.execute(update(Delivery).where(Delivery.id == row.id).values(payload=payload))
    return True


def owed_for_alert(conn: Connection, alert_id: int, kinds: tuple[str, ...]) -> list[int]:
    """Ids of the alert's messages of these kinds not yet handed over."""
    return [
        int(i)
        for i in conn.execute(
            select(Delivery.id).where(
                and_(
                    Delivery.alert_id == alert_id,
                    Delivery.kind.in_(kinds),
                    Delivery.status.in_(("pending", "failed")),
                )
            )
        ).scalars()
    ]
