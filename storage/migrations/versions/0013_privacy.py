"""privacy: the erasure log and the tombstones of erased keys (`veille privacy erase`)

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.create_table(
        "erasure_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("counts", json, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "tombstones",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column(
            "erasure_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["erasure_id"], ["erasure_log.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("key_hash"),
    )
    op.create_index("ix_tombstones_erasure", "tombstones", ["erasure_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tombstones_erasure", table_name="tombstones")
    op.drop_table("tombstones")
    op.drop_table("erasure_log")
