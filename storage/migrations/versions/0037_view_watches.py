"""view_watches: a person told of the new mentions of a saved view

Anyone may ask to hear of the new mentions of an inbox view they see (the team's or their own):
each alerts check e-mails them those that arrived since the last one it looked at
(web/watches.py). Deleted with the view and with the person's account.

Revision ID: 0037
Revises: 0036
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "view_watches",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "view_id", BIG_ID, sa.ForeignKey("saved_views.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", BIG_ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("last_mention_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("view_id", "user_id", name="uq_view_watches_view_user"),
    )
    op.create_index("ix_view_watches_view_id", "view_watches", ["view_id"])


def downgrade() -> None:
    op.drop_index("ix_view_watches_view_id", table_name="view_watches")
    op.drop_table("view_watches")
