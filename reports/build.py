"""Gather every figure of one brand's report for one period (independent of its language)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from config.settings import Settings
from reports import queries as q
from reports.contributors import Contributors, contributors
from reports.frame import authors, cube, load_frames
from reports.kpis import Headline, by_source, by_topic, competitors, headline, volume_series
from reports.periods import Period
from reports.terms import emerging_terms

TOP_POSTS = 10
TERM_SAMPLE = 20_000


@dataclass
class ReportContent:
    brand: str
    brands: tuple[str, ...]
    period: Period
    previous: Period
    generated_at: datetime
    tables: set[str]
    headline: Headline
    series: pd.DataFrame
    hourly: bool
    alerts: pd.DataFrame
    sources: pd.DataFrame
    topics: pd.DataFrame
    contributors: Contributors
    flagged: int | None  # suspicious mentions of the period (None: flags not computed)
    flagged_previous: int | None
    engaging: pd.DataFrame
    needing_answer: pd.DataFrame
    terms: pd.DataFrame
    competitors: pd.DataFrame
    source_status: pd.DataFrame
    models: pd.DataFrame
    exclusions: pd.DataFrame
    excluded: bool
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.headline["volume"].current == 0

    @property
    def current_alerts(self) -> pd.DataFrame:
        return self.alerts[self.alerts["opened_at"] >= self.period.start]


def build_report(
    engine: Engine, settings: Settings, brand: str, period: Period, now: datetime
) -> ReportContent:
    """Read the database in one narrow pass (plus the posts shown) and compute with pandas."""
    conf = settings.brand(brand)
    brands = (conf.name, *conf.competitors)
    previous = period.previous()
    tables = q.available_tables(engine)
    exclude = settings.reports.exclude_suspicious
    w = q.Window(conf.name, brands, previous.start, period.start, period.end, exclude)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now_ = time.perf_counter()
        timings[name] = now_ - clock
        clock = now_

    with engine.connect() as conn:
        frames = load_frames(conn, w, tables)
        lap("mentions")
        df = frames.mentions
        cube_ = cube(df)
        authors_ = authors(df, conf.name)
        own = df[df["brand"] == conf.name]
        cur = own[own["current"]]
        names = q.source_names(conn)
        cur_ids = sorted(authors_.loc[authors_["current"], "author_id"].astype(int).tolist())
        profiles = q.load_profiles(conn, cur_ids) if "author_profiles" in tables else None
        engaging = _top_engaging(conn, cur)
        needing = _needing_answer(conn, cur)
        sample = _text_sample(conn, own, names)
        lap("posts and texts")
        alerts = q.load_alerts(conn, w)
        status = q.load_sources(conn, frames.all_sources)
        exclusions = q.load_exclusions(conn, w, tables)
        flags = "mention_flags" in tables
        flagged = q.count_flagged(conn, w.brand, w.start, w.end) if flags else None
        flagged_prev = q.count_flagged(conn, w.brand, w.prev_start, w.start) if flags else None
        people = contributors(authors_, profiles)
        top_ids = people.influential["author_id"].astype(int).tolist()
        people.influential = people.influential.merge(
            q.load_author_names(conn, top_ids), how="left", on="author_id"
        )
        lap("method and contributors")
    hourly = period.days <= 2
    series = volume_series(
        cube_,
        conf.name,
        period.tz,
        pd.Timestamp(period.first_day),
        pd.Timestamp(period.last_day) + pd.Timedelta(days=1),
        hourly,
    )
    content = ReportContent(
        brand=conf.name,
        brands=brands,
        period=period,
        previous=previous,
        generated_at=now,
        tables=tables,
        headline=headline(cube_, authors_, conf.name, brands),
        series=series,
        hourly=hourly,
        alerts=alerts,
        sources=by_source(cube_, conf.name, names),
        topics=by_topic(cube_, conf.name),
        contributors=people,
        flagged=flagged,
        flagged_previous=flagged_prev,
        engaging=engaging,
        needing_answer=needing,
        terms=emerging_terms(sample, set(brands)),
        competitors=competitors(cube_, brands),
        source_status=status,
        models=frames.models,
        exclusions=exclusions,
        excluded=exclude and "mention_flags" in tables,
        timings=timings,
    )
    lap("pandas")
    return content


# Posts tied with the last one shown are all read, up to this many, so that the tie is broken
# by their natural key (source, external id) rather than by the ids a database gave them.
_TIED = 500


def _top_engaging(conn: Connection, cur: pd.DataFrame) -> pd.DataFrame:
    """The most engaging posts; ties by time (newest first), then source and external id."""
    top = cur[cur["engagement"] > 0].sort_values(["engagement", "hour"], ascending=False)
    if len(top) > TOP_POSTS:
        top = top[top["engagement"] >= top["engagement"].iloc[TOP_POSTS - 1]].head(_TIED)
    posts = q.load_posts(conn, top["id"].astype(int).tolist())
    posts = posts.sort_values(
        ["engagement", "published_at", "source", "external_id"],
        ascending=[False, False, True, True],
    )
    return posts.head(TOP_POSTS).reset_index(drop=True)


def _needing_answer(conn: Connection, cur: pd.DataFrame) -> pd.DataFrame:
    """Negative customer-service posts, newest first (hours narrow it, timestamps order it)."""
    hits = cur[(cur["sentiment"] == "negative") & (cur["topic"] == "service_client")]
    hits = hits.sort_values("hour", ascending=False)
    if len(hits) > TOP_POSTS:
        hits = hits[hits["hour"] >= hits["hour"].iloc[TOP_POSTS - 1]].head(_TIED)
    posts = q.load_posts(conn, hits["id"].astype(int).tolist())
    posts = posts.sort_values(
        ["published_at", "source", "external_id"], ascending=[False, True, True]
    )
    return posts.head(TOP_POSTS).reset_index(drop=True)


def _text_sample(conn: Connection, own: pd.DataFrame, names: dict[int, str]) -> pd.DataFrame:
    """About TERM_SAMPLE texts per period, each weighted by (mentions / texts).

    Above TERM_SAMPLE the sample is drawn without ids, which differ from one database to the
    next: mentions are grouped by what every database stores alike (source name, hour,
    engagement, views, followers) and the groups whose key hashes lowest are taken whole, so
    emerging terms are the same on SQLite and PostgreSQL, and nothing more is read.
    """
    frames = []
    for current in (False, True):
        part = own[own["current"] == current].drop_duplicates("id")
        chosen = part["id"]
        if len(part) > TERM_SAMPLE:
            # Numbers only (hashing strings row by row is slow): the source by its name's hash.
            source = {k: int(pd.util.hash_array(np.array([v], dtype=object))[0])
                      for k, v in names.items()}  # fmt: skip
            key = pd.DataFrame({
                "source": part["source_id"].map(source).astype("uint64"),
                "hour": part["hour"].astype("int64"),
                **{c: part[c].astype("float64") for c in ("engagement", "views", "followers")},
            })  # fmt: skip
            rank = pd.util.hash_pandas_object(key, index=False).to_numpy()
            cut = np.partition(rank, TERM_SAMPLE - 1)[TERM_SAMPLE - 1]
            chosen = part.loc[rank <= cut, "id"]  # ties with the cut are all in: no order needed
        texts = q.load_texts(conn, sorted(chosen.astype(int).tolist()))
        texts["current"] = current
        texts["weight"] = len(part) / max(1, len(texts)) if len(part) else 1.0
        frames.append(texts)
    return pd.concat(frames, ignore_index=True)
