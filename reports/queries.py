"""The small reads of a report as frames: posts to show, alerts, sources and runs, analytics.

The per-mention figures come from one narrow pass (reports/frame.py); only the few posts a
report shows, plus the texts the drivers are looked for in, come back with their text.
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
    exclude_owned: bool = True  # the posts of the brands' own accounts


def available_tables(engine: Engine) -> set[str]:
    """The contributor analytics tables, once the authors stage has filled them."""
    return db.analytics_tables(engine)


def load_posts(conn: Connection, ids: list[int]) -> pd.DataFrame:
    """The posts a report shows (text, author, link, labels), in no particular order."""
    return pd.DataFrame(db.posts(conn, ids), columns=list(db.POST_COLUMNS))


def load_texts(conn: Connection, ids: list[int]) -> pd.DataFrame:
    """Titles and texts of the given mentions (for the drivers)."""
    return pd.DataFrame(db.texts(conn, ids), columns=["id", "title", "text", "external_id"])


def load_alerts(conn: Connection, brand: str, start: datetime, end: datetime) -> pd.DataFrame:
    """The brand's alerts opened in [start, end), and those still open."""
    rows = db.alerts_opened(conn, brand, start, end)
    frame = pd.DataFrame(rows, columns=list(db.ALERT_COLUMNS))
    for col in ("opened_at", "closed_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def load_profiles(conn: Connection, author_ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame(db.profiles(conn, author_ids), columns=list(db.PROFILE_COLUMNS))


def load_author_names(conn: Connection, author_ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame(db.author_names(conn, author_ids), columns=list(db.AUTHOR_NAME_COLUMNS))


def source_names(conn: Connection) -> dict[int, str]:
    return db.source_names(conn)
