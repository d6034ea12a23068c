"""Reddit things (t3 posts, t1 comments, as the official API's Listings hold them) as mentions."""

from __future__ import annotations

import re
from typing import Any

from crawlers.networks import count, unix
from crawlers.posts import clean_body
from crawlers.text import normalise_text
from storage.records import AuthorRecord, MentionRecord

WEB = "https://www.reddit.com"
GONE = {"[deleted]": "deleted", "[removed]": "removed"}
_QUOTED_LINE = re.compile(r"^\s*>.*$", re.M)


def skip_reason(data: dict[str, Any]) -> str | None:
    """Why a post or comment is not collected: deleted by its author, removed by moderators."""
    category = data.get("removed_by_category")
    if category:
        return "deleted" if category == "deleted" else "removed"
    for key in ("selftext", "body"):
        if data.get(key) in GONE:
            return GONE[data[key]]
    return None


def thing_text(data: dict[str, Any], field: str) -> str:
    """The text of a post (`selftext`) or comment (`body`) without what it quotes: from the
    HTML (quotes are <blockquote>), else from the Markdown (quoted lines start with '>')."""
    html = data.get(f"{field}_html")
    if isinstance(html, str) and html:
        return clean_body(html, ("blockquote",))
    return normalise_text(_QUOTED_LINE.sub("", str(data.get(field) or "")))


def _author(data: dict[str, Any]) -> AuthorRecord | None:
    name = data.get("author")
    if not name or name in GONE:
        return None
    return AuthorRecord(
        handle=str(name),
        name=str(name),
        profile_url=f"{WEB}/user/{name}",
        extra={"fullname": data.get("author_fullname")},
    )


def map_post(data: dict[str, Any], source: str) -> MentionRecord:
    permalink = WEB + str(data.get("permalink") or "")
    return MentionRecord(
        source=source,
        source_kind="reddit",
        external_id=str(data["name"]),
        text=thing_text(data, "selftext"),
        title=data.get("title") or None,
        url=permalink,
        thread_id=str(data["name"]),
        thread_title=data.get("title") or None,
        thread_url=permalink,
        published_at=unix(data.get("created_utc")),
        likes=count(data.get("score")),
        shares=count(data.get("num_crossposts")),
        comments=count(data.get("num_comments")),
        views=count(data.get("view_count")),
        author=_author(data),
        raw=data,
    )


def map_comment(data: dict[str, Any], source: str, post: dict[str, Any]) -> MentionRecord:
    """A comment, in the thread of its post (`post`: the t3 data)."""
    return MentionRecord(
        source=source,
        source_kind="reddit",
        external_id=str(data["name"]),
        text=thing_text(data, "body"),
        url=WEB + str(data.get("permalink") or ""),
        thread_id=str(data.get("link_id") or post.get("name")),
        thread_title=post.get("title") or None,
        thread_url=WEB + str(post.get("permalink") or ""),
        parent_id=str(data["parent_id"]) if data.get("parent_id") else None,
        published_at=unix(data.get("created_utc")),
        likes=count(data.get("score")),
        author=_author(data),
        raw=data,
    )


def walk_comments(listing: Any) -> tuple[list[dict[str, Any]], int]:
    """(every t1 of a comment tree, depth first; how many comments `more` stubs left out)."""
    found: list[dict[str, Any]] = []
    left = 0
    children = (
        (listing or {}).get("data", {}).get("children", []) if isinstance(listing, dict) else []
    )
    for child in children:
        kind, data = child.get("kind"), child.get("data") or {}
        if kind == "t1":
            found.append(data)
            below, more = walk_comments(data.get("replies"))
            found += below
            left += more
        elif kind == "more":
            left += int(data.get("count") or 0)
    return found, left
