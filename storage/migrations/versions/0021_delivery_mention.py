"""delivery mention: a message owed about one mention (a hand-over to a helpdesk or CRM)

`deliveries.mention_id` names the mention a `handoff` message carries, so that the mention's
page lists its hand-overs and their state; the message goes with the mention when it is erased.

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mention_id", _ID, nullable=True))
        batch_op.create_foreign_key(
            "fk_deliveries_mention_id_mentions", "mentions", ["mention_id"], ["id"],
            ondelete="CASCADE",
        )  # fmt: skip
    op.create_index("ix_deliveries_mention", "deliveries", ["mention_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deliveries_mention", table_name="deliveries")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_deliveries_mention_id_mentions", type_="foreignkey")
        batch_op.drop_column("mention_id")
