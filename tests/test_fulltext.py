"""The full-text index follows what is stored: new mentions a batch at a time, changed texts
and deleted mentions by SQLite's triggers (migration 0018), PostgreSQL's GIN index always."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, insert, select

from storage.clock import utcnow
from storage.models import Mention, Source
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore


def _record(i: int, text: str) -> MentionRecord:
    return MentionRecord(
        source="forum", source_kind="forum", external_id=str(i), text=f"Acme {text}",
        published_at=utcnow() - timedelta(hours=i), author=AuthorRecord(handle=f"a{i % 4}"),
        brands=[BrandMatch("Acme", "acme", ["acme"])],
    )  # fmt: skip


def _found(engine: Engine, words: str) -> list[str]:
    from storage.inbox import InboxFilter, inbox_page

    rows = inbox_page(engine, InboxFilter(status=None, words=words), limit=100)
    with engine.connect() as conn:
        external = dict(conn.execute(select(Mention.id, Mention.external_id)).tuples().all())
    return sorted(external[r["id"]] for r in rows)


def _index_is_whole(engine: Engine) -> None:
    """SQLite: FTS5's own check that the index holds exactly the content table's words."""
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO mentions_fts(mentions_fts, rank) VALUES ('integrity-check', 1)"
            )


def test_the_index_follows_new_changed_and_deleted_mentions(engine: Engine) -> None:
    store = MentionStore(engine, batch_size=7)
    store.store([_record(i, "colis perdu" if i % 2 else "facture fausse") for i in range(1, 31)])
    assert _found(engine, "colis") == sorted(str(i) for i in range(1, 31, 2))
    _index_is_whole(engine)

    # a second import: one text changed, new mentions after it
    store.store([_record(3, "remboursement promis"), *(_record(i, "colis") for i in (31, 32))])
    with engine.begin() as conn:
        conn.execute(delete(Mention).where(Mention.external_id == "5"))
    colis = [str(i) for i in range(1, 33, 2) if i not in (3, 5)] + ["32"]
    assert _found(engine, "colis") == sorted(colis)
    assert _found(engine, "remboursement") == ["3"]
    _index_is_whole(engine)


def test_rows_written_outside_the_store_are_indexed_by_the_next_batch(
    sqlite_engine: Engine,
) -> None:
    """The index knows how far it goes (its docsize rows), so a mention written by other
    means (a script, an older Veille) is taken with the next batch, and never twice."""
    from storage.fulltext import index_new

    with sqlite_engine.begin() as conn:
        conn.execute(insert(Source).values(id=1, name="forum", kind="forum"))
        conn.execute(insert(Mention).values(
            id=1, source_id=1, external_id="x", text="Acme courrier égaré",
            published_at=utcnow(), content_hash="h",
        ))  # fmt: skip
    with sqlite_engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM mentions_fts_docsize").scalar() == 0
    MentionStore(sqlite_engine).store([_record(2, "courrier")])
    with sqlite_engine.begin() as conn:
        index_new(conn)  # nothing left to index: not taken twice
        assert conn.exec_driver_sql("SELECT count(*) FROM mentions_fts_docsize").scalar() == 2
        found = conn.exec_driver_sql(
            "SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH 'courrier' ORDER BY rowid"
        ).scalars()
        assert list(found) == [1, 2]
    _index_is_whole(sqlite_engine)
