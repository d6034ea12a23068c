"""author_tags: a team's tags on authors (« journaliste », « VIP », « détracteur »)

The contributors pages and the inbox filter by them; an author's tags go with the author
(an erasure). Nothing to backfill.

Revision ID: 0032
Revises: 0031
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "author_tags",
        sa.Column("author_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["authors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("author_id", "tag"),
    )  # fmt: skip
    op.create_index("ix_author_tags_tag", "author_tags", ["tag"])


def downgrade() -> None:
    op.drop_index("ix_author_tags_tag", table_name="author_tags")
    op.drop_table("author_tags")
