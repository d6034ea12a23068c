"""Mastodon statuses (API v1 Status entity) as mentions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from crawlers.networks import count, iso
from crawlers.posts import clean_body
from storage.records import AuthorRecord, MentionRecord

# Quoted posts: Mastodon 4.5 prepends `<p class="quote-inline">RE: <a …></a></p>` for the
# clients that do not show the quote (the quote itself is in `quote`, never in the text);
# other servers of the fediverse quote in a <blockquote>.
QUOTES = (".quote-inline", "blockquote")
PUBLIC = ("public", "unlisted")


def skip_reason(status: dict[str, Any]) -> str | None:
    """Why a status is not collected: a boost (its original is collected where it appears),
    a deleted or suspended author's post, a post that is not public."""
    if status.get("reblog"):
        return "boost"
    account = status.get("account") or {}
    if account.get("suspended"):
        return "removed"
    if not status.get("content") and status.get("text") is not None:
        return "deleted"  # a deleted status carries its source `text` instead of `content`
    if status.get("visibility") not in PUBLIC:
        return "not public"
    return None


def status_text(content: str) -> str:
    """Plain text of a status's HTML, without quoted posts."""
    return clean_body(content or "", QUOTES)


def handle_of(account: dict[str, Any], instance: str) -> str:
    """`user@instance` for everyone (a local account's `acct` has no domain)."""
    acct = str(account.get("acct") or account.get("username") or "")
    return acct if "@" in acct else f"{acct}@{urlparse(instance).netloc}"


def map_status(status: dict[str, Any], source: str, instance: str) -> MentionRecord:
    account = status.get("account") or {}
    followers = count(account.get("followers_count"))
    author = AuthorRecord(
        handle=handle_of(account, instance),
        name=account.get("display_name") or account.get("username"),
        profile_url=account.get("url"),
        followers=followers,
        post_count=count(account.get("statuses_count")),
        created_at=iso(account.get("created_at")),
        extra={k: account.get(k) for k in ("id", "bot", "group") if k in account},
    )
    parent = status.get("in_reply_to_id")
    return MentionRecord(
        source=source,
        source_kind="mastodon",
        external_id=str(status["id"]),
        text=status_text(status.get("content") or ""),
        title=status.get("spoiler_text") or None,  # the content warning, shown before the text
        url=status.get("url") or status.get("uri"),
        # The API gives a status's parent, not its conversation: the parent stands for it.
        thread_id=str(parent) if parent else str(status["id"]),
        parent_id=str(parent) if parent else None,
        lang=status.get("language"),
        published_at=iso(status.get("created_at")),
        likes=count(status.get("favourites_count")),
        shares=count(status.get("reblogs_count")),
        comments=count(status.get("replies_count")),
        author=author,
        author_followers=followers,
        raw=status,
    )
