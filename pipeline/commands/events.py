"""`veille events add|list|remove`: what the team marks on a brand's timeline (a TV spot, a
launch, an outage), shown where it fell on the reports' volume chart and listed under it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from pipeline.context import AppState, login_name
from pipeline.errors import UsageError
from storage.vocab import EVERY

if TYPE_CHECKING:
    from storage.events import EventRecord

events_app = typer.Typer(
    help="Events on a brand's timeline (a TV spot, a launch, an outage): the reports show them "
    "on the volume chart, beside the spikes they explain."
)


@events_app.command("add")
def add_cmd(
    ctx: typer.Context,
    brand: Annotated[
        str, typer.Argument(metavar="BRAND", help="A configured brand, or * for every brand.")
    ],
    at: Annotated[str, typer.Argument(metavar="WHEN", help="UTC time: 2026-11-21T20:00.")],
    label: Annotated[str, typer.Argument(metavar="LABEL", help="What happened, in a few words.")],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="WHEN",
            help="Its end (UTC), for an event that lasts: "
            "a campaign, a sale. Without it, a moment.",
        ),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who (default: your login name).")] = None,
) -> None:
    """Mark an event on a brand's timeline: a moment, or a span with --until."""
    state: AppState = ctx.obj
    from storage import events
    from storage.audit import log
    from storage.clock import parse_now, utcnow

    try:
        found = events.mark(
            state.engine(), [b.name for b in state.settings.brands], brand, parse_now(at), label,
            by or login_name(), utcnow(), parse_now(until) if until else None,
        )  # fmt: skip
    except ValueError as exc:
        raise UsageError(f"events add: {exc}") from None
    log(state.engine(), f"cli:{found.created_by}", "event_add", f"event:{found.id}",
        found.as_dict())  # fmt: skip
    state.say(f"Event {found.id}: {escape(brand)}, {_when(found)} UTC, {escape(found.label)}.")


def _when(e: EventRecord) -> str:
    """2026-11-21 20:00, or 2026-12-01 00:00 → 2026-12-08 00:00 for an event that lasts."""
    return f"{e.at:%Y-%m-%d %H:%M}" + (f" → {e.ends_at:%Y-%m-%d %H:%M}" if e.ends_at else "")


@events_app.command("list")
def list_cmd(
    ctx: typer.Context,
    brand: Annotated[
        str | None, typer.Option("--brand", "-b", help="Only this brand's (and every brand's).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """The events marked, in time order."""
    state: AppState = ctx.obj
    from storage.events import listing

    found = listing(state.engine(), brand)
    if as_json:
        state.emit_json({"events": [e.as_dict() for e in found]})
        return
    if not found:
        state.say("No events.")
        return
    from rich.table import Table

    table = Table("id", "brand", "when (UTC)", "what", "by", "calendar")
    for e in found:
        table.add_row(str(e.id), escape(e.brand or EVERY), _when(e),
                      escape(e.label), escape(e.created_by), escape(e.calendar or ""))  # fmt: skip
    state.console.print(table)


@events_app.command("import")
def import_cmd(
    ctx: typer.Context,
    where: Annotated[
        str, typer.Argument(metavar="FILE", help="An .ics file (or an http(s) address).")
    ],
    brand: Annotated[
        str, typer.Option("--brand", "-b", help="A configured brand, or * for every brand.")
    ],
    calendar: Annotated[
        str | None,
        typer.Option("--calendar", help="The calendar's name (default: the file's name)."),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who (default: your login name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Mark a calendar's events (iCalendar: a Google, Outlook or Apple export) on a brand's
    timeline. Importing it again updates moved or renamed events and removes deleted ones;
    `events.calendars` in the config reads calendars at every run."""
    state: AppState = ctx.obj
    from reports.calendars import CalendarError, fetch, mark, name_of
    from storage.audit import log
    from storage.clock import utcnow

    settings = state.settings
    brands = [b.name for b in settings.brands]
    if brand != EVERY and brand not in brands:
        raise UsageError(f"events import: {brand!r} is not a configured brand "
                         f"(known: {', '.join(brands)}, or *)")  # fmt: skip
    name = calendar or name_of(where)
    zone = settings.zone_of(None if brand == EVERY else brand)
    who = by or login_name()
    try:
        counts = mark(state.engine(), name, None if brand == EVERY else brand, fetch(where),
                      zone, who, utcnow())  # fmt: skip
    except CalendarError as exc:
        raise UsageError(f"events import: {escape(str(exc))}") from None
    log(state.engine(), f"cli:{who}", "events_import", f"calendar:{name}",
        {"brand": brand, **counts})  # fmt: skip
    if as_json:
        state.emit_json({"calendar": name, "brand": brand, **counts})
        return
    state.say(
        f"Calendar {escape(name)} for {escape(brand)}: {counts['new']:,} new, "
        f"{counts['updated']:,} updated, {counts['unchanged']:,} unchanged, "
        f"{counts['removed']:,} removed."
    )
    if counts["set_aside"]:
        state.say(f"{counts['set_aside']:,} event(s) set aside (no date, title or UID): "
                  "`veille events errors` lists them.")  # fmt: skip


@events_app.command("errors")
def errors_cmd(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="At most N rows.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """The calendars' events set aside (no date, title or UID), newest first, with why."""
    from pipeline.render import show_set_aside

    show_set_aside(ctx.obj, "calendars", "calendar reads", limit, as_json)


@events_app.command("remove")
def remove_cmd(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID", help="The event's id (events list).")],
    by: Annotated[str | None, typer.Option("--by", help="Who (default: your login name).")] = None,
) -> None:
    """Remove an event a person marked (reports written since no longer show it); a
    calendar's event goes when it is deleted in the calendar."""
    state: AppState = ctx.obj
    from storage.audit import log
    from storage.events import unmark

    try:
        found = unmark(state.engine(), event_id)
    except LookupError as exc:
        raise UsageError(f"{exc}; `veille events list` shows their ids") from None
    except ValueError as exc:
        raise UsageError(escape(str(exc))) from None
    who = by or login_name()
    log(state.engine(), f"cli:{who}", "event_remove", f"event:{event_id}", found.as_dict())
    state.say(f"Event {event_id} removed.")


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")
