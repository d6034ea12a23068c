"""An alert message as content, before any format: what the e-mail's first screen says, shared
by the chat cards (Slack, Teams) and the JSON webhook so every channel says the same thing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reports.alerts import wording
from reports.alerts.compose import COLOURS, numbers_of, subject_of
from reports.alerts.content import AlertContent, Post, safe_url
from reports.i18n import Translator
from storage.alerts import AlertRecord


@dataclass
class PostView:
    author: str | None
    text: str
    url: str | None
    source: str
    when: str
    engagement: str
    influence: str | None
    followers: str = ""  # « 12 abonnés », « abonnés inconnus »


@dataclass
class AlertView:
    event: str  # alert.opened, alert.closed, operators
    title: str
    subject: str
    headline: str  # the first line: what happened, in one sentence
    lines: list[str] = field(default_factory=list)  # what follows it
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    posts: list[PostView] = field(default_factory=list)
    drivers: list[tuple[str, str]] = field(default_factory=list)  # (driver, count)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, http(s) URL)
    footer: str = ""
    colour: str = "#c0392b"
    lang: str = "fr"
    data: dict[str, Any] = field(default_factory=dict)  # the machine-readable side (webhook)


def alert_view(
    alert: AlertRecord,
    kind: str,
    content: AlertContent,
    t: Translator,
    top: int = 3,
    escalated_after: int | None = None,
    owner: str | None = None,
    report_url: str | None = None,
    source_name: Callable[[str], str] | None = None,
    lead: str | None = None,
    events: list[str] | None = None,
    alert_url: str | None = None,
) -> AlertView:
    """The first screen of the alert's `kind` message (opened, closed, escalated): what
    happened in one sentence, the kind and its start, why, near-duplicates, the owner and the
    next step, the drivers, the top posts, the alert's page in the web workspace (to take it
    on) and the latest report; `lead` first (a mute that held it), `events` (the team's,
    around it) after why."""
    closing = kind == "closed"
    n = numbers_of(alert, closing, t)
    severity = t.label("severity", alert.severity)
    alert_kind = alert.kind or "bad_buzz"
    kind_name = t.label("alert_kind", alert_kind)
    lines: list[str] = []
    if closing and alert_kind == "bad_buzz":
        title = t("alert.back_title", brand=alert.brand)
        headline = t("alert.back_numbers", negatives=n["negatives"], expected=n["expected"])
    elif closing:
        title = t("alert.back_title", brand=alert.brand)
        headline = t(
            "alert.back_kind", kind=kind_name, opened=t.moment(alert.opened_at, short=True),
            closed=t.moment(alert.closed_at, short=True),
        )  # fmt: skip
    else:
        title = t("alert.kind_title", kind=kind_name, brand=alert.brand)
        headline = wording.cause(alert, t, content, isolate=True, source_name=source_name)
        lines.append(
            t("alert.kind_line", kind=kind_name, severity=severity,
              start=t.moment(alert.opened_at, short=True), zone=t.tz)
        )  # fmt: skip
        if alert_kind == "bad_buzz":
            lines.append(
                t("alert.numbers", negatives=n["negatives"], expected=n["expected"],
                  ratio=n["ratio"])
            )  # fmt: skip
            lines.append(t("alert.totals", total=n["total"], score=n["score"]))
        lines += wording.why_lines(alert, t) + list(events or [])
        covered = wording.covered_line(alert, t)
        lines += [covered] if covered else []
        lines += wording.duplicate_lines(content, t)
        lines += wording.answered_lines(content, t)
        lines += [wording.owner_line(owner, t), wording.next_step(alert, t)]
    facts = [(t("alert.fact_kind"), kind_name), (t("alert.fact_severity"), severity)]
    if alert_kind == "bad_buzz":
        facts += [
            (t("alert.fact_negatives"), n["negatives"]),
            (t("alert.fact_expected"), n["expected"]),
            (t("alert.fact_ratio"), f"×{n['ratio']}"),
        ]
    else:  # the posts the kind counted (its numbers are in its sentence)
        facts.append((t("alert.fact_posts"), n["negatives"]))
    facts.append((t("alert.fact_opened"), t.moment(alert.opened_at, short=True)))
    if closing:
        facts.append((t("alert.fact_closed"), t.moment(alert.closed_at, short=True)))
    posts = [] if closing else [_post(p, t) for p in content.engaging[:top]]
    drivers = [(wording.driver_phrase(d), t.num(d.mentions)) for d in content.drivers[:5]]
    if not drivers:
        drivers = [(w, t.num(c)) for w, c in content.terms[:5]]
    event = f"alert.{kind}"
    subject = subject_of(alert, closing, t, content, source_name)
    if lead:
        lines.insert(0, lead)
    if escalated_after is not None:
        title = t("alert.escalated_title", brand=alert.brand)
        subject = escalation_subject(alert, escalated_after, t)
        lines.insert(0, t("alert.escalation_lead", minutes=escalated_after))
    return AlertView(
        event=event, title=title, subject=subject, headline=headline,
        lines=lines, facts=facts, posts=posts, drivers=drivers,
        footer=t("alert.footer_html", id=alert.id, opened=t.moment(alert.opened_at, short=True)),
        links=[*([(t("alert.workspace_link"), page)] if (page := safe_url(alert_url)) else []),
               *([(t("alert.report_link"), url)] if (url := safe_url(report_url)) else [])],
        colour=COLOURS.get(alert.severity, "#c0392b"), lang=t.lang,
        data={**_data(alert, kind, content, n, top), "owner": owner, "report_url": url,
              "alert_url": page,
              "headline": headline},
    )  # fmt: skip


def escalation_subject(alert: AlertRecord, minutes: int, t: Translator) -> str:
    return t("alert.subject_escalated", brand=alert.brand, minutes=minutes)


def digest_view(
    alerts: list[AlertRecord],
    day: date,
    t: Translator,
    source_name: Callable[[str], str] | None = None,
    alerts_url: str | None = None,
) -> AlertView:
    """The day's digest: one line per alert of lower severity, oldest first; `alerts_url`:
    the alerts' page in the web workspace."""
    count = t.count(len(alerts), "digest.alerts")
    lines = []
    for alert in alerts:
        n = numbers_of(alert, False, t)
        if (alert.kind or "bad_buzz") != "bad_buzz":  # its kind's own sentence
            lines.append(
                t("digest.line_kind", brand=alert.brand,
                  severity=t.label("severity", alert.severity),
                  opened=t.moment(alert.opened_at, short=True),
                  kind=t.label("alert_kind", alert.kind),
                  cause=wording.cause(alert, t, isolate=True, source_name=source_name)
                  .split(t("alert.cause_sep"), 1)[-1])
            )  # fmt: skip
            continue
        lines.append(
            t("digest.line", brand=alert.brand, severity=t.label("severity", alert.severity),
              opened=t.moment(alert.opened_at, short=True),
              negatives=t.count(n["count"], "digest.negatives"),
              expected=n["expected"], ratio=n["ratio"])
        )  # fmt: skip
    shown = t.day(day)
    return AlertView(
        event="digest", title=t("digest.title", day=shown),
        subject=t("digest.subject", day=shown, alerts=count),
        headline=t("digest.headline", alerts=count), lines=lines,
        footer=t("digest.footer", ids=", ".join(str(a.id) for a in alerts)),
        colour=COLOURS["low"], lang=t.lang,
        links=[(t("digest.workspace_link"), page)] if (page := safe_url(alerts_url)) else [],
        data={"day": day.isoformat(), "alerts": [_data(a, "opened", AlertContent(),
                                                       numbers_of(a, False, t), 0)
                                                 for a in alerts]},
    )  # fmt: skip


