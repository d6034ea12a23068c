"""`veille alerts check|list|ack|resolve|resend|confirm|mute|mutes|unmute`: the alerts,
checked now, listed, answered, their messages resent, held for a while."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape

from pipeline.context import AppState, login_name
from pipeline.errors import UsageError
from storage.vocab import EVERY

alerts_app = typer.Typer(
    help="Alerts: check the brands now, list them, acknowledge or resolve one, resend what went "
    "unconfirmed, mute a brand's alerts for a while."
)


def _parse_now(value: str | None) -> datetime | None:
    """`alerts check --now` is the global `veille --now` written after the command."""
    from storage.clock import parse_now, set_now

    if value is None:
        return None
    try:
        at = parse_now(value)
    except ValueError as exc:
        raise UsageError(f"--now {exc}") from None
    set_now(at)  # the e-mails' times and outbox names follow the replayed moment too
    return at


@alerts_app.command("check")
def check_cmd(
    ctx: typer.Context,
    now: Annotated[
        str | None, typer.Option("--now", help="Check as of this UTC time (replays, tests).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Evaluate every brand, open/update/close alerts and send the messages owed (every 15 min)."""
    state: AppState = ctx.obj
    at = _parse_now(now)
    if not state.settings.brands:
        raise UsageError("no brands configured; add them under brands in the config")
    from reports.alerts.check import check

    result = check(state.engine(), state.settings, at)
    if as_json:
        state.emit_json(result.as_dict())
    else:
        for ev, outcome in zip(result.evaluations, result.outcomes, strict=True):
            if ev.kind == "bad_buzz":
                state.say(
                    f"{ev.brand}: {outcome.action} — {ev.negative_last_hour:,} negative mentions "
                    f"in the last hour (expected {ev.expected_last_hour:,.1f}), score "
                    f"{ev.score:.2f}"
                )
            elif outcome.action != "quiet":
                state.say(f"{ev.brand}: {outcome.action} — {ev.kind}")
        d = result.delivery
        state.say(
            f"Messages: {d.sent:,} sent, {d.failed:,} still owed, {d.unconfirmed:,} unconfirmed."
        )
        for path in d.outputs:
            state.say(f"  {path}")
        for error in d.errors:
            state.say(f"  [yellow]not delivered[/yellow] {escape(error)}")
    if result.delivery.failed or result.delivery.unconfirmed:
        raise typer.Exit(1)


def _acknowledged(row: dict[str, object]) -> str:
    if not row.get("acknowledged_at"):
        return ""
    text = f"{row['acknowledged_by']} {str(row['acknowledged_at'])[:16]}"
    return text + (f" — {row['note']}" if row.get("note") else "")


