"""deliveries: one queue for every message owed (alert e-mails, operators' e-mails, channels)

The alert e-mail queue (`alert_emails`) and the alert's own e-mail columns become rows of
`deliveries`, which also records the Message-ID and the "data sent" mark (`handed_at`) of
each message, so a message handed over is never sent again automatically.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # SQLite rebuilds `alerts` to drop its columns, and dropping the old table deletes the rows
    # of every table referencing it (ON DELETE CASCADE): the e-mails are set aside in a plain
    # table first, and the queue is created once `alerts` is rebuilt.
    op.execute("CREATE TABLE _alert_emails_kept AS SELECT * FROM alert_emails")
    op.drop_index("ix_alert_emails_status", table_name="alert_emails")
    op.drop_table("alert_emails")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("email_status")
        batch_op.drop_column("email_attempts")
        batch_op.drop_column("emailed_at")
        batch_op.drop_column("email_error")
    _create_deliveries()
    # An e-mail left `sending` by the old code may have gone out: it is unconfirmed, not owed.
    op.execute(
        "INSERT INTO deliveries (key, alert_id, kind, channel, target, status, attempts,"
        " created_at, claimed_at, sent_at, message_id, delivered_to, error)"
        " SELECT 'alert:' || alert_id || ':' || kind || ':email:recipients', alert_id, kind,"
        " 'email', 'recipients',"
        " CASE status WHEN 'sending' THEN 'unconfirmed' ELSE status END,"
        " attempts, created_at, claimed_at, sent_at, message_id, delivered_to, error"
        " FROM _alert_emails_kept ORDER BY id"
    )
    op.drop_table("_alert_emails_kept")


def _create_deliveries() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", _ID, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("alert_id", _ID, nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=250), nullable=True),
        sa.Column("payload", _JSON, nullable=True),
        sa.Column("delivered_to", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", name="uq_deliveries_key"),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status"], unique=False)
    op.create_index("ix_deliveries_alert", "deliveries", ["alert_id"], unique=False)


def downgrade() -> None:
    op.execute(
        "CREATE TABLE _alert_emails_kept AS SELECT alert_id, kind,"
        " CASE status WHEN 'unconfirmed' THEN 'sent' ELSE status END AS status, attempts,"
        " created_at, claimed_at, sent_at, message_id, delivered_to, error FROM deliveries"
        " WHERE alert_id IS NOT NULL AND channel = 'email' AND target = 'recipients'"
        " AND kind IN ('opened', 'closed')"
    )
    op.drop_index("ix_deliveries_alert", table_name="deliveries")
    op.drop_index("ix_deliveries_status", table_name="deliveries")
    op.drop_table("deliveries")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_status", sa.String(20), nullable=False,
                                      server_default="pending"))
        batch_op.add_column(sa.Column("email_attempts", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("email_error", sa.Text(), nullable=True))
    op.create_table(
        "alert_emails",
        sa.Column("id", _ID, nullable=False),
        sa.Column("alert_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("delivered_to", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id", "kind", name="uq_alert_emails_alert_kind"),
    )
    op.create_index("ix_alert_emails_status", "alert_emails", ["status"], unique=False)
    op.execute(
        "INSERT INTO alert_emails (alert_id, kind, status, attempts, created_at, claimed_at,"
        " sent_at, message_id, delivered_to, error)"
        " SELECT alert_id, kind, status, attempts, created_at, claimed_at, sent_at, message_id,"
        " delivered_to, error FROM _alert_emails_kept"
    )
    op.drop_table("_alert_emails_kept")
