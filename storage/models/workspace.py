"""The analysts' workspace (`veille serve`): accounts, the audit log, triage and notes, and
the events the team marks on a brand's timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.clock import utcnow
from storage.models.base import Base, BigId, JsonType, UtcDateTime


class User(Base):
    """A local account: viewers read, analysts triage and correct, admins manage accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Bumped by signing out, a new password or removal: every cookie signed before is void.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where the person hears of the mentions assigned to them (null: nowhere).
    email: Mapped[str | None] = mapped_column(String(320))
    # The language of their workspace pages (null: web.language's).
    language: Mapped[str | None] = mapped_column(String(8))
    # Two-step sign-in (web/two_factor.py): the authenticator app's secret once a code
    # confirmed it, the one being set up, and the time step of the last code accepted.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The brands the person sees (web/scope.py; null: every brand).
    brands: Mapped[list[str] | None] = mapped_column(JsonType)


class AuditEntry(Base):
    """One human action: who did what to which thing, when (never updated, never deleted)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_target", "target"),
        Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(200))  # mention:42, alert:3, user:ana
    detail: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    address: Mapped[str | None] = mapped_column(String(64))


class AuditTarget(Base):
    """Another thing one audit entry acted on (each mention of a bulk action), so that the
    thing's history lists the entry."""

    __tablename__ = "audit_targets"
    __table_args__ = (Index("ix_audit_targets_target", "target"),)

    entry_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("audit_log.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )  # fmt: skip
    target: Mapped[str] = mapped_column(String(200), primary_key=True)


class MentionTriage(Base):
    """Where a person stands with a mention; no row means `new`, nobody assigned."""

    __tablename__ = "mention_triage"
    __table_args__ = (
        Index("ix_mention_triage_status", "status"),
        Index("ix_mention_triage_assignee", "assignee"),
    )

    mention_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20), default="new")
    assignee: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class MentionNote(Base):
    __tablename__ = "mention_notes"
    __table_args__ = (Index("ix_mention_notes_mention", "mention_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mention_id: Mapped[int] = mapped_column(BigId, ForeignKey("mentions.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MentionAttention(Base):
    """The inbox's needs-attention score of each mention, stored so that the inbox is an
    index-ordered scan (storage/attention.py computes it and keeps it; one row a mention)."""

    __tablename__ = "mention_attention"
    __table_args__ = (
        # open first, then the most urgent, then the newest: the inbox's default order
        Index("ix_mention_attention_queue", "is_open", "score", "published_at", "mention_id"),
        Index("ix_mention_attention_all", "score", "published_at", "mention_id"),
    )

    mention_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    score: Mapped[int] = mapped_column(SmallInteger, default=0)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)  # status new or in progress


class ApiToken(Base):
    """A read-only key for a program (a BI tool, a script) to read the web workspace's pages
    and exports without a person's session: only its SHA-256 digest is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    brands: Mapped[list[str] | None] = mapped_column(JsonType)  # those it reads (null: every)


class SavedView(Base):
    """A set of the inbox's filters the team named (« Négatifs SAV », « Mes mentions
    ouvertes »), shared by everyone, or one person named for themselves; `filters`: the
    inbox's parameters as the address has them (`assignee: me` is each person's own)."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("owner", "name", name="uq_saved_views_owner_name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # '' : the team's view; else the one person's whose view it is (migration 0033)
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    filters: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ViewWatch(Base):
    """A person told of the new mentions of a saved view (reports/alerts/watch_mail.py): the
    newest mention id already looked at, the next alerts check reading only those after it."""

    __tablename__ = "view_watches"
    __table_args__ = (UniqueConstraint("view_id", "user_id", name="uq_view_watches_view_user"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    view_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("saved_views.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id", ondelete="CASCADE"))
    last_mention_id: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BrandEvent(Base):
    """Something that happened to a brand, marked by the team on its timeline (a TV spot, a
    product launch, an outage): the reports show it where it fell, so a spike has its cause
    beside it. `brand` None: every brand. An event read from a team's calendar names it and
    carries its key there (`calendar`, `calendar_key`): reading the calendar again updates it,
    and removes it once the calendar no longer has it. An event that lasts (a campaign, a
    sale) has its end (`ends_at`); a moment has none."""

    __tablename__ = "brand_events"
    __table_args__ = (Index("ix_brand_events_at", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brand: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    label: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    calendar: Mapped[str | None] = mapped_column(String(100))
    calendar_key: Mapped[str | None] = mapped_column(String(64))
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: a moment


# One row per calendar event and scope (migration 0027): `brand` null (every brand) read as ''
# so that two readings of one calendar for every brand meet; a person's events (no calendar)
# stay outside it.
Index(
    "uq_brand_events_calendar",
    BrandEvent.calendar,
    BrandEvent.calendar_key,
    func.coalesce(BrandEvent.brand, ""),
    unique=True,
)