def operators_view(subject: str, body: str) -> AlertView:
    lines = [line for line in body.splitlines() if line.strip()]
    return AlertView(
        event="operators", title=subject, subject=subject, headline=lines[0] if lines else "",
        lines=lines[1:], colour="#7f8c8d", data={"subject": subject, "body": body},
    )  # fmt: skip


def _post(post: Post, t: Translator) -> PostView:
    return PostView(
        author=post.author, text=post.text, url=post.url, source=post.source,
        when=t.moment(post.published_at, short=True), engagement=t.num(post.engagement),
        influence=t.num(post.influence, 1) if post.influence is not None else None,
        followers=wording.followers({"followers": post.followers}, t),
    )  # fmt: skip


def _post_data(p: Post) -> dict[str, Any]:
    return {
        "author": p.author,
        "text": p.text,
        "url": p.url,
        "source": p.source,
        "published_at": p.published_at.isoformat() if p.published_at else None,
        "engagement": p.engagement,
        "followers": p.followers,
    }


def _data(
    alert: AlertRecord, kind: str, content: AlertContent, n: dict[str, Any], top: int
) -> dict[str, Any]:
    """The alert as numbers and plain strings (ISO times, config names): for programs."""
    details = alert.details or {}
    snap = details.get("closing" if kind == "closed" else "opening") or {}
    return {
        "id": alert.id,
        "brand": alert.brand,
        "kind": alert.kind,
        "severity": alert.severity,
        "status": alert.status,
        "opened_at": alert.opened_at.isoformat(),
        "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
        "negative_last_hour": snap.get("negative_last_hour", alert.negative_count),
        "expected_last_hour": snap.get("expected_last_hour", alert.expected_count),
        "ratio": n["ratio_value"],
        "total_last_hour": snap.get("total_last_hour"),
        "triggers": snap.get("triggers", []),
        "why": snap.get("why", {}),
        "window_minutes": snap.get("window_minutes", 60),
        "drivers": [
            {"kind": d.kind, "label": d.label, "mentions": d.mentions, "previous": d.previous}
            for d in content.drivers
        ],
        "near_duplicates": content.duplicates,
        "answered": content.answered,
        "campaign_suspected": content.campaign is not None,
        "posts": [_post_data(p) for p in content.engaging[:top]],
        "terms": [{"term": w, "mentions": c} for w, c in content.terms],
        "topics": [{"topic": w, "mentions": c} for w, c in content.topics],
        "sources": [{"source": w, "mentions": c} for w, c in content.sources],
    }
