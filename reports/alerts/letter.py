"""One delivery's message, built on demand for its channel: the alert's first screen (chat
cards, webhook JSON) or its full e-mail (text, HTML, chart) — or the operators' note."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from config.settings import CampaignSettings, Settings
from reports import bidi
from reports.alerts.assignment import ASSIGNED, assigned_view
from reports.alerts.compose import compose, compose_view
from reports.alerts.content import AlertContent, chart_png, gather
from reports.alerts.handoff import HANDOFF, handoff_view
from reports.alerts.mailer import SendError
from reports.alerts.reminders import QUEUE, reminder_view
from reports.alerts.report_mail import REPORT, language_order, report_link, report_view
from reports.alerts.routing import DIGEST, ESCALATED, OPERATORS
from reports.alerts.series import load_series
from reports.alerts.view import (
    AlertView,
    alert_view,
    digest_view,
    escalation_subject,
    operators_view,
)
from reports.alerts.watch_mail import WATCH, watch_view
from reports.i18n import Translator
from reports.sources import SourceNames
from storage import alerts as alert_repo
from storage import events, mutes
from storage.alerts import AlertRecord
from storage.deliveries import DeliveryRecord, person_of
from storage.reporting import own_account_ids, sources_kinds
from storage.runs import report_files

# An alert's messages name the team's events from this long before it opened.
EVENTS_BEFORE = timedelta(hours=6)


class Letter:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        record: DeliveryRecord,
        message_id: str,
        now: datetime,
        language: str | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.record = record
        self.message_id = message_id
        self.now = now
        self.language = language

    @property
    def is_operators(self) -> bool:
        return self.record.kind == OPERATORS

    @property
    def is_report(self) -> bool:
        return self.record.kind == REPORT

    @property
    def other(self) -> OtherKind | None:
        """How a message about something else than one alert is built (OTHER_KINDS)."""
        return OTHER_KINDS.get(self.record.kind)

    @property
    def payload(self) -> dict[str, Any]:
        return self.record.payload or {}

    @property
    def escalated_after(self) -> int | None:
        """Minutes the alert went unacknowledged, for an escalation (None otherwise)."""
        if self.record.kind != ESCALATED:
            return None
        return int(self.payload.get("after_minutes", 0))

    @property
    def brand(self) -> str | None:
        brand = self.payload.get("brand")
        if self.is_operators or self.other is not None:
            return str(brand) if brand else None
        return str(brand) if brand else self.alert.brand

    @cached_property
    def owned_ids(self) -> list[int]:
        """Every brand's own accounts' author ids: their posts count nowhere in an alert."""
        with self.engine.connect() as conn:
            return own_account_ids(conn, self.settings.own_accounts)

    @cached_property
    def alert(self) -> AlertRecord:
        alert = alert_repo.get_alert(self.engine, int(self.record.alert_id or 0))
        if alert is None:
            raise SendError(f"alert #{self.record.alert_id} no longer exists")
        return alert

    @cached_property
    def digested(self) -> list[AlertRecord]:
        """The alerts of a digest, oldest first (those deleted since are left out)."""
        ids = [int(i) for i in self.payload.get("alerts", [])]
        found = [alert_repo.get_alert(self.engine, i) for i in ids]
        return sorted((a for a in found if a is not None), key=lambda a: (a.opened_at, a.id))

    @property
    def at(self) -> datetime:
        """The moment the message is about: the alert's opening or closing, the moment it
        escalated or the digest was due, the failure, the hand-over, the report written."""
        other = self.other
        if self.is_operators or (other is not None and not other.due):
            return self.record.created_at
        if other is not None or self.escalated_after is not None:
            return self.record.due_at or self.now
        closing = self.record.kind == "closed"
        return (self.alert.closed_at if closing else self.alert.opened_at) or self.now

    @cached_property
    def translator(self) -> Translator:
        if self.is_report:  # the report's own language
            lang = str(self.payload.get("lang") or "") or self.language
            return alert_translator(self.settings, lang, self.brand)
        return alert_translator(self.settings, self.language, self.brand)

    @cached_property
    def muted_lead(self) -> str | None:
        """For an alert told late because a mute held it when it opened: which, by whom, and
        that it is still going on (None otherwise)."""
        if self.record.kind != "opened":
            return None
        alert = self.alert
        with self.engine.connect() as conn:
            held = mutes.holding(conn, alert.brand, alert.kind, alert.opened_at)
        if held is None or self.record.created_at < held.ends():
            return None  # no mute, or owed while it held (a critical alert passes)
        t = self.translator
        return t(
            "alert.muted_lead", reason=bidi.isolate(held.reason),
            by=bidi.isolate(held.created_by), until=t.moment(held.ends(), short=True),
        )  # fmt: skip

    @cached_property
    def event_lines(self) -> list[str]:
        """The team's events of the brand from `EVENTS_BEFORE` before the alert opened until
        the message's moment: a spike after a TV spot is read with it."""
        alert = self.alert
        with self.engine.connect() as conn:
            until = max(self.at, alert.opened_at) + timedelta(seconds=1)
            found = events.between(conn, alert.brand, alert.opened_at - EVENTS_BEFORE, until)
        t = self.translator
        return [
            t("alert.event", label=bidi.isolate(e.label), when=t.span(e.at, e.ends_at))
            for e in found
        ]

    @cached_property
    def source_names(self) -> Callable[[str], str]:
        """Sources by display name ("X (Twitter)"), never by config id."""
        with self.engine.connect() as conn:
            names = SourceNames({str(n): str(k) for n, k in sources_kinds(conn)}, self.settings)
        lang = self.translator.lang
        return lambda source: names.shown(source, lang)  # type: ignore[arg-type]

    @cached_property
    def content(self) -> AlertContent:
        """The posts of the alert's window: negative ones, all for a campaign or a term, the
        theme's for a theme (all if it is no longer configured)."""
        alert = self.alert
        snap = (alert.details or {}).get("opening") or {}
        minutes = int(snap.get("window_minutes", 60))
        negative_only = alert.kind not in ("campaign", "rising_term", "rising_theme")
        named = (snap.get("why") or {}).get("theme") if alert.kind == "rising_theme" else None
        theme = next((t for t in self.settings.themes if t.name == named), None)
        brands = self.settings.brands
        skip = [w for b in brands for w in (b.name, *b.name.split())]
        own = next((b.own_accounts for b in brands if b.name == alert.brand), [])
        campaign = self.settings.alerts.kind(alert.brand, "campaign")
        assert isinstance(campaign, CampaignSettings)
        with self.engine.connect() as conn:
            return gather(
                conn, alert.brand, self.at - timedelta(minutes=minutes), self.at,
                negative_only=negative_only, source_name=self.source_names, skip_words=skip,
                own_accounts=own, skip_authors=self.owned_ids,
                campaign=campaign, theme=theme,
            )  # fmt: skip

    @cached_property
    def report_url(self) -> str | None:
        return latest_report_url(self.engine, self.settings, self.alert.brand, self.translator)

    @property
    def alert_url(self) -> str | None:
        """The alert's page in the web workspace (web.url), where a person takes it on."""
        return self.settings.web.page(f"/alerts/{self.alert.id}")

    @cached_property
    def view(self) -> AlertView:
        if self.is_operators:
            payload = self.payload
            return operators_view(str(payload.get("subject", "")), str(payload.get("body", "")))
        other = self.other
        if other is not None:
            view = other.view(self)
        else:
            view = alert_view(
                self.alert, self.record.kind, self.content, self.translator,
                escalated_after=self.escalated_after,
                owner=self.settings.alerts.owners.get(self.alert.brand),
                report_url=self.report_url, source_name=self.source_names,
                lead=self.muted_lead, events=self.event_lines, alert_url=self.alert_url,
            )  # fmt: skip
        view.data = {
            "event": view.event, "delivery": self.record.id, "message_id": self.message_id,
            other.data_key if other is not None else "alert": view.data,
        }  # fmt: skip
        return view

    def email(self, recipients: list[str]) -> EmailMessage:
        """The full e-mail: text and HTML parts, the chart inline."""
        other = self.other
        if self.is_operators:
            payload = self.payload
            msg = operators_message(
                self.settings, str(payload.get("subject", "")), str(payload.get("body", "")),
                self.record.created_at, self.message_id,
            )  # fmt: skip
        elif other is not None:
            msg = compose_view(self.view, sender_of(self.settings), recipients, self.message_id,
                               self.at, tag=other.tag(self))  # fmt: skip
            if other.attaches:
                files = self.payload.get("files") or {}
                for fmt in self.settings.reports.attach:
                    attach_file(msg, files.get(fmt))
        else:
            msg = self._alert_email(recipients)
        msg["X-Veille-Delivery"] = str(self.record.id)
        return msg

    def _alert_email(self, recipients: list[str]) -> EmailMessage:
        """One alert's e-mail (opened, updated, closed, escalated), its last day's chart inline."""
        alert = self.alert
        lead, subject = self.muted_lead, None
        if self.escalated_after is not None:
            lead = self.translator("alert.escalation_lead", minutes=self.escalated_after)
            subject = escalation_subject(alert, self.escalated_after, self.translator)
        with self.engine.connect() as conn:
            series = load_series(
                conn, alert.brand, self.at - timedelta(hours=24), self.at,
                self.settings.alerts.bucket_minutes,
                self.owned_ids,
            )  # fmt: skip
        t = self.translator
        chart = chart_png(series, self.at, t) if series.starts else None
        return compose(
            alert, self.record.kind, self.content, chart, sender_of(self.settings),
            recipients, message_id=self.message_id, t=t,
            bucket_minutes=self.settings.alerts.bucket_minutes, date=self.at, lead=lead,
            subject=subject, owner=self.settings.alerts.owners.get(alert.brand),
            report_url=self.report_url, source_name=self.source_names,
            events=self.event_lines, alert_url=self.alert_url,
        )  # fmt: skip


