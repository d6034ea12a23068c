"""SQL aggregation for reports: the database groups, pandas gets small frames back.

Nothing here loads the text of every mention: counts and sums are grouped in SQL by hour,
source, sentiment and topic (the "cube"), authors are grouped per author, and only the few
posts a report shows (plus a bounded sample for emerging terms) come back with their text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    case,
    column,
    exists,
    func,
    inspect,
    literal,
    select,
    table,
)
from sqlalchemy.orm import aliased

from storage.models import Alert, Author, Label, Mention, MentionBrand, Run, Source

FLAGS = table("mention_flags", column("mention_id"), column("kind"), column("reason"))
PROFILES = table(
    "author_profiles",
    column("author_id"),
    column("profile"),
    column("influence"),
    column("tier"),
    column("suspicious"),
    column("posts"),
)

SENT = aliased(Label, name="sent")
TOPIC = aliased(Label, name="topic_label")


@dataclass(frozen=True)
class Window:
    """What a report reads: the brands, the previous and current periods (UTC, end exclusive)."""

    brand: str
    brands: tuple[str, ...]  # the brand first, then its competitors
    prev_start: datetime
    start: datetime
    end: datetime
    exclude_flagged: bool = True


def available_tables(engine: Engine) -> set[str]:
    inspector = inspect(engine)
    return {name for name in ("author_profiles", "mention_flags") if inspector.has_table(name)}


def _hour_bucket(conn: Connection) -> ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Mention.published_at), "YYYY-MM-DD HH24")
    return func.substr(Mention.published_at, 1, 13)


def _current(w: Window) -> ColumnElement[Any]:
    return case((Mention.published_at >= w.start, literal(1)), else_=literal(0))


def _in_window(w: Window, tables: set[str], brand_only: bool = True) -> list[ColumnElement[Any]]:
    where: list[ColumnElement[Any]] = [
        Mention.published_at >= w.prev_start,
        Mention.published_at < w.end,
        MentionBrand.brand == w.brand if brand_only else MentionBrand.brand.in_(w.brands),
    ]
    if w.exclude_flagged and "mention_flags" in tables:
        where.append(~exists().where(FLAGS.c.mention_id == Mention.id))
    return where


def _engagement() -> ColumnElement[Any]:
    return (
        func.coalesce(Mention.likes, 0)
        + func.coalesce(Mention.shares, 0)
        + func.coalesce(Mention.comments, 0)
    )


def _brand_join(stmt: Select[Any]) -> Select[Any]:
    return stmt.select_from(Mention).join(MentionBrand, MentionBrand.mention_id == Mention.id)


def _labels_join(stmt: Select[Any]) -> Select[Any]:
    return stmt.outerjoin(
        SENT, and_(SENT.mention_id == Mention.id, SENT.task == "sentiment")
    ).outerjoin(TOPIC, and_(TOPIC.mention_id == Mention.id, TOPIC.task == "topic"))


def load_cube(conn: Connection, w: Window, tables: set[str]) -> pd.DataFrame:
    """Counts and sums per brand, hour (UTC), source, sentiment and topic, both periods."""
    bucket = _hour_bucket(conn).label("hour")
    stmt = _labels_join(
        _brand_join(
            select(
                MentionBrand.brand.label("brand"),
                bucket,
                Mention.source_id.label("source_id"),
                SENT.value.label("sentiment"),
                TOPIC.value.label("topic"),
                func.count().label("mentions"),
                func.sum(Mention.likes).label("likes"),
                func.sum(Mention.shares).label("shares"),
                func.sum(Mention.comments).label("comments"),
                func.sum(Mention.views).label("views"),
                func.count(Mention.views).label("with_views"),
            )
        )
    )
    stmt = stmt.where(*_in_window(w, tables, brand_only=False)).group_by(
        MentionBrand.brand, bucket, Mention.source_id, SENT.value, TOPIC.value
    )
    df = pd.read_sql(stmt, conn)
    df["hour"] = pd.to_datetime(df["hour"].astype(str) + ":00", utc=True, format="%Y-%m-%d %H:%M")
    df["current"] = df["hour"] >= pd.Timestamp(w.start).floor("h")
    for name in ("likes", "shares", "comments", "views"):
        df[name] = pd.to_numeric(df[name]).fillna(0).astype("int64")
    df["engagement"] = df["likes"] + df["shares"] + df["comments"]
    df["sentiment"] = df["sentiment"].fillna("unlabelled")
    df["topic"] = df["topic"].fillna("unlabelled")
    return df


def load_authors(conn: Connection, w: Window, tables: set[str]) -> pd.DataFrame:
    """Per period and author of the brand's mentions: posts, followers (reach) and engagement."""
    followers = func.max(func.coalesce(Mention.author_followers, Author.followers))
    is_current = _current(w).label("is_current")
    stmt = (
        _brand_join(
            select(
                is_current,
                Mention.author_id.label("author_id"),
                func.count().label("posts"),
                followers.label("followers"),
                func.sum(_engagement()).label("engagement"),
            )
        )
        .outerjoin(Author, Author.id == Mention.author_id)
        .where(*_in_window(w, tables), Mention.author_id.is_not(None))
        .group_by(is_current, Mention.author_id)
    )
    df = pd.read_sql(stmt, conn).rename(columns={"is_current": "current"})
    df["current"] = df["current"].astype(bool)
    df["engagement"] = pd.to_numeric(df["engagement"]).fillna(0).astype("int64")
    return df


