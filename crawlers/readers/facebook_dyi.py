"""Facebook "Download Your Information" (JSON): posts and comments of the account holder."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.dates import parse_date
from crawlers.readers.base import (
    BadRecord,
    RawRecord,
    ReaderError,
    as_str,
    dig,
)
from crawlers.readers.files import Member, iter_json_list, members
from crawlers.readers.sniff import archive_names, is_json, text_start
from storage.records import AuthorRecord, MentionRecord

name = "facebook-dyi"
title = "Facebook DYI JSON"
source_kind = "facebook_export"
order = 40

_POSTS = re.compile(r"^(your_posts|your_posts__check_ins__photos_and_videos)(_\d+)?\.json$")
_COMMENTS = re.compile(r"^comments(_\d+)?\.json$")
_DYI_KEYS = (b'"comments_v2"', b'"timestamp"')


def sniff(path: Path, head: bytes) -> float:
    """An archive with your_posts_N.json or comments.json; JSON with DYI keys (after Graph's)."""
    if not head:
        return 0.9 if any(_is_content(n) for n in archive_names(path)) else 0.0
    return 0.8 if is_json(head) and any(k in text_start(head) for k in _DYI_KEYS) else 0.0


def iter_records(path: Path) -> Iterator[RawRecord]:
    files = members(path)
    single = path.is_file() and len(files) == 1 and path.suffix != ".zip"
    wanted = files if single else [m for m in files if _is_content(m.basename)]
    if not wanted:
        raise ReaderError(
            path, "no your_posts_N.json or comments.json in this Facebook export; download it "
            "in JSON format (not HTML) and point to its .zip, its folder or one of those files"
        )  # fmt: skip
    owner = _owner(files)
    index = 0
    for member in wanted:
        kind = "comment" if "comment" in member.basename else "post"
        with member.open() as stream:
            for position, item in enumerate(iter_json_list(stream, member.label), 1):
                context = {"kind": kind, "owner": owner}
                yield RawRecord(member.label, index, f"record {position:,}", item, context)
                index += 1


def _is_content(basename: str) -> bool:
    return bool(_POSTS.match(basename) or _COMMENTS.match(basename))


def repair(text: str) -> str:
    """Undo the export's mojibake: UTF-8 bytes written as latin-1 characters ("Ã©" → "é")."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def map_record(record: RawRecord, source: str = "import") -> MentionRecord:
    item = record.raw
    if not isinstance(item, dict):
        raise BadRecord("not a post or comment object")
    owner = record.context.get("owner")
    timestamp = item.get("timestamp")
    title = _text(item.get("title"))
    comment = _first(item.get("data"), "comment")
    if record.context.get("kind") == "comment" or isinstance(comment, dict):
        body = comment if isinstance(comment, dict) else {}
        text = _text(body.get("comment")) or ""
        handle = _text(body.get("author")) or owner
        timestamp = body.get("timestamp") or timestamp
        prefix = "comment"
    else:
        posts = [_text(d.get("post")) for d in item.get("data") or [] if isinstance(d, dict)]
        text = "\n".join(p for p in posts if p)
        if not text:
            text = "\n".join(_attachment_texts(item.get("attachments")))
        handle = owner
        prefix = "post"
    published = parse_date(timestamp, "UTC")
    if published is None and not text:
        raise BadRecord("neither a timestamp nor any text")
    digest = hashlib.sha1(
        json.dumps([timestamp, text, title], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:16]
    return MentionRecord(
        source=source,
        source_kind=source_kind,
        external_id=f"{prefix}-{as_str(timestamp) or 'undated'}-{digest}",
        text=text,
        title=title,
        published_at=published,
        author=AuthorRecord(handle=handle, name=handle) if handle else None,
        raw=item,
    )


def _text(value: Any) -> str | None:
    return repair(value).strip() or None if isinstance(value, str) else None


def _first(data: Any, key: str) -> Any:
    for entry in data or []:
        if isinstance(entry, dict) and key in entry:
            return entry[key]
    return None


def _attachment_texts(attachments: Any) -> Iterator[str]:
    for attachment in attachments or []:
        for entry in attachment.get("data") or [] if isinstance(attachment, dict) else []:
            if not isinstance(entry, dict):
                continue
            for key in ("media", "external_context", "event", "note"):
                part = entry.get(key)
                if isinstance(part, dict):
                    for field in ("title", "name", "description", "text"):
                        value = _text(part.get(field))
                        if value:
                            yield value


def _owner(files: list[Member]) -> str | None:
    """The account holder's name, from profile_information.json (small: read whole)."""
    for member in files:
        if member.basename == "profile_information.json":
            try:
                with member.open() as stream:
                    data = json.load(stream)
            except (ValueError, OSError):
                return None
            value = dig(data, "profile_v2", "name", "full_name") or dig(
                data, "profile", "name", "full_name"
            )
            return repair(value) if isinstance(value, str) else None
    return None