@dataclass(frozen=True)
class OtherKind:
    """A message about something else than one alert: how its view is built, its e-mail's
    tag, the key of its data in webhook JSON, whether it is about the moment it was due (a
    digest) rather than the one it was owed, and whether its e-mail attaches the PDF."""

    data_key: str
    view: Callable[[Letter], AlertView]
    tag: Callable[[Letter], str]
    due: bool = False
    attaches: bool = False


def _digest(letter: Letter) -> AlertView:
    day = date.fromisoformat(str(letter.payload.get("day")))
    return digest_view(letter.digested, day, letter.translator, letter.source_names,
                       letter.settings.web.page("/alerts"))  # fmt: skip


def _handoff(letter: Letter) -> AlertView:
    return handoff_view(
        letter.engine, letter.settings, int(letter.record.mention_id or 0), letter.payload,
        letter.record.target, letter.translator, letter.source_names,
    )  # fmt: skip


def _queue(letter: Letter) -> AlertView:
    person = person_of(letter.record.target) or "?"
    return reminder_view(letter.engine, letter.settings, person, letter.payload,
                         letter.translator, letter.source_names)  # fmt: skip


def _watch(letter: Letter) -> AlertView:
    person = person_of(letter.record.target) or "?"
    return watch_view(letter.engine, letter.settings, person, letter.payload,
                      letter.translator, letter.source_names)  # fmt: skip


