"""Which messages an alert owes, to whom and when: one delivery per target, queued with it.

A brand's alerts go to its `alerts.recipients` (e-mail) and to the targets of every route of
`alerts.routes` whose brands, severities and kinds match; an alert whose severity rises during
its episode reaches the targets of the higher level too (each target is told once). Alerts of
`alerts.digest.severities` wait for the day's digest instead; a target's quiet hours hold its
messages until they end (but those of its `quiet_except` severities). An alert of
`alerts.escalation.severities` nobody acknowledges within `after_minutes` is sent to the
escalation targets; acknowledging, resolving or its end cancels that. The back-to-normal note
goes to the targets that were told of the alert. A person's mute (`veille alerts mute`) holds
the messages of a brand's alerts, but the critical ones, until it ends.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from config.settings import Settings, quiet_window
from storage import deliveries, mutes

# A mute (`veille alerts mute`) holds every alert's messages but these severities'.
MUTE_PASSES = ("critical",)
RECIPIENTS = "recipients"  # a brand's alert e-mails go to alerts.recipients.<brand>
OPERATORS = "operators"  # the target (and kind) of the operators' e-mails: alerts.operators
ESCALATED = "escalated"
DIGEST = "digest"


def targets_for(settings: Settings, brand: str, severity: str, kind: str) -> list[tuple[str, str]]:
    """(channel, target) pairs an alert of this brand, severity and kind goes to, in order."""
    alerts = settings.alerts
    found: list[tuple[str, str]] = []
    if alerts.recipients.get(brand):
        found.append(("email", RECIPIENTS))
    for route in alerts.routes:
        if route.brands and brand not in route.brands:
            continue
        if route.severities and severity not in route.severities:
            continue
        if route.kinds and kind not in route.kinds:
            continue
        found += [(alerts.targets[name].channel, name) for name in route.targets]
    if not found:
        # Nobody to tell: the e-mail to the brand's recipients stays owed, and says why.
        found.append(("email", RECIPIENTS))
    return list(dict.fromkeys(found))


def not_before(settings: Settings, target: str, severity: str, at: datetime) -> datetime | None:
    """The end of the target's quiet hours when `at` falls in them (None: send at `at`)."""
    options = settings.alerts.targets.get(target)
    if options is None or not options.quiet_hours or severity in options.quiet_except:
        return None
    start, end = quiet_window(options.quiet_hours)
    zone = ZoneInfo(options.timezone or settings.schedules.timezone)
    local = at.astimezone(zone)
    minute = local.hour * 60 + local.minute
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    if not inside:
        return None
    day = local.date() if minute < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end // 60, end % 60), zone).astimezone(UTC)


def _due(settings: Settings, target: str, severity: str, at: datetime) -> datetime:
    return not_before(settings, target, severity, at) or at


