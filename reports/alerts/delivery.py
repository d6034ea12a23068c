"""Delivering what is owed: each message claimed, marked before its data leaves, then settled.

At least once before the hand-over, at most once after it: a message that fails before its
data is handed over stays owed and the next check sends it again; one whose data was handed
over and whose answer never came (a timeout, a lost connection, a check killed) becomes
`unconfirmed` and waits for a person (`veille alerts resend ID`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.channels import CHANNELS, Channel, Target
from reports.alerts.letter import Letter
from reports.alerts.mailer import SendError, Unconfirmed
from reports.alerts.routing import OPERATORS, RECIPIENTS
from storage import deliveries as repo
from storage.deliveries import DeliveryRecord, person_of

log = logging.getLogger(__name__)

# A claim older than this is from a check that died mid-send: a message past its "data sent"
# mark becomes unconfirmed, one before it is owed again.
STALE_CLAIM = timedelta(minutes=30)


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    unconfirmed: int = 0
    outputs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent, "failed": self.failed, "unconfirmed": self.unconfirmed,
            "outputs": self.outputs, "errors": self.errors,
        }  # fmt: skip


class _Mark:
    """The "data sent" mark of one delivery, committed before the data leaves."""

    def __init__(self, engine: Engine, delivery_id: int, now: datetime) -> None:
        self.engine, self.id, self.now = engine, delivery_id, now
        self.marked = False

    def mark(self) -> None:
        repo.mark_handed(self.engine, self.id, self.now)
        self.marked = True

    def undo(self) -> None:
        repo.clear_handed(self.engine, self.id)
        self.marked = False


def deliver_pending(
    engine: Engine, settings: Settings, now: datetime, ids: list[int] | None = None
) -> Delivery:
    """Send every message owed and due (only `ids` when given), each at most once. Each is
    settled on its own: a channel that fails or hangs never stops the others."""
    result = Delivery()
    if ids is None:  # the periodic check: the morning's reminders and the saved views'
        from reports.alerts.reminders import owe_reminders  # new mentions first
        from reports.alerts.watch_mail import owe_new_matches

        owe_reminders(engine, settings, now)
        owe_new_matches(engine, settings, now)
    handed, _ = repo.release_stale(engine, now, STALE_CLAIM)
    for delivery_id in handed:
        result.unconfirmed += 1
        result.errors.append(f"delivery {delivery_id}: unconfirmed (its sender stopped mid-send)")
    for delivery_id, status in repo.due(engine, now, ids):
        if not repo.claim(engine, delivery_id, status, now):
            continue  # another check took it
        record = repo.get(engine, delivery_id)
        if record is not None:
            _deliver_one(engine, settings, record, now, result)
    return result


def message_id_for(settings: Settings, record: DeliveryRecord) -> str:
    """`<veille.12.…@lumino.example>`: the domain of `smtp.sender`, unique per delivery."""
    sender = settings.smtp.sender
    domain = sender.rsplit("@", 1)[1].strip(" >") if "@" in sender else "veille.local"
    return make_msgid(idstring=f"veille.{record.id}", domain=domain or "veille.local")


def _language(engine: Engine, record: DeliveryRecord, channel: Channel) -> str | None:
    """The message's language: its target's (alerts.targets.NAME.language), a person's the
    one they read the workspace in (users.language); None: alerts.language's."""
    from storage.users import get_user

    if channel.target.options is not None:
        return channel.target.options.language
    person = person_of(record.target)
    user = get_user(engine, person) if person is not None else None
    return user.language if user is not None else None


def channel_for(settings: Settings, record: DeliveryRecord) -> Channel:
    """The channel of the delivery, for its target as the config says now."""
    options = None
    if record.target not in (RECIPIENTS, OPERATORS) and person_of(record.target) is None:
        options = settings.alerts.targets.get(record.target)
        if options is None:
            raise SendError(
                f"alerts.targets has no {record.target!r} any more; add it back, or the "
                "message stays owed"
            )
    try:
        kind = CHANNELS.get_plugin(record.channel)
    except KeyError as exc:
        raise SendError(str(exc).strip("'\"")) from None
    return kind(settings, Target(record.target, options))


def _deliver_one(
    engine: Engine, settings: Settings, record: DeliveryRecord, now: datetime, out: Delivery
) -> None:
    label = _label(record)
    message_id = record.message_id or message_id_for(settings, record)
    if record.message_id is None:
        repo.set_message_id(engine, record.id, message_id)
    mark = _Mark(engine, record.id, now)
    try:
        channel = channel_for(settings, record)
        letter = Letter(
            engine, settings, record, message_id, now, _language(engine, record, channel)
        )
        where = channel.send(letter, mark)
    except Unconfirmed as exc:
        _unconfirmed(engine, record, label, str(exc), out)
        return
    except (SendError, OSError) as exc:
        _failed(engine, record, label, str(exc), out)
        return
    except Exception as exc:  # a bug while building or sending: the mark decides
        log.exception("%s: unexpected error", label)
        reason = f"unexpected error: {type(exc).__name__}: {exc}"
        if mark.marked:
            _unconfirmed(engine, record, label, reason, out)
        else:
            _failed(engine, record, label, reason, out)
        return
    repo.mark_sent(engine, record.id, now, where)
    out.sent += 1
    out.outputs.append(where)


def _label(record: DeliveryRecord) -> str:
    if record.alert_id is not None:
        return f"alert #{record.alert_id} ({record.kind}, {record.channel} {record.target})"
    return f"{record.kind} message ({record.channel} {record.target})"


def _failed(engine: Engine, record: DeliveryRecord, label: str, reason: str, out: Delivery) -> None:
    repo.mark_failed(engine, record.id, reason)
    out.failed += 1
    out.errors.append(f"{label}: {reason}")
    log.warning("%s stays owed (delivery %s): %s", label, record.id, reason)


def _unconfirmed(
    engine: Engine, record: DeliveryRecord, label: str, reason: str, out: Delivery
) -> None:
    repo.mark_unconfirmed(engine, record.id, reason)
    out.unconfirmed += 1
    out.errors.append(f"{label}: unconfirmed, delivery {record.id}: {reason}")
    log.error(
        "%s is unconfirmed (delivery %s): %s; `veille alerts resend %s` sends it again",
        label, record.id, reason, record.id,
    )  # fmt: skip


def requeue(engine: Engine, delivery_id: int, now: datetime, force: bool = False) -> None:
    """Owe a message again at a person's request (same Message-ID). An unconfirmed or failed
    one is requeued; a sent one only with `force`; one being sent never."""
    record = repo.get(engine, delivery_id)
    if record is None:
        raise KeyError(f"no delivery {delivery_id}; `veille alerts list` shows their ids")
    if record.status == "sending":
        raise ValueError(f"delivery {delivery_id} is being sent by a check right now")
    if record.status in ("pending",):
        return
    if record.status in ("sent", "cancelled") and not force:
        raise ValueError(
            f"delivery {delivery_id} is {record.status}; add --force to send it again anyway"
        )
    repo.requeue(engine, delivery_id, now, f"sent again at a person's request ({record.status})")


def confirm(engine: Engine, delivery_id: int, now: datetime) -> None:
    """A person checked that an unconfirmed message arrived: it counts as sent."""
    record = repo.get(engine, delivery_id)
    if record is None:
        raise KeyError(f"no delivery {delivery_id}; `veille alerts list` shows their ids")
    if record.status != "unconfirmed":
        raise ValueError(
            f"delivery {delivery_id} is {record.status}, not unconfirmed; nothing to confirm"
        )
    repo.confirm(engine, delivery_id, now, "confirmed as delivered by a person")