def _assigned(letter: Letter) -> AlertView:
    person = person_of(letter.record.target) or "?"
    return assigned_view(letter.engine, letter.settings, person, letter.payload,
                         letter.translator, letter.source_names)  # fmt: skip


OTHER_KINDS: dict[str, OtherKind] = {
    DIGEST: OtherKind("digest", _digest, lambda m: f"digest-{m.payload.get('day')}", due=True),
    HANDOFF: OtherKind(HANDOFF, _handoff, lambda m: f"{HANDOFF}-{m.record.mention_id}"),
    ASSIGNED: OtherKind(ASSIGNED, _assigned, lambda m: f"{ASSIGNED}-{m.record.mention_id}"),
    QUEUE: OtherKind(QUEUE, _queue, lambda m: f"{QUEUE}-{m.payload.get('day')}"),
    WATCH: OtherKind(WATCH, _watch, lambda m: f"{WATCH}-{m.record.mention_id}"),
    REPORT: OtherKind(
        REPORT, lambda m: report_view(m.settings, m.payload, m.translator),
        lambda m: f"{REPORT}-{m.payload.get('period')}", attaches=True,
    ),
}  # fmt: skip


def attach_file(msg: EmailMessage, path: str | None) -> None:
    """A report's file (its PDF, its slides) as an attachment; a file gone since it was
    written is a send error (the message stays owed, the error names the file)."""
    from reports.output import MEDIA_TYPES

    if not path:
        return
    written = Path(path)
    try:
        data = written.read_bytes()
    except OSError as exc:
        raise SendError(
            f"the report {written} cannot be read ({exc.strerror}); write it again with "
            "`veille report`, or the message stays owed"
        ) from None
    lang = msg["Content-Language"]
    media = MEDIA_TYPES.get(written.suffix.lstrip("."), "application/octet-stream")
    maintype, subtype = media.split("/", 1)
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=written.name)
    if lang:  # made mixed: the Content-* headers went to the inner part
        del msg["Content-Language"]
        msg["Content-Language"] = lang


def operators_message(
    settings: Settings, subject: str, body: str, at: datetime, message_id: str
) -> EmailMessage:
    """Plain text to `alerts.operators`; dated when it was owed (the failure), not sent."""
    msg = EmailMessage()
    msg["From"] = sender_of(settings)
    msg["To"] = ", ".join(settings.alerts.operators)
    # Header injection: a subject is one line, whatever the error text held.
    msg["Subject"] = " ".join(subject.split())[:200]
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Veille-Alert"] = OPERATORS
    msg.set_content(body)
    return msg


def alert_translator(
    settings: Settings, language: str | None = None, brand: str | None = None
) -> Translator:
    """The words, numbers and dates of alert messages: the target's language, else
    alerts.language, else the first report language (French by default), dates in the
    brand's time zone (brands[].timezone), else schedules.timezone."""
    lang = language_order(settings, language)[0]
    zone = next((b.timezone for b in settings.brands if b.name == brand and b.timezone), None)
    return Translator(lang, zone or settings.schedules.timezone)


def sender_of(settings: Settings) -> str:
    """`Veille <veille@lumino.example>`: smtp.sender_name and smtp.sender."""
    return formataddr((settings.smtp.sender_name, settings.smtp.sender))


def latest_report_url(engine: Engine, settings: Settings, brand: str, t: Translator) -> str | None:
    """The brand's latest HTML report under alerts.report_url (its language first), else the
    reports' index there; None when no report_url is configured."""
    base = settings.alerts.report_url
    if not base:
        return None
    files = [f for f in report_files(engine) if f.brand == brand and f.format == "html"]
    files.sort(key=lambda f: f.lang != t.lang)  # newest first already
    found = (report_link(settings, f.path) for f in files)
    return next((url for url in found if url is not None), f"{base}/index.html")
