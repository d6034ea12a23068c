"""saved_views.owner: a saved view of one person's own ('' : the team's)

A view's name is unique per owner (the team's names among the team's views, each person's
among theirs), not across everyone: two people may each keep a « Mes négatifs ». The views
saved before are the team's.

Revision ID: 0033
Revises: 0032
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _before() -> sa.Table:
    """The table as revision 0030 made it (its unique name constraint named), for SQLite's copy."""
    return sa.Table(
        "saved_views",
        sa.MetaData(),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "filters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_saved_views_name"),
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("saved_views", copy_from=_before(), recreate="always") as b:
            b.add_column(sa.Column("owner", sa.String(length=200), nullable=False,
                                   server_default=""))  # fmt: skip
            b.drop_constraint("uq_saved_views_name", type_="unique")
            b.create_unique_constraint("uq_saved_views_owner_name", ["owner", "name"])
        return
    op.add_column(
        "saved_views",
        sa.Column("owner", sa.String(length=200), nullable=False, server_default=""),
    )
    op.drop_constraint("saved_views_name_key", "saved_views", type_="unique")
    op.create_unique_constraint("uq_saved_views_owner_name", "saved_views", ["owner", "name"])


def downgrade() -> None:
    op.execute("DELETE FROM saved_views WHERE owner <> ''")
    with op.batch_alter_table("saved_views") as batch:
        batch.drop_constraint("uq_saved_views_owner_name", type_="unique")
        batch.drop_column("owner")
        batch.create_unique_constraint("saved_views_name_key", ["name"])