@alerts_app.command("list")
def list_cmd(
    ctx: typer.Context,
    brand: Annotated[str | None, typer.Option("--brand", "-b", help="Only this brand.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Most recent alerts to show.")] = 50,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only this kind (bad_buzz, rising_theme…).")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="Only open alerts, unacknowledged ones (open, taken on by nobody yet), "
            "closed ones (by the numbers or by a person) or resolved ones (by a person).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """The alerts raised, newest first, with their delivery status; then the messages not
    delivered (unconfirmed ones wait for `veille alerts resend ID` or `confirm ID`)."""
    state: AppState = ctx.obj
    from config.settings import ALERT_KINDS
    from reports.alerts.listing import list_alerts, teller, undelivered
    from storage.alerts import ALERT_STATES

    if kind is not None and kind not in ALERT_KINDS:
        raise UsageError(f"--kind {kind!r} is not one of {', '.join(ALERT_KINDS)}")
    if status is not None and status not in ALERT_STATES:
        raise UsageError(f"--status {status!r} is not one of {', '.join(ALERT_STATES)}")
    engine = state.engine()
    rows = list_alerts(engine, brand=brand, limit=limit, kind=kind, state=status,
                       say=teller(engine, state.settings, isolate=False))  # fmt: skip
    total, waiting = undelivered(engine)
    if as_json:
        state.emit_json({"alerts": rows, "undelivered": waiting, "undelivered_total": total})
        return
    if not rows:
        state.say("No alerts.")
    else:
        from rich.table import Table

        table = Table("id", "brand", "kind", "what happened", "severity", "status", "opened",
                      "closed", "delivery", "acknowledged")  # fmt: skip
        for r in rows:
            table.add_row(
                str(r["id"]), escape(r["brand"]), r["kind"], escape(r["cause"]), r["severity"],
                r["status"], r["opened_at"][:16], (r["closed_at"] or "")[:16], r["delivery"],
                escape(_acknowledged(r)),
            )  # fmt: skip
        state.console.print(table)
    if waiting:
        from pipeline.status import undelivered_table

        state.console.print(undelivered_table(total, waiting))


def _audit(state: AppState, who: str, action: str, alert_id: int, note: str | None,
           cancelled: int) -> None:  # fmt: skip
    """The audit log the web workspace keeps records the command line's answers too."""
    from storage.audit import log

    log(state.engine(), f"cli:{who}", action, f"alert:{alert_id}",
        {"note": note, "cancelled_escalations": cancelled})  # fmt: skip


@alerts_app.command("ack")
def ack_cmd(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="The alert's id (alerts list).")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who is on it (default: your login name).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What is being done.")] = None,
) -> None:
    """Say "I'm on it": the alert is acknowledged and its escalation is cancelled."""
    state: AppState = ctx.obj
    from reports.alerts.acknowledge import acknowledge_alert
    from storage.clock import utcnow

    who = by or login_name()
    try:
        answer = acknowledge_alert(state.engine(), alert_id, who, note, utcnow())
    except (KeyError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    _audit(state, who, "alert_acknowledge", alert_id, note, answer.cancelled)
    state.say(
        f"Alert {alert_id} ({escape(answer.alert.brand)}) acknowledged by {escape(who)}"
        + (f"; {answer.cancelled:,} escalation message(s) cancelled." if answer.cancelled else ".")
    )


@alerts_app.command("resolve")
def resolve_cmd(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="The alert's id (alerts list).")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who resolved it (default: your login name).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="How it was resolved.")] = None,
) -> None:
    """Close the alert now: the episode is over (the brand's cooldown starts)."""
    state: AppState = ctx.obj
    from reports.alerts.acknowledge import resolve_alert
    from storage.clock import utcnow

    who = by or login_name()
    try:
        answer = resolve_alert(state.engine(), alert_id, who, note, utcnow())
    except (KeyError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    _audit(state, who, "alert_resolve", alert_id, note, answer.cancelled)
    state.say(f"Alert {alert_id} ({escape(answer.alert.brand)}) resolved by {escape(who)}.")


@alerts_app.command("resend")
def resend_cmd(
    ctx: typer.Context,
    delivery_id: Annotated[
        int, typer.Argument(metavar="ID", help="The delivery id `alerts list` shows.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Send again even a message marked sent.")
    ] = False,
) -> None:
    """Send an unconfirmed (or failed) message again, with the same Message-ID, at once."""
    state: AppState = ctx.obj
    from reports.alerts.delivery import requeue
    from storage.clock import utcnow

    engine = state.engine()
    now = utcnow()
    try:
        requeue(engine, delivery_id, now, force=force)
    except (KeyError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    send_now(state, delivery_id, now, f"Delivery {delivery_id} sent again")


def send_now(
    state: AppState,
    delivery_id: int,
    now: datetime,
    sent: str,
    unsent: str = "not delivered",
    after: str | None = None,
) -> None:
    """Deliver one owed message at once and say where it went (`sent: where`); else say why
    (`unsent: why`, then `after`) and exit 1."""
    from reports.alerts.delivery import deliver_pending

    result = deliver_pending(state.engine(), state.settings, now, ids=[delivery_id])
    if result.sent:
        state.say(f"{sent}: {escape(result.outputs[0])}")
        return
    for error in result.errors:
        state.say(f"[yellow]{unsent}[/yellow] {escape(error)}")
    if after:
        state.say(after)
    raise typer.Exit(1)


@alerts_app.command("confirm")
def confirm_cmd(
    ctx: typer.Context,
    delivery_id: Annotated[
        int, typer.Argument(metavar="ID", help="The delivery id `alerts list` shows.")
    ],
) -> None:
    """Record that an unconfirmed message did arrive (its recipients have it): nothing is sent."""
    state: AppState = ctx.obj
    from reports.alerts.delivery import confirm
    from storage.clock import utcnow

    try:
        confirm(state.engine(), delivery_id, utcnow())
    except (KeyError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    state.say(f"Delivery {delivery_id} recorded as delivered.")


@alerts_app.command("mute")
def mute_cmd(
    ctx: typer.Context,
    brand: Annotated[
        str, typer.Argument(metavar="BRAND", help="A configured brand, or * for every brand.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why: the team reads it.")],
    duration: Annotated[
        str | None, typer.Option("--for", help="How long: 90m, 3h, 2d (at most 30 days).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Or until this UTC time (2026-11-22T23:00).")
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="One kind of alert (bad_buzz, campaign…); * every kind.")
    ] = EVERY,
    by: Annotated[str | None, typer.Option("--by", help="Who (default: your login name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Hold a brand's alert messages for a while (a launch, a TV spot, an outage being handled):
    its alerts still open and are listed, but for critical ones nothing is sent until it ends."""
    state: AppState = ctx.obj
    from reports.alerts.muting import described, mute, parse_duration
    from storage.clock import parse_now, utcnow

    if (duration is None) == (until is None):
        raise UsageError("say how long: --for 3h, or --until 2026-11-22T23:00 (UTC)")
    now = utcnow()
    try:
        end = now + parse_duration(duration) if duration is not None else parse_now(str(until))
        found = mute(state.engine(), state.settings, brand, kind, end, reason,
                     by or login_name(), now)  # fmt: skip
    except ValueError as exc:
        raise UsageError(f"alerts mute: {exc}") from None
    _audit_mute(state, found.created_by, "alert_mute", found.id, found.as_dict())
    if as_json:
        state.emit_json(found.as_dict())
        return
    state.say(f"Mute {found.id}: {escape(described(found))}. `veille alerts unmute {found.id}` "
              "ends it sooner.")  # fmt: skip


@alerts_app.command("mutes")
def mutes_cmd(
    ctx: typer.Context,
    past: Annotated[bool, typer.Option("--all", help="The ended mutes too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """The mutes holding now or to come (with --all, the ended ones too), newest first."""
    state: AppState = ctx.obj
    from storage.clock import utcnow
    from storage.mutes import listing

    found = listing(state.engine(), utcnow(), past=past)
    if as_json:
        state.emit_json({"mutes": [m.as_dict() for m in found]})
        return
    if not found:
        state.say("No mutes.")
        return
    from rich.table import Table

    table = Table("id", "brand", "kind", "from", "until", "why", "by", "ended by")
    for m in found:
        table.add_row(
            str(m.id), escape(m.brand or EVERY), m.kind or EVERY, f"{m.starts_at:%Y-%m-%d %H:%M}",
            f"{m.ends():%Y-%m-%d %H:%M}", escape(m.reason), escape(m.created_by),
            escape(m.ended_by or ""),
        )  # fmt: skip
    state.console.print(table)


@alerts_app.command("unmute")
def unmute_cmd(
    ctx: typer.Context,
    mute_id: Annotated[int, typer.Argument(metavar="ID", help="The mute's id (alerts mutes).")],
    by: Annotated[str | None, typer.Option("--by", help="Who (default: your login name).")] = None,
) -> None:
    """End a mute now: the next check tells of the alerts it held that are still open."""
    state: AppState = ctx.obj
    from reports.alerts.muting import described, unmute
    from storage.clock import utcnow

    who = by or login_name()
    try:
        ended = unmute(state.engine(), mute_id, who, utcnow())
    except (KeyError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    _audit_mute(state, who, "alert_unmute", mute_id, ended.as_dict())
    state.say(f"Mute {mute_id} ended ({escape(described(ended))}).")


def _audit_mute(state: AppState, who: str, action: str, mute_id: int,
                detail: dict[str, object]) -> None:  # fmt: skip
    from storage.audit import log

    log(state.engine(), f"cli:{who}", action, f"mute:{mute_id}", detail)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
