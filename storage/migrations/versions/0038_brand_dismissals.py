"""brand_dismissals: mentions a person judged not about a brand its query matched

An analyst marks a mention off-topic for a brand (a homonym, a word the query caught): its
`mention_brands` row moves here as it was, with who and when, so every figure, report and alert
of the brand leaves it out; collecting it again never links it back; undone, the row returns
(storage/dismissals.py). The query workbench reads them to propose exclusions.

Revision ID: 0038
Revises: 0037
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "brand_dismissals",
        sa.Column(
            "mention_id",
            BIG_ID,
            sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("brand", sa.String(200), primary_key=True),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column(
            "matched_terms",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("dismissed_by", sa.String(200), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_brand_dismissals_brand", "brand_dismissals", ["brand"])


def downgrade() -> None:
    op.drop_index("ix_brand_dismissals_brand", table_name="brand_dismissals")
    op.drop_table("brand_dismissals")
