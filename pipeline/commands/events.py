"""`veille events add|list|remove`: what the team marks on a brand's timeline (a TV spot, a
launch, an outage), shown where it fell on the reports' volume chart and listed under it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from pipeline.context import AppState, login_name
from pipeline.errors import UsageError
from storage.vocab import EVERY

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
    by: Annotated[str | None, typer.Option("--by", help="Who (default: your login name).")] = None,
) -> None:
    """Mark an event on a brand's timeline."""
    state: AppState = ctx.obj
    from storage import events
    from storage.audit import log
    from storage.clock import parse_now, utcnow

    try:
        found = events.mark(
            state.engine(), [b.name for b in state.settings.brands], brand, parse_now(at), label,
            by or login_name(), utcnow(),
        )  # fmt: skip
    except ValueError as exc:
        raise UsageError(f"events add: {exc}") from None
    log(state.engine(), f"cli:{found.created_by}", "event_add", f"event:{found.id}",
        found.as_dict())  # fmt: skip
    state.say(f"Event {found.id}: {escape(brand)}, {found.at:%Y-%m-%d %H:%M} UTC, "
              f"{escape(found.label)}.")  # fmt: skip


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

    table = Table("id", "brand", "when (UTC)", "what", "by")
    for e in found:
        table.add_row(str(e.id), escape(e.brand or EVERY), f"{e.at:%Y-%m-%d %H:%M}",
                      escape(e.label), escape(e.created_by))  # fmt: skip
    state.console.print(table)


@events_app.command("remove")
def remove_cmd(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID", help="The event's id (events list).")],
    by: Annotated[str | None, typer.Option("--by", help="Who (default: your login name).")] = None,
) -> None:
    """Remove an event (reports written since no longer show it)."""
    state: AppState = ctx.obj
    from storage import events
    from storage.audit import log

    found = events.get(state.engine(), event_id)
    if found is None or not events.remove(state.engine(), event_id):
        raise UsageError(f"no event {event_id}; `veille events list` shows their ids")
    who = by or login_name()
    log(state.engine(), f"cli:{who}", "event_remove", f"event:{event_id}", found.as_dict())
    state.say(f"Event {event_id} removed.")


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")
