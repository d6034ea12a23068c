"""What is collected: sources, authors, mentions, their brand matches and their labels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from storage.clock import utcnow
from storage.models.base import Base, BigId, JsonType, UtcDateTime


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Author(Base):
    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("source_id", "handle", name="uq_authors_source_handle"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    handle: Mapped[str] = mapped_column(String(300))
    name: Mapped[str | None] = mapped_column(String(300))
    profile_url: Mapped[str | None] = mapped_column(Text)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    post_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    # The profile a person chose (storage.authors.set_profile_by_human): applied again to each
    # profile the `authors` stage computes for them, even after they left the window.
    profile_by_person: Mapped[str | None] = mapped_column(String(40))


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id", name="uq_mentions_source_external"),
        Index("ix_mentions_published_at", "published_at"),
        Index("ix_mentions_author_id", "author_id"),
        Index("ix_mentions_thread", "source_id", "thread_id"),
        Index("ix_mentions_parent", "source_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    thread_id: Mapped[str | None] = mapped_column(String(300))
    thread_title: Mapped[str | None] = mapped_column(Text)
    thread_url: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(String(300))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("authors.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    collected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    rating: Mapped[float | None] = mapped_column(Float)
    author_followers: Mapped[int | None] = mapped_column(BigInteger)
    raw: Mapped[Any] = mapped_column(JsonType, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(40))

    source: Mapped[Source] = relationship(lazy="raise")
    author: Mapped[Author | None] = relationship(lazy="raise")


class MentionBrand(Base):
    """Which brand query matched which mention (and with which terms)."""

    __tablename__ = "mention_brands"
    __table_args__ = (Index("ix_mention_brands_brand", "brand"),)

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    brand: Mapped[str] = mapped_column(String(200), primary_key=True)
    query: Mapped[str | None] = mapped_column(Text)
    matched_terms: Mapped[list[str] | None] = mapped_column(JsonType)


class BrandDismissal(Base):
    """A mention a person judged not about a brand its query matched ("off-topic"): its link
    to the brand (`mention_brands`) is kept here, as it was, instead; collecting the mention
    again never links it back; undone, the link returns (storage/dismissals.py)."""

    __tablename__ = "brand_dismissals"
    __table_args__ = (Index("ix_brand_dismissals_brand", "brand"),)

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    brand: Mapped[str] = mapped_column(String(200), primary_key=True)
    query: Mapped[str | None] = mapped_column(Text)
    matched_terms: Mapped[list[str] | None] = mapped_column(JsonType)
    dismissed_by: Mapped[str] = mapped_column(String(200))
    dismissed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Label(Base):
    """One label per mention and task; a person's label always wins over a model's."""

    __tablename__ = "labels"
    __table_args__ = (
        Index("ix_labels_task_value", "task", "value"),
        Index("ix_labels_review_task", "review", "task"),
    )

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    task: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(80))
    score: Mapped[float | None] = mapped_column(Float)
    scores: Mapped[dict[str, float] | None] = mapped_column(JsonType)
    model: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(80))
    by_human: Mapped[bool] = mapped_column(Boolean, default=False)
    # A model's label whose calibrated score is under `nlp.review_below`: a person should look.
    review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    labelled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MentionThemes(Base):
    """The workspace's themes a mention is in (`themes` in veille.yaml, their queries matched
    against its text, title, author, link, language and source), kept per mention so that a
    report reads them instead of matching every text again: valid while the mention's
    `content_hash` is the one it was matched with and `setting` the fingerprint of the themes
    then configured (`nlp.themes.fingerprint`). `themes`: their names, a JSON list. No
    foreign key: rows are deleted by the functions that delete or rewrite a mention
    (`storage.privacy`), as `mention_derived`'s are."""

    __tablename__ = "mention_themes"

    mention_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    content_hash: Mapped[str] = mapped_column(String(40))
    setting: Mapped[str] = mapped_column(String(40))
    themes: Mapped[str] = mapped_column(Text)
