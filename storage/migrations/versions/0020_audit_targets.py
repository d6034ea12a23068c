"""audit targets: the other things one audit entry acted on (each mention of a bulk action)

A bulk action of the inbox (assign, status, relabel) and the answers stage's closing of the
brands' own posts were logged once, with their ids in the entry's detail: a mention's history
did not list them. `audit_targets` names each thing such an entry acted on, indexed by thing.

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_targets",
        sa.Column(
            "entry_id", BigId, sa.ForeignKey("audit_log.id", ondelete="CASCADE"),
            primary_key=True, autoincrement=False,
        ),
        sa.Column("target", sa.String(200), primary_key=True),
    )  # fmt: skip
    op.create_index("ix_audit_targets_target", "audit_targets", ["target"])
    # The bulk entries logged before: their mentions, from the detail's ids.
    bind = op.get_bind()
    audit = sa.table(
        "audit_log", sa.column("id", BigId), sa.column("target", sa.String), sa.column("detail", sa.JSON)
    )
    targets = sa.table("audit_targets", sa.column("entry_id", BigId), sa.column("target", sa.String))
    rows = bind.execute(sa.select(audit.c.id, audit.c.detail).where(audit.c.target.is_(None)))
    found = [
        {"entry_id": entry, "target": f"mention:{int(i)}"}
        for entry, detail in rows
        if isinstance(detail, dict) and isinstance(detail.get("ids"), list)
        for i in sorted({int(i) for i in detail["ids"] if isinstance(i, int)})
    ]
    if found:
        bind.execute(sa.insert(targets), found)


def downgrade() -> None:
    op.drop_index("ix_audit_targets_target", table_name="audit_targets")
    op.drop_table("audit_targets")
