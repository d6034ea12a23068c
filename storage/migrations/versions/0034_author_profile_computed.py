"""author_profiles.computed_profile: what the nights compute, kept beside a person's choice

A person's correction replaced the profile row's `profile`, so the profile the `authors` stage
computes for that author was lost from sight: the contributor's page could not show it beside
the person's, nor give it back when the correction is withdrawn. Each night now writes it to
`computed_profile` (and its score stays `profile_score`). Backfilled from the rows no person
set; a row a person set gets it from the next night.

Revision ID: 0034
Revises: 0033
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("author_profiles") as batch:
        batch.add_column(sa.Column("computed_profile", sa.String(length=40), nullable=True))
    op.execute("UPDATE author_profiles SET computed_profile = profile WHERE NOT by_human")


def downgrade() -> None:
    with op.batch_alter_table("author_profiles") as batch:
        batch.drop_column("computed_profile")
