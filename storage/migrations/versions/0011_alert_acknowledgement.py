"""alerts: acknowledged and resolved by people; deliveries found by due time

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("acknowledged_at", "acknowledged_by", "note", "resolved_at", "resolved_by")


def upgrade() -> None:
    # Nullable columns are added in place (ALTER TABLE ADD COLUMN, SQLite too): no rebuild of
    # `alerts`, so the deliveries referencing it are untouched.
    op.add_column("alerts", sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("acknowledged_by", sa.String(length=200), nullable=True))
    op.add_column("alerts", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("alerts", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("resolved_by", sa.String(length=200), nullable=True))
    op.create_index("ix_deliveries_due", "deliveries", ["status", "due_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deliveries_due", table_name="deliveries")
    # SQLite rebuilds `alerts` to drop columns, and dropping the old table would delete the
    # deliveries referencing it (ON DELETE CASCADE): they are set aside meanwhile.
    op.execute("CREATE TABLE _deliveries_kept AS SELECT * FROM deliveries")
    op.execute("DELETE FROM deliveries")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        for column in reversed(_COLUMNS):
            batch_op.drop_column(column)
    op.execute("INSERT INTO deliveries SELECT * FROM _deliveries_kept")
    op.drop_table("_deliveries_kept")
