"""Read a window of mentions from the database into the frames the author analytics use.

The mention frame has one row per mention: mention_id, source_id, external_id, thread_id,
parent_id, author_id, handle, text, published_at (UTC), likes, shares, comments, rating,
followers (at posting, else the author's), post_count, account_created_at, sentiment, topic.
The brand frame has one row per (mention_id, brand).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, and_, func, select
from sqlalchemy.orm import aliased

from storage.models import Author, Label, Mention, MentionBrand

MENTION_COLUMNS = (
    "mention_id", "source_id", "external_id", "thread_id", "parent_id", "author_id", "handle",
    "text", "published_at", "likes", "shares", "comments", "rating", "followers", "post_count",
    "account_created_at", "sentiment", "topic",
)  # fmt: skip


@dataclass
class Window:
    mentions: pd.DataFrame
    brands: pd.DataFrame
    start: datetime
    end: datetime


def load_window(conn: Connection, start: datetime, end: datetime) -> Window:
    """Mentions with an author published in [start, end], with their labels and brands."""
    sentiment = aliased(Label)
    topic = aliased(Label)
    q = (
        select(
            Mention.id.label("mention_id"), Mention.source_id, Mention.external_id,
            Mention.thread_id, Mention.parent_id, Mention.author_id, Author.handle, Mention.text,
            Mention.published_at, Mention.likes, Mention.shares, Mention.comments,
            Mention.rating, func.coalesce(Mention.author_followers, Author.followers).label(
                "followers"
            ),
            Author.post_count, Author.created_at.label("account_created_at"),
            sentiment.value.label("sentiment"), topic.value.label("topic"),
        )
        .join(Author, Author.id == Mention.author_id)
        .outerjoin(
            sentiment, and_(sentiment.mention_id == Mention.id, sentiment.task == "sentiment")
        )
        .outerjoin(topic, and_(topic.mention_id == Mention.id, topic.task == "topic"))
        .where(Mention.published_at >= start, Mention.published_at <= end)
    )  # fmt: skip
    rows = conn.execute(q).all()
    mentions = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    bq = (
        select(MentionBrand.mention_id, MentionBrand.brand)
        .join(Mention, Mention.id == MentionBrand.mention_id)
        .where(Mention.published_at >= start, Mention.published_at <= end)
    )
    brands = pd.DataFrame(conn.execute(bq).all(), columns=["mention_id", "brand"])
    return Window(prepare(mentions), brands, start, end)


def prepare(mentions: pd.DataFrame) -> pd.DataFrame:
    """Fill the optional columns and fix dtypes, so frames built by hand work too."""
    m = mentions.copy()
    for col in MENTION_COLUMNS:
        if col not in m.columns:
            m[col] = None
    m["published_at"] = pd.to_datetime(m["published_at"], utc=True)
    m["account_created_at"] = pd.to_datetime(m["account_created_at"], utc=True)
    for col in ("likes", "shares", "comments", "followers", "post_count", "rating"):
        m[col] = pd.to_numeric(m[col], errors="coerce").astype("float64")
    m["text"] = m["text"].fillna("").astype(str)
    m["author_id"] = m["author_id"].astype("int64")
    m["mention_id"] = m["mention_id"].astype("int64")
    m["source_id"] = m["source_id"].astype("int64")
    return m.reset_index(drop=True)
