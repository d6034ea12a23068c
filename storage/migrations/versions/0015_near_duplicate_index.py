"""near_duplicate_index: the near-duplicate search's findings per post, for incremental nights

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "near_duplicate_index",
        sa.Column(
            "mention_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("content", sa.BigInteger(), nullable=False),
        sa.Column("sig_group", sa.BigInteger(), nullable=False),
        sa.Column("bands", sa.LargeBinary(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("campaign", sa.BigInteger(), nullable=False),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("mention_id"),
    )


def downgrade() -> None:
    op.drop_table("near_duplicate_index")
