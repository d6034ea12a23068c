"""Write a brand's reports to files, record them in the `reports` table, refresh the index."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from config.settings import REPORT_FORMATS, Settings
from nlp.label_pool import cores
from reports.build import ReportContent, build_report
from reports.html import content_security_policy, environment, render_html, stylesheet
from reports.i18n import Translator
from reports.periods import Period, parse_period
from reports.side_by_side import outcomes
from storage.clock import utcnow
from storage.runs import ReportFile, record_report_files, report_files

if TYPE_CHECKING:
    from reports.alerts.delivery import Delivery

log = logging.getLogger(__name__)

FORMATS = REPORT_FORMATS
# How each format is served (the workspace's reports page).
MEDIA_TYPES = {
    "html": "text/html",
    "pdf": "application/pdf",
    "json": "application/json",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass
class Written:
    path: Path
    format: str
    lang: str


def slug(name: str) -> str:
    """A file-name-safe form of a brand name: `Rivéo & Co` -> `riveo-co`."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "brand"


def report_path(folder: Path, brand: str, period: Period, lang: str, fmt: str) -> Path:
    return folder / f"{slug(brand)}_{period.slug}_{lang}.{fmt}"


def write_reports(
    engine: Engine,
    settings: Settings,
    folder: Path,
    brand: str,
    period: Period,
    langs: list[str],
    formats: list[str],
    now: datetime | None = None,
    run_id: int | None = None,
) -> tuple[ReportContent, list[Written]]:
    """Compute the brand's figures once, write one file per language and format, record them."""
    now = now or utcnow()
    content = build_report(engine, settings, brand, period, now)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Written] = []
    for lang in langs:
        t = Translator(lang, period.tz)
        html = render_html(content, t) if {"html", "pdf"} & set(formats) else ""
        for fmt in formats:
            path = report_path(folder, content.brand, period, lang, fmt)
            tmp = path.with_name(path.name + ".part")
            if fmt == "html":
                tmp.write_text(html, encoding="utf-8")
            elif fmt == "json":
                from reports.jsonreport import render_json

                tmp.write_text(render_json(content, t), encoding="utf-8")
            elif fmt == "pptx":
                from reports.slides import write_pptx

                write_pptx(content, t, tmp)
            else:
                from reports.pdf import write_pdf

                write_pdf(html, tmp)
            os.replace(tmp, path)
            written.append(Written(path, fmt, lang))
    _record(engine, content, written, run_id, now)
    return content, written


def _record(
    engine: Engine,
    content: ReportContent,
    written: list[Written],
    run_id: int | None,
    now: datetime,
) -> None:
    record_report_files(
        engine,
        [
            ReportFile(
                brand=content.brand,
                period_start=content.period.start,
                period_end=content.period.end,
                lang=item.lang,
                format=item.format,
                path=str(item.path.resolve()),
                created_at=now,
                run_id=run_id,
            )
            for item in written
        ],
    )


def write_index(engine: Engine, folder: Path, lang: str = "fr", tz: str = "Europe/Paris") -> Path:
    """`index.html` in the reports folder: every report recorded, newest first."""
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "index.html"
    records = report_files(engine)
    t = Translator(lang, tz)
    rows = []
    for r in records:
        path = Path(r.path)
        try:
            href: str | None = quote(os.path.relpath(path, folder.resolve()).replace(os.sep, "/"))
        except ValueError:  # another drive (Windows)
            href = None
        first = r.period_start.astimezone(_zone(tz)).date()
        last = (r.period_end - timedelta(seconds=1)).astimezone(_zone(tz)).date()
        rows.append(
            {
                "brand": r.brand,
                "first": first,
                "last": last,
                "lang": r.lang,
                "format": r.format,
                "created_at": r.created_at,
                "href": href,
                "name": path.name,
            }
        )
    css = stylesheet()
    html = (
        environment()
        .get_template("index.html.j2")
        .render(t=t, rows=rows, css=css, csp=content_security_policy(css))
    )
    index.write_text(html, encoding="utf-8")
    return index


def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


