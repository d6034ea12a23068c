"""Events on the brands' timelines: the page of every event (those in progress and coming,
then the past days'), and marking, importing and removing them — as `veille events` does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from storage.vocab import EVERY
from web.app import Ctx, page

if TYPE_CHECKING:
    from storage.events import EventRecord

# The past days the page lists, and the dashboard's spans an event's chart link picks from.
DAYS = (7, 30, 90, 365)


@dataclass(frozen=True)
class EventRow:
    """An event as the page lists it: its state at the page's moment and where its chart is."""

    event: EventRecord
    state: str  # "coming", "in progress" or "past"
    chart: str | None  # the dashboard's days that show it (None: it has not begun)


def _row(event: EventRecord, now: datetime, brand: str, starts: dict[int, datetime]) -> EventRow:
    """`starts`: the moment the dashboard of each of DAYS begins."""
    if event.at > now:
        return EventRow(event, "coming", None)
    ongoing = event.ends_at is not None and event.ends_at > now
    shown = next((d for d in DAYS if starts[d] <= event.at), DAYS[-1])
    chart = "/dashboard?" + urlencode({"brand": event.brand or brand, "days": shown})
    return EventRow(event, "in progress" if ongoing else "past", chart)


def _days(ctx: Ctx) -> int:
    wanted = ctx.params.get("days") or ""
    return int(wanted) if wanted in {str(d) for d in DAYS} else 30


@page("viewer")
def events(ctx: Ctx) -> Response:
    """Every event of a brand (and every brand's), or of all brands: those in progress and
    coming in time order, then those of the past days, the latest first."""
    from storage.clock import utcnow
    from storage.events import LABEL_LIMIT, between
    from web.monitoring import days_shown

    names = ctx.brands
    brand = ctx.params.get("brand") or ""
    if brand not in names:
        brand = ""
    days = _days(ctx)
    now = utcnow()
    zone = ZoneInfo(ctx.ws.settings.schedules.timezone)
    starts = {d: days_shown(now, d, zone)[0] for d in DAYS}
    with ctx.ws.engine.connect() as conn:  # from the start of the dashboard of as many days
        found = between(conn, brand or None, starts[days], None)
    found = [e for e in found if ctx.sees(e.brand)]  # another brand's is not theirs to see
    rows = [_row(e, now, brand or (names[0] if names else ""), starts) for e in found]
    return ctx.render(
        "events.html",
        brand=brand,
        brands=names,
        days=days,
        day_choices=DAYS,
        coming=[r for r in rows if r.state != "past"],
        past=[r for r in reversed(rows) if r.state == "past"],
        calendars=[c for c in ctx.ws.settings.events.calendars if ctx.sees(c.brand)],
        label_limit=LABEL_LIMIT,
        back="events",
    )


def _back(ctx: Ctx, brand: str | None) -> RedirectResponse:
    """Back to the page the form was on: the dashboard's events, else the events page."""
    query = urlencode({"brand": brand}) if brand and brand != EVERY else ""
    if ctx.field("back") == "dashboard":
        return RedirectResponse(f"/dashboard?{query}#events", status_code=303)
    return RedirectResponse(f"/events?{query}", status_code=303)


def _moment(text: str, zone: str) -> datetime:
    """A time the form gives (`2026-11-22T20:55`, the browser's datetime-local) as the team's
    (schedules.timezone, as the pages show times); ValueError says how to write it."""
    from storage.clock import parse_now

    stripped = text.strip()
    try:
        at = datetime.fromisoformat(stripped)
    except ValueError:
        return parse_now(stripped)  # raises, saying how to write it
    return (at if at.tzinfo else at.replace(tzinfo=ZoneInfo(zone))).astimezone(UTC)


def _not_theirs(ctx: Ctx, brand: str, title: str) -> Response | None:
    """403 when a person who sees some brands only marks every brand's timeline (storage.scope):
    that timeline is every team's."""
    if ctx.scope is None or brand != EVERY:
        return None
    return ctx.render("error.html", status=403, title=ctx.t(title),
                      message=ctx.t("scope.not_yours"))  # fmt: skip


