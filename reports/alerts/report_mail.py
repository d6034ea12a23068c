"""Reports by e-mail and to the team's channels: each report the report stage writes is owed
once to its brand's `reports.recipients` (e-mail, in the alerts' language), and once, in the
target's language, to each target of the `reports.routes` its brand and period match (Slack,
Teams, a webhook, an e-mail list under alerts.targets) — the banners and summary of page 1,
the PDF attached to an e-mail when one was written, a link to the HTML under
`alerts.report_url` — and delivered with the alerts' guarantee (storage.deliveries: at least
once before the hand-over, at most once after; a report written again for the same period is
not sent again). A target's quiet hours hold it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.routing import RECIPIENTS, not_before
from reports.alerts.view import AlertView
from reports.build import ReportContent
from reports.i18n import Translator
from reports.summary import banners, sentences
from storage import deliveries

REPORT = "report"  # the delivery's kind
# Quiet hours hold every report: it has no severity a target's `quiet_except` could name.
_NO_SEVERITY = ""


@dataclass(frozen=True)
class Owed:
    """One message a report owes: to whom, by which channel, in which language."""

    key: str
    channel: str
    target: str
    lang: str


def key_of(brand: str, period_slug: str, lang: str, channel: str = "email",
           target: str = RECIPIENTS) -> str:  # fmt: skip
    """The delivery's key: one message per brand, period, language and target, ever."""
    return f"{REPORT}:{brand}:{period_slug}:{lang}:{channel}:{target}"


def owed_for(settings: Settings, brand: str, period: str, period_slug: str) -> list[Owed]:
    """What a report of the brand for the period (its name, `last-7-days`…, and its days'
    slug) owes: one e-mail to `reports.recipients` in the alerts' language, and one message
    to each target of every matching `reports.routes` in its own."""
    found: list[Owed] = []
    if settings.reports.recipients.get(brand):
        lang = target_language(settings, None)
        found.append(Owed(key_of(brand, period_slug, lang), "email", RECIPIENTS, lang))
    for name in routed(settings, brand, period):
        options = settings.alerts.targets[name]
        lang = target_language(settings, options.language)
        found.append(
            Owed(key_of(brand, period_slug, lang, options.channel, name), options.channel,
                 name, lang)
        )  # fmt: skip
    return found


def routed(settings: Settings, brand: str, period: str) -> list[str]:
    """The targets of every `reports.routes` whose brands and periods match, each once."""
    names = [
        name
        for route in settings.reports.routes
        if (not route.brands or brand in route.brands)
        and (not route.periods or period in route.periods)
        for name in route.targets
    ]
    return list(dict.fromkeys(names))


def language_order(settings: Settings, wanted: str | None) -> list[str]:
    """The languages a target reads, best first: its own, alerts.language, the reports'."""
    found = [lang for lang in (wanted, settings.alerts.language) if lang]
    return list(dict.fromkeys([*found, *settings.reports.languages, "fr"]))


def target_language(settings: Settings, wanted: str | None) -> str:
    """The report language a target reads: the first of `language_order` reports are
    written in."""
    written = settings.reports.languages
    return next((lang for lang in language_order(settings, wanted) if lang in written), "fr")


def owe_report(
    engine: Engine,
    settings: Settings,
    content: ReportContent,
    period: str,
    files: dict[str, dict[str, Path]],
    now: datetime,
) -> list[int]:
    """Owe the report `content` of `period` (`last-7-days`…; its `files`: language → format
    → path) to the brand's recipients and routed targets (`owed_for`), for the languages
    written; the ids newly owed."""
    slug = content.period.slug
    todo = [o for o in owed_for(settings, content.brand, period, slug) if o.lang in files]
    owed: list[int] = []
    payloads: dict[str, dict[str, Any]] = {}
    with engine.begin() as conn:
        for item in todo:
            if item.lang not in payloads:
                payloads[item.lang] = _payload(content, item.lang, files[item.lang])
            found = deliveries.owe(
                conn, item.key, kind=REPORT, target=item.target, channel=item.channel, now=now,
                payload=payloads[item.lang],
                due_at=not_before(settings, item.target, _NO_SEVERITY, now),
            )  # fmt: skip
            if found is not None:
                owed.append(found)
    return owed


def _payload(content: ReportContent, lang: str, written: dict[str, Path]) -> dict[str, Any]:
    t = Translator(lang, content.period.tz)
    summary = [s.text for _, s in banners(content, t)] + [s.text for s in sentences(content, t)]
    return {
        "brand": content.brand, "lang": lang, "period": content.period.slug,
        "when": _when(content, t), "summary": summary,
        "files": {fmt: str(path.resolve()) for fmt, path in sorted(written.items())},
    }  # fmt: skip


def _when(c: ReportContent, t: Translator) -> str:
    """« du 21 nov. 2026 » / "for 21 Nov 2026", « du 15 au 21 nov. »: the subject's period."""
    p = c.period
    if p.days == 1:
        return t("report_mail.day", day=t.short_day(p.first_day))
    return t("report_mail.range", first=t.short_day(p.first_day), last=t.short_day(p.last_day))


def report_view(settings: Settings, payload: dict[str, Any], t: Translator) -> AlertView:
    """The message: the report's title, its page-1 banners and summary, the HTML's link and
    the PDF attached."""
    brand, period = str(payload.get("brand") or "?"), str(payload.get("when") or "")
    summary = [str(s) for s in payload.get("summary") or []]
    files = payload.get("files") or {}
    attached = [fmt.upper() for fmt in settings.reports.attach if files.get(fmt)]
    links = []
    url = report_link(settings, files.get("html"))
    if url is not None:
        links.append((t("report_mail.open"), url))
    return AlertView(
        event="report.written",
        title=t("report_mail.title", brand=brand, when=period),
        subject=t("report_mail.subject", brand=brand, when=period),
        headline=summary[0] if summary else "",
        lines=summary[1:],
        links=links,
        footer=t("report_mail.attached", files=", ".join(attached)) if attached else "",
        colour="#2c3e50",
        lang=t.lang,
        data={"brand": brand, "period": payload.get("period"), "summary": summary, "url": url},
    )


def report_link(settings: Settings, path: str | None) -> str | None:
    """The HTML report's address under alerts.report_url (the published reports folder);
    None without one, or for a file outside reports.output_dir."""
    base = settings.alerts.report_url
    if not base or not path:
        return None
    try:
        relative = Path(path).resolve().relative_to(Path(settings.reports.output_dir).resolve())
    except ValueError:
        return None
    return f"{base}/{quote(relative.as_posix())}"
