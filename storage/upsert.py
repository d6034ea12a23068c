"""The one bulk upsert every collector uses: mentions with their authors and brand matches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, and_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from storage.attention import far_reaching, rescore, rescore_authors, rescore_where
from storage.bulk import executemany, select_in, timestamp_binder, to_json, upsert_rows
from storage.clock import utcnow
from storage.dialect import chunks, insert
from storage.dismissals import dismissed_pairs
from storage.errors import translate
from storage.fulltext import index_new
from storage.models import Author, Mention, MentionAttention, MentionBrand, Source
from storage.planner import bulk_write
from storage.records import BrandMatch, MentionRecord
from storage.tombstones import refuse_erased

MENTION_COLUMNS = (
    "source_id", "external_id", "url", "thread_id", "thread_title", "thread_url", "parent_id",
    "author_id", "title", "text", "lang", "published_at", "collected_at", "likes", "shares",
    "comments", "views", "rating", "author_followers", "raw", "content_hash",
)  # fmt: skip
# Everything but the key and the first collection time is refreshed when the content changed.
MENTION_UPDATE = {
    c: f"excluded.{c}"
    for c in MENTION_COLUMNS
    if c not in ("source_id", "external_id", "collected_at")
}
AUTHOR_COLUMNS = (
    "source_id", "handle", "name", "profile_url", "followers", "post_count", "created_at",
    "first_seen_at", "last_seen_at", "extra",
)  # fmt: skip


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    erased: int = 0  # refused: the mention or its author was erased (`veille privacy erase`)

    @property
    def seen(self) -> int:
        return self.new + self.updated + self.unchanged + self.erased

    def __iadd__(self, other: UpsertCounts) -> UpsertCounts:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.erased += other.erased
        return self

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "seen": self.seen}


# Mentions a collector writes per transaction unless `database.batch_size` says otherwise
# (bench/README.md, "The million, eighth round": 20,000 saved PostgreSQL's import time; on
# SQLite no size measured better than 5,000).
DEFAULT_BATCH = {"sqlite": 5000, "postgresql": 20000}


def batch_size_for(url: str, configured: int | None) -> int:
    """The batch size of a collector writing into the database at `url`."""
    backend = make_url(url).get_backend_name()
    return configured or DEFAULT_BATCH.get(backend, DEFAULT_BATCH["sqlite"])


# The tables a stored batch grows (their planner statistics kept up: `storage.planner`).
WRITTEN_TABLES = tuple(m.__tablename__ for m in (Mention, Author, MentionBrand, MentionAttention))


class MentionStore:
    """Bulk upsert keyed on (source, external_id): storing again updates, never duplicates.

    Each batch is one transaction, so a killed run keeps every batch committed before it.
    A record whose mapped fields did not change is not written at all.
    """

    def __init__(self, engine: Engine, batch_size: int = DEFAULT_BATCH["sqlite"]) -> None:
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
            with bulk_write(self.engine, WRITTEN_TABLES) as conn:
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
        records, erased = refuse_erased(conn, records)
        by_name: dict[tuple[str, str], list[MentionRecord]] = {}
        for r in records:
            key = (r.source, r.source_kind)
            group = by_name.get(key)
            if group is None:
                by_name[key] = [r]
            else:
                group.append(r)
        by_source: dict[int, list[MentionRecord]] = {}
        for (name, kind), group in by_name.items():
            by_source.setdefault(self.source_id(conn, name, kind), []).extend(group)
        counts = UpsertCounts(erased=erased)
        for source_id, group in by_source.items():
            counts += self._upsert_mentions(conn, source_id, group)
        return counts

    def _upsert_mentions(
        self, conn: Connection, source_id: int, records: list[MentionRecord]
    ) -> UpsertCounts:
        existing = dict(
            select_in(
                conn,
                "SELECT external_id, content_hash FROM mentions"
                " WHERE source_id = ? AND external_id IN ({keys})",
                (source_id,),
                [r.external_id for r in records],
            )
        )
        counts = UpsertCounts()
        changed: list[tuple[MentionRecord, str]] = []
        for r in records:
            digest = r.digest or r.content_hash()
            old = existing.get(r.external_id)
            if old == digest:
                counts.unchanged += 1
                continue
            if old is None:
                counts.new += 1
            else:
                counts.updated += 1
            changed.append((r, digest))
        if not changed:
            return counts
        sqlite = conn.dialect.name == "sqlite"
        ts = timestamp_binder(conn)
        now = ts(utcnow())
        stamps: dict[Any, Any] = {None: now}  # a batch shares one or a few collection times

        def collected_ts(value: Any) -> Any:
            if value not in stamps:
                stamps[value] = ts(value)
            return stamps[value]

        # Each timestamp is converted once: the mention's and its author's seen-at share it.
        published = [ts(r.published_at) for r, _ in changed]
        collected = [collected_ts(r.collected_at) for r, _ in changed]
        handles = [r.author.handle for r, _ in changed if r.author and r.author.handle]
        reach_before = far_reaching(conn, source_id, handles)
        author_ids = self._upsert_authors(
            conn, source_id, [r for r, _ in changed], published, collected, now
        )
        if author_ids is None:
            # SQLite: the author's id is looked up inside the database, row by row.
            rows: list[tuple[Any, ...]] = [
                (
                    source_id, r.external_id, r.url, r.thread_id, r.thread_title, r.thread_url,
                    r.parent_id, source_id, r.author.handle if r.author else None, r.title,
                    r.text, r.lang, pub, col, r.likes, r.shares, r.comments, r.views, r.rating,
                    r.author_followers, to_json(r.raw), digest,
                )
                for (r, digest), pub, col in zip(changed, published, collected, strict=True)
            ]  # fmt: skip
            marks = ["?"] * len(MENTION_COLUMNS)
            marks[MENTION_COLUMNS.index("author_id")] = (
                "(SELECT id FROM authors WHERE source_id = ? AND handle = ?)"
            )
            values: str | None = ", ".join(marks)
        else:
            rows = [
                (
                    source_id, r.external_id, r.url, r.thread_id, r.thread_title, r.thread_url,
                    r.parent_id, author_ids.get(r.author.handle) if r.author else None, r.title,
                    r.text, r.lang, pub, col, r.likes, r.shares, r.comments, r.views, r.rating,
                    r.author_followers, to_json(r.raw), digest,
                )
                for (r, digest), pub, col in zip(changed, published, collected, strict=True)
            ]  # fmt: skip
            values = None
        ids = upsert_rows(
            conn, "mentions", MENTION_COLUMNS, rows, conflict=("source_id", "external_id"),
            update=MENTION_UPDATE, where="{t}.content_hash <> excluded.content_hash",
            returning="external_id, id", values=values,
        )  # fmt: skip
        del rows
        index_new(conn)  # SQLite's full-text index: the new rows (updates: its trigger)
        self._upsert_brands(conn, source_id, [r for r, _ in changed], ids, sqlite)
        # the inbox's stored score: these posts, and the other posts of authors whose
        # followers crossed the far-reaching line. PostgreSQL: by the ids the upsert returned
        # (by external id, a table whose statistics lag behind a bulk load is read whole for
        # each batch: a 1M import slowed to ~20 s a batch); SQLite: by the natural key's index.
        if ids is None:
            for part in chunks([r.external_id for r, _ in changed]):
                where = and_(Mention.source_id == source_id, Mention.external_id.in_(part))
                rescore_where(conn, where)
        else:
            rescore(conn, [mention_id for _, mention_id in ids])
        crossed = [
            aid
            for handle, (aid, far) in far_reaching(conn, source_id, list(reach_before)).items()
            if reach_before[handle][1] != far
        ]
        rescore_authors(conn, crossed)
        return counts

    def _upsert_authors(
        self,
        conn: Connection,
        source_id: int,
        records: list[MentionRecord],
        published: list[Any],
        collected: list[Any],
        now: Any,
    ) -> dict[str, int] | None:
        """Upsert the batch's authors; their ids by handle (None on SQLite: not looked up).

        `published` and `collected` are the records' timestamps already bound for the driver
        (comparable among themselves: SQLite's fixed-width text or aware datetimes).
        """
        ts = timestamp_binder(conn)
        rows: dict[str, list[Any]] = {}
        for r, pub, col in zip(records, published, collected, strict=True):
            a = r.author
            if a is None or not a.handle:
                continue
            seen = pub if pub is not None else (col if col is not None else now)
            row = rows.get(a.handle)
            if row is None:
                rows[a.handle] = [
                    source_id, a.handle, a.name, a.profile_url, a.followers, a.post_count,
                    a.created_at, seen, seen, a.extra,
                ]  # fmt: skip
                continue
            for i, value in ((2, a.name), (3, a.profile_url), (4, a.followers),
                             (5, a.post_count), (6, a.created_at)):  # fmt: skip
                if value is not None:
                    row[i] = value
            if a.extra is not None:
                row[9] = a.extra
            if seen < row[7]:
                row[7] = seen
            if seen > row[8]:
                row[8] = seen
        if not rows:
            return {}
        created: dict[Any, Any] = {None: None}  # profiles share few creation times per batch
        for row in rows.values():
            c = row[6]
            if c not in created:
                created[c] = ts(c)
            row[6] = created[c]
            if row[9] is not None:
                row[9] = to_json(row[9])
        pg = conn.dialect.name == "postgresql"
        low, high = ("least", "greatest") if pg else ("min", "max")
        update = {
            c: f"coalesce(excluded.{c}, {{t}}.{c})"
            for c in ("name", "profile_url", "followers", "post_count", "created_at", "extra")
        }
        update["first_seen_at"] = f"{low}(excluded.first_seen_at, {{t}}.first_seen_at)"
        update["last_seen_at"] = f"{high}(excluded.last_seen_at, {{t}}.last_seen_at)"
        returned = upsert_rows(
            conn, "authors", AUTHOR_COLUMNS, [tuple(r) for r in rows.values()],
            conflict=("source_id", "handle"), update=update, returning="handle, id",
        )  # fmt: skip
        return dict(returned) if returned is not None else None

    def _upsert_brands(
        self,
        conn: Connection,
        source_id: int,
        records: list[MentionRecord],
        returned: list[tuple[Any, ...]] | None,
        sqlite: bool,
    ) -> None:
        with_brands = [r for r in records if r.brands]
        if not with_brands:
            return
        update = {"query": "excluded.query", "matched_terms": "excluded.matched_terms"}
        if sqlite:
            # The mention's id is looked up inside the database: no round trip for the ids.
            # (A row another writer changed meanwhile is found too: it gets these brands.)
            # A pair a person dismissed (storage/dismissals.py) is never linked back.
            brand_rows = [
                (m.brand, m.query, to_json(m.matched_terms), source_id, r.external_id, m.brand)
                for r in with_brands
                for m in _unique_brands(r)
            ]
            executemany(
                conn,
                "INSERT INTO mention_brands (mention_id, brand, query, matched_terms)"
                " SELECT id, ?, ?, ? FROM mentions WHERE source_id = ? AND external_id = ?"
                " AND NOT EXISTS (SELECT 1 FROM brand_dismissals d"
                " WHERE d.mention_id = mentions.id AND d.brand = ?)"
                " ON CONFLICT (mention_id, brand) DO UPDATE SET"
                " query = excluded.query, matched_terms = excluded.matched_terms",
                brand_rows,
            )
            return
        ids = dict(returned or ())
        linked = [ids[r.external_id] for r in with_brands if r.external_id in ids]
        dismissed = dismissed_pairs(conn, linked)
        rows = [
            (ids[r.external_id], m.brand, m.query, to_json(m.matched_terms))
            for r in with_brands
            if r.external_id in ids  # a row another writer changed meanwhile keeps its brands
            for m in _unique_brands(r)
            if (ids[r.external_id], m.brand) not in dismissed
        ]
        if not rows:
            return
        upsert_rows(
            conn, "mention_brands", ("mention_id", "brand", "query", "matched_terms"), rows,
            conflict=("mention_id", "brand"), update=update,
        )  # fmt: skip


def _unique_brands(r: MentionRecord) -> Iterable[BrandMatch]:
    """One match per brand (the last one wins); most mentions match a single brand."""
    if len(r.brands) == 1:
        return r.brands
    return {m.brand: m for m in r.brands}.values()


def _batched(records: Iterable[MentionRecord], size: int) -> Iterator[list[MentionRecord]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch
