"""mention replies index: a mention's replies found by their parent (source, parent id)

The reports look up the brand's first reply to each negative customer-service post of the
period (`storage.reporting.first_replies`); without the index that is a scan of `mentions`.

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_mentions_parent", "mentions", ["source_id", "parent_id"])


def downgrade() -> None:
    op.drop_index("ix_mentions_parent", table_name="mentions")
