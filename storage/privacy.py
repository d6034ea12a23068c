"""Personal data: erasure of a person or of posts, and the erasure log.

An erasure removes the mentions, their labels, brand matches and flags, the author rows and
profiles, redacts `@handle` in other people's mentions and alert snapshots, logs what kind of
erasure it was and how many rows went (never what they held), and leaves tombstones: hashes of
the erased keys (storage/tombstones.py) that `storage.upsert.MentionStore` checks, so a later
crawl or import does not bring the records back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, String, cast, delete, func, select, update

from storage.attention import rescore
from storage.authors import forget_derived, forget_signatures
from storage.dialect import chunks, insert
from storage.fulltext import forget_deleted
from storage.models import (
    Alert,
    Author,
    AuthorProfile,
    AuthorTag,
    CrawlThread,
    Delivery,
    Erasure,
    Label,
    Mention,
    MentionBrand,
    MentionFlag,
    Rejected,
    Source,
    Tombstone,
)
from storage.themes import forget as forget_themes
from storage.tombstones import key_hash, redact_text, redact_value, title_hash

WHAT = ("author", "mention", "match")


@dataclass(frozen=True)
class Target:
    """Who or what to erase: an author (source name and handle), one mention, or a text."""

    what: str
    source: str | None = None
    handle: str | None = None
    mention_id: int | None = None
    text: str | None = None

    @classmethod
    def author(cls, value: str) -> Target:
        """From `SOURCE:HANDLE` (the source's name in the configuration)."""
        source, sep, handle = value.partition(":")
        handle = handle.strip().lstrip("@")
        if not sep or not source.strip() or not handle:
            raise ValueError(f"{value!r} is not SOURCE:HANDLE (e.g. twitter:julie_m)")
        return cls("author", source=source.strip(), handle=handle)


@dataclass
class Found:
    """The rows an erasure touches (held in memory only while it runs)."""

    mention_ids: list[int] = field(default_factory=list)
    author_ids: list[int] = field(default_factory=list)
    # (source name, handle) of the erased authors (author target only), for redaction
    handles: list[tuple[str, int, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the erased authors' display names
    # (source name, source id, thread id, title) of erased posts that titled a thread
    titles: list[tuple[str, int, str, str]] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)  # (source name, external id)
    texts: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    brands: set[str] = field(default_factory=set)
    first: datetime | None = None
    last: datetime | None = None


@dataclass
class ErasureResult:
    """What an erasure removed (rows per table), and what it cannot recall."""

    erasure_id: int | None
    counts: dict[str, int]
    found: Found
    sent: list[dict[str, Any]] = field(default_factory=list)  # alert messages already sent

    @property
    def nothing(self) -> bool:
        return not self.found.mention_ids and not self.found.author_ids


def find(conn: Connection, target: Target) -> Found:
    """The mentions and authors `target` names (nothing when it names nothing)."""
    q = select(
        Mention.id, Mention.author_id, Source.name, Source.id, Mention.external_id, Mention.text,
        Mention.title, Mention.url, Mention.published_at, Mention.thread_id,
    ).join(Source, Source.id == Mention.source_id)  # fmt: skip
    found = Found()
    if target.what == "author":
        assert target.source is not None and target.handle is not None
        authors = conn.execute(
            select(Author.id, Source.name, Source.id, Author.handle, Author.name)
            .join(Source, Source.id == Author.source_id)
            .where(
                func.lower(Source.name) == target.source.lower(),
                func.lower(Author.handle) == target.handle.lower(),
            )
        ).all()
        found.author_ids = [a.id for a in authors]
        found.handles = [(name, sid, handle) for _, name, sid, handle, _ in authors]
        found.names = [display for *_, display in authors if display]
        if not found.author_ids:
            return found
        q = q.where(Mention.author_id.in_(found.author_ids))
    elif target.what == "mention":
        q = q.where(Mention.id == target.mention_id)
    elif target.what == "match":
        assert target.text
        q = q.where(func.lower(Mention.text).contains(target.text.lower(), autoescape=True))
    else:
        raise ValueError(f"unknown erasure {target.what!r}; one of {', '.join(WHAT)}")
    rows = conn.execute(q.order_by(Mention.id)).all()
    for mid, aid, source, sid, external_id, text, title, url, published, thread in rows:
        found.mention_ids.append(mid)
        if title and thread:
            found.titles.append((source, sid, thread, title))
        found.keys.append((source, external_id))
        found.texts.extend(t for t in (text, title) if t)
        if url:
            found.urls.append(url)
        if aid is not None and aid not in found.author_ids and target.what != "author":
            found.author_ids.append(aid)  # erased below only if left with no mention
        if published is not None:
            found.first = min(found.first or published, published)
            found.last = max(found.last or published, published)
    for part in chunks(found.mention_ids):
        found.brands.update(
            conn.execute(
                select(MentionBrand.brand).where(MentionBrand.mention_id.in_(part)).distinct()
            ).scalars()
        )
    return found


def erase(
    engine: Engine, target: Target, by: str, now: datetime, dry_run: bool = False
) -> ErasureResult:
    """Erase what `target` names in one transaction; a dry run counts and changes nothing."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # Deleted rows are overwritten with zeros, not left in the file's free pages.
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        found = find(conn, target)
        counts = _delete(conn, target, found, dry_run)
        if not dry_run and found.mention_ids:
            forget_deleted(conn)  # no word of an erased text left in the full-text index
        sent = sent_messages(conn, found) if found.mention_ids else []
        erasure_id = None
        if not dry_run and (found.mention_ids or found.author_ids):
            erasure_id = log_erasure(conn, target.what, by, now, counts)
            _bury(conn, target, found, erasure_id, now)
    if not dry_run and engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # old pages of the erased rows leave the WAL too
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return ErasureResult(erasure_id, counts, found, sent)


def _delete(conn: Connection, target: Target, found: Found, dry_run: bool) -> dict[str, int]:
    ids = found.mention_ids
    counts = delete_mentions(conn, ids, dry_run)
    # Authors: the named person's rows; for posts, their authors left with no other post.
    authors = list(found.author_ids)
    if target.what != "author":
        authors = [a for a in authors if not _has_mentions(conn, a, exclude=ids)]
    counts["author_tags"] = _count_or_delete(conn, AuthorTag, AuthorTag.author_id, authors, dry_run)
    counts["author_profiles"] = _count_or_delete(
        conn, AuthorProfile, AuthorProfile.author_id, authors, dry_run
    )
    counts["authors"] = _count_or_delete(conn, Author, Author.id, authors, dry_run)
    counts["redacted_mentions"] = _redact_mentions(conn, found, dry_run)
    counts["thread_titles"] = _drop_thread_titles(conn, found, dry_run)
    counts["redacted_alerts"] = _redact_alerts(conn, target, found, dry_run)
    counts["rejected"] = _delete_rejected(conn, target, found, dry_run)
    return counts


def delete_mentions(conn: Connection, ids: Sequence[int], dry_run: bool) -> dict[str, int]:
    """Delete mentions with their labels, brand matches and flags; rows per table."""
    counts: dict[str, int] = {}
    for name, model, column in (
        ("labels", Label, Label.mention_id),
        ("mention_brands", MentionBrand, MentionBrand.mention_id),
        ("mention_flags", MentionFlag, MentionFlag.mention_id),
        ("mentions", Mention, Mention.id),
    ):
        counts[name] = _count_or_delete(conn, model, column, ids, dry_run)
    if not dry_run:
        forget_signatures(conn, ids)
        forget_derived(conn, ids)
        forget_themes(conn, ids)
    return counts


def _count_or_delete(
    conn: Connection, model: Any, column: Any, ids: Sequence[int], dry_run: bool
) -> int:
    n = 0
    for part in chunks(list(ids)):
        if dry_run:
            n += conn.execute(
                select(func.count()).select_from(model).where(column.in_(part))
            ).scalar_one()
        else:
            n += conn.execute(delete(model).where(column.in_(part))).rowcount
    return n


def _has_mentions(conn: Connection, author_id: int, exclude: Sequence[int]) -> bool:
    q = select(Mention.id).where(Mention.author_id == author_id)
    if exclude:
        q = q.where(Mention.id.not_in(list(exclude)))
    return conn.execute(q.limit(1)).first() is not None


def _redact_mentions(conn: Connection, found: Found, dry_run: bool) -> int:
    """Other people's mentions naming an erased author: `@handle` becomes `@user`."""
    n = 0
    erased = set(found.mention_ids)
    for _, source_id, handle in found.handles:
        like = f"%{handle.lower()}%"
        rows = conn.execute(
            select(Mention.id, Mention.text, Mention.title, Mention.raw).where(
                Mention.source_id == source_id,
                (func.lower(Mention.text).like(like))
                | (func.lower(Mention.title).like(like))
                | (func.lower(cast(Mention.raw, String)).like(like)),
            )
        ).all()
        for mid, text, title, raw in rows:
            if mid in erased:  # the person's own posts go whole (a dry run still sees them)
                continue
            values = {
                "text": redact_text(text, [handle]),
                "title": redact_text(title, [handle]) if title else title,
                "raw": redact_value(raw, [handle]),
            }
            if (values["text"], values["title"], values["raw"]) == (text, title, raw):
                continue
            n += 1
            if not dry_run:
                conn.execute(update(Mention).where(Mention.id == mid).values(**values))
                forget_derived(conn, [mid])  # its cues, @handles and hash: of the old text
                forget_themes(conn, [mid])  # and its themes
                rescore(conn, [mid])  # a question mark may have gone with the handle
    return n


def _drop_thread_titles(conn: Connection, found: Found, dry_run: bool) -> int:
    """A thread titled by an erased post loses its title in the replies and the crawl state."""
    n = 0
    for source, source_id, thread, title in found.titles:
        replies = (Mention.source_id == source_id) & (Mention.thread_id == thread)
        replies &= Mention.thread_title == title
        seen = (CrawlThread.source == source) & (CrawlThread.thread_id == thread)
        seen &= CrawlThread.title == title
        if dry_run:
            for model, cond in ((Mention, replies), (CrawlThread, seen)):
                n += conn.execute(select(func.count()).select_from(model).where(cond)).scalar_one()
            continue
        n += conn.execute(update(Mention).where(replies).values(thread_title=None)).rowcount
        n += conn.execute(update(CrawlThread).where(seen).values(title=None)).rowcount
    return n


def _redact_alerts(conn: Connection, target: Target, found: Found, dry_run: bool) -> int:
    """Alert snapshots list influential authors with a post's URL: those erased go."""
    urls = set(found.urls)
    handles = {(s.casefold(), h.casefold()) for s, _, h in found.handles}
    if not urls and not handles:
        return 0
    n = 0
    for aid, details in conn.execute(select(Alert.id, Alert.details)).all():
        if not details:
            continue
        changed = False
        new = dict(details)
        for key, snap in details.items():
            if not isinstance(snap, dict) or not snap.get("influencers"):
                continue
            kept = [
                inf
                for inf in snap["influencers"]
                if inf.get("url") not in urls
                and (str(inf.get("source", "")).casefold(), str(inf.get("author", "")).casefold())
                not in handles
            ]
            if len(kept) != len(snap["influencers"]):
                new[key] = {**snap, "influencers": kept}
                changed = True
        if changed:
            n += 1
            if not dry_run:
                conn.execute(update(Alert).where(Alert.id == aid).values(details=new))
    return n


def _delete_rejected(conn: Connection, target: Target, found: Found, dry_run: bool) -> int:
    """Records kept aside (unreadable, refused) that hold the person's handle or the texts."""
    needles = [h for _, _, h in found.handles] if target.what == "author" else []
    if target.what == "match" and target.text:
        needles.append(target.text)
    n = 0
    for needle in needles:
        cond = func.lower(Rejected.record).contains(needle.lower(), autoescape=True)
        if dry_run:
            n += conn.execute(select(func.count()).select_from(Rejected).where(cond)).scalar_one()
        else:
            n += conn.execute(delete(Rejected).where(cond)).rowcount
    return n


def sent_messages(conn: Connection, found: Found) -> list[dict[str, Any]]:
    """Alert messages already sent about the erased mentions' brands since the first of them:
    they may quote the person and cannot be recalled; the erasure lists them."""
    if not found.brands or found.first is None:
        return []
    q = (
        select(Delivery.id, Delivery.kind, Delivery.channel, Delivery.target, Delivery.sent_at,
               Delivery.delivered_to, Alert.brand)
        .join(Alert, Alert.id == Delivery.alert_id)
        .where(Alert.brand.in_(sorted(found.brands)), Delivery.status.in_(("sent", "unconfirmed")),
               Delivery.created_at >= found.first)
        .order_by(Delivery.id)
    )  # fmt: skip
    return [dict(r._mapping) for r in conn.execute(q)]


def log_erasure(conn: Connection, what: str, by: str, now: datetime, counts: dict[str, int]) -> int:
    row = conn.execute(
        insert(conn, Erasure.__table__)
        .values(at=now, by=by[:200], what=what, counts=counts)
        .returning(Erasure.id)
    ).scalar_one()
    return int(row)


def _bury(conn: Connection, target: Target, found: Found, erasure_id: int, now: datetime) -> None:
    hashes = {key_hash("mention", source, ext): "mention" for source, ext in found.keys}
    for source, _, handle in found.handles:
        hashes[key_hash("author", source, handle)] = "author"
    for source, _, thread, title in found.titles:
        hashes[title_hash(source, thread, title)] = "title"
    rows = [
        {"key_hash": h, "kind": kind, "erasure_id": erasure_id, "created_at": now}
        for h, kind in hashes.items()
    ]
    for part in chunks(rows, 1000):
        stmt = insert(conn, Tombstone.__table__).values(part)
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["key_hash"]))


def erasure_log(conn: Connection, limit: int = 100) -> list[dict[str, Any]]:
    """The latest erasures, newest first (no personal data: what, when, by whom, rows)."""
    q = select(Erasure.id, Erasure.at, Erasure.by, Erasure.what, Erasure.counts)
    return [dict(r._mapping) for r in conn.execute(q.order_by(Erasure.id.desc()).limit(limit))]
