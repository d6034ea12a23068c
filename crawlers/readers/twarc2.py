"""twarc2 JSONL (X API v2): raw API pages with `includes`, or `twarc2 flatten` lines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.readers.base import BadRecord, RawRecord, as_str, iter_json_lines
from crawlers.readers.encoding import open_bytes
from crawlers.readers.sniff import first_line, is_json
from crawlers.readers.twitter_common import map_v2_tweet, v2_author
from storage.records import MentionRecord

name = "twarc2"
title = "twarc2 JSONL"
source_kind = "twitter_export"
order = 20

_TWARC_KEYS = (b'"__twarc"', b'"includes"', b'"edit_history_tweet_ids"', b'"conversation_id"')


def sniff(path: Path, head: bytes) -> float:
    """Sure when the first JSON line carries X API v2 keys (or a flattened tweet's)."""
    if not is_json(head):
        return 0.0
    first = first_line(head)
    if any(k in first for k in _TWARC_KEYS) or (b'"author_id"' in first and b'"text"' in first):
        return 1.0
    return 0.0


def iter_records(path: Path) -> Iterator[RawRecord]:
    label = str(path)
    index = 0
    with open_bytes(path) as stream:
        for line, value, error in iter_json_lines(stream, label):
            where = f"line {line:,}"
            if error is not None:
                yield RawRecord(label, index, where, value, error=error)
                index += 1
                continue
            for raw, context, problem in _tweets_of(value):
                yield RawRecord(label, index, where, raw, context, problem)
                index += 1


def _tweets_of(value: Any) -> Iterator[tuple[Any, dict[str, Any], str | None]]:
    if not isinstance(value, dict):
        yield value, {}, "neither an API page nor a tweet"
        return
    data = value.get("data")
    if data is None:
        if "id" in value and ("text" in value or "note_tweet" in value):
            yield value, {"flat": True}, None  # a `twarc2 flatten` line
            return
        errors = value.get("errors")
        if errors:
            yield value, {}, f"an API error line: {_error_text(errors)}"
            return
        yield value, {}, "neither an API page nor a tweet (no data, no id)"
        return
    includes = value.get("includes") or {}
    users = {u.get("id"): u for u in includes.get("users") or [] if isinstance(u, dict)}
    tweets = {t.get("id"): t for t in includes.get("tweets") or [] if isinstance(t, dict)}
    context = {"users": users, "tweets": tweets}
    for tweet in data if isinstance(data, list) else [data]:
        yield tweet, context, None


def _error_text(errors: Any) -> str:
    first = errors[0] if isinstance(errors, list) and errors else errors
    if isinstance(first, dict):
        return str(first.get("detail") or first.get("title") or first.get("message") or first)[:300]
    return str(first)[:300]


def map_record(record: RawRecord, source: str = "import") -> MentionRecord:
    tweet = record.raw
    if not isinstance(tweet, dict):
        raise BadRecord("not a tweet object")
    ctx = record.context
    referenced: dict[str, Any]
    if ctx.get("flat"):
        author = v2_author(tweet.get("author"))
        referenced = {
            str(r.get("type")): r
            for r in tweet.get("referenced_tweets") or []
            if isinstance(r, dict)
        }
    else:
        users: dict[Any, Any] = ctx.get("users") or {}
        tweets: dict[Any, Any] = ctx.get("tweets") or {}
        # A page's users write many of its tweets: each is mapped once per page.
        authors: dict[Any, Any] = ctx.setdefault("authors", {})
        author_id = tweet.get("author_id")
        if author_id in authors:
            author = authors[author_id]
        else:
            author = authors[author_id] = v2_author(users.get(author_id))
        referenced = {}
        for ref in tweet.get("referenced_tweets") or []:
            if not isinstance(ref, dict):
                continue
            full = tweets.get(ref.get("id"))
            if isinstance(full, dict):
                original = users.get(full.get("author_id"))
                full = {**full, "author": original} if original else full
            referenced[str(ref.get("type"))] = full or {"id": as_str(ref.get("id"))}
    return map_v2_tweet(tweet, source, source_kind, author, referenced, raw=tweet)
