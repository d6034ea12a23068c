"""labels.review: model labels under the confidence threshold, for a person to check

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('labels', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('review', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index('ix_labels_review_task', ['review', 'task'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('labels', schema=None) as batch_op:
        batch_op.drop_index('ix_labels_review_task')
        batch_op.drop_column('review')
