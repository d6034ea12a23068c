"""Reads of a brand's mentions in a time window, with their sentiment (alerts, e-mails, demo).

"The brand's mentions published in [since, until) and their sentiment label" is written once,
in `_brand_window`; the alert rule's series, its influencer check and the e-mail's posts all
read through it, so they always count the same mentions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, case, func, or_, select

from storage.dialect import chunks, epoch_seconds
from storage.models import Author, Label, Mention, MentionBrand, Source

# Windows up to this long are read by time first on SQLite (`_brand_window`).
SHORT_WINDOW = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class WindowMention:
    """A mention of the brand in the window, with what an alert e-mail shows of it."""

    id: int
    text: str
    url: str | None
    published_at: datetime | None
    source: str
    author_id: int | None
    author: str | None  # the author's handle
    likes: int | None
    shares: int | None
    comments: int | None
    sentiment: str | None = None
    followers: int | None = None  # at the time of the post, else the author's latest count
    external_id: str | None = None
    title: str | None = None

    @property
    def engagement(self) -> int:
        return sum(v or 0 for v in (self.likes, self.shares, self.comments))


def _brand_window(
    conn: Connection,
    columns: Iterable[Any],
    brand: str,
    since: datetime,
    until: datetime,
    negative_only: bool,
    skip_authors: Sequence[int] = (),
) -> Select[Any]:
    """SELECT `columns` of the brand's mentions published in [since, until), with `sentiment`
    (the sentiment label's value, None when unlabelled); only negative ones if asked; none by
    the authors `skip_authors` (the brands' own accounts).

    SQLite plans this by the brand's index whatever the window: every post of the brand since
    the workspace began (or every negative post), each looked up. Over a short window
    (`_by_time`) neither the brand's index nor the labels' is offered (`brand || ''`), and
    SQLite reads the window's posts by time instead."""
    by_time = _by_time(conn, since, until)

    def unindexed(column: Any) -> Any:
        return column.concat("") if by_time else column

    sentiment = and_(Label.mention_id == Mention.id, unindexed(Label.task) == "sentiment")
    named, value = unindexed(MentionBrand.brand), unindexed(Label.value)
    stmt = (
        select(*columns, Label.value.label("sentiment"))
        .select_from(Mention)
        .join(MentionBrand, MentionBrand.mention_id == Mention.id)
    )
    stmt = stmt.join(Label, sentiment) if negative_only else stmt.outerjoin(Label, sentiment)
    stmt = stmt.where(named == brand, Mention.published_at >= since, Mention.published_at < until)
    if skip_authors:
        stmt = stmt.where(not_by(skip_authors))
    return stmt.where(value == "negative") if negative_only else stmt


def not_by(authors: Sequence[int]) -> ColumnElement[bool]:
    """A mention not written by one of `authors` (one with no author is not)."""
    return or_(Mention.author_id.is_(None), Mention.author_id.not_in(sorted(set(authors))))


def _by_time(conn: Connection, since: datetime, until: datetime) -> bool:
    """Whether SQLite should read the brand's mentions in [since, until) by time: yes up to
    `SHORT_WINDOW` (an alert's hours, a day). At 1,000,000 mentions over 90 days, for a brand
    with 29 % of them, by time then by the brand's index: one day 0.05 and 0.38 s, three days
    0.12 and 0.48 s, a week 0.28 and 0.42 s, 30 days 1.2 and 0.5 s. PostgreSQL chooses well
    from its statistics."""
    return conn.dialect.name == "sqlite" and until - since <= SHORT_WINDOW


def negative_mentions(
    conn: Connection, brand: str, since: datetime, until: datetime
) -> list[WindowMention]:
    """The brand's mentions labelled negative, published in [since, until), in id order."""
    return brand_mentions(conn, brand, since, until, negative_only=True)


def brand_mentions(
    conn: Connection,
    brand: str,
    since: datetime,
    until: datetime,
    negative_only: bool = False,
    skip_authors: Sequence[int] = (),
) -> list[WindowMention]:
    """The brand's mentions published in [since, until) with their sentiment, in id order;
    none by `skip_authors` (the brands' own accounts)."""
    columns = (
        Mention.id, Mention.text, Mention.url, Mention.published_at,
        Source.name.label("source"), Mention.author_id, Author.handle.label("author"),
        Mention.likes, Mention.shares, Mention.comments,
        func.coalesce(Mention.author_followers, Author.followers).label("followers"),
        Mention.external_id, Mention.title,
    )  # fmt: skip
    stmt = (
        _brand_window(conn, columns, brand, since, until, negative_only, skip_authors)
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(Author, Author.id == Mention.author_id)
        # In id order; by time, `id + 0`, else SQLite walks the brands' table in id order.
        .order_by(Mention.id + 0 if _by_time(conn, since, until) else Mention.id)
    )
    names = ("id", "text", "url", "published_at", "source", "author_id", "author", "likes",
             "shares", "comments", "followers", "external_id", "title", "sentiment")  # fmt: skip
    return [WindowMention(**dict(zip(names, row, strict=True))) for row in conn.execute(stmt)]


def brand_sentiments(
    conn: Connection,
    brand: str,
    since: datetime,
    until: datetime,
    skip_authors: Sequence[int] = (),
) -> dict[int, str | None]:
    """The sentiment label of each of the brand's mentions published in [since, until) (None
    when unlabelled), by id in id order; none by `skip_authors` (the brands' own accounts)."""
    stmt = _brand_window(conn, (Mention.id,), brand, since, until, False, skip_authors)
    return dict(sorted((int(i), sentiment) for i, sentiment in conn.execute(stmt)))


def sentiment_counts(
    conn: Connection,
    brand: str,
    since: datetime,
    until: datetime,
    seconds: int,
    skip_authors: Sequence[int] = (),
) -> list[tuple[int, int, int]]:
    """(bucket start in seconds since 1970, mentions, negative ones) per bucket of `seconds`
    holding mentions of the brand published in [since, until), none by `skip_authors`, counted
    in the database (a series of a million mentions is a few thousand rows, not a million into
    Python)."""
    epoch = epoch_seconds(conn, Mention.published_at)
    bucket = ((epoch // seconds) * seconds).label("bucket")
    window = _brand_window(conn, (bucket,), brand, since, until, False, skip_authors)
    inner = window.subquery()
    negative = func.sum(case((inner.c.sentiment == "negative", 1), else_=0))
    stmt = (
        select(inner.c.bucket, func.count(), negative)
        .where(inner.c.bucket.is_not(None))
        .group_by(inner.c.bucket)
        .order_by(inner.c.bucket)
    )
    return [(int(b), int(n), int(neg)) for b, n, neg in conn.execute(stmt)]


def label_values(conn: Connection, task: str, mention_ids: Iterable[int]) -> list[str]:
    """The `task` label of each of these mentions that has one (in no particular order)."""
    out: list[str] = []
    for part in chunks(list(mention_ids)):
        q = select(Label.value).where(Label.task == task, Label.mention_id.in_(part))
        out.extend(conn.execute(q).scalars())
    return out


def mention_brands(conn: Connection, mention_id: int) -> list[str] | None:
    """The brands the mention is about, by name (None: no such mention)."""
    if conn.execute(select(Mention.id).where(Mention.id == mention_id)).first() is None:
        return None
    stmt = select(MentionBrand.brand).where(MentionBrand.mention_id == mention_id)
    return sorted(conn.execute(stmt).scalars())


def ids_by_external_id(conn: Connection, source: str) -> dict[str, int]:
    """Mention id per external id, for one source (by name)."""
    q = (
        select(Mention.external_id, Mention.id)
        .join(Source, Source.id == Mention.source_id)
        .where(Source.name == source)
    )
    return dict(conn.execute(q).tuples().all())


def _match_columns(as_collected: bool = False) -> Any:
    # A brand query read a reply's thread title where it has no title of its own
    # (crawlers/pipelines.py); the themes and the inbox's query read the title only.
    title = func.coalesce(Mention.title, Mention.thread_title) if as_collected else Mention.title
    return (
        select(
            Mention.id, Mention.text, title, Author.handle, Mention.url,
            Mention.lang, Source.kind,
        )
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(Author, Author.id == Mention.author_id)
    )  # fmt: skip


def match_rows(
    conn: Connection, ids: Sequence[int], as_collected: bool = False
) -> list[tuple[Any, ...]]:
    """(id, text, title, author handle, url, language, source kind) of the given mentions:
    what a query looks at (the themes, as the inbox's query does), in no order;
    `as_collected`: what the brand queries looked at when the mention was collected (a reply
    without a title of its own read with its thread's)."""
    out: list[tuple[Any, ...]] = []
    for part in chunks(list(ids)):
        stmt = _match_columns(as_collected).where(Mention.id.in_(part))
        out.extend(conn.execute(stmt).tuples())
    return out


def match_rows_between(
    conn: Connection, start: datetime, end: datetime, limit: int, as_collected: bool = False
) -> list[tuple[Any, ...]]:
    """The `match_rows` of the newest `limit` mentions published in [start, end), newest
    first, each with its publication time last (a query tried on a period:
    reports/query_trial.py)."""
    stmt = (
        _match_columns(as_collected)
        .add_columns(Mention.published_at)
        .where(Mention.published_at >= start, Mention.published_at < end)
        .order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(limit)
    )
    return list(conn.execute(stmt).tuples())


def brand_counts_between(conn: Connection, start: datetime, end: datetime) -> dict[str, int]:
    """Each brand's mentions published in [start, end)."""
    stmt = (
        select(MentionBrand.brand, func.count())
        .join(Mention, Mention.id == MentionBrand.mention_id)
        .where(Mention.published_at >= start, Mention.published_at < end)
        .group_by(MentionBrand.brand)
    )
    return {str(b): int(n) for b, n in conn.execute(stmt).tuples()}


def brand_links_between(
    conn: Connection, brand: str, start: datetime, end: datetime
) -> dict[int, bool]:
    """The brand's mentions published in [start, end): for each, whether its query linked it
    (False: its source is about the brand, `options.brand`, whatever the text says)."""
    stmt = (
        select(MentionBrand.mention_id, MentionBrand.query.is_not(None))
        .join(Mention, Mention.id == MentionBrand.mention_id)
        .where(
            MentionBrand.brand == brand, Mention.published_at >= start, Mention.published_at < end
        )
    )
    return {int(i): bool(q) for i, q in conn.execute(stmt).tuples()}
