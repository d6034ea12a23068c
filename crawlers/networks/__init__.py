"""Pure mappers from each network's API records to mentions (`map_*(raw, source) -> record`).

Kept apart from the spiders so that stored raw records can be mapped again by a better
mapper, and so that the mapping is tested without a crawl.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crawlers.dates import parse_iso


def iso(value: Any) -> datetime | None:
    """An API's ISO 8601 time as an aware UTC datetime (UTC when it names no zone)."""
    return parse_iso(value.strip()) if isinstance(value, str) else None


def unix(value: Any) -> datetime | None:
    """A Unix time (Reddit's created_utc, possibly a float) as an aware UTC datetime."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return None


def count(value: Any) -> int | None:
    """An engagement figure: an int, or None when the API does not give it (never 0)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def newer(a: str | None, b: str | None) -> bool:
    """Is id `a` newer than id `b`? Numeric ids (Mastodon's) compare as numbers."""
    if a is None:
        return False
    if b is None:
        return True
    if a.isdigit() and b.isdigit():
        return int(a) > int(b)
    return len(a) > len(b) or (len(a) == len(b) and a > b)
