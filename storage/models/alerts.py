"""Alerts: one row per episode, the deliveries (e-mails, posts) alerts and operators owe, and
the mutes people set on a brand's alerts for a while."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.clock import utcnow
from storage.models.base import Base, BigId, JsonType, UtcDateTime


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_brand_status", "brand", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brand: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="bad_buzz")
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    negative_count: Mapped[int | None] = mapped_column(Integer)
    expected_count: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(200))


class Delivery(Base):
    """A message owed on one channel to one target: an alert's (opened, closed…) or the
    operators' (a failed run). `key` says what it is, so owing it twice changes nothing.

    Status: `pending` → `sending` (claimed by a check) → `sent`; `failed` when it was not handed
    over (tried again by the next check); `unconfirmed` when it was handed over (`handed_at`)
    and no answer came: never sent again unless a person asks (`veille alerts resend`).
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("key", name="uq_deliveries_key"),
        Index("ix_deliveries_status", "status"),
        Index("ix_deliveries_alert", "alert_id"),
        Index("ix_deliveries_due", "status", "due_at"),
        Index("ix_deliveries_mention", "mention_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    # A mention handed over to a helpdesk or CRM (kind `handoff`); erased with the mention.
    mention_id: Mapped[int | None] = mapped_column(ForeignKey("mentions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # opened, closed, escalated, digest, operators
    channel: Mapped[str] = mapped_column(String(40), default="email")
    target: Mapped[str] = mapped_column(String(200))  # the recipient list (or webhook) name
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # not before (quiet hours…)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    handed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the "data sent" mark
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    message_id: Mapped[str | None] = mapped_column(String(250))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    delivered_to: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class AlertMute(Base):
    """A person's "not now" on a brand's alerts (every brand's when `brand` is None) of one
    kind (every kind when `kind` is None) from `starts_at` until `until`, or until a person
    ends it (`ended_at`): alerts still open and are listed, their messages wait."""

    __tablename__ = "alert_mutes"
    __table_args__ = (Index("ix_alert_mutes_until", "until"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brand: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    until: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(200))
