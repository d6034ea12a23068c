"""near_duplicate_index.campaign indexed: the inbox shows how many posts are alike each post

The inbox reads, for each row of a page, the size of its group of posts alike, and filters on
one group (storage/alike.py): both look rows up by campaign.

Revision ID: 0036
Revises: 0035
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_near_duplicate_index_campaign", "near_duplicate_index", ["campaign"])


def downgrade() -> None:
    op.drop_index("ix_near_duplicate_index_campaign", table_name="near_duplicate_index")
