"""`veille handoff send|list`: hand a mention over to a helpdesk or CRM, list the hand-overs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from pipeline.commands.alerts import send_now
from pipeline.context import AppState, login_name
from pipeline.errors import UsageError

handoff_app = typer.Typer(
    help="Hand mentions over to the teams that act on them (a helpdesk, a CRM) on one of "
    "alerts.targets; handoff.rules do it by themselves in the `handoff` stage."
)


@handoff_app.command("send")
def send_cmd(
    ctx: typer.Context,
    mention_id: Annotated[int, typer.Argument(metavar="ID", help="The mention's id.")],
    target: Annotated[str, typer.Option("--target", "-t", help="A name under alerts.targets.")],
    note: Annotated[str | None, typer.Option("--note", help="What the team should know.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who hands it over (default: your login name).")
    ] = None,
) -> None:
    """Send the mention to the target now (once per target; `veille alerts resend` again)."""
    state: AppState = ctx.obj
    from reports.alerts.handoff import HandoffError, hand_over_now
    from storage.clock import utcnow

    engine = state.engine()
    now = utcnow()
    who = f"cli:{by or login_name()}"
    try:
        new, earlier = hand_over_now(
            engine, state.settings, mention_id, target, now, by=who, note=note
        )
    except HandoffError as exc:
        raise UsageError(str(exc)) from None
    if new is None:
        status = f"{earlier.status} (delivery {earlier.id})" if earlier else "owed"
        state.say(
            f"Mention {mention_id} was handed over to {escape(target)} already: {status}; "
            f"`veille alerts resend {earlier.id if earlier else 'ID'} --force` sends it again."
        )
        raise typer.Exit(1)
    send_now(
        state, new, now, f"Mention {mention_id} handed over", "not delivered yet",
        "It stays owed: the next `veille alerts check` (every 15 minutes) tries again.",
    )  # fmt: skip


@handoff_app.command("list")
def list_cmd(
    ctx: typer.Context,
    mention_id: Annotated[int, typer.Argument(metavar="ID", help="The mention's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """The mention's hand-overs: target, state, when, by whom."""
    state: AppState = ctx.obj
    from reports.alerts.handoff import HANDOFF
    from storage.deliveries import of_mention

    found = [d for d in of_mention(state.engine(), mention_id) if d.kind == HANDOFF]
    if as_json:
        state.emit_json({"mention_id": mention_id, "handoffs": [d.as_dict() for d in found]})
        return
    if not found:
        state.say(f"Mention {mention_id} was not handed over.")
        return
    for d in found:
        by = (d.payload or {}).get("by") or "?"
        state.say(
            f"delivery {d.id}: {escape(d.target)} — {d.status} "
            f"(owed {d.created_at:%Y-%m-%d %H:%M} UTC by {escape(str(by))}"
            + (f", sent {d.sent_at:%Y-%m-%d %H:%M} UTC" if d.sent_at else "")
            + (f"; {escape(d.error)}" if d.error and d.status != "sent" else "")
            + ")"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(handoff_app, name="handoff")
