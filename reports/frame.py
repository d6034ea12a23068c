"""One narrow pass over the period's mentions: a slim per-mention frame, joined in pandas.

storage/reporting.py reads each table once over the period's id range (cheaper than joining
row by row in SQL); the frames are merged here. Only numbers, ids and short labels come back;
texts are fetched afterwards for the few posts a report shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from reports.queries import Window
from storage import reporting as db
from storage.vocab import UNLABELLED


@dataclass
class Frames:
    mentions: pd.DataFrame  # one row per (mention, brand) of both periods, flagged ones removed
    all_sources: pd.DataFrame  # mentions of the current period per source_id, every brand
    models: pd.DataFrame  # task, model, version, by_human, n — labels of the brand's period


def _hours(values: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(values)
    stamps = pd.to_datetime(
        pd.Index(uniques).astype(str) + ":00", utc=True, format="%Y-%m-%d %H:%M"
    )
    return pd.Series(stamps.take(codes), index=values.index)


def load_frames(conn: Connection, w: Window, tables: set[str]) -> Frames:
    rows = db.period_mentions(conn, w.prev_start, w.end)
    df = pd.DataFrame(rows, columns=list(db.PERIOD_COLUMNS))
    df["hour"] = _hours(df["hour"]) if len(df) else pd.Series(dtype="datetime64[ns, UTC]")
    df["current"] = df["hour"] >= pd.Timestamp(w.start).floor("h")
    lo, hi = (int(df["id"].min()), int(df["id"].max())) if len(df) else (0, -1)
    all_sources = df[df["current"]].groupby("source_id").size().rename("mentions").reset_index()
    brands = pd.DataFrame(db.brands_between(conn, lo, hi, w.brands), columns=["id", "brand"])
    in_range = brands.loc[brands["brand"] == w.brand, "id"]
    df = df.merge(brands, on="id", how="inner")
    if w.exclude_flagged and "mention_flags" in tables:
        df = df[~df["id"].isin(db.flagged_between(conn, lo, hi))]
    labels = pd.DataFrame(
        db.labels_between(conn, lo, hi, ("sentiment", "topic")), columns=["id", "task", "value"]
    )
    for task in ("sentiment", "topic"):
        part = labels.loc[labels["task"] == task, ["id", "value"]].rename(columns={"value": task})
        df = df.merge(part, on="id", how="left")
        df[task] = df[task].fillna(UNLABELLED).astype("category")
    own_current = df.loc[(df["brand"] == w.brand) & df["current"], "id"]
    models = _models(conn, w.brand, own_current, in_range)
    df = _followers(conn, df)
    df["views"] = pd.to_numeric(df["views"])
    df["engagement"] = pd.to_numeric(df["engagement"]).fillna(0).astype("int64")
    df["brand"] = df["brand"].astype("category")
    return Frames(df.reset_index(drop=True), all_sources, models)


def _models(conn: Connection, brand: str, ids: pd.Series, in_range: pd.Series) -> pd.DataFrame:
    """Which model and version labelled the brand's mentions of the period (SQL-grouped).

    Grouped over the id range of those mentions (cheap: one pass), then the labels of the
    brand's other mentions in that range (published outside the period, or left out as
    suspicious: a few, which ids alone cannot tell apart) taken off, so the counts are exact
    whatever ids the database gave the mentions.
    """
    cols = list(db.MODEL_COLUMNS)
    if ids.empty:
        return pd.DataFrame(columns=cols)
    lo, hi = int(ids.min()), int(ids.max())
    counts = pd.DataFrame(db.label_models(conn, brand, lo, hi), columns=cols)
    others = in_range[in_range.between(lo, hi) & ~in_range.isin(ids)]
    if not others.empty:
        keys = cols[:-1]
        extra = pd.DataFrame(db.label_models_of(conn, others.astype(int).tolist()), columns=cols)
        extra = extra.groupby(keys, dropna=False)["n"].sum()
        counts = counts.set_index(keys)
        counts["n"] = counts["n"].sub(extra.reindex(counts.index).fillna(0)).astype("int64")
        counts = counts[counts["n"] > 0].reset_index()
    # Most used first; ties in a fixed order, not the database's.
    order = counts.assign(by_human=counts["by_human"].astype(bool)).fillna(
        {"model": "", "version": ""}
    )
    order = order.sort_values(
        ["task", "n", "model", "version", "by_human"], ascending=[True, False, True, True, True]
    )
    return counts.loc[order.index].reset_index(drop=True)


def _followers(conn: Connection, df: pd.DataFrame) -> pd.DataFrame:
    """The author's followers as the mention gave them, else as the author's profile says."""
    ids = df["author_id"].dropna()
    if ids.empty:
        df["followers"] = df["mention_followers"].astype("float64")
        return df
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
