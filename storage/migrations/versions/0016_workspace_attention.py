"""workspace_attention: the inbox's stored needs-attention score, and session revocation

`mention_attention` holds each mention's score (storage/attention.py, the one formula), its
publication time and whether it is open, indexed for the inbox's order; it is backfilled here
from the formula. `users.session_generation` is bumped by signing out, a new password or a
removal: the session cookies signed before it stop working. On PostgreSQL the full-text words
become a stored generated column (`mentions.fulltext`) that the GIN index holds, so that
walking the inbox's order reads them instead of computing them again for each mention (the
table is rewritten once).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WORDS = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"


def upgrade() -> None:
    from storage.attention import rescore_where

    op.create_table(
        "mention_attention",
        sa.Column(
            "mention_id", BigId, sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True, autoincrement=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
    )  # fmt: skip
    rescore_where(op.get_bind())  # every mention, before the indexes: faster
    op.create_index(
        "ix_mention_attention_queue",
        "mention_attention",
        ["is_open", "score", "published_at", "mention_id"],
    )
    op.create_index(
        "ix_mention_attention_all", "mention_attention", ["score", "published_at", "mention_id"]
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE mentions ADD COLUMN fulltext tsvector GENERATED ALWAYS AS ({WORDS}) STORED")
        op.execute("DROP INDEX ix_mentions_fulltext")
        op.execute("CREATE INDEX ix_mentions_fulltext ON mentions USING gin (fulltext)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_mentions_fulltext")
        op.execute("ALTER TABLE mentions DROP COLUMN fulltext")
        op.execute(f"CREATE INDEX ix_mentions_fulltext ON mentions USING gin ({WORDS})")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
    op.drop_index("ix_mention_attention_all", table_name="mention_attention")
    op.drop_index("ix_mention_attention_queue", table_name="mention_attention")
    op.drop_table("mention_attention")
