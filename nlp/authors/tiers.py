"""Participation tiers (regular, occasional, one-off) and the observed split against 1/9/90.

Authors are ranked by posts in the period (ties by author id); the top 1 % (at least one author)
with two posts or more are `regular`, authors with a single post are `one_off`, everyone else
is `occasional`. The 1/9/90 rule counts readers who never post among its 90 %; Veille sees
only those who post, so its `one_off` share is the closest observable stand-in.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from storage import authors as repo
from storage.vocab import TIER_STUDY_SHARES, TIERS

REGULAR_SHARE = 0.01


def assign_tiers(
    posts: pd.Series, regular_share: float = REGULAR_SHARE, ties: pd.Series | None = None
) -> pd.Series:
    """Tier per author from a Series of post counts indexed by author id.

    `ties` (per author id) orders authors with as many posts at the edge of the top 1 %:
    a natural key such as "source/handle" gives the same tiers whatever ids the database
    gave the authors; without it, the author id decides. The counts per tier never depend
    on it.
    """
    posts = posts[posts > 0]
    n = len(posts)
    tiers = pd.Series("occasional", index=posts.index, dtype=object)
    if n == 0:
        return tiers
    k = max(1, math.ceil(n * regular_share - 1e-9))
    second = posts.index.to_numpy() if ties is None else ties.reindex(posts.index).to_numpy()
    order = np.lexsort((second, -posts.to_numpy()))
    top = posts.index[order[:k]]
    tiers[posts == 1] = "one_off"
    tiers.loc[top[(posts.loc[top] >= 2).to_numpy()]] = "regular"
    return tiers


def posts_per_author(
    source: Connection | Engine | pd.DataFrame,
    brand: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pd.Series:
    """Posts per author in [start, end) for a brand (None: all brands), from a DB or a frame.

    A frame needs author_id and published_at, and a `brand` column when a brand is given.
    """
    if isinstance(source, pd.DataFrame):
        d = source.dropna(subset=["author_id"])
        if brand is not None:
            d = d[d["brand"] == brand]
        when = pd.to_datetime(d["published_at"], utc=True)
        keep = np.ones(len(d), dtype=bool)
        if start is not None:
            keep &= (when >= pd.Timestamp(start)).to_numpy()
        if end is not None:
            keep &= (when < pd.Timestamp(end)).to_numpy()
        d = d[keep]
        if brand is not None and "mention_id" in d.columns:
            d = d.drop_duplicates("mention_id")
        return d.groupby("author_id").size().astype("int64")
    if isinstance(source, Engine):
        with source.connect() as conn:
            counts = repo.posts_per_author(conn, brand, start, end)
    else:
        counts = repo.posts_per_author(source, brand, start, end)
    return pd.Series(counts, dtype="int64").sort_index()


def participation_frame(
    source: Connection | Engine | pd.DataFrame,
    brand: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pd.DataFrame:
    """author_id, posts, tier — one row per author who posted in the period."""
    posts = posts_per_author(source, brand, start, end)
    frame = pd.DataFrame({"posts": posts, "tier": assign_tiers(posts)})
    frame.index.name = "author_id"
    return frame.reset_index().sort_values(["posts", "author_id"], ascending=[False, True])


def participation(
    source: Connection | Engine | pd.DataFrame,
    brand: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, Any]:
    """The observed split of authors (and of their posts) into tiers, beside 1/9/90."""
    frame = participation_frame(source, brand, start, end)
    authors = len(frame)
    posts = int(frame["posts"].sum())
    counts = {t: int((frame["tier"] == t).sum()) for t in TIERS}
    post_counts = {t: int(frame.loc[frame["tier"] == t, "posts"].sum()) for t in TIERS}
    shares = {t: (counts[t] / authors if authors else 0.0) for t in TIERS}
    return {
        "brand": brand,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "authors": authors,
        "posts": posts,
        "counts": counts,
        "shares": shares,
        "post_shares": {t: (post_counts[t] / posts if posts else 0.0) for t in TIERS},
        "expected": dict(TIER_STUDY_SHARES),
        "gap": {t: shares[t] - TIER_STUDY_SHARES[t] for t in TIERS},
    }
