"""Collection state: where each forum thread's crawl stopped, which export files were imported."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.clock import utcnow
from storage.models.base import Base, BigId, JsonType, UtcDateTime


class CrawlThread(Base):
    """What the last crawl saw of one thread: where to resume, and when it was last active."""

    __tablename__ = "crawl_threads"
    __table_args__ = (UniqueConstraint("source", "thread_id", name="uq_crawl_threads_source"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    thread_id: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    last_post_id: Mapped[str | None] = mapped_column(String(300))
    last_post_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_page: Mapped[int] = mapped_column(Integer, default=1)
    last_page_url: Mapped[str | None] = mapped_column(Text)
    posts_seen: Mapped[int] = mapped_column(Integer, default=0)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ImportedFile(Base):
    """One export file (or unpacked folder) per source and content hash.

    `committed` counts the file's records already stored, so a killed import resumes after
    them; `status` is `running` until the whole file went through, then `done` (or `failed`).
    """

    __tablename__ = "imported_files"
    __table_args__ = (Index("ix_imported_files_sha", "source", "sha256", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="running")
    committed: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
