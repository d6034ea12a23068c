"""Delivering the e-mails alerts owe: claimed, sent, marked — never lost, never sent twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.compose import compose
from reports.alerts.content import chart_png, gather
from reports.alerts.mailer import Mailer, SendError, make_mailer
from reports.alerts.series import load_series
from reports.i18n import Translator
from storage import alerts as repo
from storage.alerts import AlertRecord

log = logging.getLogger(__name__)

# A claim older than this is from a check that died mid-send; the e-mail is tried again.
STALE_CLAIM = timedelta(minutes=30)


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    outputs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def deliver_pending(
    engine: Engine, settings: Settings, now: datetime, mailer: Mailer | None = None
) -> Delivery:
    """Send every pending (or failed) alert e-mail once; failures stay pending for next time."""
    mailer = mailer or make_mailer(settings)
    result = Delivery()
    due = repo.due_emails(engine, now, STALE_CLAIM)
    for email_id, status in due:
        if not repo.claim_email(engine, email_id, status, now):
            continue  # another check took it
        _deliver_one(engine, settings, mailer, email_id, now, result)
    return result


def _deliver_one(
    engine: Engine, settings: Settings, mailer: Mailer, email_id: int, now: datetime, out: Delivery
) -> None:
    email, alert = repo.email_and_alert(engine, email_id)
    recipients = list(settings.alerts.recipients.get(alert.brand, []))
    message_id = email.message_id or f"<veille-alert-{alert.id}-{email.kind}@veille.local>"
    try:
        msg = _build(engine, settings, alert, email.kind, recipients, message_id, now)
        where = mailer.send(msg, recipients)
    except (SendError, OSError) as exc:
        reason = str(exc)
        if reason == "no recipients":
            reason = (
                f"no recipients for {alert.brand}; add them under alerts.recipients."
                f"{alert.brand} in the config"
            )
        repo.mark_email_failed(engine, email, message_id, reason)
        out.failed += 1
        out.errors.append(f"alert #{alert.id} ({email.kind}): {reason}")
        log.warning("alert #%s e-mail stays pending: %s", alert.id, reason)
        return
    repo.mark_email_sent(engine, email, message_id, where, now)
    out.sent += 1
    out.outputs.append(where)


def _build(
    engine: Engine,
    settings: Settings,
    alert: AlertRecord,
    kind: str,
    recipients: list[str],
    message_id: str,
    now: datetime,
) -> EmailMessage:
    closing = kind == "closed"
    until = (alert.closed_at if closing else alert.opened_at) or now
    with engine.connect() as conn:
        content = gather(conn, alert.brand, until - timedelta(hours=1), until)
        series = load_series(
            conn, alert.brand, until - timedelta(hours=24), until, settings.alerts.bucket_minutes
        )
    t = alert_translator(settings)
    chart = chart_png(series, until, t) if series.starts else None
    return compose(
        alert,
        kind,
        content,
        chart,
        settings.smtp.sender,
        recipients,
        message_id=message_id,
        t=t,
        bucket_minutes=settings.alerts.bucket_minutes,
    )


def alert_translator(settings: Settings) -> Translator:
    """The words, numbers and dates of alert e-mails: alerts.language, else the first report
    language (French by default), dates in schedules.timezone."""
    languages = settings.reports.languages
    lang: str = settings.alerts.language or (languages[0] if languages else "fr")
    return Translator(lang, settings.schedules.timezone)