@dataclass
class ConfiguredReports:
    """What `write_configured_reports` did: files written, and the reports that failed."""

    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    index: Path | None = None
    mail: Delivery | None = None  # the reports sent to reports.recipients and .routes


def write_configured_reports(
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
    run_id: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    periods: list[str] | None = None,
) -> ConfiguredReports:
    """The reports the config asks for (brands × periods × languages × formats), then the
    index. `periods` replaces reports.periods (a weekly or monthly job). One brand's failure
    is logged and listed, and the others are written all the same; `should_stop` (checked
    between reports) ends the loop early."""
    conf = settings.reports
    folder = Path(conf.output_dir)
    now = now or utcnow()
    done = ConfiguredReports()
    todo = [
        (b.name, name) for b in settings.brands if b.reports for name in periods or conf.periods
    ]
    tz = settings.schedules.timezone
    keep_themes(engine, settings, [parse_period(n, now=now, tz=tz) for n in {n for _, n in todo}])
    write = _ConfiguredReport(engine, settings, folder, now, run_id)
    processes = conf.jobs if conf.jobs > 0 else cores()
    for paths, failure in outcomes(engine, write, todo, processes, should_stop):
        done.written += paths
        if failure is not None:
            done.failed.append(failure)
    if done.written or folder.exists():
        done.index = write_index(engine, folder, conf.languages[0], settings.schedules.timezone)
    done.mail = _send_reports(engine, settings, todo, now)
    return done


def _send_reports(
    engine: Engine, settings: Settings, todo: list[tuple[str, str]], now: datetime
) -> Delivery | None:
    """Send the reports owed to `reports.recipients` and `reports.routes` (those just
    written and due; one whose sending failed stays owed, and `veille alerts check` sends it
    later, as it sends one a target's quiet hours held)."""
    from reports.alerts.delivery import deliver_pending
    from reports.alerts.report_mail import owed_for
    from storage.deliveries import id_of

    tz = settings.schedules.timezone
    keys = [
        item.key
        for brand, name in todo
        for item in owed_for(settings, brand, name, parse_period(name, now=now, tz=tz).slug)
    ]
    ids = [i for i in (id_of(engine, k) for k in keys) if i is not None]
    if not ids:
        return None
    return deliver_pending(engine, settings, now, ids)


def keep_themes(engine: Engine, settings: Settings, periods: list[Period]) -> None:
    """Match the themes of the mentions reports of `periods` will read (and of the periods
    before them), once, before they are written: each report, in a process of its own, reads
    them (`mention_themes`)."""
    from nlp.themes import store_between

    if not settings.themes or not periods:
        return
    start = min(p.previous().start for p in periods)
    end = max(p.end for p in periods)
    with engine.begin() as conn:
        n = store_between(conn, settings.themes, start, end)
    log.info("themes matched for %d mentions (%s to %s)", n, start.date(), end.date())


@dataclass
class _ConfiguredReport:
    """One brand's report for one period, in every configured language and format: the
    files written, or why it failed (one brand's failure must not stop the others)."""

    engine: Engine
    settings: Settings
    folder: Path
    now: datetime
    run_id: int | None

    def __call__(self, job: tuple[str, str]) -> tuple[list[Path], str | None]:
        brand, name = job
        conf = self.settings.reports
        period = parse_period(name, now=self.now, tz=self.settings.schedules.timezone)
        try:
            content, written = write_reports(
                self.engine, self.settings, self.folder, brand, period, list(conf.languages),
                list(conf.formats), now=self.now, run_id=self.run_id,
            )  # fmt: skip
        except Exception as exc:
            log.exception("report for %s (%s) failed", brand, name)
            return [], f"{brand} {name}: {type(exc).__name__}: {exc}"
        from reports.alerts.report_mail import owe_report, routed

        if conf.recipients.get(brand) or routed(self.settings, brand, name):  # sent once all are
            files: dict[str, dict[str, Path]] = {}
            for w in written:
                files.setdefault(w.lang, {})[w.format] = w.path
            owe_report(self.engine, self.settings, content, name, files, self.now)
        return [w.path for w in written], None
