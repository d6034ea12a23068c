"""A team's calendar (iCalendar, RFC 5545: a Google, Outlook or Apple calendar's export or its
subscription address) read as events on a brand's timeline.

Each event is marked at its start (a day's event: the local midnight of that day) until its
end when it lasts (DTEND, or DURATION; a day's event lasts its days); a recurring event gives
each occurrence within `WINDOW` of the run's clock (recurring-ical-events expands
the rules, with their exceptions and moved occurrences). An event cancelled in the calendar is
not one. An event the calendar cannot place (no start, no title, over a year long) is set aside
with its reason; the others are read.

Here, among the reports, because events are the reports' (their volume chart, page 1, the
alerts' messages): the `calendars` stage and the web workspace (which stands beside the
crawlers, not on them) read calendars through this one module.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from config.refusals import Refusal
from storage.events import span_problem

if TYPE_CHECKING:
    from sqlalchemy import Engine

WINDOW = timedelta(days=400)  # occurrences read on either side of the run's clock
MAX_BYTES = 5_000_000  # a bigger calendar is refused (a team's calendar is far smaller)
MAX_EVENTS = 5_000  # occurrences read at most from one calendar
MAX_SERIES = 100  # recurring events at most in one calendar (each up to one a day)
SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")  # rules set aside: not a team's event
FETCH_TIMEOUT = 30  # seconds


REFUSALS = {
    "url_env": ("la variable d'environnement {name} (events.calendars[{i}].url_env) n'est pas"
                " définie\u00a0; l'exporter là où Veille tourne",
                "the environment variable {name} (events.calendars[{i}].url_env) is not set;"
                " export it where Veille runs"),
    "address": ("l'adresse du calendrier n'a pas pu être lue ({reason})",
                "the calendar's address could not be read ({reason})"),
    "no_file": ("{where}\u00a0: fichier introuvable\u00a0; vérifier le chemin",
                "{where}: no such file; check the path"),
    "too_big": ("plus de {bytes} octets\u00a0: pas un calendrier d'équipe",
                "over {bytes} bytes: not a team's calendar"),
    "not_ics": ("pas un fichier iCalendar ({why})\u00a0; exporter le calendrier en .ics",
                "not an iCalendar file ({why}); export the calendar as .ics"),
    "too_many_series": ("plus de {n} événements récurrents\u00a0: pas un calendrier d'équipe",
                        "over {n} recurring events: not a team's calendar"),
    "unreadable_times": ("ses heures ou ses règles de récurrence sont illisibles ({why})",
                         "its times or recurrence rules cannot be read ({why})"),
    "too_many_events": ("plus de {n} événements à moins de {days} jours d'aujourd'hui, la"
                        " plupart de l'événement « {uid} »\u00a0: sa règle se répète-t-elle"
                        " trop souvent\u00a0?",
                        "over {n} events within {days} days of now, most of them from the"
                        " event {uid!r}: does its rule repeat too often?"),
}  # fmt: skip


class CalendarError(Refusal):
    """The calendar as a whole cannot be read (its message says why and what to do)."""


@dataclass(frozen=True)
class CalendarEvent:
    key: str  # stable across reads: the event's UID (and which occurrence)
    at: datetime  # UTC
    label: str
    ends_at: datetime | None = None  # UTC; None: a moment


@dataclass(frozen=True)
class SetAside:
    location: str  # which event (its UID, or its place in the file)
    reason: str
    record: str  # the event as the calendar wrote it


@dataclass(frozen=True)
class CalendarRead:
    events: list[CalendarEvent]
    set_aside: list[SetAside]


def fetch(where: str) -> bytes:
    """The calendar's bytes from a file or an http(s) address (a subscription URL); the
    address is never repeated in a message (it is often a secret)."""
    if where.startswith(("http://", "https://")):
        request = Request(where, headers={"User-Agent": "Veille calendar reader"})
        try:
            with urlopen(request, timeout=FETCH_TIMEOUT) as response:
                data: bytes = response.read(MAX_BYTES + 1)
        except OSError as exc:
            reason = getattr(exc, "reason", None) or getattr(exc, "code", None)
            reason = reason or type(exc).__name__
            raise CalendarError(REFUSALS, "address", reason=reason) from None
    else:
        path = Path(where)
        if not path.is_file():
            raise CalendarError(REFUSALS, "no_file", where=where)
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CalendarError(REFUSALS, "too_big", bytes=f"{MAX_BYTES:,}")
    return data


def read(data: bytes, zone: str, now: datetime) -> CalendarRead:
    """The events of an iCalendar text, occurrences of recurring events within `WINDOW` of
    `now`; times without a zone are the calendar's own zone (X-WR-TIMEZONE) or `zone`."""
    import icalendar
    import recurring_ical_events

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # collected bytes can break a parser in any way
        raise CalendarError(REFUSALS, "not_ics", why=_first_line(exc)) from None
    if calendar.name != "VCALENDAR":
        raise CalendarError(REFUSALS, "not_ics", why="no VCALENDAR")
    local = _zone(str(calendar.get("X-WR-TIMEZONE") or ""), zone)
    kept = icalendar.Calendar()
    set_aside: list[SetAside] = []
    for place, event in enumerate(calendar.walk("VEVENT"), 1):
        problem = _problem(event, local)
        if problem is None:
            kept.add_component(event)
        else:
            set_aside.append(SetAside(_where(event, place), problem, _text(event)))
    for tz in calendar.walk("VTIMEZONE"):
        kept.add_component(tz)
    series = {str(e["UID"]) for e in kept.walk("VEVENT") if "RRULE" in e or "RDATE" in e}
    if len(series) > MAX_SERIES:
        raise CalendarError(REFUSALS, "too_many_series", n=f"{MAX_SERIES:,}")
    start, end = now - WINDOW, now + WINDOW
    try:  # bounded: at most one occurrence a day per recurring event (see _problem)
        occurrences = recurring_ical_events.of(kept).between(start, end)
        events = [
            _event(event, local, str(event["UID"]) in series)
            for event in occurrences
            if str(event.get("STATUS", "")).upper() != "CANCELLED"
        ]
    except Exception as exc:  # a rule or a time it cannot read
        raise CalendarError(REFUSALS, "unreadable_times", why=_first_line(exc)) from None
    if len(events) > MAX_EVENTS:
        uid = Counter(str(e["UID"]) for e in occurrences).most_common(1)[0][0]
        raise CalendarError(REFUSALS, "too_many_events", n=f"{MAX_EVENTS:,}",
                            days=WINDOW.days, uid=uid[:120])  # fmt: skip
    events.sort(key=lambda e: (e.at, e.key))
    return CalendarRead(events, set_aside)


