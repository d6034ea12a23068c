"""users.email: where a person hears of the mentions assigned to them

An analyst who assigns a mention to a colleague in the web workspace sends them an e-mail
(reports.alerts.assignment) when the colleague has an address: `veille users add NAME --email
ADDRESS`, `veille users email NAME ADDRESS`, or the admin's page. Null: no e-mail.

Revision ID: 0028
Revises: 0027
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