@page("analyst")
def add_event(ctx: Ctx) -> Response:
    """Mark an event on a brand's timeline, as `veille events add` does (times as the team
    reads them: schedules.timezone)."""
    from storage.clock import utcnow
    from storage.events import mark

    brand, until = ctx.field("brand"), ctx.field("until").strip()
    zone = ctx.ws.settings.schedules.timezone
    if (refused := _not_theirs(ctx, brand, "event.not_marked")) is not None:
        return refused
    try:
        found = mark(
            ctx.ws.engine, ctx.brands, brand,
            _moment(ctx.field("at"), zone), ctx.field("label"), ctx.user.name, utcnow(),
            _moment(until, zone) if until else None,
        )  # fmt: skip
    except ValueError as exc:
        return ctx.render(
            "error.html", status=400, title=ctx.t("event.not_marked"), message=ctx.said(exc)
        )
    ctx.audit("event_add", f"event:{found.id}", found.as_dict())
    return _back(ctx, brand)


@page("analyst")
def import_calendar(ctx: Ctx) -> Response:
    """Mark an uploaded calendar's events on a brand's timeline, as `veille events import`
    does (importing it again updates and removes; its name is the file's)."""
    from reports.calendars import MAX_BYTES, CalendarError, mark, name_of
    from storage.clock import utcnow

    settings = ctx.ws.settings
    brand = ctx.field("brand")
    upload = ctx.form.get("calendar") if ctx.form is not None else None
    refused = ctx.t("event.not_imported")
    if (scoped := _not_theirs(ctx, brand, "event.not_imported")) is not None:
        return scoped
    if brand != EVERY and brand not in ctx.brands:
        return ctx.render("error.html", status=400, title=refused,
                          message=ctx.t("event.unknown_brand", brand=repr(brand)))  # fmt: skip
    if upload is None or isinstance(upload, str) or not upload.filename:
        return ctx.render("error.html", status=400, title=refused,
                          message=ctx.t("event.choose_file"))  # fmt: skip
    name = name_of(upload.filename)
    zone = settings.zone_of(None if brand == EVERY else brand)
    try:
        counts = mark(ctx.ws.engine, name, None if brand == EVERY else brand,
                      upload.file.read(MAX_BYTES + 1), zone, ctx.user.name, utcnow())  # fmt: skip
    except CalendarError as exc:
        return ctx.render("error.html", status=400, title=refused,
                          message=f"{upload.filename}: {ctx.said(exc)}")  # fmt: skip
    ctx.audit("events_import", f"calendar:{name}", {"brand": brand, **counts})
    return _back(ctx, brand)


@page("analyst")
def remove_event(ctx: Ctx) -> Response:
    from storage.events import unmark

    event_id = int(ctx.request.path_params["event_id"])
    if ctx.scope is not None:
        from storage.events import get

        held = get(ctx.ws.engine, event_id)
        if held is None or held.brand not in ctx.scope:  # another's, or every brand's
            return ctx.render("error.html", status=404, title=ctx.t("event.no_such"), message="")
    try:
        found = unmark(ctx.ws.engine, event_id)
    except LookupError:
        return ctx.render("error.html", status=404, title=ctx.t("event.no_such"), message="")
    except ValueError as exc:
        return ctx.render(
            "error.html", status=409, title=ctx.t("event.kept"), message=ctx.said(exc)
        )
    ctx.audit("event_remove", f"event:{event_id}", found.as_dict())
    return _back(ctx, ctx.field("brand") or found.brand)  # the brand of the page it was on


ROUTES = [
    Route("/events", events, methods=["GET"]),
    Route("/events", add_event, methods=["POST"]),
    Route("/events/calendar", import_calendar, methods=["POST"]),
    Route("/events/{event_id:int}/remove", remove_event, methods=["POST"]),
]
