"""brand_events.ends_at (an event that lasts), and one row per calendar event and scope

An event can last (a campaign, a sale, a contest): `ends_at`, null for a moment. The reports
draw it as a band over the days it covers and show it on every report it overlaps, not only
the one of its first day.

A calendar imported by hand (`veille events import`, the web dashboard) while the `calendars`
stage reads a calendar of the same name for the same brand could mark an event twice: both
read the calendar's rows, found the event missing and added it. The index makes the second
insert a conflict, which `storage.events.sync` answers by updating the row the first one
added. `brand` is null for every brand's events, so the index reads it through
coalesce(brand, ''): a null would make every row distinct. Events marked by a person have no
calendar (null) and stay outside it. Rows already doubled keep their oldest copy.

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("brand_events") as batch:
        batch.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "DELETE FROM brand_events WHERE calendar IS NOT NULL AND id NOT IN ("
        " SELECT min(id) FROM brand_events WHERE calendar IS NOT NULL"
        " GROUP BY calendar, calendar_key, coalesce(brand, ''))"
    )
    op.drop_index("ix_brand_events_calendar", table_name="brand_events")
    op.create_index(
        "uq_brand_events_calendar",
        "brand_events",
        ["calendar", "calendar_key", sa.text("coalesce(brand, '')")],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_brand_events_calendar", table_name="brand_events")
    op.create_index(
        "ix_brand_events_calendar", "brand_events", ["calendar", "calendar_key"], unique=False
    )
    with op.batch_alter_table("brand_events") as batch:
        batch.drop_column("ends_at")
