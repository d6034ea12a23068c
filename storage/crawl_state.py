"""Per-thread crawl state, so a nightly crawl fetches only what is new since the last run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from storage.clock import utcnow
from storage.dialect import greatest, insert
from storage.models import CrawlThread


@dataclass(slots=True)
class ThreadState:
    """A thread as the crawler left it (also the item a spider yields when a thread is done)."""

    source: str
    thread_id: str
    url: str
    title: str | None = None
    last_post_id: str | None = None
    last_post_at: datetime | None = None
    last_page: int = 1
    last_page_url: str | None = None
    posts_seen: int = 0
    last_seen_at: datetime | None = None


def load_threads(engine: Engine, source: str) -> dict[str, ThreadState]:
    """Every thread state of a source, by thread id."""
    t = CrawlThread.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.source == source)).mappings().all()
    out: dict[str, ThreadState] = {}
    for row in rows:
        out[row["thread_id"]] = ThreadState(
            source=row["source"],
            thread_id=row["thread_id"],
            url=row["url"],
            title=row["title"],
            last_post_id=row["last_post_id"],
            last_post_at=row["last_post_at"],
            last_page=row["last_page"],
            last_page_url=row["last_page_url"],
            posts_seen=row["posts_seen"],
            last_seen_at=row["last_seen_at"],
        )
    return out


def save_threads(engine: Engine, states: Sequence[ThreadState]) -> int:
    """Upsert thread states in one transaction; the latest activity never moves backwards."""
    if not states:
        return 0
    unique = {(s.source, s.thread_id): s for s in states}
    now = utcnow()
    rows = [
        {
            "source": s.source,
            "thread_id": s.thread_id,
            "url": s.url,
            "title": s.title,
            "last_post_id": s.last_post_id,
            "last_post_at": s.last_post_at,
            "last_page": s.last_page,
            "last_page_url": s.last_page_url,
            "posts_seen": s.posts_seen,
            "last_seen_at": s.last_seen_at or now,
        }
        for s in unique.values()
    ]
    table = CrawlThread.__table__
    with engine.begin() as conn:
        stmt = insert(conn, table)
        ex = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=["source", "thread_id"],
            set_={
                "url": ex.url,
                "title": ex.title,
                "last_post_id": ex.last_post_id,
                "last_post_at": greatest(
                    conn,
                    func.coalesce(ex.last_post_at, table.c.last_post_at),
                    func.coalesce(table.c.last_post_at, ex.last_post_at),
                ),
                "last_page": ex.last_page,
                "last_page_url": ex.last_page_url,
                "posts_seen": ex.posts_seen,
                "last_seen_at": ex.last_seen_at,
            },
        )
        conn.execute(stmt, rows)
    return len(rows)
