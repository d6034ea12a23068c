"""Recognise an export's format from its content (`--format auto`)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from crawlers.readers.base import ReaderError
from crawlers.readers.facebook_dyi import _COMMENTS, _POSTS
from crawlers.readers.twitter_archive import _TWEETS

_TWARC_KEYS = (b'"__twarc"', b'"includes"', b'"edit_history_tweet_ids"', b'"conversation_id"')
_GRAPH_KEYS = (b'"created_time"', b'"permalink_url"', b'"paging"')
_DYI_KEYS = (b'"comments_v2"', b'"timestamp"')


def detect_format(path: Path) -> str:
    """The format name of the export at `path`, or a ReaderError saying what it looks like."""
    if path.is_dir():
        names = [p.name for p in path.rglob("*") if p.is_file()]
        return _from_names(path, names)
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n.rsplit("/", 1)[-1] for n in archive.namelist()]
        except (zipfile.BadZipFile, OSError) as exc:
            raise ReaderError(path, f"a damaged zip archive ({exc})") from None
        return _from_names(path, names)
    with open(path, "rb") as stream:
        head = stream.read(65536)
    return _from_head(path, head)


def _from_names(path: Path, names: list[str]) -> str:
    if any(_TWEETS.match(n) for n in names):
        return "twitter-archive"
    if any(_POSTS.match(n) or _COMMENTS.match(n) for n in names):
        return "facebook-dyi"
    raise ReaderError(
        path, "neither an X archive (no tweets.js) nor a Facebook export (no your_posts_N.json "
        "or comments.json); pass --format, or point to the file itself"
    )  # fmt: skip


def _from_head(path: Path, head: bytes) -> str:
    if not head.strip():
        raise ReaderError(path, "the file is empty")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in head or not _mostly_text(head):
        raise ReaderError(path, "binary content, not an export (JSON, JS or CSV) Veille reads")
    if text.startswith(b"window.YTD") or re.match(rb"window\.\w+(\.\w+)*\s*=", text):
        return "twitter-archive"
    if text[:1] in (b"{", b"["):
        first = text.split(b"\n", 1)[0]
        if any(k in first for k in _TWARC_KEYS) or (b'"author_id"' in first and b'"text"' in first):
            return "twarc2"
        if any(k in text for k in _GRAPH_KEYS):
            return "facebook-graph"
        if any(k in text for k in _DYI_KEYS):
            return "facebook-dyi"
        if b'"tweet"' in text and b'"full_text"' in text:
            return "twitter-archive"
        raise ReaderError(path, "JSON of no export format Veille knows; pass --format")
    header = text.split(b"\n", 1)[0].decode("utf-8", "replace")
    columns = {c.strip().strip('"') for c in header.split(",")}
    if columns & {"Post Created", "Created", "Page Name", "Group Name", "Total Interactions"}:
        return "crowdtangle"
    if "id" in columns and "text" in columns:
        return "twitter-csv"
    raise ReaderError(
        path, "not a format Veille recognises (X archive, twarc2 JSONL, X CSV, Facebook "
        "DYI or Graph JSON, CrowdTangle CSV); pass --format if it is one of them"
    )  # fmt: skip


def _mostly_text(head: bytes) -> bool:
    sample = head[:4096]
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
            return True
    odd = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return odd < len(sample) * 0.02