def _post_columns() -> list[Any]:
    return [
        Mention.id.label("id"),
        Mention.published_at.label("published_at"),
        Source.name.label("source"),
        Mention.url.label("url"),
        Mention.thread_url.label("thread_url"),
        Mention.title.label("title"),
        Mention.text.label("text"),
        func.coalesce(Author.name, Author.handle).label("author"),
        _engagement().label("engagement"),
        SENT.value.label("sentiment"),
        TOPIC.value.label("topic"),
    ]


def _posts(
    conn: Connection, w: Window, tables: set[str], extra: list[Any], order: Any, limit: int
) -> pd.DataFrame:
    stmt = (
        _labels_join(_brand_join(select(*_post_columns())))
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(Author, Author.id == Mention.author_id)
        .where(*_in_window(w, tables), Mention.published_at >= w.start, *extra)
        .order_by(*order)
        .limit(limit)
    )
    rows = [dict(r._mapping) for r in conn.execute(stmt)]
    return pd.DataFrame(rows, columns=[c.key for c in _post_columns()])


def load_top_engaging(conn: Connection, w: Window, tables: set[str], n: int) -> pd.DataFrame:
    return _posts(conn, w, tables, [_engagement() > 0], [_engagement().desc(), Mention.id], n)


def load_needing_answer(conn: Connection, w: Window, tables: set[str], n: int) -> pd.DataFrame:
    extra = [SENT.value == "negative", TOPIC.value == "service_client"]
    return _posts(conn, w, tables, extra, [Mention.published_at.desc(), Mention.id.desc()], n)


