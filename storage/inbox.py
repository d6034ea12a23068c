"""The workspace's reads and writes on mentions: the inbox (what needs attention first), one
mention with its context, triage (status, assignee), notes, and the dashboard's series.

Full-text search uses SQLite FTS5 (`mentions_fts`, migration 0014) or PostgreSQL's stored
`to_tsvector('simple', title || ' ' || text)` and its GIN index (`FULLTEXT_PG`, 0016).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    String,
    and_,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.orm import aliased

from storage.alerts import in_episode
from storage.alike import alike, alike_counts
from storage.attention import OPEN_STATUSES, reach, rescore
from storage.author_tags import tagged
from storage.clock import utcnow
from storage.contributors import author_card
from storage.dismissals import taken_off
from storage.handoffs import handed_over
from storage.mentions import not_by
from storage.models import (
    Alert,
    Author,
    AuthorProfile,
    Label,
    Mention,
    MentionAttention,
    MentionBrand,
    MentionFlag,
    MentionNote,
    MentionTriage,
    Source,
)
from storage.scope import brand_condition, mention_condition

STATUSES = ("new", "in_progress", "answered", "closed")
# PostgreSQL: the stored words (a generated column, migration 0016) that its GIN index holds;
# stored, they are read rather than computed again when the inbox's order is walked.
FULLTEXT_PG = "mentions.fulltext"
_WORD = re.compile(r"\w+", re.UNICODE)
FULLTEXT_SORT = 2000  # up to this many full-text matches are sorted; more, the order is walked


@dataclass
class InboxFilter:
    brand: str | None = None
    source: str | None = None
    sentiment: str | None = None
    topic: str | None = None
    profile: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    status: str | None = "open"  # open (new or in progress), a status, or None for all
    assignee: str | None = None  # a name, or "-" for nobody
    words: str | None = None  # full-text: every word must appear
    alert: int | None = None  # the posts of this alert's episode
    author: int | None = None  # one contributor's posts (authors.id)
    alike: int | None = None  # the posts alike this one, and itself (storage.alike)
    ids_between: tuple[int, int] | None = None  # ids after the first, up to the second
    author_tag: str | None = None  # the posts of the authors the team tagged so
    off_topic: str | None = None  # the posts the team took off this brand (storage.dismissals)
    ids: Sequence[int] = field(default_factory=tuple)
    scope: tuple[str, ...] | None = None  # the brands the reader sees (storage.scope)


# Built once: a new alias per query costs SQLAlchemy milliseconds (and its statement cache).
_SENT, _TOP = aliased(Label, name="sent"), aliased(Label, name="top")


def _sentiment_topic() -> tuple[Any, Any]:
    return _SENT, _TOP


def fulltext_terms(words: str) -> list[str]:
    return _WORD.findall(words)


def _fulltext(conn: Connection, words: str, ordered: bool = True) -> Any:
    """The full-text condition. With few matches (FULLTEXT_SORT at most) the index's list is
    the start and it is sorted; with many, the inbox's order is walked and each mention kept
    if in the list (SQLite) or if its words match (PostgreSQL): a page needs few of them."""
    terms = fulltext_terms(words)
    if not terms:
        return None
    if conn.dialect.name == "sqlite":
        match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
        clause = text("mentions_fts MATCH :fts_match").bindparams(fts_match=match)
        found: Any = select(literal_column("rowid")).select_from(text("mentions_fts")).where(clause)
    else:
        clause = text(f"{FULLTEXT_PG} @@ plainto_tsquery('simple', :fts_words)").bindparams(
            fts_words=" ".join(terms)
        )
        found = select(Mention.id).where(clause)
    if not ordered:  # a count: start from the matches
        return Mention.id.in_(found) if conn.dialect.name == "sqlite" else clause
    many = conn.execute(
        select(func.count()).select_from(found.limit(FULLTEXT_SORT + 1).subquery())
    ).scalar_one()
    if many <= FULLTEXT_SORT:
        if conn.dialect.name == "sqlite":
            return Mention.id.in_(found)
        # an array computed once: the stored scores are then looked up by key, and sorted
        return MentionAttention.mention_id == func.any(func.array(found.scalar_subquery()))
    # `id + 0`: SQLite walks the order instead of starting from the list and sorting it all
    return (Mention.id + 0).in_(found) if conn.dialect.name == "sqlite" else clause


def _episode(conn: Connection, alert_id: int) -> Any:
    row = conn.execute(
        select(Alert.brand, Alert.opened_at, Alert.closed_at).where(Alert.id == alert_id)
    ).first()
    return false() if row is None else in_episode(row.brand, row.opened_at, row.closed_at)


def _base(conn: Connection, f: InboxFilter, ordered: bool = True) -> tuple[Any, dict[str, Any]]:
    """The select (no columns yet) with every join and filter, and the named expressions
    (`ordered`: for rows in the inbox's order, else for a count).

    It starts from the stored score (storage/attention.py): the inbox's order is its index's.
    """
    sent, top = _sentiment_topic()
    att = MentionAttention
    status = func.coalesce(MentionTriage.status, "new")
    q = (
        select()
        .select_from(att)
        .join(Mention, Mention.id == att.mention_id)
        .join(Source, Source.id == Mention.source_id)
        .join(Author, Author.id == Mention.author_id, isouter=True)
        .join(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"), isouter=True)
        .join(top, and_(top.mention_id == Mention.id, top.task == "topic"), isouter=True)
        .join(MentionTriage, MentionTriage.mention_id == Mention.id, isouter=True)
    )
    if f.brand:
        q = q.where(
            exists().where(MentionBrand.mention_id == Mention.id, MentionBrand.brand == f.brand)
        )
    if f.source:
        q = q.where(Source.name == f.source)
    if f.sentiment:
        q = q.where(sent.value == f.sentiment)
    if f.topic:
        q = q.where(top.value == f.topic)
    if f.profile:
        q = q.where(
            exists().where(
                AuthorProfile.author_id == Mention.author_id, AuthorProfile.profile == f.profile
            )
        )
    if f.since is not None:
        q = q.where(att.published_at >= f.since)
    if f.until is not None:
        q = q.where(att.published_at < f.until)
    if f.status == "open":
        q = q.where(att.is_open == true())
    elif f.status == "new":
        q = q.where(
            att.is_open == true(),
            or_(MentionTriage.status.is_(None), MentionTriage.status == "new"),
        )
    elif f.status:
        q = q.where(att.is_open == (true() if f.status in OPEN_STATUSES else false()))
        q = q.where(MentionTriage.status == f.status)
    if f.assignee == "-":
        q = q.where(MentionTriage.assignee.is_(None))
    elif f.assignee:
        q = q.where(MentionTriage.assignee == f.assignee)
    if f.words:
        condition = _fulltext(conn, f.words, ordered)
        if condition is not None:
            q = q.where(condition)
    if f.alert is not None:
        q = q.where(_episode(conn, f.alert))
    if f.author is not None:
        q = q.where(Mention.author_id == f.author)
    if f.author_tag:
        q = q.where(tagged(Mention.author_id, f.author_tag))
    if f.alike is not None:
        q = q.where(alike(f.alike))
    if f.off_topic:
        q = q.where(taken_off(f.off_topic))
    if f.ids_between is not None:
        q = q.where(Mention.id > f.ids_between[0], Mention.id <= f.ids_between[1])
    if f.ids:
        q = q.where(Mention.id.in_(list(f.ids)))
    if f.scope is not None:
        q = q.where(mention_condition(f.scope, many=not ordered))
        if any(b and b not in f.scope for b in (f.brand, f.off_topic)):
            q = q.where(false())  # another brand's posts: none to see
    named = {"sent": sent, "top": top, "reach": reach(), "status": status, "priority": att.score}
    return q, named


def _columns(named: dict[str, Any]) -> list[Any]:
    sent, top = named["sent"], named["top"]
    return [
        Mention.id,
        Mention.published_at,
        Source.name.label("source"),
        Source.kind.label("source_kind"),
        Mention.author_id,
        Author.handle.label("author"),
        Author.name.label("author_name"),
        Mention.title,
        Mention.text,
        Mention.url,
        Mention.lang,
        sent.value.label("sentiment"),
        sent.score.label("sentiment_score"),
        sent.by_human.label("sentiment_by_human"),
        top.value.label("topic"),
        top.score.label("topic_score"),
        top.by_human.label("topic_by_human"),
        named["status"].label("status"),
        MentionTriage.assignee,
        named["reach"].label("reach"),
        named["priority"].label("priority"),
    ]


def _with_brands(
    conn: Connection, rows: list[dict[str, Any]], scope: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """Each row with its brands (those `scope` sees: storage.scope)."""
    ids = [r["id"] for r in rows]
    brands: dict[int, list[str]] = {}
    if ids:
        for mid, brand in conn.execute(
            select(MentionBrand.mention_id, MentionBrand.brand)
            .where(MentionBrand.mention_id.in_(ids), brand_condition(scope, MentionBrand.brand))
            .order_by(MentionBrand.brand)
        ):
            brands.setdefault(mid, []).append(brand)
    for r in rows:
        r["brands"] = brands.get(r["id"], [])
    return rows


def _with_handoffs(
    conn: Connection, rows: list[dict[str, Any]], scope: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """Each row's `handed_to`: the targets (a helpdesk, a CRM) it was handed over to, and
    `alike`: how many posts its group of posts alike holds (0: alike no other)."""
    ids = [r["id"] for r in rows]
    targets = handed_over(conn, ids)
    groups = alike_counts(conn, ids, scope)
    for r in rows:
        r["handed_to"] = targets.get(r["id"], [])
        r["alike"] = groups.get(r["id"], 0)
    return rows


def _order_key(order: str) -> list[Any]:
    """The columns of the inbox's order, each descending: the most urgent, then the newest."""
    att = MentionAttention
    if order == "attention":
        return [att.score, att.published_at, att.mention_id]
    return [att.published_at, att.mention_id]


def _ordered(q: Any, named: dict[str, Any], order: str) -> Any:
    """In `order`: attention (the most urgent, then the newest), date (the newest) or oldest."""
    q = q.add_columns(*_columns(named))
    return q.order_by(*(c.asc() if order == "oldest" else c.desc() for c in _order_key(order)))


def beside(
    engine: Engine,
    f: InboxFilter,
    mention_id: int,
    before: bool,
    limit: int = 1,
    order: str = "attention",
) -> list[dict[str, Any]]:
    """The filter's mentions just before this one in the inbox's order (nearer the top) or
    just after it, nearest first (the mention page's previous and next)."""
    key_columns = _order_key(order)
    with engine.connect() as conn:
        key = conn.execute(
            select(*key_columns).where(MentionAttention.mention_id == mention_id)
        ).first()
        if key is None:
            return []
        q, named = _base(conn, f)
        here = tuple_(*key_columns)
        q = q.add_columns(*_columns(named))
        if before:
            q = q.where(here > tuple(key)).order_by(*(c.asc() for c in key_columns))
        else:
            q = q.where(here < tuple(key)).order_by(*(c.desc() for c in key_columns))
        rows = [dict(r._mapping) for r in conn.execute(q.limit(limit))]
        return _with_brands(conn, rows, f.scope)


def inbox_page(
    engine: Engine, f: InboxFilter, limit: int = 50, offset: int = 0, order: str = "attention"
) -> list[dict[str, Any]]:
    """One page of mentions, those that need attention first (then the newest)."""
    with engine.connect() as conn:
        q, named = _base(conn, f)
        q = _ordered(q, named, order)
        rows = [dict(r._mapping) for r in conn.execute(q.limit(limit).offset(offset))]
        return _with_handoffs(conn, _with_brands(conn, rows, f.scope), f.scope)


def count(engine: Engine, f: InboxFilter, cap: int | None = None) -> int:
    """How many mentions the filter holds; with `cap`, counting stops past it (cap + 1)."""
    with engine.connect() as conn:
        q, _ = _base(conn, f, ordered=False)
        if cap is None:
            return int(conn.execute(q.add_columns(func.count())).scalar_one())
        limited = q.add_columns(Mention.id).limit(cap + 1).subquery()
        return int(conn.execute(select(func.count()).select_from(limited)).scalar_one())


def iter_filtered(
    engine: Engine,
    f: InboxFilter,
    order: str = "attention",
    batch: int = 2000,
    limit: int | None = None,
) -> Generator[dict[str, Any], None, None]:
    """Every mention of the filter in inbox order (the first `limit`), from one query read
    `batch` rows at a time (exports, and the query language's scan, which may stop early:
    close the iterator). A limit lets the database keep only the top rows while sorting."""
    with engine.connect() as conn:
        q, named = _base(conn, f)
        q = _ordered(q, named, order)
        if limit is not None:
            q = q.limit(limit)
        result = conn.execution_options(yield_per=batch).execute(q)
        try:
            for part in result.partitions():
                yield from _with_brands(conn, [dict(r._mapping) for r in part], f.scope)
        finally:
            result.close()


# --- one mention ---------------------------------------------------------------------------


def mention(
    engine: Engine, mention_id: int, scope: tuple[str, ...] | None = None
) -> dict[str, Any] | None:
    """The mention with its source, author card, labels, brands, triage, notes and thread
    (its posts alike counted among those `scope` sees)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                Mention.id,
                Mention.source_id,
                Mention.external_id,
                Mention.url,
                Mention.thread_id,
                Mention.thread_title,
                Mention.thread_url,
                Mention.parent_id,
                Mention.author_id,
                Mention.title,
                Mention.text,
                Mention.lang,
                Mention.published_at,
                Mention.collected_at,
                Mention.likes,
                Mention.shares,
                Mention.comments,
                Mention.views,
                Mention.rating,
                Mention.author_followers,
                Source.name.label("source"),
                Source.kind.label("source_kind"),
            )
            .join(Source, Source.id == Mention.source_id)
            .where(Mention.id == mention_id)
        ).first()
        if row is None:
            return None
        m = dict(row._mapping)
        m["labels"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    Label.task,
                    Label.value,
                    Label.score,
                    Label.model,
                    Label.version,
                    Label.by_human,
                    Label.review,
                    Label.labelled_at,
                )
                .where(Label.mention_id == mention_id)
                .order_by(Label.task)
            )
        ]
        matched = conn.execute(
            select(MentionBrand.brand, MentionBrand.matched_terms)
            .where(MentionBrand.mention_id == mention_id)
            .order_by(MentionBrand.brand)
        ).all()
        m["brands"] = [b for b, _ in matched]
        m["brand_terms"] = {b: list(terms or []) for b, terms in matched}  # what the query found
        m["flags"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(MentionFlag.kind, MentionFlag.reason).where(
                    MentionFlag.mention_id == mention_id
                )
            )
        ]
        triage = conn.execute(
            select(
                MentionTriage.status,
                MentionTriage.assignee,
                MentionTriage.updated_at,
                MentionTriage.updated_by,
            ).where(MentionTriage.mention_id == mention_id)
        ).first()
        m["status"] = triage.status if triage else "new"
        m["assignee"] = triage.assignee if triage else None
        m["alike"] = alike_counts(conn, [mention_id], scope).get(mention_id, 0)
        m["notes"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(MentionNote.author, MentionNote.text, MentionNote.created_at)
                .where(MentionNote.mention_id == mention_id)
                .order_by(MentionNote.id)
            )
        ]
        m["author"] = None if m["author_id"] is None else author_card(conn, m["author_id"])
        m["parent"], m["thread"] = _thread(conn, m)
    return m


_THREAD_COLUMNS = (
    Mention.id,
    Mention.external_id,
    Mention.published_at,
    Mention.title,
    Mention.text,
    Author.handle.label("author"),
)


def _thread(
    conn: Connection, m: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The parent post and up to 5 neighbours on each side in the same thread."""
    base = select(*_THREAD_COLUMNS).join(Author, Author.id == Mention.author_id, isouter=True)
    parent = None
    if m["parent_id"]:
        row = conn.execute(
            base.where(Mention.source_id == m["source_id"], Mention.external_id == m["parent_id"])
        ).first()
        parent = dict(row._mapping) if row is not None else None
    if not m["thread_id"] or m["published_at"] is None:
        return parent, []
    same = base.where(
        Mention.source_id == m["source_id"],
        Mention.thread_id == m["thread_id"],
        Mention.id != m["id"],
    )
    before = conn.execute(
        same.where(Mention.published_at <= m["published_at"])
        .order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(5)
    ).all()
    after = conn.execute(
        same.where(Mention.published_at > m["published_at"])
        .order_by(Mention.published_at, Mention.id)
        .limit(5)
    ).all()
    rows = [dict(r._mapping) for r in reversed(before)]
    rows.append(
        {
            "id": m["id"],
            "current": True,
            "published_at": m["published_at"],
            "title": m["title"],
            "text": m["text"],
            "author": None,
            "external_id": m["external_id"],
        }
    )
    rows += [dict(r._mapping) for r in after]
    return parent, rows


def existing_ids(engine: Engine, ids: Sequence[int]) -> list[int]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Mention.id).where(Mention.id.in_(list(ids)))).scalars())


