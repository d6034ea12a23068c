"""The one date parser, for pages and exports: ISO, Unix time, export formats, French and English
forum dates ("Hier à 18:32", "il y a 3 heures"…), always to a time-zone-aware UTC datetime.

`parse_date` reads one date. For forum posts, `post_date` decides which of a post's dates to
trust (an exact machine time first, then the shown text in the zone the page states, then
the shown text in the source's zone) and says which rule gave it; `stated_zone` reads the
zone a page states ("All times are GMT -5", "Heures au format UTC+01:00").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.clock import utcnow

_HOUR_H = re.compile(r"\b(\d{1,2})\s*h\s*(\d{2})\b", re.I)  # "09h12" -> "09:12"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ISO_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
_SPACES = re.compile(r"\s+")
# Words around a shown date: "Posté le", "by X »" (phpBB), "« Réponse #2 le : … »" (SMF).
_NOISE = re.compile(r"^(?:(?:posté|publié|posted|le|on|by|par)\b\s*:?|[»«:,\-–—])\s*", re.I)
_LABEL = re.compile(r"^.{0,40}?\b(?:le|on)\s*:\s*", re.I)
_TRAILING = re.compile(r"\s*[»«]\s*$")
# A weekday before the day number says nothing more and can mislead: French "Mar" is both
# mardi and mars ("Dim 31 Mar 2024", phpBB 3.0's French format).
_WEEKDAY = re.compile(
    r"^(?:lun|mar|mer|jeu|ven|sam|dim|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+(?=\d)",
    re.I,
)
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

# Which rule gave a post's date, most trusted first (kept in the mention's raw record).
UNIX_ATTRIBUTE = "unix attribute"  # an exact time in an attribute (data-time, data-timestamp…)
ISO_WITH_OFFSET = "ISO with offset"  # <time datetime="…+01:00">, JSON created_at
STATED_ZONE = "stated zone"  # the shown text, in the zone the page states
SOURCE_TIMEZONE = "source timezone"  # the shown text, in the source's configured `timezone`
DATE_RULES = (UNIX_ATTRIBUTE, ISO_WITH_OFFSET, STATED_ZONE, SOURCE_TIMEZONE)

Zone = str | tzinfo


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def as_zone(value: Zone) -> tzinfo:
    return _zone(value) if isinstance(value, str) else value


def parse_date(
    value: Any,
    timezone: Zone = "Europe/Paris",
    now: datetime | None = None,
    languages: tuple[str, ...] = ("fr", "en"),
    date_order: str = "DMY",
) -> datetime | None:
    """A timezone-aware UTC datetime, or None when the value is not a date.

    Takes text or a number (Unix time, in seconds). Dates without an offset are read in
    `timezone` (a zone name or a tzinfo: a forum's zone for its pages, or the fixed offset a
    page states; exports give UTC, or name a zone after the time); `date_order` says whether
    04/03 is the 4th of March (DMY) or April 3rd (MDY). Relative forms ("hier", "il y a 3
    heures", "yesterday") count from `now` (the crawl's clock). Unix times written with 12 to
    14 digits are milliseconds (NodeBB).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_unix(value)
    text = _SPACES.sub(" ", str(value).replace("\u00a0", " ")).strip()
    if not text:
        return None
    zone = as_zone(timezone)
    if _ISO.match(text):
        return parse_iso(text, zone)
    if text.isdigit() and len(text) >= 9:  # a Unix timestamp (data-time attributes)
        stamp = int(text)
        return _from_unix(stamp / 1000 if 12 <= len(text) <= 14 else stamp)
    if _TWITTER.match(text):
        try:
            return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
        except ValueError:
            pass
    text = _HOUR_H.sub(r"\1:\2", text)
    text = _TRAILING.sub("", _LABEL.sub("", text))
    while (stripped := _NOISE.sub("", text, count=1)) != text:
        text = stripped
    text = _WEEKDAY.sub("", text)
    numeric = _NUMERIC.match(text)
    if numeric is not None:
        return _numeric(numeric, zone, date_order)
    return _dateparser(text, zone, now, languages, date_order)


def parse_iso(text: str, timezone: Zone = UTC) -> datetime | None:
    """An ISO 8601 date or date-time (`Z` or an offset, else read in `timezone`) as aware UTC;
    None when the text has not the shape of one, or names a date that does not exist."""
    if not _ISO.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=as_zone(timezone))).astimezone(UTC)


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
    zone: tzinfo,
    now: datetime | None,
    languages: tuple[str, ...],
    date_order: str,
) -> datetime | None:
    import dateparser  # type: ignore[import-untyped]

    # Read as a wall-clock time of `zone`, relative forms counted from `now` in that zone;
    # the zone is attached afterwards so fixed offsets ("GMT -5") work like zone names.
    base = (now or utcnow()).astimezone(zone).replace(tzinfo=None)
    settings: dict[str, Any] = {
        "RETURN_AS_TIMEZONE_AWARE": False,
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
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def has_offset(value: str | None) -> bool:
    """An ISO date that says its offset (or Z): an exact time, unlike a server-local one."""
    return bool(value and _ISO.match(value.strip()) and _ISO_OFFSET.search(value.strip()))


def post_date(
    unix: str | None,
    iso: str | None,
    text: str | None,
    stated: tzinfo | None,
    timezone: Zone,
    now: datetime | None = None,
    date_order: str = "DMY",
) -> tuple[datetime | None, str | None]:
    """A post's date and the rule that gave it (one of DATE_RULES), best evidence first.

    An exact Unix time, then an ISO date carrying its offset; an ISO date *without* offset
    is a server-local time in an unknown zone (vBulletin 5's dateCreated) and is only read
    like shown text. Shown text is read in the zone the page states, else in the source's.
    """
    if unix and unix.strip().isdigit():
        found = parse_date(unix.strip())
        if found is not None:
            return found, UNIX_ATTRIBUTE
    if has_offset(iso):
        found = parse_date(iso)
        if found is not None:
            return found, ISO_WITH_OFFSET
    # Without a stated zone, a naive ISO date (it has the time) beats a shown text that may
    # be a bare day; both are then read in the source's zone.
    shown = (text or iso) if stated is not None else (iso or text)
    if not shown:
        return None, None
    if has_offset(shown):  # a shown text may itself be exact (a generic forum's ISO date)
        return parse_date(shown), ISO_WITH_OFFSET
    if shown.strip().isdigit() and 9 <= len(shown.strip()) <= 14:
        return parse_date(shown), UNIX_ATTRIBUTE
    if stated is not None:
        found = parse_date(shown, stated, now, date_order=date_order)
        if found is not None:
            return found, STATED_ZONE
    found = parse_date(shown, timezone, now, date_order=date_order)
    return (found, SOURCE_TIMEZONE) if found is not None else (None, None)


# "All times are GMT -5", "All times are UTC [ DST ]", "All times are UTC - 5 hours",
# "All times are <span title="Europe/Paris">UTC+01:00</span>", "Heures au format UTC + 1 heure
# [ Heure d’été ]", "Tous les horaires sont au format GMT +1", "Fuseau horaire GMT +1".
_STATEMENT = re.compile(
    r"(?:All times are|Heures au format|Tous les horaires sont au format|Fuseau horaire"
    r"|Toutes les heures sont au format)\s*:?\s*"
    r"(?P<tags>(?:<[^>]{0,200}>\s*)*)"
    r"(?:UTC|GMT)\s*(?:(?P<sign>[+\-−])\s*(?P<hours>\d{1,2})(?:[:h.](?P<minutes>\d{2}))?"
    r"(?:\s*(?:hours?|heures?))?)?"
    r"(?P<dst>\s*(?:</[^>]{1,20}>\s*)*\[\s*(?:<[^>]{0,120}>\s*)?(?:DST|Heure d[’']été)\b)?",
    re.I,
)
_TITLE = re.compile(r"""title=["']([A-Za-z_]+/[A-Za-z_ /+\-]+)["']""")


def stated_zone(html: str) -> tzinfo | None:
    """The zone a page states its times in, or None when it states none.

    A zone name (phpBB 3.1+ puts it in the statement's title: `Europe/Paris`) gives the
    right offset in every season; otherwise the stated offset, plus an hour when the page
    says daylight saving time applies (phpBB 3.0 "[ DST ]").
    """
    match = _STATEMENT.search(html)
    if match is None:
        return None
    named = _TITLE.search(match.group("tags") or "")
    if named:
        try:
            return _zone(named.group(1).replace(" ", "_"))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    minutes = 0
    if match.group("hours"):
        minutes = int(match.group("hours")) * 60 + int(match.group("minutes") or 0)
        if match.group("sign") in ("-", "−"):
            minutes = -minutes
    if match.group("dst"):
        minutes += 60
    return timezone(timedelta(minutes=minutes))
