"""The one clock of a run: timezone-aware UTC, fixed by `veille --now` (replays, the demo).

`utcnow()` is the clock every stored timestamp, report and e-mail reads. Unset, it is the wall
clock; `set_now(at)` freezes it at `at` for the whole process (the CLI's global `--now`, the
demo's clock), so one run shows one time everywhere and gives the same files whatever the day
it runs on. Locks between processes measure real elapsed time and read `wall_utcnow()`.
"""

from __future__ import annotations

from datetime import UTC, datetime

_fixed: datetime | None = None


def set_now(at: datetime | None) -> None:
    """Freeze the clock at `at` (a naive value is UTC); None gives the wall clock back."""
    global _fixed
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    _fixed = at.astimezone(UTC) if at is not None else None


def fixed_now() -> datetime | None:
    """The frozen time, or None when the clock is the wall clock (child processes copy it)."""
    return _fixed


def utcnow() -> datetime:
    return _fixed if _fixed is not None else datetime.now(UTC)


def wall_utcnow() -> datetime:
    """Real time, whatever `--now` says: lock heartbeats and expiry between processes."""
    return datetime.now(UTC)


def parse_now(value: str) -> datetime:
    """An ISO date-time (`2026-11-22T09:00`, `2026-11-22T09:00+01:00`); naive means UTC.

    Raises ValueError with a sentence saying how to write it.
    """
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"{value!r} is not an ISO date-time; write it like 2026-11-22T09:00 (UTC) or "
            "2026-11-22T09:00+01:00"
        ) from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
