"""The full-text index of the mentions (migration 0014) after rows are deleted.

PostgreSQL's GIN index follows the rows. SQLite's FTS5 index keeps a deleted text's words in
its segments, marked deleted, until the segments are merged: after an erasure or a retention
run, `forget_deleted` merges them so that no word of a deleted text stays in the file.
"""

from __future__ import annotations

from sqlalchemy import Connection


def forget_deleted(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    present = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mentions_fts'"
    ).first()
    if present is not None:
        conn.exec_driver_sql("INSERT INTO mentions_fts(mentions_fts) VALUES ('optimize')")
