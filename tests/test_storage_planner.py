"""PostgreSQL's planner statistics follow Veille's bulk writes (`storage.planner`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from storage import planner
from storage.labels import LABELLED_TABLES, LabelRecord, save_labels
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import WRITTEN_TABLES, MentionStore

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _records(n: int, start: int = 0) -> list[MentionRecord]:
    return [
        MentionRecord(
            source="forum", source_kind="forum", external_id=str(start + i),
            text=f"Acme message {start + i}", published_at=T0 + timedelta(minutes=start + i),
            author=AuthorRecord(handle=f"a{(start + i) % 40}"), brands=[BrandMatch("Acme")],
        )
        for i in range(n)
    ]  # fmt: skip


def _analysed(engine: Engine, table: str) -> tuple[int, float]:
    """(times analysed, the planner's row count) of a table of the test's schema."""
    q = text(
        "SELECT s.analyze_count, c.reltuples FROM pg_stat_user_tables s"
        " JOIN pg_class c ON c.oid = s.relid"
        " WHERE s.schemaname = current_schema() AND s.relname = :t"
    )
    with engine.connect() as conn:
        count, rows = conn.execute(q, {"t": table}).one()
    return int(count), float(rows)


def test_bulk_writes_are_analysed_once_past_the_threshold(pg_engine: Engine) -> None:
    store = MentionStore(pg_engine, batch_size=600)
    store.store(_records(300))  # under 500 changed rows: nothing to do
    assert planner.stale(pg_engine, WRITTEN_TABLES) == []
    assert _analysed(pg_engine, "mentions") == (0, -1.0)  # never analysed
    store.store(_records(700, start=300))  # the store refreshes after each batch
    # 900 rows after the first batch: analysed; the second's 100 are under 500 + 50 %
    assert _analysed(pg_engine, "mentions") == (1, 900.0)
    assert planner.stale(pg_engine, WRITTEN_TABLES) == []
    store.store(_records(900, start=1000))  # 1,000 changed since: analysed again
    assert _analysed(pg_engine, "mentions") == (2, 1900.0)

    with pg_engine.begin() as conn:
        save_labels(conn, [LabelRecord(i, "sentiment", "negative") for i in range(1, 1001)])
        planner.counted(conn)
    assert planner.refresh(pg_engine, LABELLED_TABLES) == ["labels"]
    assert _analysed(pg_engine, "labels") == (1, 1000.0)
    with pg_engine.begin() as conn:  # 900 more: under 500 + 500, left to a later refresh
        save_labels(conn, [LabelRecord(i, "topic", "autre") for i in range(1, 901)])
        planner.counted(conn)
    assert planner.refresh(pg_engine, LABELLED_TABLES) == []


def test_sqlite_has_nothing_to_refresh(sqlite_engine: Engine) -> None:
    MentionStore(sqlite_engine).store(_records(200))
    assert planner.refresh(sqlite_engine, WRITTEN_TABLES) == []
