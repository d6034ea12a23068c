"""Bluesky posts (app.bsky.feed.defs#postView, as searchPosts returns them) as mentions."""

from __future__ import annotations

from typing import Any

from crawlers.networks import count, iso
from crawlers.text import normalise_text
from storage.records import AuthorRecord, MentionRecord

# Labels by which a moderation service withdrew a post from view.
REMOVED_LABELS = {"!takedown", "!hide", "!suspend"}
WEB = "https://bsky.app"


def skip_reason(post: dict[str, Any]) -> str | None:
    """Why a post is not collected: taken down or hidden by moderation."""
    labels = {
        str(label.get("val")) for label in post.get("labels") or [] if isinstance(label, dict)
    }
    if labels & REMOVED_LABELS:
        return "removed"
    if not isinstance(post.get("record"), dict):
        return "deleted"
    return None


def post_url(post: dict[str, Any]) -> str:
    """`at://did/app.bsky.feed.post/rkey` -> the post's page on bsky.app."""
    author = post.get("author") or {}
    rkey = str(post.get("uri", "")).rsplit("/", 1)[-1]
    return f"{WEB}/profile/{author.get('handle') or author.get('did')}/post/{rkey}"


def sort_at(post: dict[str, Any]) -> str | None:
    """The time search sorts and filters by (`since`): the earlier of createdAt and indexedAt."""
    record = post.get("record") or {}
    times = [t for t in (record.get("createdAt"), post.get("indexedAt")) if isinstance(t, str)]
    dated = [(iso(t), t) for t in times]
    known = [(d, t) for d, t in dated if d is not None]
    return min(known)[1] if known else None


def map_post(
    post: dict[str, Any], source: str, profile: dict[str, Any] | None = None
) -> MentionRecord:
    """`profile`: the author's profileViewDetailed (getProfiles), which has the followers."""
    record = post.get("record") or {}
    author = post.get("author") or {}
    profile = profile or {}
    followers = count(profile.get("followersCount"))
    handle = str(author.get("handle") or author.get("did"))
    reply = record.get("reply") or {}
    parent = (reply.get("parent") or {}).get("uri")
    root = (reply.get("root") or {}).get("uri")
    langs = record.get("langs") or []
    return MentionRecord(
        source=source,
        source_kind="bluesky",
        external_id=str(post["uri"]),
        # The record's own text: a quoted post lives in `embed`, never in it.
        text=normalise_text(str(record.get("text") or "")),
        url=post_url(post),
        thread_id=str(root or post["uri"]),
        parent_id=str(parent) if parent else None,
        lang=str(langs[0]) if langs else None,
        published_at=iso(record.get("createdAt")) or iso(post.get("indexedAt")),
        likes=count(post.get("likeCount")),
        shares=count(post.get("repostCount")),
        comments=count(post.get("replyCount")),
        author=AuthorRecord(
            handle=handle,
            name=author.get("displayName") or None,
            profile_url=f"{WEB}/profile/{handle}",
            followers=followers,
            post_count=count(profile.get("postsCount")),
            created_at=iso(author.get("createdAt")),
            extra={"did": author.get("did")},
        ),
        author_followers=followers,
        raw={"post": post, "author_profile": profile or None},
    )
