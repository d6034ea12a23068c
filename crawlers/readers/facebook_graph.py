"""Facebook Graph API page posts and comments saved as JSON (`{data, paging}` pages)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from crawlers.dates import parse_date
from crawlers.readers.base import BadRecord, RawRecord, ReaderError, as_int, as_str, dig
from crawlers.readers.encoding import open_bytes
from crawlers.readers.files import Prefixed, iter_json_items
from crawlers.readers.sniff import is_json, text_start
from storage.records import AuthorRecord, MentionRecord

name = "facebook-graph"
title = "Facebook Graph JSON"
source_kind = "facebook_export"
order = 50

_GRAPH_KEYS = (b'"created_time"', b'"permalink_url"', b'"paging"')


def sniff(path: Path, head: bytes) -> float:
    """JSON with Graph API keys (after twarc2's first-line keys, before DYI's)."""
    return 0.9 if is_json(head) and any(k in text_start(head) for k in _GRAPH_KEYS) else 0.0


def iter_records(path: Path) -> Iterator[RawRecord]:
    """Posts (and the comments nested under them) of one page, several pages or a list.

    Accepted shapes: one API answer `{"data": [...], "paging": {...}}`, several answers one
    per line or concatenated, an array of answers, or an array of posts.
    """
    label = str(path)
    index = 0
    with open_bytes(path) as stream:
        for position, item in enumerate(_objects(stream, label), 1):
            where = f"record {position:,}"
            yield RawRecord(label, index, where, item, {"kind": "post"})
            index += 1
            for comment in dig(item, "comments", "data") or [] if isinstance(item, dict) else []:
                context = {"kind": "comment", "post_id": as_str(item.get("id"))}
                yield RawRecord(label, index, f"{where} (comment)", comment, context)
                index += 1


def _objects(stream: IO[bytes], label: str) -> Iterator[Any]:
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] == b"{":
        yield from iter_json_items(Prefixed(head, stream), label, "data.item")
    elif head[:1] == b"[":
        for entry in iter_json_items(Prefixed(head, stream), label, "item"):
            if isinstance(entry, dict) and isinstance(entry.get("data"), list):
                yield from entry["data"]  # an array of API answers: one page in memory
            else:
                yield entry
    else:
        raise ReaderError(
            label, 'this is not Graph API JSON (it should start with `{"data": [`)', "record 1"
        )


def map_record(record: RawRecord, source: str = "import") -> MentionRecord:
    item = record.raw
    if not isinstance(item, dict):
        raise BadRecord("not a post or comment object")
    object_id = as_str(item.get("id"))
    if object_id is None:
        raise BadRecord("object without id")
    sender: dict[str, Any] = item["from"] if isinstance(item.get("from"), dict) else {}
    author_id = as_str(sender.get("id"))
    author_name = as_str(sender.get("name"))
    handle = author_id or author_name
    post_id = record.context.get("post_id")
    parent = as_str(dig(item, "parent", "id")) or post_id
    is_comment = record.context.get("kind") == "comment" or parent is not None
    likes = as_int(dig(item, "reactions", "summary", "total_count"))
    comments = as_int(dig(item, "comments", "summary", "total_count"))
    return MentionRecord(
        source=source,
        source_kind=source_kind,
        external_id=object_id,
        text=as_str(item.get("message")) or as_str(item.get("story")) or "",
        url=as_str(item.get("permalink_url")) or f"https://www.facebook.com/{object_id}",
        thread_id=post_id if is_comment else object_id,
        parent_id=parent if is_comment else None,
        published_at=parse_date(item.get("created_time"), "UTC"),
        likes=likes if likes is not None else as_int(item.get("like_count")),
        shares=as_int(dig(item, "shares", "count")),
        comments=comments if comments is not None else as_int(item.get("comment_count")),
        views=_impressions(item.get("insights")),
        author=AuthorRecord(
            handle=handle,
            name=author_name,
            profile_url=f"https://www.facebook.com/{author_id}" if author_id else None,
        )
        if handle
        else None,
        raw=item,
    )


def _impressions(insights: Any) -> int | None:
    for metric in dig(insights, "data") or []:
        if isinstance(metric, dict) and metric.get("name") in ("post_impressions", "post_views"):
            values = metric.get("values") or []
            if values and isinstance(values[0], dict):
                return as_int(values[0].get("value"))
    return None
