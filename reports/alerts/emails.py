"""The e-mail each delivery carries: an alert's (opened, back to normal) or the operators' note."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.compose import compose
from reports.alerts.content import chart_png, gather
from reports.alerts.mailer import SendError
from reports.alerts.routing import OPERATORS
from reports.alerts.series import load_series
from reports.i18n import Translator
from storage import alerts as alert_repo
from storage.deliveries import DeliveryRecord


def recipients_for(engine: Engine, settings: Settings, record: DeliveryRecord) -> list[str]:
    """The addresses of the delivery's target, read from the config when it is sent."""
    if record.target == OPERATORS:
        found = list(settings.alerts.operators)
        if not found:
            raise SendError("no operators; add their addresses under alerts.operators")
        return found
    brand = str((record.payload or {}).get("brand") or "")
    if not brand and record.alert_id is not None:
        alert = alert_repo.get_alert(engine, record.alert_id)
        brand = alert.brand if alert is not None else ""
    found = list(settings.alerts.recipients.get(brand, []))
    if not found:
        raise SendError(
            f"no recipients for {brand}; add them under alerts.recipients.{brand} in the config"
        )
    return found


def build(
    engine: Engine,
    settings: Settings,
    record: DeliveryRecord,
    recipients: list[str],
    message_id: str,
    now: datetime,
) -> EmailMessage:
    if record.kind == OPERATORS:
        payload = record.payload or {}
        msg = operators_message(
            settings, str(payload.get("subject", "")), str(payload.get("body", "")),
            record.created_at, message_id,
        )  # fmt: skip
        msg["X-Veille-Delivery"] = str(record.id)
        return msg
    alert = alert_repo.get_alert(engine, int(record.alert_id or 0))
    if alert is None:
        raise SendError(f"alert #{record.alert_id} no longer exists")
    closing = record.kind == "closed"
    until = (alert.closed_at if closing else alert.opened_at) or now
    with engine.connect() as conn:
        content = gather(conn, alert.brand, until - timedelta(hours=1), until)
        series = load_series(
            conn, alert.brand, until - timedelta(hours=24), until, settings.alerts.bucket_minutes
        )
    t = alert_translator(settings)
    chart = chart_png(series, until, t) if series.starts else None
    msg = compose(
        alert,
        record.kind,
        content,
        chart,
        settings.smtp.sender,
        recipients,
        message_id=message_id,
        t=t,
        bucket_minutes=settings.alerts.bucket_minutes,
        date=until,
    )
    msg["X-Veille-Delivery"] = str(record.id)
    return msg


def operators_message(
    settings: Settings, subject: str, body: str, at: datetime, message_id: str
) -> EmailMessage:
    """Plain text to `alerts.operators`; dated when it was owed (the failure), not sent."""
    msg = EmailMessage()
    msg["From"] = settings.smtp.sender
    msg["To"] = ", ".join(settings.alerts.operators)
    # Header injection: a subject is one line, whatever the error text held.
    msg["Subject"] = " ".join(subject.split())[:200]
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Veille-Alert"] = OPERATORS
    msg.set_content(body)
    return msg


def alert_translator(settings: Settings) -> Translator:
    """The words, numbers and dates of alert e-mails: alerts.language, else the first report
    language (French by default), dates in schedules.timezone."""
    languages = settings.reports.languages
    lang: str = settings.alerts.language or (languages[0] if languages else "fr")
    return Translator(lang, settings.schedules.timezone)
