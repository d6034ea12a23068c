"""Alerts: one row per bad-buzz episode, and the e-mails each one owes."""

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
    email_status: Mapped[str] = mapped_column(String(20), default="pending")
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    emailed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    email_error: Mapped[str | None] = mapped_column(Text)


class AlertEmail(Base):
    """An e-mail owed for an alert (`opened` or `closed`); pending until a send succeeds."""

    __tablename__ = "alert_emails"
    __table_args__ = (
        UniqueConstraint("alert_id", "kind", name="uq_alert_emails_alert_kind"),
        Index("ix_alert_emails_status", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    message_id: Mapped[str | None] = mapped_column(String(200))
    delivered_to: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
