"""Retention: mentions older than their source kind's limit go, with what hangs on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, exists, false, func, or_, select

from storage.dialect import chunks
from storage.fulltext import forget_deleted
from storage.models import Author, AuthorProfile, Mention, Rejected, Source
from storage.privacy import delete_mentions, log_erasure


def _expired(conn: Any, kind: str, cutoff: datetime) -> list[int]:
    when = func.coalesce(Mention.published_at, Mention.collected_at)
    q = (
        select(Mention.id)
        .join(Source, Source.id == Mention.source_id)
        .where(Source.kind == kind, when < cutoff)
        .order_by(Mention.id)
    )
    return list(conn.execute(q).scalars())


def apply_retention(
    engine: Engine, cutoffs: dict[str, datetime], by: str, now: datetime, dry_run: bool = False
) -> dict[str, Any]:
    """Delete the mentions of each source kind published before its cutoff (labels, brand
    matches, flags, raw records with them), then authors left with no mention and records
    kept aside before the earliest cutoff. A dry run counts and deletes nothing.

    Reports already written keep their figures: they are documents, not rows."""
    counts: dict[str, Any] = {"by_kind": {}}
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        kinds = set(conn.execute(select(Source.kind).distinct()).scalars())
        for kind in sorted(kinds & set(cutoffs)):
            ids = _expired(conn, kind, cutoffs[kind])
            counts["by_kind"][kind] = len(ids)
            for part in chunks(ids):
                for table, n in delete_mentions(conn, part, dry_run).items():
                    counts[table] = counts.get(table, 0) + n
        for name in ("labels", "mention_brands", "mention_flags", "mentions"):
            counts.setdefault(name, 0)
        orphan = ~exists().where(Mention.author_id == Author.id)
        if dry_run:
            # Authors none of whose mentions would stay (no id list: a first pass can be large).
            when = func.coalesce(Mention.published_at, Mention.collected_at)
            expired = or_(
                false(),
                *(and_(Source.kind == kind, when < cut) for kind, cut in cutoffs.items()),
            )
            stays = (
                select(Mention.id)
                .join(Source, Source.id == Mention.source_id)
                .where(Mention.author_id == Author.id, ~expired)
            )
            q = select(func.count()).select_from(Author).where(~stays.exists())
            counts["authors"] = conn.execute(q).scalar_one()
        else:
            gone = list(conn.execute(select(Author.id).where(orphan)).scalars())
            counts["author_profiles"] = counts["authors"] = 0
            for part in chunks(gone):
                counts["author_profiles"] += conn.execute(
                    delete(AuthorProfile).where(AuthorProfile.author_id.in_(part))
                ).rowcount
                counts["authors"] += conn.execute(
                    delete(Author).where(Author.id.in_(part))
                ).rowcount
        if cutoffs:
            oldest = and_(Rejected.created_at < min(cutoffs.values()))
            if dry_run:
                q = select(func.count()).select_from(Rejected).where(oldest)
                counts["rejected"] = conn.execute(q).scalar_one()
            else:
                counts["rejected"] = conn.execute(delete(Rejected).where(oldest)).rowcount
        if not dry_run and counts["mentions"]:
            forget_deleted(conn)  # no word of a deleted text left in the full-text index
        if not dry_run and (counts["mentions"] or counts.get("authors") or counts.get("rejected")):
            counts["erasure_id"] = log_erasure(conn, "retention", by, now, counts)
    if not dry_run and engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts
