"""The audit log: every human action of the workspace (who, what, on which thing, when)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select

from storage.clock import utcnow
from storage.models import AuditEntry, AuditTarget


def record(
    conn: Connection,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
    at: datetime | None = None,
    targets: Sequence[str] = (),
) -> None:
    """One entry; `targets`: the things it acted on besides `target` (each mention of a bulk
    action: `mention:42`), whose histories list it."""
    done = conn.execute(
        insert(AuditEntry).values(
            at=at or utcnow(),
            actor=actor,
            action=action,
            target=target,
            detail=detail,
            address=address,
        )
    )
    others = sorted(set(targets) - {target})
    if others:
        entry = done.inserted_primary_key[0]  # type: ignore[index]
        conn.execute(insert(AuditTarget), [{"entry_id": entry, "target": t} for t in others])


def log(
    engine: Engine,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
) -> None:
    with engine.begin() as conn:
        record(conn, actor, action, target, detail, address)


def every_entry(engine: Engine, actor: str | None = None) -> Iterator[dict[str, Any]]:
    """Every entry (one person's), oldest first, read a thousand at a time: the log's export."""
    q = select(
        AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.target,
        AuditEntry.detail, AuditEntry.address,
    ).order_by(AuditEntry.id)  # fmt: skip
    if actor is not None:
        q = q.where(AuditEntry.actor == actor)
    with engine.connect() as conn:
        for part in conn.execution_options(yield_per=1000).execute(q).partitions():
            yield from (dict(r._mapping) for r in part)


def entries(
    engine: Engine, target: str | None = None, actor: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Newest first; for one thing (`mention:42`: the entries about it, and those that acted on
    it among others) or one person, or everything."""
    q = select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.actor,
        AuditEntry.action,
        AuditEntry.target,
        AuditEntry.detail,
        AuditEntry.address,
    )
    if target is not None:
        among = select(AuditTarget.entry_id).where(AuditTarget.target == target)
        q = q.where(or_(AuditEntry.target == target, AuditEntry.id.in_(among)))
    if actor is not None:
        q = q.where(AuditEntry.actor == actor)
    q = q.order_by(AuditEntry.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
