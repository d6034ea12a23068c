"""Tell the operators (alerts.operators) that a run failed, through the alerts' delivery queue.

The e-mail is queued like an alert's (`deliveries`), then sent at once; if SMTP is down it
stays owed and the next `alerts check` (or `alerts` stage) sends it, never twice. Plain text;
SMTP password from the environment only and never logged; with no `smtp.host` it is written to
`alerts.outbox_dir` as a .eml file. If the queue itself is unreachable (the database may be
what failed), the e-mail is written to the outbox folder rather than lost.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from pathlib import Path

from config.settings import Settings
from storage.clock import utcnow

log = logging.getLogger("veille.notify")


class NotConfigured(Exception):
    """Operator e-mail is switched off; the message says why."""


class Queued(Exception):
    """The e-mail could not be sent now; it is queued and the next check sends it."""


def notify_operators(
    settings: Settings,
    subject: str,
    body: str,
    now: datetime | None = None,
    key: str | None = None,
) -> str:
    """Queue the message and send it now; returns where it went.

    Raises NotConfigured (no operators), Queued (owed, sent by the next check) or OSError
    (neither the queue nor the outbox folder could take it).
    """
    if not settings.alerts.operators:
        raise NotConfigured("alerts.operators is empty")
    now = now or utcnow()
    from sqlalchemy.exc import SQLAlchemyError

    from reports.alerts.delivery import deliver_pending
    from reports.alerts.routing import owe_operators_message
    from storage.engine import make_engine
    from storage.errors import StorageError
    from storage.schema import check

    engine = make_engine(settings.database.url, busy_timeout=settings.database.busy_timeout_seconds)
    try:
        try:
            check(engine)
            delivery_id = owe_operators_message(engine, subject, body, now, key)
        except (SQLAlchemyError, StorageError) as exc:
            return _to_outbox(settings, subject, body, now, exc)
        result = deliver_pending(engine, settings, now, ids=[delivery_id])
    finally:
        engine.dispose()
    if result.sent:
        log.info("operator e-mail: %s", result.outputs[0])
        return result.outputs[0]
    reason = "; ".join(result.errors) or "another check is sending it"
    raise Queued(f"queued as delivery {delivery_id} ({reason})")


def _to_outbox(settings: Settings, subject: str, body: str, now: datetime, why: Exception) -> str:
    """The queue is unreachable: the e-mail goes to the outbox folder, never lost."""
    from email.utils import make_msgid

    from reports.alerts.letter import operators_message
    from reports.alerts.mailer import NoMark, OutboxMailer

    log.error(
        "the delivery queue is unreachable (%s); the operators' e-mail is written to %s",
        type(why).__name__, settings.alerts.outbox_dir,
    )  # fmt: skip
    msg = operators_message(settings, subject, body, now, make_msgid(domain="veille.local"))
    return OutboxMailer(Path(settings.alerts.outbox_dir)).send(
        msg, list(settings.alerts.operators), NoMark()
    )


def notify_quietly(
    settings: Settings, subject: str, body: str, key: str | None = None
) -> str | None:
    """notify_operators, logging instead of raising: a failed e-mail must not hide the run."""
    try:
        return notify_operators(settings, subject, body, key=key)
    except NotConfigured as exc:
        log.warning("Disabled operator e-mail: %s", exc)
    except Queued as exc:
        log.error("could not e-mail the operators now, the next alerts check will: %s", exc)
    except (OSError, smtplib.SMTPException) as exc:
        # The exception text never holds the password (smtplib does not echo it).
        log.error("could not e-mail the operators (%s: %s)", type(exc).__name__, exc)
    return None
