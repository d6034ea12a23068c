"""Alert e-mails: multipart text + HTML (autoescaped), with the chart inline."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from typing import Any

import jinja2

from reports.alerts.content import AlertContent, safe_url
from storage.models import Alert

_COLOURS = {"low": "#7f8c8d", "medium": "#e67e22", "high": "#d35400", "critical": "#c0392b"}


@lru_cache(maxsize=1)
def _env(autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("reports.alerts", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def subject_of(alert: Alert, closing: bool) -> str:
    numbers = _numbers(alert, closing)
    if closing:
        return (
            f"[Veille] Back to normal {alert.brand} — {numbers['negatives']:,} negative "
            f"mentions in 1 h"
        )
    return (
        f"[Veille] Bad buzz {alert.brand} — {numbers['negatives']:,} negative mentions in 1 h "
        f"(×{numbers['ratio']})"
    )


def _numbers(alert: Alert, closing: bool) -> dict[str, Any]:
    details = alert.details or {}
    snap = details.get("closing" if closing else "opening") or {}
    negatives = int(snap.get("negative_last_hour", alert.negative_count or 0))
    expected = float(snap.get("expected_last_hour", alert.expected_count or 0.0))
    return {
        "negatives": negatives,
        "expected": _fmt(expected),
        "ratio": _fmt(negatives / max(expected, 1.0)),
        "total": int(snap.get("total_last_hour", 0)),
        "score": f"{float(snap.get('score', alert.score or 0.0)):.2f}",
        "influencers": [
            {**inf, "url": safe_url(inf.get("url"))} for inf in snap.get("influencers", [])
        ],
    }


def _fmt(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}"


def compose(
    alert: Alert,
    kind: str,
    content: AlertContent,
    chart: bytes | None,
    sender: str,
    recipients: list[str],
    message_id: str | None = None,
) -> EmailMessage:
    """The e-mail for an alert; `kind` is `opened` or `closed` (the back-to-normal note)."""
    closing = kind == "closed"
    peak = (alert.details or {}).get("peak") or {}
    cid = make_msgid(domain="veille.local")
    context: dict[str, Any] = {
        **_numbers(alert, closing),
        "brand": alert.brand, "severity": alert.severity, "closing": closing,
        "colour": _COLOURS.get(alert.severity, "#c0392b"), "alert_id": alert.id,
        "opened_at": _when(alert.opened_at), "closed_at": _when(alert.closed_at),
        "peak_negatives": int(peak.get("negative_last_hour", alert.negative_count or 0)),
        "peak_ratio": _fmt(float(peak.get("ratio", 0.0))),
        "engaging": [asdict(p) for p in content.engaging],
        "influential": [asdict(p) for p in content.influential],
        "terms": content.terms, "topics": content.topics, "sources": content.sources,
        "chart_cid": cid[1:-1] if chart else None,
    }  # fmt: skip
    subject = subject_of(alert, closing)
    context["subject"] = subject
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(datetime.now().astimezone())
    msg["Message-ID"] = message_id or make_msgid(domain="veille.local")
    msg["X-Veille-Alert"] = f"{alert.id}/{kind}"
    msg.set_content(_env(False).get_template("alert.txt.j2").render(context))
    msg.add_alternative(_env(True).get_template("alert.html.j2").render(context), subtype="html")
    if chart:
        html_part = msg.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(chart, maintype="image", subtype="png", cid=cid)
    return msg


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "—"
