"""X/Twitter "Download your archive": the .zip, its folder, or one `tweets.js` file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.dates import parse_date
from crawlers.readers.base import BadRecord, RawRecord, ReaderError, as_int, as_str, dig
from crawlers.readers.files import Member, iter_json_items, js_payload, members
from crawlers.readers.sniff import archive_names, is_json, text_start
from crawlers.readers.twitter_common import tweet_lang, tweet_url
from storage.records import AuthorRecord, MentionRecord

name = "twitter-archive"
title = "X archive"
source_kind = "twitter_export"
order = 10  # place in format lists

_TWEETS = re.compile(r"^tweets?(-part\d+)?\.js$")
_NOTES = re.compile(r"^note-tweet(-part\d+)?\.js$")
_JS_ASSIGNMENT = re.compile(rb"window\.\w+(\.\w+)*\s*=")


def sniff(path: Path, head: bytes) -> float:
    """Sure of an archive holding tweets.js or of a `window.YTD… =` file; JSON tweets: maybe."""
    if not head:
        return 1.0 if any(_TWEETS.match(n) for n in archive_names(path)) else 0.0
    text = text_start(head)
    if text.startswith(b"window.YTD") or _JS_ASSIGNMENT.match(text):
        return 1.0
    return 0.5 if is_json(head) and b'"tweet"' in text and b'"full_text"' in text else 0.0


def iter_records(path: Path) -> Iterator[RawRecord]:
    files = members(path)
    single = path.is_file() and len(files) == 1 and path.suffix != ".zip"
    tweets = files if single else [m for m in files if _TWEETS.match(m.basename)]
    if not tweets:
        raise ReaderError(
            path, "no tweets.js (or tweet.js, tweets-partN.js) in this X archive; "
            "point to the archive's .zip, its folder or its data/tweets.js"
        )  # fmt: skip
    owner = _owner(files)
    notes = _notes([m for m in files if _NOTES.match(m.basename)])
    tweets.sort(key=lambda m: _part(m.basename))
    index = 0
    for member in tweets:
        with member.open() as raw_stream:
            stream = js_payload(raw_stream, member.label)
            for position, item in enumerate(iter_json_items(stream, member.label, "item"), 1):
                tweet = item.get("tweet", item) if isinstance(item, dict) else None
                context: dict[str, Any] = {"owner": owner}
                if isinstance(tweet, dict):
                    note = notes.get(str(tweet.get("id_str") or tweet.get("id"))) or notes.get(
                        _second(tweet.get("created_at"))
                    )
                    if note is not None:
                        context["note"] = note
                yield RawRecord(member.label, index, f"record {position:,}", item, context)
                index += 1


def map_record(record: RawRecord, source: str = "import") -> MentionRecord:
    item = record.raw
    tweet = item.get("tweet", item) if isinstance(item, dict) else None
    if not isinstance(tweet, dict):
        raise BadRecord("not a tweet object")
    tweet_id = as_str(tweet.get("id_str") or tweet.get("id"))
    if tweet_id is None:
        raise BadRecord("tweet without id")
    note = record.context.get("note")
    text = _note_text(note) if note else None
    text = text or as_str(tweet.get("full_text") or tweet.get("text")) or ""
    owner: dict[str, Any] = record.context.get("owner") or {}
    handle = as_str(owner.get("username"))
    author = (
        AuthorRecord(
            handle=handle,
            name=as_str(owner.get("accountDisplayName") or owner.get("displayName")),
            profile_url=f"https://x.com/{handle}",
            created_at=parse_date(owner.get("createdAt"), "UTC"),
        )
        if handle
        else None
    )
    return MentionRecord(
        source=source,
        source_kind=source_kind,
        external_id=tweet_id,
        text=text,
        url=tweet_url(handle, tweet_id),
        parent_id=as_str(
            tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")
        ),
        lang=tweet_lang(tweet.get("lang")),
        published_at=parse_date(tweet.get("created_at"), "UTC"),
        likes=as_int(tweet.get("favorite_count")),
        shares=as_int(tweet.get("retweet_count")),
        author=author,
        raw=item if note is None else {**item, "noteTweet": note},
    )


def _second(value: Any) -> str:
    parsed = parse_date(value, "UTC")
    return f"@{parsed.timestamp():.0f}" if parsed else "@none"


def _note_text(note: dict[str, Any]) -> str | None:
    return as_str(
        dig(note, "noteTweetResults", "text")
        or dig(note, "noteTweetResults", "result", "text")
        or dig(note, "core", "text")
    )


def _owner(files: list[Member]) -> dict[str, Any]:
    for member in files:
        if member.basename == "account.js":
            with member.open() as raw_stream:
                stream = js_payload(raw_stream, member.label)
                for item in iter_json_items(stream, member.label, "item"):
                    if isinstance(item, dict):
                        return dict(item.get("account", item))
    for member in files:
        if member.basename == "manifest.js":
            with member.open() as raw_stream:
                stream = js_payload(raw_stream, member.label)
                info = next(iter_json_items(stream, member.label, "userInfo"), None)
                if isinstance(info, dict):
                    return {
                        "username": info.get("userName"),
                        "displayName": info.get("displayName"),
                    }
    return {}


def _notes(files: list[Member]) -> dict[str, dict[str, Any]]:
    """Long posts' full text, by tweet id (or, when the note names none, by creation second)."""
    notes: dict[str, dict[str, Any]] = {}
    for member in files:
        with member.open() as raw_stream:
            stream = js_payload(raw_stream, member.label)
            for item in iter_json_items(stream, member.label, "item"):
                note = item.get("noteTweet", item) if isinstance(item, dict) else None
                if not isinstance(note, dict):
                    continue
                key = as_str(note.get("tweetId")) or _second(note.get("createdAt"))
                notes[key] = note
    return notes


def _part(basename: str) -> int:
    found = re.search(r"part(\d+)", basename)
    return int(found.group(1)) if found else 0
