"""Forum dates in French and English ("Hier à 18:32", "il y a 3 heures", ISO…) to UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

_HOUR_H = re.compile(r"\b(\d{1,2})\s*h\s*(\d{2})\b", re.I)  # "09h12" -> "09:12"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SPACES = re.compile(r"\s+")
_NOISE = re.compile(r"^(posté|publié|posted|le|on)\s+", re.I)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_date(
    text: str | None,
    timezone: str = "Europe/Paris",
    now: datetime | None = None,
    languages: tuple[str, ...] = ("fr", "en"),
    date_order: str = "DMY",
) -> datetime | None:
    """A timezone-aware UTC datetime, or None when the text is not a date.

    Dates without an offset are read in the source's `timezone`; relative forms ("hier",
    "il y a 3 heures", "yesterday") count from `now` (the crawl's clock; tests pass one).
    """
    if not text:
        return None
    value = _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()
    if not value:
        return None
    zone = _zone(timezone)
    if _ISO.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=zone)
            return parsed.astimezone(UTC)
    if value.isdigit() and len(value) >= 9:  # a Unix timestamp (data-time attributes)
        return datetime.fromtimestamp(int(value), UTC)
    value = _NOISE.sub("", _HOUR_H.sub(r"\1:\2", value))
    return _dateparser(value, zone, now, languages, date_order)


def _dateparser(
    value: str,
    zone: ZoneInfo,
    now: datetime | None,
    languages: tuple[str, ...],
    date_order: str,
) -> datetime | None:
    import dateparser  # type: ignore[import-untyped]

    base = (now or datetime.now(UTC)).astimezone(zone).replace(tzinfo=None)
    settings: dict[str, Any] = {
        "TIMEZONE": zone.key,
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": date_order,
    }
    try:
        parsed = dateparser.parse(value, languages=list(languages), settings=settings)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed.astimezone(UTC)
