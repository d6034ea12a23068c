"""The record every collector produces: one mention with its author and brand matches."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Key of AuthorRecord.extra marking the brand's own account where the source says so (the
# company answering a review): the topic labeler reads it beside brands.own_accounts.
OWN_ACCOUNT = "own_account"


@dataclass(slots=True)
class AuthorRecord:
    handle: str
    name: str | None = None
    profile_url: str | None = None
    followers: int | None = None
    post_count: int | None = None
    created_at: datetime | None = None
    extra: dict[str, Any] | None = None


@dataclass(slots=True)
class BrandMatch:
    brand: str
    query: str | None = None
    matched_terms: list[str] | None = None


@dataclass(slots=True)
class MentionRecord:
    """A mention as every spider and reader hands it to storage; missing values are None."""

    source: str
    source_kind: str
    external_id: str
    text: str
    url: str | None = None
    thread_id: str | None = None
    thread_title: str | None = None
    thread_url: str | None = None
    parent_id: str | None = None
    title: str | None = None
    lang: str | None = None
    published_at: datetime | None = None
    collected_at: datetime | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    views: int | None = None
    rating: float | None = None
    author: AuthorRecord | None = None
    author_followers: int | None = None
    raw: Any = None
    brands: list[BrandMatch] = field(default_factory=list)
    # `content_hash()` computed ahead by a collector whose record is final (a crawl computes
    # it while the batch before is written); None: computed when stored.
    digest: str | None = field(default=None, repr=False, compare=False)

    def content_hash(self) -> str:
        """Hash of the mapped fields: a record stored again unchanged is not rewritten."""
        a = self.author
        parts = (
            self.external_id, self.text, self.url, self.thread_id, self.thread_title,
            self.thread_url, self.parent_id, self.title, self.lang,
            self.published_at.isoformat() if self.published_at else None,
            self.likes, self.shares, self.comments, self.views, self.rating,
            self.author_followers, a.handle if a else None,
        )  # fmt: skip
        return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
