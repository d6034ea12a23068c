"""Contributor analytics: who an author is (profile, tier, influence) and flagged mentions."""

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
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.clock import utcnow
from storage.models.base import Base, BigId, JsonType, UtcDateTime


class AuthorProfile(Base):
    """Who an author is, from their history over a window: profile, tier, influence, flags.

    `profile` is the one every page, filter and report reads: a person's choice when one was
    made (`by_human`), else the computed one. `computed_profile` and `profile_score` are what
    the last computation found (NULL only on a row a person set before the night that first
    wrote it)."""

    __tablename__ = "author_profiles"
    __table_args__ = (
        Index("ix_author_profiles_profile", "profile"),
        Index("ix_author_profiles_influence", "influence"),
    )

    author_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    profile: Mapped[str] = mapped_column(String(40))
    computed_profile: Mapped[str | None] = mapped_column(String(40))
    profile_score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JsonType)
    influence: Mapped[float] = mapped_column(Float)
    influence_parts: Mapped[dict[str, Any]] = mapped_column(JsonType)
    tier: Mapped[str] = mapped_column(String(20))
    flags: Mapped[list[dict[str, str]]] = mapped_column(JsonType)
    suspicious: Mapped[bool] = mapped_column(Boolean, default=False)
    posts: Mapped[int] = mapped_column(Integer)
    features: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    by_human: Mapped[bool] = mapped_column(Boolean, default=False)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime)
    window_end: Mapped[datetime] = mapped_column(UtcDateTime)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[str] = mapped_column(String(80))


class AuthorTag(Base):
    """A team's tag on an author (« journaliste », « VIP », « détracteur »): the contributors
    pages and the inbox filter by it (storage.author_tags)."""

    __tablename__ = "author_tags"
    __table_args__ = (Index("ix_author_tags_tag", "tag"),)

    author_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MentionFlag(Base):
    """A mention judged part of coordinated or inauthentic praise or denigration, and why."""

    __tablename__ = "mention_flags"
    __table_args__ = (Index("ix_mention_flags_group", "group_key"),)

    mention_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    group_key: Mapped[str] = mapped_column(String(120))
    flagged_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NearDuplicateEntry(Base):
    """What the near-duplicate search found about a post of the last window
    (`nlp.authors.neardup`): the hash of what it depends on, its MinHash signature (64
    32-bit values) and LSH band keys, and its campaign (the smallest mention id of the
    component). No foreign key: an entry outlives its post until the next night removes it
    and recomputes what the post linked."""

    __tablename__ = "near_duplicate_index"
    __table_args__ = (Index("ix_near_duplicate_index_campaign", "campaign"),)

    mention_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    content: Mapped[int] = mapped_column(BigInteger)
    sig_group: Mapped[int] = mapped_column(BigInteger)  # 0: not a candidate
    bands: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    campaign: Mapped[int] = mapped_column(BigInteger)
    setting: Mapped[str] = mapped_column(String(40))


class MentionDerived(Base):
    """What the author analytics derive from a post's text (`nlp.authors.data`): its cue
    lexicons matched (a bit per cue), the @handles it names (space-separated; NULL where it
    holds no @) and its text's hash. Computed once per post, so that a night reads no text
    and runs no lexicon for the posts it read before: valid while the mention's
    `content_hash` is the one it was derived from and `setting` is the code's; deleted with
    the mention and when a privacy redaction rewrites its text. No foreign key: rows are
    deleted by the functions that delete or rewrite a mention (`storage.privacy`)."""

    __tablename__ = "mention_derived"

    mention_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    content_hash: Mapped[str] = mapped_column(String(40))
    setting: Mapped[str] = mapped_column(String(40))
    cues: Mapped[int] = mapped_column(Integer)
    named: Mapped[str | None] = mapped_column(Text)
    text_hash: Mapped[int] = mapped_column(BigInteger)
