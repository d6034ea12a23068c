"""One narrow pass over the period's mentions: a slim per-mention frame, joined in pandas.

storage/reporting.py reads each table once over the period's id range (cheaper than joining
row by row in SQL); the frames are merged here. Only numbers, ids and short labels come back;
texts are fetched afterwards for the posts a report shows and the drivers it looks for.

Which mentions count: a brand's matches (mention_brands) published in the period's local days,
those flagged as suspicious left out when reports.exclude_suspicious is on, and the posts of
every brand's own accounts (`owned`: what the brands say, not what is said about them) when
reports.exclude_own_posts is on (`counted`). The left-out ones stay in the frame, marked, so the
method section can say what was left out and the report can list the brand's own posts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from reports.queries import Window
from storage import reporting as db
from storage.vocab import UNLABELLED


@dataclass
class Frames:
    # one row per (mention, brand) of both periods; `counted`, `flagged`, `owned`
    mentions: pd.DataFrame
    flags: pd.DataFrame  # id, kind, group_key of the flagged mentions among them


def _hours(values: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(values)
    stamps = pd.to_datetime(
        pd.Index(uniques).astype(str) + ":00", utc=True, format="%Y-%m-%d %H:%M"
    )
    return pd.Series(stamps.take(codes), index=values.index)


def load_frames(
    conn: Connection, w: Window, tables: set[str], owned: Collection[int] = ()
) -> Frames:
    """The period's frames; `owned`: the author ids of every brand's own accounts."""
    rows = db.period_mentions(conn, w.prev_start, w.end)
    df = pd.DataFrame(rows, columns=list(db.PERIOD_COLUMNS))
    df["hour"] = _hours(df["hour"]) if len(df) else pd.Series(dtype="datetime64[ns, UTC]")
    df["current"] = df["hour"] >= pd.Timestamp(w.start).floor("h")
    lo, hi = (int(df["id"].min()), int(df["id"].max())) if len(df) else (0, -1)
    brands = pd.DataFrame(db.brands_between(conn, lo, hi, w.brands), columns=["id", "brand"])
    df = df.merge(brands, on="id", how="inner")
    flags = pd.DataFrame(columns=list(db.FLAG_COLUMNS))
    if "mention_flags" in tables and len(df):
        flags = pd.DataFrame(db.flags_between(conn, lo, hi), columns=list(db.FLAG_COLUMNS))
        flags = flags[flags["id"].isin(df["id"])]
    df["flagged"] = df["id"].isin(flags["id"])
    df["owned"] = df["author_id"].isin(list(owned))
    df["counted"] = ~(df["flagged"] & w.exclude_flagged) & ~(df["owned"] & w.exclude_owned)
    labels = pd.DataFrame(
        db.labels_between(conn, lo, hi, ("sentiment", "topic")), columns=["id", "task", "value"]
    )
    for task in ("sentiment", "topic"):
        part = labels.loc[labels["task"] == task, ["id", "value"]].rename(columns={"value": task})
        df = df.merge(part, on="id", how="left")
        df[task] = df[task].fillna(UNLABELLED).astype("category")
    df = _followers(conn, df)
    df["views"] = pd.to_numeric(df["views"])
    df["engagement"] = pd.to_numeric(df["engagement"]).fillna(0).astype("int64")
    df["brand"] = df["brand"].astype("category")
    df = df.sort_values(["id", "brand"], kind="stable").reset_index(drop=True)
    return Frames(df, flags.sort_values(["id", "kind"]).reset_index(drop=True))


def label_models(conn: Connection, ids: pd.Series) -> pd.DataFrame:
    """Which model and version labelled exactly these mentions (the brand's counted mentions of
    the period), per task, most used first; a person's corrections apart."""
    cols = list(db.MODEL_COLUMNS)
    if ids.empty:
        return pd.DataFrame(columns=cols)
    rows = pd.DataFrame(db.label_models_of(conn, sorted(set(ids.astype(int)))), columns=cols)
    rows["by_human"] = rows["by_human"].astype(bool)
    rows["unsure"] = pd.to_numeric(rows["unsure"]).fillna(0).astype("int64")
    out = rows.groupby(cols[:4], dropna=False, as_index=False)[["n", "unsure"]].sum()
    # Most used first; ties in a fixed order, not the database's.
    order = out.fillna({"model": "", "version": ""}).sort_values(
        ["task", "n", "model", "version", "by_human"], ascending=[True, False, True, True, True]
    )
    return out.loc[order.index].reset_index(drop=True)


def _followers(conn: Connection, df: pd.DataFrame) -> pd.DataFrame:
    """The author's followers as the mention gave them, else as the author's account says."""
    ids = df["author_id"].dropna()
    if ids.empty:
        df["followers"] = pd.to_numeric(df["mention_followers"]).astype("float64")
        return df.drop(columns=["mention_followers"])
    known = pd.DataFrame(
        db.followers_between(conn, int(ids.min()), int(ids.max())),
        columns=["author_id", "profile_followers"],
    )
    df = df.merge(known, on="author_id", how="left")
    df["followers"] = pd.to_numeric(df["mention_followers"]).fillna(
        pd.to_numeric(df["profile_followers"])
    )
    return df.drop(columns=["mention_followers", "profile_followers"])


def cube(df: pd.DataFrame) -> pd.DataFrame:
    """Counts and sums per brand, hour, source, sentiment and topic (what kpis.py reads)."""
    if df.empty:
        cols = [
            "brand",
            "hour",
            "source_id",
            "sentiment",
            "topic",
            "mentions",
            "views",
            "with_views",
            "engagement",
        ]
        empty = pd.DataFrame({c: pd.Series(dtype="int64") for c in cols})
        empty["current"] = pd.Series(dtype=bool)
        empty["hour"] = pd.Series(dtype="datetime64[ns, UTC]")
        for name in ("brand", "sentiment", "topic"):
            empty[name] = pd.Series(dtype=str)
        return empty
    keys = ["brand", "hour", "source_id", "sentiment", "topic", "current"]
    out = (
        df.groupby(keys, observed=True)
        .agg(
            mentions=("id", "size"),
            views=("views", "sum"),
            with_views=("views", "count"),
            engagement=("engagement", "sum"),
        )
        .reset_index()
    )
    for name in ("brand", "sentiment", "topic"):
        out[name] = out[name].astype(str)
    for name in ("views",):
        out[name] = out[name].fillna(0).astype("int64")
    return out


def authors(df: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Per period and author of the brand: posts, followers (the largest seen), engagement."""
    own = df[(df["brand"] == brand) & df["author_id"].notna()]
    if own.empty:
        return pd.DataFrame(
            {
                "current": pd.Series(dtype=bool),
                "author_id": pd.Series(dtype="int64"),
                "posts": pd.Series(dtype="int64"),
                "followers": pd.Series(dtype="float64"),
                "engagement": pd.Series(dtype="int64"),
            }
        )
    out = (
        own.groupby(["current", "author_id"], observed=True)
        .agg(posts=("id", "size"), followers=("followers", "max"), engagement=("engagement", "sum"))
        .reset_index()
    )
    out["author_id"] = out["author_id"].astype("int64")
    return out
