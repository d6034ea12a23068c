"""Per-brand mention counts in fixed time buckets: all mentions and negative ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from storage.mentions import sentiment_times


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
    first = bucket_start(start, minutes)
    if times:
        first = max(first, bucket_start(min(at for at, _ in times), minutes))
    step = timedelta(minutes=minutes)
    n = max(int((bucket_start(end, minutes) - first) / step), 0)
    totals = [0] * n
    negatives = [0] * n
    for at, negative in times:
        i = int((at - first) / step)
        if 0 <= i < n:
            totals[i] += 1
            negatives[i] += int(negative)
    return BrandSeries(brand, [first + k * step for k in range(n)], totals, negatives, step)


def load_series(
    conn: Connection, brand: str, start: datetime, end: datetime, minutes: int
) -> BrandSeries:
    """The brand's series from the database; negative = sentiment label `negative`."""
    rows = sentiment_times(conn, brand, bucket_start(start, minutes), end)
    return bucketize(rows, start, end, minutes, brand)