def load_text_sample(
    conn: Connection, w: Window, tables: set[str], counts: tuple[int, int], limit: int
) -> pd.DataFrame:
    """Texts of both periods for emerging terms: at most about `limit` per period (every k-th)."""
    frames = []
    for is_current, n in zip((False, True), counts, strict=True):
        step = max(1, -(-n // limit))
        lo, hi = (w.start, w.end) if is_current else (w.prev_start, w.start)
        stmt = _brand_join(select(Mention.title, Mention.text)).where(
            *_in_window(w, tables), Mention.published_at >= lo, Mention.published_at < hi
        )
        if step > 1:
            stmt = stmt.where(Mention.id % step == 0)
        df = pd.read_sql(stmt, conn)
        df["current"] = is_current
        df["weight"] = float(step)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def load_alerts(conn: Connection, w: Window) -> pd.DataFrame:
    stmt = (
        select(
            Alert.id,
            Alert.severity,
            Alert.status,
            Alert.opened_at,
            Alert.closed_at,
            Alert.negative_count,
            Alert.expected_count,
        )
        .where(Alert.brand == w.brand, Alert.opened_at >= w.prev_start, Alert.opened_at < w.end)
        .order_by(Alert.opened_at)
    )
    return pd.DataFrame(
        [dict(r._mapping) for r in conn.execute(stmt)],
        columns=[
            "id",
            "severity",
            "status",
            "opened_at",
            "closed_at",
            "negative_count",
            "expected_count",
        ],
    )


def load_sources(conn: Connection, w: Window) -> pd.DataFrame:
    """Every stored source with its mentions in the period (all brands) and its last run."""
    counts = (
        select(Mention.source_id, func.count().label("mentions"))
        .where(Mention.published_at >= w.start, Mention.published_at < w.end)
        .group_by(Mention.source_id)
        .subquery()
    )
    stmt = (
        select(Source.name, Source.kind, func.coalesce(counts.c.mentions, 0).label("mentions"))
        .outerjoin(counts, counts.c.source_id == Source.id)
        .order_by(Source.name)
    )
    sources = pd.DataFrame(
        [dict(r._mapping) for r in conn.execute(stmt)], columns=["name", "kind", "mentions"]
    )
    last = select(func.max(Run.id)).where(Run.source.is_not(None)).group_by(Run.source)
    runs = pd.DataFrame(
        [
            dict(r._mapping)
            for r in conn.execute(
                select(Run.source, Run.status, Run.started_at, Run.error).where(Run.id.in_(last))
            )
        ],
        columns=["source", "status", "started_at", "error"],
    )
    merged = sources.merge(runs, how="outer", left_on="name", right_on="source")
    merged["name"] = merged["name"].fillna(merged["source"])
    return merged.drop(columns="source").sort_values("name").reset_index(drop=True)


def load_models(conn: Connection, w: Window, tables: set[str]) -> pd.DataFrame:
    stmt = (
        _brand_join(
            select(Label.task, Label.model, Label.version, Label.by_human, func.count().label("n"))
        )
        .join(Label, Label.mention_id == Mention.id)
        .where(*_in_window(w, tables), Mention.published_at >= w.start)
        .group_by(Label.task, Label.model, Label.version, Label.by_human)
        .order_by(Label.task, func.count().desc())
    )
    return pd.read_sql(stmt, conn)


def load_exclusions(conn: Connection, w: Window, tables: set[str]) -> pd.DataFrame:
    """Flagged (suspicious) mentions of the brand in the period, per kind and reason."""
    if "mention_flags" not in tables:
        return pd.DataFrame(columns=["kind", "reason", "n"])
    stmt = (
        _brand_join(
            select(FLAGS.c.kind, FLAGS.c.reason, func.count(func.distinct(Mention.id)).label("n"))
        )
        .join(FLAGS, FLAGS.c.mention_id == Mention.id)
        .where(
            MentionBrand.brand == w.brand,
            Mention.published_at >= w.start,
            Mention.published_at < w.end,
        )
        .group_by(FLAGS.c.kind, FLAGS.c.reason)
        .order_by(func.count(func.distinct(Mention.id)).desc())
    )
    return pd.read_sql(stmt, conn)


def count_flagged(conn: Connection, w: Window) -> int:
    """Distinct flagged mentions of the brand in the current period."""
    stmt = _brand_join(select(func.count(func.distinct(Mention.id)))).where(
        MentionBrand.brand == w.brand,
        Mention.published_at >= w.start,
        Mention.published_at < w.end,
        exists().where(FLAGS.c.mention_id == Mention.id),
    )
    return int(conn.execute(stmt).scalar_one())


def load_profiles(conn: Connection, author_ids: list[int]) -> pd.DataFrame:
    cols = ["author_id", "profile", "influence", "tier", "suspicious"]
    frames = [pd.DataFrame(columns=cols)]
    for i in range(0, len(author_ids), 5000):
        chunk = author_ids[i : i + 5000]
        stmt = select(*(PROFILES.c[c] for c in cols)).where(PROFILES.c.author_id.in_(chunk))
        frames.append(pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=cols))
    return pd.concat(frames, ignore_index=True)


def load_author_names(conn: Connection, author_ids: list[int]) -> pd.DataFrame:
    stmt = (
        select(
            Author.id.label("author_id"),
            Author.handle,
            Author.name,
            Author.profile_url,
            Source.name.label("source"),
        )
        .join(Source, Source.id == Author.source_id)
        .where(Author.id.in_(author_ids or [-1]))
    )
    return pd.DataFrame(
        [dict(r._mapping) for r in conn.execute(stmt)],
        columns=["author_id", "handle", "name", "profile_url", "source"],
    )


def source_names(conn: Connection) -> dict[int, str]:
    return {i: n for i, n in conn.execute(select(Source.id, Source.name))}
