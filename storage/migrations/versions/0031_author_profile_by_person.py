"""authors.profile_by_person: the profile a person chose for an author, kept with the author

A person's correction of a contributor's profile lived only in their profile row
(author_profiles.by_human), which goes when the author has no post in the window: when they
posted again, the computed profile came back. Kept with the author, it is applied again to
every new profile row. Backfilled from the profile rows a person set.

Revision ID: 0031
Revises: 0030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("authors") as batch:
        batch.add_column(sa.Column("profile_by_person", sa.String(length=40), nullable=True))
    op.execute(
        "UPDATE authors SET profile_by_person = (SELECT p.profile FROM author_profiles p"
        " WHERE p.author_id = authors.id AND p.by_human)"
        " WHERE id IN (SELECT author_id FROM author_profiles WHERE by_human)"
    )


def downgrade() -> None:
    with op.batch_alter_table("authors") as batch:
        batch.drop_column("profile_by_person")
