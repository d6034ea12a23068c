"""Gather every figure of one brand's report for one period (independent of its language)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from config.settings import Settings
from reports import queries as q
from reports.contributors import Contributors, contributors
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
    """Read the database (aggregated in SQL) and compute the report's figures with pandas."""
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
        cube = q.load_cube(conn, w, tables)
        lap("cube")
        authors = q.load_authors(conn, w, tables)
        lap("authors")
        names = q.source_names(conn)
        cur_ids = sorted(authors.loc[authors["current"], "author_id"].astype(int).tolist())
        profiles = q.load_profiles(conn, cur_ids) if "author_profiles" in tables else None
        engaging = q.load_top_engaging(conn, w, tables, TOP_POSTS)
        needing = q.load_needing_answer(conn, w, tables, TOP_POSTS)
        lap("posts")
        own = cube[cube["brand"] == conf.name]
        counts = (
            int(own.loc[~own["current"], "mentions"].sum()),
            int(own.loc[own["current"], "mentions"].sum()),
        )
        sample = q.load_text_sample(conn, w, tables, counts, TERM_SAMPLE)
        lap("texts")
        alerts = q.load_alerts(conn, w)
        status = q.load_sources(conn, w)
        models = q.load_models(conn, w, tables)
        exclusions = q.load_exclusions(conn, w, tables)
        flagged = q.count_flagged(conn, w) if "mention_flags" in tables else None
        lap("method")
        people = contributors(authors, profiles)
        top_ids = people.influential["author_id"].astype(int).tolist()
        people.influential = people.influential.merge(
            q.load_author_names(conn, top_ids), how="left", on="author_id"
        )
    hourly = period.days <= 2
    series = volume_series(
        cube,
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
        headline=headline(cube, authors, conf.name, brands),
        series=series,
        hourly=hourly,
        alerts=alerts,
        sources=by_source(cube, conf.name, names),
        topics=by_topic(cube, conf.name),
        contributors=people,
        flagged=flagged,
        engaging=engaging,
        needing_answer=needing,
        terms=emerging_terms(sample, set(brands)),
        competitors=competitors(cube, brands),
        source_status=status,
        models=models,
        exclusions=exclusions,
        excluded=exclude and "mention_flags" in tables,
        timings=timings,
    )
    lap("pandas")
    return content
