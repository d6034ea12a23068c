"""The one date parser, for pages and exports: ISO, Unix time, export formats, French and English
forum dates ("Hier à 18:32", "il y a 3 heures"…), always to a time-zone-aware UTC datetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

_HOUR_H = re.compile(r"\b(\d{1,2})\s*h\s*(\d{2})\b", re.I)  # "09h12" -> "09:12"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SPACES = re.compile(r"\s+")
_NOISE = re.compile(r"^(posté|publié|posted|le|on)\s+", re.I)
# Twitter's classic API and archives: "Wed Oct 10 20:19:24 +0000 2018".
_TWITTER = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$")
# Zone names exports print (CrowdTangle): fixed offsets, in hours.
ZONE_NAMES = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2,
    "EEST": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8,
    "PDT": -7,
}  # fmt: skip
# Numeric dates of exports and pages: "2021-03-04 12:34", "04/03/2021 à 14:05" (the order of
# day and month is the source's), with an optional zone name or UTC offset after them.
_NUMERIC = re.compile(
    r"^(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})"
    r"|(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y2>\d{4}))"
    r"(?:,?(?: à| a| at|T)? ?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
    r"(?: (?P<zone>(?:UTC|GMT)[+-]\d{1,2}|" + "|".join(ZONE_NAMES) + r"))?$",
    re.IGNORECASE,
)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_date(
    value: Any,
    timezone: str = "Europe/Paris",
    now: datetime | None = None,
    languages: tuple[str, ...] = ("fr", "en"),
    date_order: str = "DMY",
) -> datetime | None:
    """A timezone-aware UTC datetime, or None when the value is not a date.

    Takes text or a number (Unix time, in seconds). Dates without an offset are read in
    `timezone` (a forum's zone for its pages; exports give UTC, or name a zone after the time);
    `date_order` says whether 04/03 is the 4th of March (DMY) or April 3rd (MDY). Relative
    forms ("hier", "il y a 3 heures", "yesterday") count from `now` (the crawl's clock).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_unix(value)
    text = _SPACES.sub(" ", str(value)).strip()
    if not text:
        return None
    zone = _zone(timezone)
    if _ISO.match(text):  # the shape of ISO 8601: a date that does not exist is no date
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(UTC)
    if text.isdigit() and len(text) >= 9:  # a Unix timestamp (data-time attributes)
        return _from_unix(int(text))
    if _TWITTER.match(text):
        try:
            return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
        except ValueError:
            pass
    text = _NOISE.sub("", _HOUR_H.sub(r"\1:\2", text))
    numeric = _NUMERIC.match(text)
    if numeric is not None:
        return _numeric(numeric, zone, date_order)
    return _dateparser(text, zone, now, languages, date_order)


def _from_unix(seconds: float) -> datetime | None:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _numeric(m: re.Match[str], zone: tzinfo, date_order: str) -> datetime | None:
    if m["y1"]:
        year, month, day = int(m["y1"]), int(m["m1"]), int(m["d1"])
    else:
        first, second = int(m["a"]), int(m["b"])
        month, day = (first, second) if date_order.startswith("M") else (second, first)
        year = int(m["y2"])
    if m["zone"]:
        zone = _named_zone(m["zone"])
    try:
        local = datetime(year, month, day, int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
    except ValueError:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


def _named_zone(token: str) -> tzinfo:
    """CET, EDT, UTC+2…: a fixed offset."""
    token = token.upper()
    hours = ZONE_NAMES.get(token)
    if hours is None and token[:3] in ("UTC", "GMT"):
        hours = int(token[3:])
    return timezone(timedelta(hours=hours)) if hours else UTC


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
