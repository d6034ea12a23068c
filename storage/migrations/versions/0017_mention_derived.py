"""mention_derived: what the author analytics derive from each post's text, kept per post

The cue lexicons a post matches, the @handles it names and its text's hash
(`storage.models.authors.MentionDerived`), so that the nightly authors stage computes them
only for new or changed posts. Filled by the next authors stage; nothing to backfill.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mention_derived",
        sa.Column(
            "mention_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.Column("cues", sa.Integer(), nullable=False),
        sa.Column("named", sa.Text(), nullable=True),
        sa.Column("text_hash", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("mention_id"),
    )


def downgrade() -> None:
    op.drop_table("mention_derived")
