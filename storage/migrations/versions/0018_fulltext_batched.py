"""fulltext batched: SQLite's full-text index takes new mentions a batch at a time

The FTS5 insert trigger of migration 0014 goes: whatever writes new mentions indexes them
after each batch, in the same transaction (`storage.fulltext.index_new`). The update and
delete triggers stay. A later migration that rebuilds `mentions` on SQLite creates those
two again (0014's SQLITE_FTS, without `mentions_fts_ai`) and rebuilds the index.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSERT_TRIGGER = (
    "CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN "
    "INSERT INTO mentions_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS mentions_fts_ai")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "INSERT INTO mentions_fts(rowid, title, text) SELECT id, title, text FROM mentions"
            " WHERE id > (SELECT coalesce(max(id), 0) FROM mentions_fts_docsize)"
        )
        op.execute(INSERT_TRIGGER)