# --- triage ----------------------------------------------------------------------------------


def set_triage(
    conn: Connection,
    ids: Sequence[int],
    by: str,
    status: str | None = None,
    assignee: str | None = None,
    unassign: bool = False,
) -> int:
    """Set the status and/or the assignee of these mentions; returns how many changed."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    now = utcnow()
    known = dict(
        conn.execute(
            select(MentionTriage.mention_id, MentionTriage.status).where(
                MentionTriage.mention_id.in_(list(ids))
            )
        )
        .tuples()
        .all()
    )
    values: dict[str, Any] = {"updated_at": now, "updated_by": by}
    if status is not None:
        values["status"] = status
    if assignee is not None or unassign:
        values["assignee"] = None if unassign else assignee
    for mid in ids:
        if mid in known:
            conn.execute(
                update(MentionTriage).where(MentionTriage.mention_id == mid).values(**values)
            )
        else:
            conn.execute(
                insert(MentionTriage).values(
                    mention_id=mid,
                    status=values.get("status", "new"),
                    assignee=values.get("assignee"),
                    updated_at=now,
                    updated_by=by,
                )
            )
    rescore(conn, ids)  # the stored score's open flag
    return len(ids)


def add_note(conn: Connection, mention_id: int, author: str, note: str) -> None:
    conn.execute(
        insert(MentionNote).values(
            mention_id=mention_id, author=author, text=note, created_at=utcnow()
        )
    )


# --- filter choices and the dashboard ---------------------------------------------------------


# The brands present, in order, one descent of ix_mention_brands_brand each (a loose index
# scan): PostgreSQL reads every row for DISTINCT (75 ms at 1,000,000 mentions, each inbox page).
_BRANDS = text(
    "WITH RECURSIVE b(brand) AS ("
    " SELECT min(brand) FROM mention_brands"
    " UNION ALL"
    " SELECT (SELECT min(m.brand) FROM mention_brands m WHERE m.brand > b.brand)"
    " FROM b WHERE b.brand IS NOT NULL)"
    " SELECT brand FROM b WHERE brand IS NOT NULL"
)


def choices(engine: Engine) -> dict[str, list[str]]:
    """The brands and sources present, for the inbox's filters."""
    with engine.connect() as conn:
        return {
            "brands": list(conn.execute(_BRANDS).scalars()),
            "sources": list(conn.execute(select(Source.name).order_by(Source.name)).scalars()),
        }


