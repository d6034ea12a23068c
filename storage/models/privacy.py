"""Personal data: the erasure log (no personal data in it) and the tombstones of erased keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.clock import utcnow
from storage.models.base import Base, BigId, JsonType, UtcDateTime


class Erasure(Base):
    """One erasure (or retention pass): what kind, when, by whom, how many rows per table.

    Never the handle, the texts or the ids erased: the log must not keep what it erased.
    """

    __tablename__ = "erasure_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(String(20))  # author, mention, match or retention
    counts: Mapped[dict[str, Any]] = mapped_column(JsonType)


class Tombstone(Base):
    """The hash of an erased key (a source's mention id, or author handle): never stored again."""

    __tablename__ = "tombstones"
    __table_args__ = (Index("ix_tombstones_erasure", "erasure_id"),)

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # mention, author or title (of a thread)
    erasure_id: Mapped[int | None] = mapped_column(
        ForeignKey("erasure_log.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
