"""workspace_attention: the inbox's stored needs-attention score, and session revocation

`mention_attention` holds each mention's score (storage/attention.py, the one formula), its
publication time and whether it is open, indexed for the inbox's order; it is backfilled here
from the formula. `users.session_generation` is bumped by signing out, a new password or a
removal: the session cookies signed before it stop working.

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


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
    op.drop_index("ix_mention_attention_all", table_name="mention_attention")
    op.drop_index("ix_mention_attention_queue", table_name="mention_attention")
    op.drop_table("mention_attention")