# The dashboard's time buckets: PostgreSQL's format, and SQLite's prefix of the stored text.
_BUCKETS = {"day": ("YYYY-MM-DD", 10), "hour": ("YYYY-MM-DD HH24", 13)}


def _bucket(conn: Connection, unit: str) -> Any:
    pattern, width = _BUCKETS[unit]
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Mention.published_at), pattern)
    return func.substr(type_coerce(Mention.published_at, String), 1, width)


def sentiment_series(
    engine: Engine,
    brand: str,
    start: datetime,
    end: datetime,
    unit: str = "day",
    skip_authors: Sequence[int] = (),
) -> list[tuple[str, str | None, int]]:
    """(UTC day `YYYY-MM-DD` or hour `YYYY-MM-DD HH`, sentiment or None, mentions) of one
    brand in [start, end), none by `skip_authors` (the brands' own accounts)."""
    sent, _ = _sentiment_topic()
    with engine.connect() as conn:
        bucket = _bucket(conn, unit)
        q = (
            select(bucket, sent.value, func.count())
            .select_from(Mention)
            .join(
                MentionBrand,
                and_(MentionBrand.mention_id == Mention.id, MentionBrand.brand == brand),
            )
            .join(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"), isouter=True)
            .where(Mention.published_at >= start, Mention.published_at < end)
            .where(not_by(skip_authors) if skip_authors else true())
            .group_by(bucket, sent.value)
        )
        return [(str(b), v, int(n)) for b, v, n in conn.execute(q)]


def brand_volumes(
    engine: Engine, start: datetime, end: datetime, skip_authors: Sequence[int] = ()
) -> dict[str, int]:
    """Mentions per brand in [start, end), none by `skip_authors`."""
    with engine.connect() as conn:
        return {
            b: int(n)
            for b, n in conn.execute(
                select(MentionBrand.brand, func.count())
                .join(Mention, Mention.id == MentionBrand.mention_id)
                .where(Mention.published_at >= start, Mention.published_at < end)
                .where(not_by(skip_authors) if skip_authors else true())
                .group_by(MentionBrand.brand)
            )
        }


def brand_topics(
    engine: Engine, brand: str, start: datetime, end: datetime, skip_authors: Sequence[int] = ()
) -> dict[str, int]:
    """Mentions per topic of one brand in [start, end), none by `skip_authors`."""
    _, top = _sentiment_topic()
    with engine.connect() as conn:
        return {
            str(v): int(n)
            for v, n in conn.execute(
                select(top.value, func.count())
                .select_from(Mention)
                .join(
                    MentionBrand,
                    and_(MentionBrand.mention_id == Mention.id, MentionBrand.brand == brand),
                )
                .join(top, and_(top.mention_id == Mention.id, top.task == "topic"))
                .where(Mention.published_at >= start, Mention.published_at < end)
                .where(not_by(skip_authors) if skip_authors else true())
                .group_by(top.value)
                .order_by(func.count().desc())
            )
        }


def top_authors(
    engine: Engine,
    brand: str,
    start: datetime,
    end: datetime,
    limit: int = 10,
    skip_authors: Sequence[int] = (),
) -> list[dict[str, Any]]:
    """The authors with the most negative mentions of the brand in the period (drivers), none
    of `skip_authors`, each with its source (one person's accounts on two networks are two
    authors); ties by reach, then by author id (the same order on every backend)."""
    sent, _ = _sentiment_topic()
    reach = func.max(func.coalesce(Mention.author_followers, Author.followers, 0))
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    Author.handle,
                    Author.name,
                    Source.name.label("source"),
                    func.count().label("negative"),
                    reach.label("reach"),
                )
                .select_from(Mention)
                .join(Author, Author.id == Mention.author_id)
                .join(Source, Source.id == Author.source_id)
                .join(
                    MentionBrand,
                    and_(MentionBrand.mention_id == Mention.id, MentionBrand.brand == brand),
                )
                .join(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"))
                .where(
                    Mention.published_at >= start,
                    Mention.published_at < end,
                    sent.value == "negative",
                    not_by(skip_authors) if skip_authors else true(),
                )
                .group_by(Author.id, Author.handle, Author.name, Source.name)
                .order_by(func.count().desc(), reach.desc(), Author.id)
                .limit(limit)
            )
        ]
