"""Per-brand mention counts in fixed time buckets: all mentions and negative ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from storage.mentions import sentiment_counts


@dataclass
class BrandSeries:
    brand: str
    starts: list[datetime]  # bucket start times, UTC, contiguous
    totals: list[int]
    negatives: list[int]
    bucket: timedelta


def bucket_start(at: datetime, minutes: int) -> datetime:
    seconds = minutes * 60
    epoch = int(at.astimezone(UTC).timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


def bucketize(
    times: list[tuple[datetime, bool]], start: datetime, end: datetime, minutes: int, brand: str
) -> BrandSeries:
    """Counts per bucket over [start, end); `end` excluded, so a running bucket is left out.

    The series starts at the first mention: days of zeros before a brand was watched would
    make its first real day look like a burst."""
    seconds = minutes * 60
    counts: dict[int, list[int]] = {}
    for at, negative in times:
        epoch = int(at.astimezone(UTC).timestamp())
        c = counts.setdefault(epoch - epoch % seconds, [0, 0])
        c[0] += 1
        c[1] += int(negative)
    rows = [(b, n, neg) for b, (n, neg) in sorted(counts.items())]
    return bucketize_counts(rows, start, end, minutes, brand)


def bucketize_counts(
    counts: list[tuple[int, int, int]], start: datetime, end: datetime, minutes: int, brand: str
) -> BrandSeries:
    """`bucketize` from (bucket start in seconds since 1970, mentions, negative ones)."""
    first = bucket_start(start, minutes)
    if counts:
        first = max(first, datetime.fromtimestamp(min(b for b, _, _ in counts), UTC))
    step = timedelta(minutes=minutes)
    n = max(int((bucket_start(end, minutes) - first) / step), 0)
    totals = [0] * n
    negatives = [0] * n
    origin = int(first.timestamp())
    for b, total, negative in counts:
        i = (b - origin) // (minutes * 60)
        if 0 <= i < n:
            totals[i] += total
            negatives[i] += negative
    return BrandSeries(brand, [first + k * step for k in range(n)], totals, negatives, step)


def load_series(
    conn: Connection,
    brand: str,
    start: datetime,
    end: datetime,
    minutes: int,
    skip_authors: Sequence[int] = (),
) -> BrandSeries:
    """The brand's series from the database (counted there), the posts of `skip_authors` (the
    brands' own accounts) left out; negative = sentiment label `negative`."""
    since = bucket_start(start, minutes)
    rows = sentiment_counts(conn, brand, since, end, minutes * 60, skip_authors)
    return bucketize_counts(rows, start, end, minutes, brand)