def _problem(event: Any, local: ZoneInfo) -> str | None:
    rule = event.get("RRULE") or {}
    if rule and (
        str((rule.get("FREQ") or [""])[0]).upper() in SUB_DAILY
        or any(len(rule.get(part) or []) > 1 for part in ("BYHOUR", "BYMINUTE", "BYSECOND"))
    ):  # fmt: skip
        return "it repeats more than once a day: mark the moments that matter one by one"
    if event.get("DTSTART") is None:
        return "no start (DTSTART): give the event a date in the calendar"
    if not " ".join(str(event.get("SUMMARY", "")).split()):
        return "no title (SUMMARY): give the event a title in the calendar"
    if not str(event.get("UID", "")).strip():
        return "no UID: export the calendar again (every calendar application gives one)"
    try:
        start, end = _span(event, local)
    except Exception:  # a time it cannot read: the reading refuses the calendar (see read)
        return None
    problem = span_problem(start, end)
    return None if problem is None else str(problem)  # kept aside in English, as stored


def _event(event: Any, local: ZoneInfo, in_series: bool) -> CalendarEvent:
    """One occurrence; its key is the event's UID, and in a series which occurrence it is
    (RECURRENCE-ID: a moved occurrence keeps its key, so it is updated, not added)."""
    identity = str(event["UID"])
    if in_series:
        identity += "@" + _utc(event.decoded("RECURRENCE-ID"), local).isoformat()
    key = hashlib.sha256(identity.encode()).hexdigest()[:32]
    start, end = _span(event, local)
    return CalendarEvent(key, start, " ".join(str(event["SUMMARY"]).split()), end)


def _span(event: Any, local: ZoneInfo) -> tuple[datetime, datetime | None]:
    """An event's start and end in UTC: its DTEND, else its start and DURATION, else a day's
    event's day; None for an event of no length (a moment)."""
    first = event.decoded("DTSTART")
    start = _utc(first, local)
    if event.get("DTEND") is not None:
        end = _utc(event.decoded("DTEND"), local)
    elif event.get("DURATION") is not None:
        end = start + event.decoded("DURATION")
    elif not isinstance(first, datetime):  # a day's event lasts its day (RFC 5545, 3.6.1)
        end = _utc(first + timedelta(days=1), local)
    else:
        return start, None
    return start, end if end > start else None


def _zone(named: str, default: str) -> ZoneInfo:
    """The calendar's own zone when it names a known one, else `default`."""
    try:
        return ZoneInfo(named) if named else ZoneInfo(default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def _utc(moment: date | datetime, local: ZoneInfo) -> datetime:
    """A day's event at the local midnight of its day; a floating time in the local zone."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local)
    return moment.astimezone(UTC)


def _where(event: Any, place: int) -> str:
    uid = str(event.get("UID", "")).strip()
    return f"event {place}" + (f" (UID {uid[:120]})" if uid else "")


def _text(event: Any) -> str:
    try:
        return str(event.to_ical().decode("utf-8", "replace"))
    except (ValueError, TypeError):
        return repr(event)[:2000]


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def name_of(where: str) -> str:
    """A calendar's default name: its file's name without the extension, as a config name."""
    stem = where.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0].removesuffix(".ics")
    return re.sub(r"[^A-Za-z0-9_.\-]+", "-", stem).strip("-")[:100] or "calendar"


def mark(
    engine: Engine, calendar: str, brand: str | None, data: bytes, zone: str, by: str,
    now: datetime, run_id: int | None = None,
) -> dict[str, int]:  # fmt: skip
    """Read a calendar (its bytes: `fetch` reads a file or an address) and make `brand`'s
    events of it (None: every brand's) what it says; its events it cannot place are kept
    aside (stage `calendars`, origin the calendar's name) with their reason, once.
    CalendarError when the calendar as a whole cannot be read: nothing changes then. Returns
    the counts: new, updated, unchanged, removed, set_aside."""
    from storage.events import sync
    from storage.runs import keep_aside

    if len(data) > MAX_BYTES:
        raise CalendarError(REFUSALS, "too_big", bytes=f"{MAX_BYTES:,}")
    found = read(data, zone, now)
    rows = [(e.key, e.at, e.ends_at, e.label) for e in found.events]
    counts = sync(engine, brand, calendar, rows, (now - WINDOW, now + WINDOW), by, now)
    for bad in found.set_aside:
        keep_aside(engine, "calendars", calendar, bad.reason, bad.record, bad.location, run_id,
                   once=True)  # fmt: skip
    return {**counts, "set_aside": len(found.set_aside)}
