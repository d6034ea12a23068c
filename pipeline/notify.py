"""Tell the operators (alerts.operators) that a run failed: SMTP, or a .eml file in the outbox.

Deliberately small and independent of the alert mailer (reports/): plain text, the settings of
`smtp`, the password from the environment only (never logged). With no `smtp.host` the message
is written to `alerts.outbox_dir` as a .eml file, the embedded default.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from config.settings import Settings
from storage.models import utcnow

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
    smtp = settings.smtp
    if not smtp.host:
        outbox = Path(settings.alerts.outbox_dir)
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{now:%Y%m%dT%H%M%SZ}-operators-{msg['Message-ID'].strip('<>')[:24]}.eml"
        tmp = path.with_suffix(".eml.part")
        tmp.write_bytes(bytes(msg))
        tmp.replace(path)  # a reader of the outbox never sees half a file
        log.info("operator e-mail written to %s", path)
        return str(path)
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.security == "ssl":
        client = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.user and smtp.password is not None:
            client.login(smtp.user, smtp.password.get_secret_value())
        client.send_message(msg)
    log.info("operator e-mail sent to %s via %s:%s", msg["To"], smtp.host, smtp.port)
    return f"smtp://{smtp.host}:{smtp.port} to {msg['To']}"


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
