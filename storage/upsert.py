"""The one bulk upsert every collector uses: mentions with their authors and brand matches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, and_, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from storage.dialect import chunks, greatest, insert, least
from storage.errors import translate
from storage.models import Author, Mention, MentionBrand, Source, utcnow
from storage.records import MentionRecord

_MENTION_UPDATE = (
    "url", "thread_id", "thread_title", "thread_url", "parent_id", "author_id", "title", "text",
    "lang", "published_at", "likes", "shares", "comments", "views", "rating", "author_followers",
    "raw", "content_hash",
)  # fmt: skip


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def seen(self) -> int:
        return self.new + self.updated + self.unchanged

    def __iadd__(self, other: UpsertCounts) -> UpsertCounts:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "seen": self.seen}


class MentionStore:
    """Bulk upsert keyed on (source, external_id): storing again updates, never duplicates.

    Each batch is one transaction, so a killed run keeps every batch committed before it.
    A record whose mapped fields did not change is not written at all.
    """

    def __init__(self, engine: Engine, batch_size: int = 5000) -> None:
        self.engine = engine
        self.batch_size = batch_size
        self._source_ids: dict[str, int] = {}

    def store(self, records: Iterable[MentionRecord]) -> UpsertCounts:
        total = UpsertCounts()
        for batch in _batched(records, self.batch_size):
            total += self.store_batch(batch)
        return total

    def store_batch(self, records: Sequence[MentionRecord]) -> UpsertCounts:
        unique = {(r.source, r.external_id): r for r in records}
        if not unique:
            return UpsertCounts()
        try:
            with self.engine.begin() as conn:
                return self._store(conn, list(unique.values()))
        except (DBAPIError, SQLAlchemyError) as exc:
            self._source_ids.clear()
            raise translate(exc, str(self.engine.url)) from exc

    def source_id(self, conn: Connection, name: str, kind: str, url: str | None = None) -> int:
        if name not in self._source_ids:
            stmt = insert(conn, Source.__table__).values(
                name=name, kind=kind, url=url, created_at=utcnow()
            )
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
            self._source_ids[name] = conn.execute(
                select(Source.id).where(Source.name == name)
            ).scalar_one()
        return self._source_ids[name]

    def _store(self, conn: Connection, records: list[MentionRecord]) -> UpsertCounts:
        by_source: dict[int, list[MentionRecord]] = {}
        for r in records:
            by_source.setdefault(self.source_id(conn, r.source, r.source_kind), []).append(r)
        counts = UpsertCounts()
        for source_id, group in by_source.items():
            author_ids = self._upsert_authors(conn, source_id, group)
            counts += self._upsert_mentions(conn, source_id, group, author_ids)
        return counts

    def _upsert_authors(
        self, conn: Connection, source_id: int, records: list[MentionRecord]
    ) -> dict[str, int]:
        rows: dict[str, dict[str, Any]] = {}
        for r in records:
            a = r.author
            if a is None or not a.handle:
                continue
            seen = r.published_at or r.collected_at or utcnow()
            row = rows.get(a.handle)
            if row is None:
                rows[a.handle] = {
                    "source_id": source_id, "handle": a.handle, "name": a.name,
                    "profile_url": a.profile_url, "followers": a.followers,
                    "post_count": a.post_count, "created_at": a.created_at,
                    "first_seen_at": seen, "last_seen_at": seen, "extra": a.extra,
                }  # fmt: skip
                continue
            for key in ("name", "profile_url", "followers", "post_count", "created_at", "extra"):
                value = getattr(a, key)
                if value is not None:
                    row[key] = value
            row["first_seen_at"] = min(row["first_seen_at"], seen)
            row["last_seen_at"] = max(row["last_seen_at"], seen)
        if not rows:
            return {}
        table = Author.__table__
        stmt = insert(conn, table)
        ex = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=["source_id", "handle"],
            set_={
                "name": _coalesce(ex.name, table.c.name),
                "profile_url": _coalesce(ex.profile_url, table.c.profile_url),
                "followers": _coalesce(ex.followers, table.c.followers),
                "post_count": _coalesce(ex.post_count, table.c.post_count),
                "created_at": _coalesce(ex.created_at, table.c.created_at),
                "extra": _coalesce(ex.extra, table.c.extra),
                "first_seen_at": least(conn, ex.first_seen_at, table.c.first_seen_at),
                "last_seen_at": greatest(conn, ex.last_seen_at, table.c.last_seen_at),
            },
        )
        conn.execute(stmt, list(rows.values()))
        ids: dict[str, int] = {}
        for part in chunks(list(rows)):
            q = select(Author.handle, Author.id).where(
                and_(Author.source_id == source_id, Author.handle.in_(part))
            )
            ids.update({h: i for h, i in conn.execute(q).tuples()})
        return ids

    def _upsert_mentions(
        self,
        conn: Connection,
        source_id: int,
        records: list[MentionRecord],
        author_ids: dict[str, int],
    ) -> UpsertCounts:
        existing: dict[str, str] = {}
        for part in chunks([r.external_id for r in records]):
            q = select(Mention.external_id, Mention.content_hash).where(
                and_(Mention.source_id == source_id, Mention.external_id.in_(part))
            )
            existing.update({k: v for k, v in conn.execute(q).tuples()})
        now = utcnow()
        counts = UpsertCounts()
        rows: list[dict[str, Any]] = []
        written: list[MentionRecord] = []
        for r in records:
            digest = r.content_hash()
            old = existing.get(r.external_id)
            if old == digest:
                counts.unchanged += 1
                continue
            if old is None:
                counts.new += 1
            else:
                counts.updated += 1
            rows.append(_mention_row(r, source_id, author_ids, digest, now))
            written.append(r)
        if not rows:
            return counts
        table = Mention.__table__
        stmt = insert(conn, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["source_id", "external_id"],
            set_={name: stmt.excluded[name] for name in _MENTION_UPDATE},
            where=table.c.content_hash != stmt.excluded.content_hash,
        )
        conn.execute(stmt, rows)
        self._upsert_brands(conn, source_id, written)
        return counts

    def _upsert_brands(
        self, conn: Connection, source_id: int, records: list[MentionRecord]
    ) -> None:
        with_brands = [r for r in records if r.brands]
        if not with_brands:
            return
        ids: dict[str, int] = {}
        for part in chunks([r.external_id for r in with_brands]):
            q = select(Mention.external_id, Mention.id).where(
                and_(Mention.source_id == source_id, Mention.external_id.in_(part))
            )
            ids.update({k: v for k, v in conn.execute(q).tuples()})
        rows = [
            {
                "mention_id": ids[r.external_id],
                "brand": m.brand,
                "query": m.query,
                "matched_terms": m.matched_terms,
            }
            for r in with_brands
            for m in {m.brand: m for m in r.brands}.values()
        ]
        stmt = insert(conn, MentionBrand.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["mention_id", "brand"],
            set_={"query": stmt.excluded.query, "matched_terms": stmt.excluded.matched_terms},
        )
        conn.execute(stmt, rows)


def _coalesce(new: Any, old: Any) -> Any:
    from sqlalchemy import func

    return func.coalesce(new, old)


def _mention_row(
    r: MentionRecord, source_id: int, author_ids: dict[str, int], digest: str, now: datetime
) -> dict[str, Any]:
    return {
        "source_id": source_id, "external_id": r.external_id, "url": r.url,
        "thread_id": r.thread_id, "thread_title": r.thread_title, "thread_url": r.thread_url,
        "parent_id": r.parent_id,
        "author_id": author_ids.get(r.author.handle) if r.author else None,
        "title": r.title, "text": r.text, "lang": r.lang, "published_at": r.published_at,
        "collected_at": r.collected_at or now, "likes": r.likes, "shares": r.shares,
        "comments": r.comments, "views": r.views, "rating": r.rating,
        "author_followers": r.author_followers, "raw": r.raw, "content_hash": digest,
    }  # fmt: skip


def _batched(records: Iterable[MentionRecord], size: int) -> Iterator[list[MentionRecord]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch
