"""The bulk upsert: idempotent, updating, never duplicating — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from storage.models import Author, Mention, MentionBrand
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def _batch(n: int, likes: int = 1) -> list[MentionRecord]:
    return [
        MentionRecord(
            source="forum-a",
            source_kind="forum",
            external_id=f"p{i}",
            text=f"Lumino livraison n°{i} « très » lente 😡",
            lang="fr",
            published_at=T0 + timedelta(minutes=i),
            likes=likes,
            author=AuthorRecord(handle=f"user{i % 7}", name=f"User {i % 7}", followers=10 * i),
            raw={"id": i, "body": "<b>x</b>"},
            brands=[BrandMatch("Lumino", "lumino", ["lumino"])],
        )
        for i in range(n)
    ]


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(Mention).order_by(Mention.id)).tuples()]


def test_restoring_a_batch_changes_nothing(engine: Engine) -> None:
    store = MentionStore(engine, batch_size=40)
    first = store.store(_batch(100))
    assert (first.new, first.updated, first.unchanged) == (100, 0, 0)
    before = _snapshot(engine)
    again = MentionStore(engine, batch_size=33).store(_batch(100))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 100)
    assert _snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Author)).scalar_one() == 7
        assert conn.execute(select(func.count()).select_from(MentionBrand)).scalar_one() == 100


def test_seen_again_updates_metrics_without_duplicating(engine: Engine) -> None:
    store = MentionStore(engine)
    store.store(_batch(10, likes=1))
    counts = store.store(_batch(12, likes=5))
    assert (counts.new, counts.updated, counts.unchanged) == (2, 10, 0)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Mention)).scalar_one() == 12
        likes = set(conn.execute(select(Mention.likes)).scalars())
    assert likes == {5}


def test_duplicates_inside_one_batch_keep_the_last(engine: Engine) -> None:
    batch = _batch(3) + _batch(3, likes=9)
    counts = MentionStore(engine).store_batch(batch)
    assert counts.new == 3
    with engine.connect() as conn:
        assert set(conn.execute(select(Mention.likes)).scalars()) == {9}


def test_timestamps_come_back_as_utc_and_text_unaltered(engine: Engine) -> None:
    MentionStore(engine).store(_batch(1))
    with engine.connect() as conn:
        row = conn.execute(select(Mention.published_at, Mention.text, Mention.raw)).one()
    assert row.published_at == T0 and row.published_at.tzinfo is not None
    assert row.text == "Lumino livraison n°0 « très » lente 😡"
    assert row.raw == {"id": 0, "body": "<b>x</b>"}


def test_author_keeps_known_values_when_a_later_record_lacks_them(engine: Engine) -> None:
    store = MentionStore(engine)
    store.store(_batch(1))
    later = _batch(1)[0]
    later.external_id = "other"
    later.author = AuthorRecord(handle="user0")
    store.store([later])
    with engine.connect() as conn:
        name = conn.execute(select(Author.name).where(Author.handle == "user0")).scalar_one()
    assert name == "User 0"


def test_a_scratch_schema_is_empty_and_dropped_on_leaving(pg_url: str) -> None:
    """storage.schema.scratch_schema, which every PostgreSQL test and benchmark stands on."""
    from pg_admin import PG_ADMIN_URL
    from sqlalchemy import create_engine, text

    from storage.schema import scratch_schema

    def schemas() -> set[str]:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            found = set(conn.execute(text("select schema_name from information_schema.schemata")))
        engine.dispose()
        return {row[0] for row in found}

    with scratch_schema(PG_ADMIN_URL, "t_scratch") as url:
        name = url.rsplit("%3D", 1)[1]
        assert name.startswith("t_scratch_") and name in schemas()
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("select current_schema()")).scalar() == name
            tables = "select count(*) from information_schema.tables where table_schema = :s"
            assert conn.execute(text(tables), {"s": name}).scalar() == 0
        engine.dispose()
    assert name not in schemas()
