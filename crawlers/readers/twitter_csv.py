"""X/Twitter CSV with twarc-csv's columns (`twarc2 csv`): one tweet per row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.readers.base import BadRecord, RawRecord, as_int
from crawlers.readers.csvfile import iter_rows, pick
from crawlers.readers.sniff import csv_columns
from crawlers.readers.twitter_common import map_v2_tweet
from storage.records import AuthorRecord, MentionRecord

name = "twitter-csv"
title = "X CSV"
source_kind = "twitter_export"
order = 30


def sniff(path: Path, head: bytes) -> float:
    """A CSV with `id` and `text` columns; CrowdTangle's columns win over these."""
    columns = csv_columns(head)
    return 0.8 if "id" in columns and "text" in columns else 0.0


TEXT_COLUMNS = ("text", "full_text")


def iter_records(path: Path) -> Iterator[RawRecord]:
    return iter_rows(path, TEXT_COLUMNS, title)


def map_record(record: RawRecord, source: str = "import") -> MentionRecord:
    row: dict[str, Any] = record.raw
    if not isinstance(row, dict):
        raise BadRecord("not a CSV row")
    tweet_id = pick(row, "id", "tweet_id", "id_str")
    if tweet_id is None:
        raise BadRecord("row without a tweet id (no `id` column value)")
    handle = pick(row, "author.username", "username", "user_screen_name", "screen_name")
    author = (
        AuthorRecord(
            handle=handle,
            name=pick(row, "author.name", "name", "user_name"),
            profile_url=f"https://x.com/{handle}",
            followers=as_int(pick(row, "author.public_metrics.followers_count", "followers_count")),
            post_count=as_int(pick(row, "author.public_metrics.tweet_count")),
        )
        if handle
        else None
    )
    tweet = {
        "id": tweet_id,
        "text": pick(row, *TEXT_COLUMNS) or "",
        "created_at": pick(row, "created_at"),
        "lang": pick(row, "lang"),
        "conversation_id": pick(row, "conversation_id"),
        "public_metrics": {
            "like_count": pick(row, "public_metrics.like_count", "like_count", "favorite_count"),
            "retweet_count": pick(row, "public_metrics.retweet_count", "retweet_count"),
            "quote_count": pick(row, "public_metrics.quote_count", "quote_count"),
            "reply_count": pick(row, "public_metrics.reply_count", "reply_count"),
            "impression_count": pick(row, "public_metrics.impression_count", "impression_count"),
        },
    }
    replied = pick(row, "referenced_tweets.replied_to.id", "in_reply_to_status_id")
    return map_v2_tweet(tweet, source, source_kind, author, {"replied_to": replied}, raw=row)
