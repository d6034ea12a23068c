"""The small reads of a report as frames: posts to show, alerts, sources and runs, analytics.

The per-mention figures come from one narrow pass (reports/frame.py); only the few posts a
report shows, plus a bounded sample of texts for emerging terms, come back with their text.
The SQL is in storage/reporting.py; tables that other stages fill (author_profiles,
mention_flags) are read only when present.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine

from storage import reporting as db


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
    return db.analytics_tables(engine)


def load_posts(conn: Connection, ids: list[int]) -> pd.DataFrame:
    """The posts a report shows (text, author, link, labels), in no particular order."""
    return pd.DataFrame(db.posts(conn, ids), columns=list(db.POST_COLUMNS))


def load_texts(conn: Connection, ids: list[int]) -> pd.DataFrame:
    """Titles and texts of the given mentions (a bounded sample, for emerging terms)."""
    return pd.DataFrame(db.texts(conn, ids), columns=["id", "title", "text"])


def load_alerts(conn: Connection, w: Window) -> pd.DataFrame:
    rows = db.alerts_opened(conn, w.brand, w.prev_start, w.end)
    return pd.DataFrame(rows, columns=list(db.ALERT_COLUMNS))


def load_sources(conn: Connection, counts: pd.DataFrame) -> pd.DataFrame:
    """Every stored source with its mentions in the period (all brands) and its last run.

    `counts` has columns source_id, mentions; a source run but never stored (it failed before
    storing anything) is listed too.
    """
    sources = pd.DataFrame(db.sources(conn), columns=["source_id", "name", "kind"])
    sources = sources.merge(counts, on="source_id", how="left").drop(columns="source_id")
    sources["mentions"] = sources["mentions"].fillna(0).astype("int64")
    runs = pd.DataFrame(
        db.last_source_runs(conn), columns=["source", "status", "started_at", "error"]
    )
    merged = sources.merge(runs, how="outer", left_on="name", right_on="source")
    merged["name"] = merged["name"].fillna(merged["source"])
    return merged.drop(columns="source").sort_values("name").reset_index(drop=True)


def load_exclusions(conn: Connection, w: Window, tables: set[str]) -> pd.DataFrame:
    """Flagged (suspicious) mentions of the brand in the period, per kind and reason."""
    if "mention_flags" not in tables:
        return pd.DataFrame(columns=["kind", "reason", "n"])
    return pd.DataFrame(
        db.flag_reasons(conn, w.brand, w.start, w.end), columns=["kind", "reason", "n"]
    )


def count_flagged(conn: Connection, brand: str, start: datetime, end: datetime) -> int:
    """Distinct flagged mentions of the brand published in [start, end)."""
    return db.count_flagged(conn, brand, start, end)


def load_profiles(conn: Connection, author_ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame(db.profiles(conn, author_ids), columns=list(db.PROFILE_COLUMNS))


def load_author_names(conn: Connection, author_ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame(db.author_names(conn, author_ids), columns=list(db.AUTHOR_NAME_COLUMNS))


def source_names(conn: Connection) -> dict[int, str]:
    return db.source_names(conn)
