"""brand_events.calendar, calendar_key: events read from a team's calendar

`veille events import` and the `calendars` stage read a team's iCalendar calendar; each event
read keeps the calendar's name and its key there, so reading the calendar again updates it and
removes what the calendar no longer has. Events marked by a person keep both null.

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("brand_events") as batch:
        batch.add_column(sa.Column("calendar", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("calendar_key", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_brand_events_calendar", "brand_events", ["calendar", "calendar_key"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_brand_events_calendar", table_name="brand_events")
    with op.batch_alter_table("brand_events") as batch:
        batch.drop_column("calendar_key")
        batch.drop_column("calendar")
