"""The full-text index of the mentions (migration 0014): new rows, and rows deleted.

PostgreSQL's GIN index follows the rows. SQLite's FTS5 index (`mentions_fts`, an external
content table over `mentions`) follows updates and deletions by triggers, but not inserts
(migration 0018): a trigger indexes one row at a time, which took a quarter of an import's
time at a million mentions, where one `INSERT … SELECT` after each batch takes a fifth of
that. Whatever writes new mentions calls `index_new` in the same transaction
(`storage.upsert.MentionStore` does). FTS5 keeps one `mentions_fts_docsize` row per
indexed document, its rowid the mention's id, so the index knows how far it goes.

An FTS5 index keeps a deleted text's words in its segments, marked deleted, until the
segments are merged: after an erasure or a retention run, `forget_deleted` merges them so
that no word of a deleted text stays in the file.
"""

from __future__ import annotations

from sqlalchemy import Connection

INDEX_NEW = (
    "INSERT INTO mentions_fts(rowid, title, text) SELECT id, title, text FROM mentions"
    " WHERE id > (SELECT coalesce(max(id), 0) FROM mentions_fts_docsize)"
)


def index_new(conn: Connection) -> None:
    """Index every mention newer than the index's last one (SQLite; nothing on PostgreSQL)."""
    if conn.dialect.name == "sqlite" and _has_index(conn):
        conn.exec_driver_sql(INDEX_NEW)


def forget_deleted(conn: Connection) -> None:
    if conn.dialect.name == "sqlite" and _has_index(conn):
        conn.exec_driver_sql("INSERT INTO mentions_fts(mentions_fts) VALUES ('optimize')")


def _has_index(conn: Connection) -> bool:
    present = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mentions_fts'"
    ).first()
    return present is not None
