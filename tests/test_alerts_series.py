"""The alert rule's series, counted in the database, equals the mentions bucketed one by one."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from reports.alerts.series import bucket_start, bucketize, load_series
from storage.labels import LabelRecord, save_labels
from storage.mentions import brand_mentions
from storage.models import Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

END = datetime(2026, 3, 9, 15, 7, 30, tzinfo=UTC)


def test_series_counted_in_the_database_equals_one_by_one(engine: Engine) -> None:
    rng = random.Random(5)
    start = END - timedelta(days=3)
    times = [start + timedelta(seconds=rng.uniform(-3600, 3 * 86400 + 600)) for _ in range(400)]
    # Bucket edges: exactly on one, a microsecond before, the window's ends.
    edge = bucket_start(END, 15) - timedelta(hours=2)
    times += [edge, edge - timedelta(microseconds=1), start, END, END - timedelta(seconds=1)]
    records = [_record(i, at) for i, at in enumerate(times)]
    MentionStore(engine).store(records)
    with engine.begin() as conn:
        ids = conn.execute(select(Mention.id).order_by(Mention.id)).scalars().all()
        labels = [
            LabelRecord(i, "sentiment", rng.choice(["negative", "positive", "neutral"]), model="t")
            for i in ids
            if rng.random() < 0.8
        ]
        save_labels(conn, labels)
    with engine.connect() as conn:
        for minutes in (5, 15, 60):
            got = load_series(conn, "Lumino", start, END, minutes)
            rows = brand_mentions(conn, "Lumino", bucket_start(start, minutes), END)
            one_by_one = [(r.published_at, r.sentiment == "negative") for r in rows]
            want = bucketize(one_by_one, start, END, minutes, "Lumino")  # type: ignore[arg-type]
            assert got == want
            assert sum(got.totals) > 250 and 0 < sum(got.negatives) < sum(got.totals)


def _record(i: int, at: datetime) -> MentionRecord:
    return MentionRecord(
        source="x", source_kind="twitter_export", external_id=f"m{i}", text=f"post {i}",
        published_at=at, author=AuthorRecord(handle=f"u{i % 7}"),
        brands=[BrandMatch("Lumino" if i % 5 else "Other")],
    )  # fmt: skip


def test_short_windows_read_by_time_find_what_the_brand_index_finds(engine: Engine) -> None:
    """On SQLite a window of up to `SHORT_WINDOW` is read by time (not by the brand's index):
    the same mentions, sentiments and order as a longer window cut to it."""
    from storage.mentions import SHORT_WINDOW, negative_mentions

    rng = random.Random(9)
    times = [END - timedelta(seconds=rng.uniform(0, 10 * 86400)) for _ in range(300)]
    MentionStore(engine).store([_record(i, at) for i, at in enumerate(times)])
    with engine.begin() as conn:
        ids = conn.execute(select(Mention.id)).scalars().all()
        save_labels(conn, [LabelRecord(i, "sentiment", rng.choice(["negative", "positive"]),
                                       model="t") for i in ids if rng.random() < 0.8])  # fmt: skip
    since = END - SHORT_WINDOW
    with engine.connect() as conn:
        for read in (brand_mentions, negative_mentions):
            short = read(conn, "Lumino", since, END)
            long = [m for m in read(conn, "Lumino", END - timedelta(days=11), END)
                    if m.published_at is not None and m.published_at >= since]  # fmt: skip
            assert short == long and len(short) > 20
            assert [m.id for m in short] == sorted(m.id for m in short)
        if conn.dialect.name == "sqlite":
            from storage.mentions import _brand_window

            stmt = _brand_window(conn, (Mention.id,), "Lumino", since, END, negative_only=True)
            sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = [r[3] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
            assert "ix_mentions_published_at" in plan[0], plan
