"""users.brands, api_tokens.brands: the brands an account or a token sees

An agency's client, a brand's own team: an account (or an API token) given a list of brands
sees those brands' mentions, alerts, events, reports and contributors only — on every page,
export and message (web/scope.py). Null: every brand, as before.

Revision ID: 0039
Revises: 0038
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column("users", sa.Column("brands", JSON, nullable=True))
    op.add_column("api_tokens", sa.Column("brands", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("brands")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("brands")