def owe_alert_messages(
    conn: Connection,
    settings: Settings,
    alert_id: int,
    brand: str,
    kind: str,
    now: datetime,
    *,
    severity: str = "low",
    alert_kind: str = "bad_buzz",
    opened_at: datetime | None = None,
    acknowledged: bool = False,
) -> list[int]:
    """Queue the alert's `kind` messages (opened, closed) in the same transaction as the
    alert itself, so an alert never exists without what it owes; returns the new ids.

    While a mute holds the brand's alerts of its kind, an alert owes nothing (but a critical
    one); the episode's next check after the mute ends owes its messages, if it is still
    open: the team is told then."""
    found: list[int] = []
    held = kind != "closed" and severity not in MUTE_PASSES
    if held and mutes.holding(conn, brand, alert_kind, now) is not None:
        return found
    payload = {"brand": brand}
    if kind == "closed":
        cancel_escalation(conn, alert_id, "the episode ended before anyone acknowledged it")
        targets = deliveries.targets_of(conn, alert_id, "opened")
    elif severity in settings.alerts.digest.severities:
        targets = []
        for channel, target in targets_for(settings, brand, severity, alert_kind):
            found += _owe_digest(conn, settings, alert_id, brand, channel, target, severity, now)
    else:
        targets = targets_for(settings, brand, severity, alert_kind)
    for channel, target in targets:
        new = deliveries.owe(
            conn, f"alert:{alert_id}:{kind}:{channel}:{target}", kind=kind, target=target,
            channel=channel, now=now, alert_id=alert_id, payload=payload,
            due_at=not_before(settings, target, severity, now),
        )  # fmt: skip
        found += [new] if new is not None else []
    escalation = settings.alerts.escalation
    if kind == "opened" and not acknowledged and severity in escalation.severities:
        due = (opened_at or now) + timedelta(minutes=escalation.after_minutes)
        for target in escalation.targets:
            channel = settings.alerts.targets[target].channel
            new = deliveries.owe(
                conn, f"alert:{alert_id}:{ESCALATED}:{channel}:{target}", kind=ESCALATED,
                target=target, channel=channel, now=now, alert_id=alert_id,
                payload={**payload, "after_minutes": escalation.after_minutes},
                due_at=_due(settings, target, severity, due),
            )  # fmt: skip
            found += [new] if new is not None else []
    return found


def cancel_escalation(conn: Connection, alert_id: int, reason: str) -> int:
    """Escalations of the alert not handed over yet are owed no more; returns how many."""
    owed = deliveries.owed_for_alert(conn, alert_id, (ESCALATED,))
    return deliveries.mark_cancelled(conn, owed, reason)


def digest_time(settings: Settings, now: datetime) -> datetime:
    """The next `alerts.digest.at` (local time), at or after `now`."""
    zone = ZoneInfo(settings.schedules.timezone)
    hour, minute = (int(x) for x in settings.alerts.digest.at.split(":"))
    local = now.astimezone(zone)
    at = datetime.combine(local.date(), time(hour, minute), zone)
    if at < local:
        at = datetime.combine(local.date() + timedelta(days=1), time(hour, minute), zone)
    return at.astimezone(UTC)


def _owe_digest(
    conn: Connection,
    settings: Settings,
    alert_id: int,
    brand: str,
    channel: str,
    target: str,
    severity: str,
    now: datetime,
) -> list[int]:
    """Add the alert to the target's next digest still to be sent (a new one if needed)."""
    send_at = digest_time(settings, now)
    zone = ZoneInfo(settings.schedules.timezone)
    # The brand's own recipients are a list per brand: their digest is per brand too.
    who = f"{target}:{brand}" if target == RECIPIENTS else target
    for _ in range(7):
        day = send_at.astimezone(zone).date()
        key = f"{DIGEST}:{day.isoformat()}:{channel}:{who}"
        if deliveries.add_to_digest(conn, key, alert_id):
            return []
        new = deliveries.owe(
            conn, key, kind=DIGEST, target=target, channel=channel, now=now,
            payload={"alerts": [alert_id], "day": day.isoformat(),
                     **({"brand": brand} if target == RECIPIENTS else {})},
            due_at=_due(settings, target, severity, send_at),
        )  # fmt: skip
        if new is not None:
            return [new]
        send_at += timedelta(days=1)  # that day's digest is already on its way: the next one
    return []


def owe_operators_message(
    engine: Engine, subject: str, body: str, now: datetime, key: str | None = None
) -> int:
    """Queue an e-mail to `alerts.operators` (a failed run); returns its delivery id.

    Operators' e-mails go through the queue like alerts: one that cannot be sent now is sent
    by the next check, and never twice. `key` (a run id…) makes owing it twice a no-op.
    """
    key = f"operators:{key or uuid.uuid4().hex}"
    with engine.begin() as conn:
        found = deliveries.owe(
            conn, key, kind=OPERATORS, target=OPERATORS, now=now,
            payload={"subject": subject, "body": body},
        )  # fmt: skip
    if found is None:
        existing = deliveries.id_of(engine, key)
        assert existing is not None
        return existing
    return found
