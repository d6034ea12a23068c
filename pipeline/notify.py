"""Tell the operators (alerts.operators) that a run failed, through the alert mailer.

Plain text; sent like the alerts (SMTP with retries, password from the environment only and
never logged), or written to `alerts.outbox_dir` as a .eml file when `smtp.host` is empty.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from config.settings import Settings
from storage.clock import utcnow

log = logging.getLogger("veille.notify")


class NotConfigured(Exception):
    """Operator e-mail is switched off; the message says why."""


def build_message(settings: Settings, subject: str, body: str, now: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.smtp.sender
    msg["To"] = ", ".join(settings.alerts.operators)
    # Header injection: a subject is one line, whatever the error text held.
    msg["Subject"] = " ".join(subject.split())[:200]
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain="veille.local")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    return msg


def notify_operators(
    settings: Settings, subject: str, body: str, now: datetime | None = None
) -> str:
    """Send (or write) the message; returns where it went. Raises NotConfigured or OSError."""
    if not settings.alerts.operators:
        raise NotConfigured("alerts.operators is empty")
    now = now or utcnow()
    msg = build_message(settings, subject, body, now)
    from reports.alerts.mailer import SendError, make_mailer

    msg["X-Veille-Alert"] = "operators"
    try:
        where = make_mailer(settings).send(msg, list(settings.alerts.operators))
    except SendError as exc:
        raise OSError(str(exc)) from None
    log.info("operator e-mail: %s", where)
    return where


def notify_quietly(settings: Settings, subject: str, body: str) -> str | None:
    """notify_operators, logging instead of raising: a failed e-mail must not hide the run."""
    try:
        return notify_operators(settings, subject, body)
    except NotConfigured as exc:
        log.warning("Disabled operator e-mail: %s", exc)
    except (OSError, smtplib.SMTPException) as exc:
        # The exception text never holds the password (smtplib does not echo it).
        log.error("could not e-mail the operators (%s: %s)", type(exc).__name__, exc)
    return None
