"""Alert e-mails: multipart text + HTML (autoescaped), with the chart inline, French first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from reports import bidi
from reports.alerts import wording
from reports.alerts.content import AlertContent, Post, safe_url
from reports.i18n import Translator
from reports.ratios import observed_vs_expected
from storage.alerts import AlertRecord
from storage.clock import utcnow

if TYPE_CHECKING:
    from reports.alerts.view import AlertView

COLOURS = {"low": "#7f8c8d", "medium": "#e67e22", "high": "#d35400", "critical": "#c0392b"}


@lru_cache(maxsize=1)
def _env(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports.alerts", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return bidi.install(env)  # collected text: `| bdi` in the HTML part, `| isolate` in text


def subject_of(
    alert: AlertRecord,
    closing: bool,
    t: Translator | None = None,
    content: AlertContent | None = None,
    source_name: Callable[[str], str] | None = None,
) -> str:
    """What happened, in one sentence, in the alert language: `[Veille] Lumino : 148 messages
    négatifs en 1 h, ×9 la normale — colis perdu`; the end of an episode says so."""
    t = t or Translator()
    if closing:
        if alert.kind != "bad_buzz":
            kind = t.label("alert_kind", alert.kind)
            return t("alert.subject_closed_kind", kind=kind, brand=alert.brand)
        numbers = numbers_of(alert, closing, t)
        return t("alert.subject_closed", brand=alert.brand, negatives=numbers["negatives"])
    return wording.subject(alert, t, content, source_name)


def numbers_of(alert: AlertRecord, closing: bool, t: Translator) -> dict[str, Any]:
    details = alert.details or {}
    snap = details.get("closing" if closing else "opening") or {}
    negatives = int(snap.get("negative_last_hour", alert.negative_count or 0))
    excess = observed_vs_expected(
        negatives, float(snap.get("expected_last_hour", alert.expected_count or 0.0))
    )
    return {
        "negatives": t.num(negatives),
        "count": negatives,
        "expected": t.expected(excess),
        "ratio": t.about(excess.ratio),
        "ratio_value": round(excess.ratio, 2),
        "total": t.num(int(snap.get("total_last_hour", 0))),
        "score": t.num(float(snap.get("score", alert.score or 0.0)), 2),
        "influencers": [
            {**inf, "url": safe_url(inf.get("url")), "influence": _influence(inf, t)}
            for inf in snap.get("influencers", [])
        ],
    }


def _influence(item: dict[str, Any], t: Translator) -> str:
    value = item.get("influence")
    return t.num(float(value), 1) if value is not None else "–"


def _post(post: Post, t: Translator) -> dict[str, Any]:
    return {
        **asdict(post),
        "followers": wording.followers({"followers": post.followers}, t),
        "interactions": t.count(post.engagement, "unit.interaction"),
        "engagement": t.num(post.engagement),
        "influence": t.num(post.influence, 1) if post.influence is not None else "–",
        "published_at": t.moment(post.published_at, short=True),
    }


def _counts(pairs: list[tuple[str, int]], t: Translator, group: str = "") -> list[tuple[str, str]]:
    return [(t.label(group, name) if group else name, t.num(n)) for name, n in pairs]


def _bold(value: Any) -> Markup:
    return Markup("<b>{}</b>").format(value)


def _html_messages(t: Translator) -> Callable[..., Markup]:
    """Messages for the HTML part: the message text is ours, every field is escaped."""

    def tm(key: str, **values: Any) -> Markup:
        return Markup(t(key)).format(**values)

    return tm


def compose(
    alert: AlertRecord,
    kind: str,
    content: AlertContent,
    chart: bytes | None,
    sender: str,
    recipients: list[str],
    message_id: str | None = None,
    t: Translator | None = None,
    bucket_minutes: int = 5,
    date: datetime | None = None,
    lead: str | None = None,
    subject: str | None = None,
    owner: str | None = None,
    report_url: str | None = None,
    source_name: Callable[[str], str] | None = None,
    events: list[str] | None = None,
    alert_url: str | None = None,
) -> EmailMessage:
    """The e-mail for an alert; `kind` is `opened` or `closed` (the back-to-normal note);
    `events`: the lines of the team's events around it; `alert_url`: its page in the web
    workspace (to acknowledge or resolve it).

    Its subject and first line say what happened in one sentence; then the kind and the start
    of the episode, why the kind's rule fired, near-duplicates and a suspected campaign, the
    owner and a next step, the latest report, the drivers and the top posts.
    Every word comes from reports/messages.py in the language of `t` (French by default),
    numbers and dates are formatted by Babel for that locale, in `t.tz` (the brand's zone).
    """
    t = t or Translator()
    closing = kind == "closed"
    alert_kind = alert.kind or "bad_buzz"
    peak = (alert.details or {}).get("peak") or {}
    cid = make_msgid(domain="veille.local")
    context: dict[str, Any] = {
        **numbers_of(alert, closing, t),
        "t": t, "lang": t.lang, "brand": alert.brand, "closing": closing,
        "severity": t.label("severity", alert.severity),
        "colour": COLOURS.get(alert.severity, "#c0392b"), "alert_id": alert.id,
        "opened_at": t.moment(alert.opened_at, short=True),
        "closed_at": t.moment(alert.closed_at, short=True),
        "peak_negatives": t.num(int(peak.get("negative_last_hour", alert.negative_count or 0))),
        "peak_ratio": t.about(float(peak.get("ratio", 0.0))),
        "engaging": [_post(p, t) for p in content.engaging],
        "influential": [_post(p, t) for p in content.influential],
        "terms": _counts(content.terms, t), "topics": _counts(content.topics, t, "topic"),
        "sources": _counts(content.sources, t), "bucket_minutes": bucket_minutes,
        "colon": t("punct.colon"),
        "chart_cid": cid[1:-1] if chart else None, "lead": lead,
        "alert_kind": alert_kind, "is_bad_buzz": alert_kind == "bad_buzz",
        "kind_name": t.label("alert_kind", alert_kind),
        "cause": wording.cause(alert, t, content, isolate=True, source_name=source_name),
        "kind_line": t("alert.kind_line", kind=t.label("alert_kind", alert_kind),
                       severity=t.label("severity", alert.severity),
                       start=t.moment(alert.opened_at, short=True), zone=t.tz),
        "why": wording.why_lines(alert, t) + list(events or []),
        "covered": wording.covered_line(alert, t),
        "duplicates": wording.duplicate_lines(content, t) + wording.answered_lines(content, t),
        "owner": wording.owner_line(owner, t), "next_step": wording.next_step(alert, t),
        "report_url": safe_url(report_url), "alert_url": safe_url(alert_url),
        "drivers": [(wording.driver_phrase(d), t(f"alert.driver_kind.{d.kind}"),
                     t.num(d.mentions)) for d in content.drivers],
    }  # fmt: skip
    subject = subject or subject_of(alert, closing, t, content, source_name)
    context["subject"] = subject
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    # The alert's own time (opened or back to normal), not the moment a check sent it.
    msg["Date"] = format_datetime(date or utcnow())
    msg["Message-ID"] = message_id or make_msgid(domain="veille.local")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, no vacation notes
    msg["X-Veille-Alert"] = f"{alert.id}/{kind}"
    msg["X-Veille-Kind"] = alert_kind
    text = {**context, "tm": t, "b": lambda v: v}
    html = {**context, "tm": _html_messages(t), "b": _bold}
    msg.set_content(_env(False).get_template("alert.txt.j2").render(text))
    msg.add_alternative(_env(True).get_template("alert.html.j2").render(html), subtype="html")
    if chart:
        html_part = msg.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(chart, maintype="image", subtype="png", cid=cid)
    _language(msg, t.lang)
    return msg


def _language(msg: EmailMessage, lang: str) -> None:
    """Content-Language on the whole message, set once its body is built: setting a body
    clears the Content-* headers set before, and making it multipart moves them inside."""
    del msg["Content-Language"]
    msg["Content-Language"] = lang


def compose_view(
    view: AlertView,
    sender: str,
    recipients: list[str],
    message_id: str,
    date: datetime,
    tag: str,
) -> EmailMessage:
    """A plain e-mail (text and HTML) saying what a view says: the digest and the like."""
    msg = EmailMessage()
    msg["Subject"] = " ".join(view.subject.split())
    msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Veille-Alert"] = tag
    msg.set_content(_env(False).get_template("view.txt.j2").render(v=view))
    msg.add_alternative(_env(True).get_template("view.html.j2").render(v=view), subtype="html")
    _language(msg, view.lang)
    return msg
