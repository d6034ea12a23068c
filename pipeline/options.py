"""Parsing of command-line values shared by several commands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pipeline.errors import UsageError


def day_start(value: str | None, option: str, next_day: bool = False) -> datetime | None:
    """`YYYY-MM-DD` as midnight UTC (of the next day with `next_day`); a clear usage error else."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start + timedelta(days=1) if next_day else start
