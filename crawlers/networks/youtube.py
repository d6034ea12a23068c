"""YouTube comments (Data API v3 comment resources, in commentThreads) as mentions."""

from __future__ import annotations

from typing import Any

from crawlers.networks import count, iso
from crawlers.posts import clean_body
from crawlers.text import normalise_text
from storage.records import OWN_ACCOUNT, AuthorRecord, MentionRecord

WATCH = "https://www.youtube.com/watch?v="
# Comments the channel has not published: awaiting review, likely spam, rejected.
NOT_PUBLISHED = {"heldForReview", "likelySpam", "rejected"}


def skip_reason(comment: dict[str, Any], thread: dict[str, Any] | None = None) -> str | None:
    snippet = comment.get("snippet") or {}
    if snippet.get("moderationStatus") in NOT_PUBLISHED:
        return "removed"
    if thread is not None and (thread.get("snippet") or {}).get("isPublic") is False:
        return "not public"
    return None


def comment_text(snippet: dict[str, Any]) -> str:
    """The comment as its author wrote it (`textOriginal`), else `textDisplay` made plain."""
    original = snippet.get("textOriginal")
    if isinstance(original, str) and original.strip():
        return normalise_text(original)
    return clean_body(str(snippet.get("textDisplay") or ""))


def map_comment(
    comment: dict[str, Any],
    source: str,
    video: dict[str, Any],
    *,
    owner: str | None = None,
    replies: int | None = None,
) -> MentionRecord:
    """A top-level comment or a reply (`snippet.parentId`) on `video` (its id and title).
    `owner`: the channel whose comments are the brand's own (the brand's channel)."""
    snippet = comment.get("snippet") or {}
    video_id = str(snippet.get("videoId") or video.get("id"))
    channel = (snippet.get("authorChannelId") or {}).get("value")
    extra: dict[str, Any] = {"channel_id": channel}
    if owner and channel == owner:
        extra[OWN_ACCOUNT] = True
    name = str(snippet.get("authorDisplayName") or channel or "")
    return MentionRecord(
        source=source,
        source_kind="youtube",
        external_id=str(comment["id"]),
        text=comment_text(snippet),
        url=f"{WATCH}{video_id}&lc={comment['id']}",
        thread_id=video_id,
        thread_title=video.get("title"),
        thread_url=f"{WATCH}{video_id}",
        parent_id=str(snippet["parentId"]) if snippet.get("parentId") else None,
        published_at=iso(snippet.get("publishedAt")),
        likes=count(snippet.get("likeCount")),
        comments=replies,
        author=AuthorRecord(
            handle=name,
            name=name,
            profile_url=snippet.get("authorChannelUrl"),
            extra=extra,
        )
        if name
        else None,
        raw=comment,
    )
