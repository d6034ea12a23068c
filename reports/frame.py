"""One narrow pass over the period's mentions: a slim per-mention frame, joined in pandas.

Joining labels and brands row by row in SQL costs an index look-up per mention per table; on
a million mentions reading each table once over the period's id range and merging in pandas is
several times faster, on SQLite and PostgreSQL alike. Only numbers, ids and short labels come
back; texts are fetched afterwards for the few posts a report shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, func, literal_column, select, type_coerce
from sqlalchemy.types import String

from reports.queries import FLAGS, Window
from storage.models import Author, Label, Mention, MentionBrand
from storage.vocab import UNLABELLED


@dataclass
class Frames:
    mentions: pd.DataFrame  # one row per (mention, brand) of both periods, flagged ones removed
    all_sources: pd.DataFrame  # mentions of the current period per source_id, every brand
    models: pd.DataFrame  # task, model, version, by_human, n — labels of the brand's period


def _published(conn: Connection, w: Window) -> Any:
    """The published_at column; on SQLite, unindexed when the window holds most mentions.

    SQLite would walk the published_at index and fetch every row at random; for a window that
    covers most of the table a plain scan is about three times cheaper (`+col` disables the
    index, as the SQLite documentation advises).
    """
    if conn.dialect.name != "sqlite":
        return Mention.published_at
    in_window = conn.execute(
        select(func.count()).where(
            Mention.published_at >= w.prev_start, Mention.published_at < w.end
        )
    ).scalar_one()
    total = conn.execute(select(func.max(Mention.id))).scalar_one() or 0
    if total and in_window > 0.25 * total:
        return literal_column("+mentions.published_at", Mention.published_at.type)
    return Mention.published_at


def _hour(conn: Connection) -> ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Mention.published_at), "YYYY-MM-DD HH24")
    return func.substr(type_coerce(Mention.published_at, String), 1, 13)


def _hours(values: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(values)
    stamps = pd.to_datetime(
        pd.Index(uniques).astype(str) + ":00", utc=True, format="%Y-%m-%d %H:%M"
    )
    return pd.Series(stamps.take(codes), index=values.index)


def _rows(conn: Connection, stmt: Any) -> list[Any]:
    """All rows as the driver gives them: plain tuples, skipping SQLAlchemy's Row objects.

    The columns read this way are ints, floats and short strings that need no conversion
    (published_at is read as an hour string), so the driver's tuples are all a frame needs;
    on a million rows this halves the time of the read.
    """
    result = conn.execute(stmt)
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()


def load_frames(conn: Connection, w: Window, tables: set[str]) -> Frames:
    published = _published(conn, w)
    cols = [
        "id",
        "hour",
        "source_id",
        "author_id",
        "engagement",
        "views",
        "mention_followers",
    ]
    rows = _rows(
        conn,
        select(
            Mention.id,
            _hour(conn),
            Mention.source_id,
            Mention.author_id,
            (
                func.coalesce(Mention.likes, 0)
                + func.coalesce(Mention.shares, 0)
                + func.coalesce(Mention.comments, 0)
            ),
            Mention.views,
            Mention.author_followers,
        ).where(published >= w.prev_start, published < w.end),
    )
    df = pd.DataFrame(rows, columns=cols)
    df["hour"] = _hours(df["hour"]) if len(df) else pd.Series(dtype="datetime64[ns, UTC]")
    df["current"] = df["hour"] >= pd.Timestamp(w.start).floor("h")
    lo, hi = (int(df["id"].min()), int(df["id"].max())) if len(df) else (0, -1)
    all_sources = df[df["current"]].groupby("source_id").size().rename("mentions").reset_index()
    brands = pd.DataFrame(
        _rows(
            conn,
            select(MentionBrand.mention_id, MentionBrand.brand).where(
                MentionBrand.mention_id.between(lo, hi), MentionBrand.brand.in_(w.brands)
            ),
        ),
        columns=["id", "brand"],
    )
    df = df.merge(brands, on="id", how="inner")
    if w.exclude_flagged and "mention_flags" in tables:
        flagged = {
            r[0]
            for r in conn.execute(
                select(FLAGS.c.mention_id).where(FLAGS.c.mention_id.between(lo, hi))
            )
        }
        df = df[~df["id"].isin(flagged)]
    labels = pd.DataFrame(
        _rows(
            conn,
            select(Label.mention_id, Label.task, Label.value).where(
                Label.mention_id.between(lo, hi), Label.task.in_(("sentiment", "topic"))
            ),
        ),
        columns=["id", "task", "value"],
    )
    for task in ("sentiment", "topic"):
        part = labels.loc[labels["task"] == task, ["id", "value"]].rename(columns={"value": task})
        df = df.merge(part, on="id", how="left")
        df[task] = df[task].fillna(UNLABELLED).astype("category")
    own_current = df.loc[(df["brand"] == w.brand) & df["current"], "id"]
    models = _models(conn, w.brand, own_current)
    df = _followers(conn, df)
    df["views"] = pd.to_numeric(df["views"])
    df["engagement"] = pd.to_numeric(df["engagement"]).fillna(0).astype("int64")
    df["brand"] = df["brand"].astype("category")
    return Frames(df.reset_index(drop=True), all_sources, models)


def _models(conn: Connection, brand: str, ids: pd.Series) -> pd.DataFrame:
    """Which model and version labelled the brand's mentions of the period (SQL-grouped).

    Grouped over the id range of those mentions (ids grow with collection time), so a few
    mentions published just before the period but collected within it may count too.
    """
    cols = ["task", "model", "version", "by_human", "n"]
    if ids.empty:
        return pd.DataFrame(columns=cols)
    n = func.count().label("n")
    stmt = (
        select(Label.task, Label.model, Label.version, Label.by_human, n)
        .join(MentionBrand, MentionBrand.mention_id == Label.mention_id)
        .where(
            MentionBrand.brand == brand, Label.mention_id.between(int(ids.min()), int(ids.max()))
        )
        .group_by(Label.task, Label.model, Label.version, Label.by_human)
        .order_by(Label.task, n.desc())
    )
    return pd.DataFrame(conn.execute(stmt).all(), columns=cols)


def _followers(conn: Connection, df: pd.DataFrame) -> pd.DataFrame:
    """The author's followers as the mention gave them, else as the author's profile says."""
    ids = df["author_id"].dropna()
    if ids.empty:
        df["followers"] = df["mention_followers"].astype("float64")
        return df
    known = pd.DataFrame(
        conn.execute(
            select(Author.id, Author.followers).where(
                and_(
                    Author.id.between(int(ids.min()), int(ids.max())), Author.followers.is_not(None)
                )
            )
        ).all(),
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
