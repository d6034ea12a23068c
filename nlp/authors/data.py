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
from nlp.authors.suspicion import NUM_PERM, eligible_signatures
from storage.authors import WINDOW_COLUMNS, window_brands, window_mentions

MENTION_COLUMNS = WINDOW_COLUMNS


@dataclass
class Window:
    mentions: pd.DataFrame
    brands: pd.DataFrame
    start: datetime
    end: datetime
    # With `known`: the mention ids and MinHash signatures of the posts the near-duplicate
    # index does not know as they are and whose texts can be near-duplicates.
    signed: tuple[np.ndarray, np.ndarray] | None = None


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
    the posts the index does not know as they are get their signatures as they are read
    (`Window.signed`, what the near-duplicate search needs of their texts), and no text is
    kept (a million texts weigh half a gigabyte).
    """
    parts = []
    signed: list[tuple[np.ndarray, np.ndarray]] = []
    for rows in window_mentions(conn, start, end):
        frame = _derive(_frame(rows), known)
        if known is not None:
            signed.append(_sign(frame, known))
            # A copy: the column replaced in place would leave the chunk's texts held by
            # the block the other columns still view.
            frame = frame.assign(text="").copy()
        parts.append(frame)
    mentions = pd.concat(parts, ignore_index=True) if parts else _frame([])
    del parts
    brands = pd.DataFrame(window_brands(conn, start, end), columns=["mention_id", "brand"])
    window = Window(prepare(mentions, copy=False), sorted_brands(brands), start, end)
    if known is not None:
        ids = [np.zeros(0, dtype=np.int64), *(i for i, _ in signed)]
        sigs = [np.zeros((0, NUM_PERM), dtype=np.uint32), *(s for _, s in signed)]
        window.signed = (np.concatenate(ids), np.concatenate(sigs))
    return window


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """A chunk of window rows as a frame: its times parsed and its few distinct labels and
    source names shared (not one string per row), so that the window weighs what its texts
    and keys weigh."""
    frame = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    for col in ("published_at", "account_created_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    # One string object per distinct value (a thread's id is often the post's own id): a
    # million rows then weigh their keys once, not once per row.
    shared = {v: v for v in frame["external_id"].tolist()}
    for col in ("source", "sentiment", "topic", "handle", "thread_id", "parent_id"):
        values = frame[col].tolist()
        shared.update((v, v) for v in values if v not in shared)
        frame[col] = [shared[v] for v in values]
    return frame


def _derive(frame: pd.DataFrame, known: Callable[[np.ndarray], np.ndarray] | None) -> pd.DataFrame:
    """A chunk with its texts' cues, named handles and hash."""
    frame["text"] = frame["text"].fillna("").astype(str)
    cues = mention_cues(frame)
    for col in cues.columns:
        frame[CUE_PREFIX + col] = cues[col].to_numpy()
    frame["named"] = named_handles(frame["text"])
    frame["text_hash"] = text_hash(frame["text"]).view(np.int64)
    return frame


def _sign(
    frame: pd.DataFrame, known: Callable[[np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Mention ids and signatures of the chunk's posts that the index does not know as
    they are and whose texts can be near-duplicates (`neardup.update` reads them)."""
    ids = frame["mention_id"].to_numpy(dtype=np.int64)
    unknown = np.flatnonzero(known(ids) != content_hash(_typed(frame)))
    rows, sig = eligible_signatures(frame[["text"]].iloc[unknown], chunk=10_000)
    return ids[unknown[rows]], sig


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
    if order.index.equals(pd.RangeIndex(len(m))):
        return m  # in order already (the window's query sorts): no copy of a million rows
    return m.loc[order.index].reset_index(drop=True)


def sorted_brands(brands: pd.DataFrame) -> pd.DataFrame:
    """The brand frame in (mention_id, brand) order, whatever order it came in."""
    return brands.sort_values(["mention_id", "brand"], kind="stable").reset_index(drop=True)
