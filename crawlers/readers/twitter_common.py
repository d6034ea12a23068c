"""What the X/Twitter readers share: URLs, language codes, the v2 tweet mapping."""

from __future__ import annotations

from typing import Any

from crawlers.dates import parse_date
from crawlers.readers.base import BadRecord, as_int, as_str
from storage.records import AuthorRecord, MentionRecord

# X's pseudo-languages: und(etermined), media only, hashtags only, links only…
_NO_LANG = {"und", "zxx", "qme", "qam", "qct", "qht", "qst", "art"}


def tweet_lang(value: Any) -> str | None:
    lang = as_str(value)
    if lang is None or lang.lower() in _NO_LANG:
        return None
    return lang.lower()


def tweet_url(handle: str | None, tweet_id: str) -> str:
    return f"https://x.com/{handle or 'i/web'}/status/{tweet_id}"


def v2_author(user: Any) -> AuthorRecord | None:
    """An API v2 user object (from `includes.users` or inlined by `twarc2 flatten`)."""
    if not isinstance(user, dict):
        return None
    handle = as_str(user.get("username"))
    if handle is None:
        return None
    metrics = user.get("public_metrics") or {}
    return AuthorRecord(
        handle=handle,
        name=as_str(user.get("name")),
        profile_url=f"https://x.com/{handle}",
        followers=as_int(metrics.get("followers_count")),
        post_count=as_int(metrics.get("tweet_count")),
        created_at=parse_date(user.get("created_at"), "UTC"),
    )


def map_v2_tweet(
    tweet: Any,
    source: str,
    source_kind: str,
    author: AuthorRecord | None,
    referenced: dict[str, Any],
    raw: Any,
) -> MentionRecord:
    """One API v2 tweet; `referenced` maps "retweeted"/"replied_to"/"quoted" to tweets."""
    if not isinstance(tweet, dict):
        raise BadRecord("not a tweet object")
    tweet_id = as_str(tweet.get("id"))
    if tweet_id is None:
        raise BadRecord("tweet without id")
    note = tweet.get("note_tweet")
    text = as_str(note.get("text")) if isinstance(note, dict) else None
    text = text or as_str(tweet.get("text"))
    if text is None and "username" in tweet:
        raise BadRecord("a user object, not a tweet")
    retweeted = referenced.get("retweeted")
    if isinstance(retweeted, dict) and retweeted.get("text"):
        # v2 cuts retweets at 140 characters: rebuild them from the full original.
        original = retweeted.get("author")
        handle = original.get("username") if isinstance(original, dict) else None
        if handle is None and text and text.startswith("RT @"):
            handle = text[4:].split(":", 1)[0]
        full = dig_note(retweeted) or retweeted["text"]
        text = f"RT @{handle}: {full}" if handle else text
    metrics = tweet.get("public_metrics") or {}
    replied = referenced.get("replied_to")
    parent = replied.get("id") if isinstance(replied, dict) else replied
    return MentionRecord(
        source=source,
        source_kind=source_kind,
        external_id=tweet_id,
        text=text or "",
        url=tweet_url(author.handle if author else None, tweet_id),
        thread_id=as_str(tweet.get("conversation_id")),
        parent_id=as_str(parent),
        lang=tweet_lang(tweet.get("lang")),
        published_at=parse_date(tweet.get("created_at"), "UTC"),
        likes=as_int(metrics.get("like_count")),
        shares=_sum(metrics.get("retweet_count"), metrics.get("quote_count")),
        comments=as_int(metrics.get("reply_count")),
        views=as_int(metrics.get("impression_count")),
        author=author,
        author_followers=author.followers if author else None,
        raw=raw,
    )


def dig_note(tweet: dict[str, Any]) -> str | None:
    note = tweet.get("note_tweet")
    return as_str(note.get("text")) if isinstance(note, dict) else None


def _sum(a: Any, b: Any) -> int | None:
    if type(a) is int and type(b) is int:  # the API's own counts: no conversion needed
        return a + b
    x, y = as_int(a), as_int(b)
    if x is None:
        return y
    return x if y is None else x + y
