"""workspace: accounts, audit log, mention triage and notes, full-text search (`veille serve`)

SQLite gets an FTS5 index over the mentions' title and text, kept by triggers; PostgreSQL a
GIN index over the same words (`storage.inbox.FULLTEXT_PG` is the expression it indexes).
A later migration that rebuilds `mentions` on SQLite (batch mode copies the table) drops the
three triggers: it must create them again (SQLITE_FTS below) and rebuild the index.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE mentions_fts USING fts5(title, text, content='mentions', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN "
    "INSERT INTO mentions_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN "
    "INSERT INTO mentions_fts(mentions_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER mentions_fts_au AFTER UPDATE OF title, text ON mentions BEGIN "
    "INSERT INTO mentions_fts(mentions_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO mentions_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild')",
]
PG_FTS = (
    "CREATE INDEX ix_mentions_fulltext ON mentions USING gin "
    "(to_tsvector('simple', coalesce(title, '') || ' ' || text))"
)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("detail", Json, nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
    )
    op.create_index("ix_audit_log_target", "audit_log", ["target"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "mention_triage",
        sa.Column(
            "mention_id", BigId, sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assignee", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
    )
    op.create_index("ix_mention_triage_status", "mention_triage", ["status"])
    op.create_index("ix_mention_triage_assignee", "mention_triage", ["assignee"])
    op.create_table(
        "mention_notes",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "mention_id", BigId, sa.ForeignKey("mentions.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_mention_notes_mention", "mention_notes", ["mention_id"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(PG_FTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("mentions_fts_ai", "mentions_fts_ad", "mentions_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS mentions_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_mentions_fulltext")
    op.drop_table("mention_notes")
    op.drop_table("mention_triage")
    op.drop_table("audit_log")
    op.drop_table("users")
