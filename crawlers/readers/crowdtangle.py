"""CrowdTangle CSV (Facebook pages and groups, Instagram): both column layouts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.dates import parse_date
from crawlers.readers.base import BadRecord, RawRecord, as_int
from crawlers.readers.csvfile import iter_rows, pick
from crawlers.readers.sniff import csv_columns
from storage.records import AuthorRecord, MentionRecord

name = "crowdtangle"
title = "CrowdTangle CSV"
source_kind = "facebook_export"
order = 60

_COLUMNS = {"Post Created", "Created", "Page Name", "Group Name", "Total Interactions"}


def sniff(path: Path, head: bytes) -> float:
    """A CSV with CrowdTangle's columns (either layout)."""
    return 0.9 if csv_columns(head) & _COLUMNS else 0.0


TEXT_COLUMNS = ("Message", "Description", "Title", "Image Text", "Link Text")


def iter_records(path: Path) -> Iterator[RawRecord]:
    return iter_rows(path, TEXT_COLUMNS, title)


def map_record(record: RawRecord, source: str = "import") -> MentionRecord:
    row: dict[str, Any] = record.raw
    if not isinstance(row, dict):
        raise BadRecord("not a CSV row")
    url = pick(row, "URL", "Link")
    if url is None:
        raise BadRecord("row without a post URL (no `URL` column value)")
    page = pick(row, "Page Name", "Group Name", "Account")
    handle = pick(row, "User Name") or page
    followers = as_int(pick(row, "Followers at Posting", "Likes at Posting"))
    author = (
        AuthorRecord(
            handle=handle,
            name=page,
            profile_url=f"https://www.facebook.com/{handle}" if pick(row, "User Name") else None,
            followers=followers,
        )
        if handle
        else None
    )
    text = pick(row, *TEXT_COLUMNS) or ""
    created = pick(row, "Post Created", "Created")
    if created is None and pick(row, "Post Created Date"):
        created = f"{pick(row, 'Post Created Date')} {pick(row, 'Post Created Time') or '00:00:00'}"
    return MentionRecord(
        source=source,
        source_kind=source_kind,
        external_id=url,
        text=text,
        url=url,
        title=pick(row, "Link Text", "Title") if text != pick(row, "Link Text", "Title") else None,
        published_at=parse_date(created, "UTC", date_order="MDY"),
        likes=as_int(pick(row, "Likes")),
        shares=as_int(pick(row, "Shares")),
        comments=as_int(pick(row, "Comments")),
        views=as_int(pick(row, "Post Views", "Views", "Total Views")),
        author=author,
        author_followers=followers,
        raw=row,
    )
