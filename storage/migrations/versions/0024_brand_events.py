"""brand_events: what the team marks on a brand's timeline (a TV spot, a launch, an outage)

`storage.models.workspace.BrandEvent`: the reports show each event of their period on the
volume chart and list it beside it (`veille events add`). Nothing to backfill.

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "brand_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_brand_events_at", "brand_events", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_brand_events_at", table_name="brand_events")
    op.drop_table("brand_events")
