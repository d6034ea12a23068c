"""The small reads of a report: posts to show, alerts, sources and runs, analytics tables.

The per-mention figures come from one narrow pass (reports/frame.py); only the few posts a
report shows, plus a bounded sample of texts for emerging terms, come back with their text.
Tables that other stages create (author_profiles, mention_flags) are read only when present.
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
    column,
    exists,
    func,
    inspect,
    select,
    table,
    text,
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
    """The contributor analytics tables, once the authors stage has filled them."""
    inspector = inspect(engine)
    if not inspector.has_table("author_profiles"):
        return set()
    with engine.connect() as conn:
        computed = conn.execute(text("SELECT 1 FROM author_profiles LIMIT 1")).first()
    if computed is None:  # flags come from the same stage: zero of them means "not run yet"
        return set()
    return {name for name in ("author_profiles", "mention_flags") if inspector.has_table(name)}


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


def load_posts(conn: Connection, ids: list[int]) -> pd.DataFrame:
    """The posts a report shows (text, author, link, labels), in no particular order."""
    cols = [c.key for c in _post_columns()]
    stmt = (
        _labels_join(select(*_post_columns()).select_from(Mention))
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(Author, Author.id == Mention.author_id)
        .where(Mention.id.in_(ids or [-1]))
    )
    return pd.DataFrame([dict(r._mapping) for r in conn.execute(stmt)], columns=cols)


def load_texts(conn: Connection, ids: list[int]) -> pd.DataFrame:
    """Titles and texts of the given mentions (a bounded sample, for emerging terms)."""
    frames = []
    for i in range(0, len(ids), 5000):
        stmt = select(Mention.id, Mention.title, Mention.text).where(
            Mention.id.in_(ids[i : i + 5000])
        )
        frames.append(pd.DataFrame(conn.execute(stmt).all(), columns=["id", "title", "text"]))
    if not frames:
        return pd.DataFrame(columns=["id", "title", "text"])
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


def load_sources(conn: Connection, counts: pd.DataFrame) -> pd.DataFrame:
    """Every stored source with its mentions in the period (all brands) and its last run.

    `counts` has columns source_id, mentions; a source run but never stored (it failed before
    storing anything) is listed too.
    """
    sources = pd.DataFrame(
        conn.execute(select(Source.id, Source.name, Source.kind)).all(),
        columns=["source_id", "name", "kind"],
    )
    sources = sources.merge(counts, on="source_id", how="left").drop(columns="source_id")
    sources["mentions"] = sources["mentions"].fillna(0).astype("int64")
    last = select(func.max(Run.id)).where(Run.source.is_not(None)).group_by(Run.source)
    runs = pd.DataFrame(
        conn.execute(
            select(Run.source, Run.status, Run.started_at, Run.error).where(Run.id.in_(last))
        ).all(),
        columns=["source", "status", "started_at", "error"],
    )
    merged = sources.merge(runs, how="outer", left_on="name", right_on="source")
    merged["name"] = merged["name"].fillna(merged["source"])
    return merged.drop(columns="source").sort_values("name").reset_index(drop=True)


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


def count_flagged(conn: Connection, brand: str, start: datetime, end: datetime) -> int:
    """Distinct flagged mentions of the brand published in [start, end)."""
    stmt = _brand_join(select(func.count(func.distinct(Mention.id)))).where(
        MentionBrand.brand == brand,
        Mention.published_at >= start,
        Mention.published_at < end,
        exists().where(FLAGS.c.mention_id == Mention.id),
    )
    return int(conn.execute(stmt).scalar_one())


def load_profiles(conn: Connection, author_ids: list[int]) -> pd.DataFrame:
    cols = ["author_id", "profile", "influence", "tier", "suspicious"]
    frames = []
    for i in range(0, len(author_ids), 5000):
        chunk = author_ids[i : i + 5000]
        stmt = select(*(PROFILES.c[c] for c in cols)).where(PROFILES.c.author_id.in_(chunk))
        frames.append(pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=cols))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


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
