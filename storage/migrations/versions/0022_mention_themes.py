"""mention_themes: the workspace's themes each mention is in, kept per mention

`storage.models.mentions.MentionThemes`: the report stage matches the themes of the mentions
its reports read once, and the reports read them (valid while the mention's content hash and
the themes' fingerprint are those it was matched with). Filled by the next report stage;
nothing to backfill.

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mention_themes",
        sa.Column(
            "mention_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.Column("themes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("mention_id"),
    )


def downgrade() -> None:
    op.drop_table("mention_themes")
