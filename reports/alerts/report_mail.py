"""Reports by e-mail (`reports.recipients`): each report the report stage writes is owed, once
per language, to its brand's recipients — the banners and summary of page 1 in the body, the
PDF attached when one was written, a link to the HTML under `alerts.report_url` — and delivered
with the alerts' guarantee (storage.deliveries: at least once before the hand-over, at most
once after; a report written again for the same period is not sent again)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.routing import RECIPIENTS
from reports.alerts.view import AlertView
from reports.build import ReportContent
from reports.i18n import Translator
from reports.summary import banners, sentences
from storage import deliveries

REPORT = "report"  # the delivery's kind


def key_of(brand: str, period_slug: str, lang: str) -> str:
    """The delivery's key: one e-mail per brand, period and language, ever."""
    return f"{REPORT}:{brand}:{period_slug}:{lang}:email:{RECIPIENTS}"


def owe_report(
    engine: Engine,
    settings: Settings,
    content: ReportContent,
    files: dict[str, dict[str, Path]],
    now: datetime,
) -> list[int]:
    """Owe the report `content` (its `files`: language → format → path) to the brand's
    `reports.recipients`, in each language written; the ids newly owed."""
    if not settings.reports.recipients.get(content.brand):
        return []
    owed: list[int] = []
    with engine.begin() as conn:
        for lang, written in sorted(files.items()):
            t = Translator(lang, content.period.tz)
            summary = [s.text for _, s in banners(content, t)] + [
                s.text for s in sentences(content, t)
            ]
            payload: dict[str, Any] = {
                "brand": content.brand, "lang": lang, "period": content.period.slug,
                "when": _when(content, t), "summary": summary,
                "files": {fmt: str(path.resolve()) for fmt, path in sorted(written.items())},
            }  # fmt: skip
            found = deliveries.owe(
                conn, key_of(content.brand, content.period.slug, lang), kind=REPORT,
                target=RECIPIENTS, now=now, payload=payload,
            )  # fmt: skip
            if found is not None:
                owed.append(found)
    return owed


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
        footer=t("report_mail.attached") if files.get("pdf") else "",
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
