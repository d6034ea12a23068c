"""Read a window of mentions from the database into the frames the author analytics use.

The mention frame has one row per mention: mention_id, source_id, source (its name),
external_id, thread_id, parent_id, author_id, handle, text, published_at (UTC), likes, shares,
comments, rating, followers (at posting, else the author's), post_count, account_created_at,
sentiment, topic; rows in the order of the natural key (published_at, source, external_id),
so that every analytic gives the same answer whatever order the rows came in and whatever ids
the database gave them. The brand frame has one row per (mention_id, brand), sorted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from nlp.authors.features import CUE_PREFIX, mention_cues, named_handles
from nlp.authors.neardup import content_hash, text_hash
from storage.authors import WINDOW_COLUMNS, window_brands, window_mentions

MENTION_COLUMNS = WINDOW_COLUMNS


@dataclass
class Window:
    mentions: pd.DataFrame
    brands: pd.DataFrame
    start: datetime
    end: datetime


def load_window(
    conn: Connection,
    start: datetime,
    end: datetime,
    known: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Window:
    """Mentions with an author published in [start, end], with their labels and brands.

    What the analytics need of a text is computed as its chunk is read: the cues
    (`cue:` columns), the @handles it names (`named`) and its hash (`text_hash`). `known`
    (mention ids -> the content hash the near-duplicate index holds for each, 0 if none):
    the texts of posts the index knows as they are are then not kept (a million texts weigh
    half a gigabyte; the new and changed posts' are what the near-duplicate search reads).
    """
    parts = [_derive(_frame(rows), known) for rows in window_mentions(conn, start, end)]
    mentions = pd.concat(parts, ignore_index=True) if parts else _frame([])
    del parts
    brands = pd.DataFrame(window_brands(conn, start, end), columns=["mention_id", "brand"])
    return Window(prepare(mentions, copy=False), sorted_brands(brands), start, end)


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """A chunk of window rows as a frame: its times parsed and its few distinct labels and
    source names shared (not one string per row), so that the window weighs what its texts
    and keys weigh."""
    frame = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    for col in ("published_at", "account_created_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    for col in ("source", "sentiment", "topic"):
        values = frame[col].to_numpy(dtype=object)
        shared = {v: v for v in set(values.tolist())}
        frame[col] = [shared[v] for v in values.tolist()]
    return frame


def _derive(frame: pd.DataFrame, known: Callable[[np.ndarray], np.ndarray] | None) -> pd.DataFrame:
    """A chunk with its texts' cues, named handles and hash; unneeded texts dropped."""
    frame["text"] = frame["text"].fillna("").astype(str)
    cues = mention_cues(frame)
    for col in cues.columns:
        frame[CUE_PREFIX + col] = cues[col].to_numpy()
    frame["named"] = named_handles(frame["text"])
    frame["text_hash"] = text_hash(frame["text"]).view(np.int64)
    if known is not None and len(frame):
        stored = known(frame["mention_id"].to_numpy(dtype=np.int64))
        same = stored == content_hash(_typed(frame))
        frame.loc[same, "text"] = ""
    return frame


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns content_hash reads, typed as `prepare` types them."""
    return pd.DataFrame({
        "text_hash": frame["text_hash"],
        "published_at": pd.to_datetime(frame["published_at"], utc=True),
        "author_id": frame["author_id"].astype("int64"),
    })  # fmt: skip


def prepare(mentions: pd.DataFrame, copy: bool = True) -> pd.DataFrame:
    """Fill the optional columns, fix dtypes (so frames built by hand work too) and sort the
    rows by their natural key. copy=False changes `mentions` in place on the way (a frame
    read for this and nothing else: one copy fewer of a million rows)."""
    m = mentions.copy() if copy else mentions
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
    order = pd.DataFrame({
        "published_at": m["published_at"],
        "source": m["source"].fillna("").astype(str),
        "external_id": m["external_id"].fillna("").astype(str),
        "mention_id": m["mention_id"],  # frames by hand may lack the natural key
    })  # fmt: skip
    order = order.sort_values(list(order.columns), kind="stable", na_position="first")
    return m.loc[order.index].reset_index(drop=True)


def sorted_brands(brands: pd.DataFrame) -> pd.DataFrame:
    """The brand frame in (mention_id, brand) order, whatever order it came in."""
    return brands.sort_values(["mention_id", "brand"], kind="stable").reset_index(drop=True)
