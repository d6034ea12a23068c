"""Reports (archive, on demand), the dashboard per brand (with the events of its days:
web.events marks them) and the health of the sources; the days and series the dashboard and
an alert's page (web.alerts) chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from markupsafe import Markup
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from config.settings import REPORT_FORMATS
from web import charts
from web.app import Ctx, every_brand_only, page
from web.i18n import Words


def series(rows: list[tuple[str, str | None, int]], keys: list[str]) -> dict[str, list[float]]:
    out = {"total": [0.0] * len(keys), "negative": [0.0] * len(keys)}
    where = {k: i for i, k in enumerate(keys)}
    for key, sentiment, n in rows:
        if key in where:
            out["total"][where[key]] += n
            if sentiment == "negative":
                out["negative"][where[key]] += n
    return out


def series_names(words: Words) -> dict[str, str]:
    """The legend of `series`'s two lines in the page's language."""
    return {"total": words.text("chart.total"), "negative": words.label("sentiment", "negative")}


def local_days(
    rows: list[tuple[str, str | None, int]], zone: ZoneInfo
) -> list[tuple[str, str | None, int]]:
    """storage.inbox.sentiment_series's UTC hours as the team's days (schedules.timezone):
    each hour's key becomes its local day's `YYYY-MM-DD` (a day's hours add up in _series)."""
    out = []
    for key, sentiment, n in rows:
        at = datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(zone)
        out.append((at.strftime("%Y-%m-%d"), sentiment, n))
    return out


def days_shown(now: datetime, days: int, zone: ZoneInfo) -> tuple[datetime, list[str]]:
    """The dashboard's days: the team's last `days` days and today (schedules.timezone) — the
    moment the first begins, and each day's key."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days)
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    return start, [(first + timedelta(days=i)).isoformat() for i in range(days + 1)]


# --- reports -----------------------------------------------------------------------------------


def _reports(ctx: Ctx) -> list[Any]:
    from storage.runs import report_files

    return report_files(ctx.ws.engine)


@dataclass
class ReportRow:
    """One report as a person thinks of it: a brand, a period and a language, its files (by
    number, for /reports/N) and where it was sent (reports.recipients, reports.routes)."""

    brand: str
    period: str  # its local days: « 2026-11-21 », « 2026-11-15 – 2026-11-21 »
    lang: str
    created_at: datetime | None
    files: list[tuple[int, str]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)


def _report_rows(ctx: Ctx, files: list[Any]) -> list[ReportRow]:
    """The recorded files grouped by report, newest first, each with its deliveries."""
    from reports.alerts.report_mail import REPORT
    from storage.clock import utcnow
    from storage.deliveries import of_kind

    oldest = min((f.created_at for f in files if f.created_at is not None), default=None)
    since = oldest - timedelta(days=1) if oldest is not None else None
    by_file: dict[str, list[Any]] = {}
    for d in of_kind(ctx.ws.engine, REPORT, since):
        for path in ((d.payload or {}).get("files") or {}).values():
            by_file.setdefault(str(path), []).append(d)
    now = utcnow()
    zone = ZoneInfo(ctx.ws.settings.schedules.timezone)
    rows: dict[tuple[Any, ...], ReportRow] = {}
    for number, f in enumerate(files):
        if not ctx.sees(f.brand):  # another brand's report (storage.scope)
            continue
        key = (f.brand, f.period_start, f.period_end, f.lang)
        if key not in rows:
            rows[key] = ReportRow(f.brand, _days(f, zone), f.lang, f.created_at)
        row = rows[key]
        row.files.append((number, f.format))
        known = {s["id"] for s in row.sent}
        for d in by_file.get(str(Path(f.path).resolve()), []):
            if d.id not in known:
                known.add(d.id)
                row.sent.append(_sent(ctx, d, now))
    return list(rows.values())


def _days(f: Any, zone: ZoneInfo) -> str:
    """A report's period as its local days (it runs from the first's midnight to the day
    after the last's)."""
    first = f.period_start.astimezone(zone).date()
    last = (f.period_end.astimezone(zone) - timedelta(seconds=1)).date()
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"


def _sent(ctx: Ctx, d: Any, now: datetime) -> dict[str, Any]:
    """A report's message for a person: where, its state (and its name in the person's
    language), when (sent, or due after a target's quiet hours), and why it failed."""
    waiting = d.status == "pending" and d.due_at is not None and d.due_at > now
    status = "waiting" if waiting else d.status
    return {
        "id": d.id, "target": d.target, "channel": d.channel, "status": status,
        "shown": ctx.t(f"delivery.{status}"),
        "at": d.sent_at or (d.due_at if waiting else None),
        "error": d.error if d.status not in ("sent", "pending") else None,
    }  # fmt: skip


def _render_reports(ctx: Ctx, error: Markup | None = None, status: int = 200) -> Response:
    return ctx.render(
        "reports.html",
        status=status,
        reports=_report_rows(ctx, _reports(ctx)),
        brands=ctx.brands,
        periods=[
            ("yesterday", ctx.t("reports_page.period.yesterday")),
            ("last-7-days", ctx.t("reports_page.period.last_7_days")),
            ("last-30-days", ctx.t("reports_page.period.last_30_days")),
        ],
        formats=REPORT_FORMATS,
        error=error,
    )


@page("viewer")
def reports(ctx: Ctx) -> Response:
    return _render_reports(ctx)


@page("viewer")
def report_file(ctx: Ctx) -> Response:
    """A recorded report's file; only paths the reports table holds are served."""
    try:
        number = int(ctx.request.path_params["number"])
        chosen = _reports(ctx)[number]
        if not ctx.sees(chosen.brand):
            raise IndexError(number)  # another brand's: as if there were none
    except (ValueError, IndexError):
        return ctx.render("error.html", status=404, title=ctx.t("reports_page.no_such"), message="")
    path = Path(chosen.path)
    if not path.is_file():
        return ctx.render(
            "error.html",
            status=404,
            title=ctx.t("reports_page.file_missing"),
            message=ctx.t("reports_page.file_gone", path=str(path)),
        )
    from reports.output import MEDIA_TYPES

    media = MEDIA_TYPES.get(chosen.format, "application/octet-stream")
    response = FileResponse(path, media_type=media)
    # A report is a document, not part of the app: no script at all, in a sandbox.
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
    )
    return response


@page("analyst")
def generate(ctx: Ctx) -> Response:
    """A report for a brand and period on demand, as `veille report` writes it."""
    from reports.output import write_index, write_reports
    from reports.periods import PeriodError, parse_period
    from storage.clock import utcnow
    from storage.runs import recorded_run

    settings = ctx.ws.settings
    brand = ctx.field("brand")
    period = ctx.field("period") or "last-7-days"
    fmt = ctx.field("format") or "html"
    lang = ctx.field("lang") or "fr"
    problem: Markup | None = None
    if brand not in ctx.brands:
        problem = ctx.t("reports_page.unknown_brand", brand=repr(brand))
    elif fmt not in REPORT_FORMATS or lang not in ("fr", "en"):
        problem = ctx.t("reports_page.bad_choice")
    now = utcnow()
    try:
        window = parse_period(period, now=now, tz=settings.schedules.timezone)
    except PeriodError as exc:
        problem = problem or ctx.t("reports_page.bad_period", reason=ctx.said(exc))
    if problem:
        return _render_reports(ctx, problem, status=400)
    folder = ctx.ws.reports_dir or Path(settings.reports.output_dir)
    with recorded_run(ctx.ws.engine, "report", stage="report") as run:
        _, written = write_reports(
            ctx.ws.engine, settings, folder, brand, window, [lang], [fmt], now=now, run_id=run.id
        )
        write_index(ctx.ws.engine, folder, lang, settings.schedules.timezone)
        run.counts = {"reports": len(written)}
    ctx.audit(
        "report_generate",
        f"brand:{brand}",
        {"period": period, "format": fmt, "lang": lang, "files": [str(w.path) for w in written]},
    )
    return RedirectResponse("/reports", status_code=303)


# --- dashboard and sources ---------------------------------------------------------------------


def owned(ctx: Ctx, always: bool = False) -> list[int]:
    """The ids of every brand's own accounts, whose posts a chart leaves out: always (as the
    alerts do), else when reports.exclude_own_posts is on (as the reports do)."""
    from storage.reporting import own_account_ids

    settings = ctx.ws.settings
    if not (always or settings.reports.exclude_own_posts):
        return []
    with ctx.ws.engine.connect() as conn:
        return own_account_ids(conn, settings.own_accounts)


def _themes(
    ctx: Ctx, brand: str, start: datetime, end: datetime, owned: list[int]
) -> list[dict[str, Any]]:
    """The brand's tracked themes over [start, end) and the period as long before it, by the
    report section's count (reports.themes) over the dashboard's mentions (suspicious ones
    kept, as in its other charts), each with its link to the inbox."""
    import pandas as pd

    from nlp.inbox_filters import PERIODS
    from reports.themes import by_theme
    from storage.mentions import brand_sentiments
    from storage.vocab import UNLABELLED

    settings = ctx.ws.settings
    mine = settings.themes_for(brand)
    if not brand or not mine:
        return []
    days = (end - start).days
    with ctx.ws.engine.connect() as conn:
        parts = {
            True: brand_sentiments(conn, brand, start, end, owned),
            False: brand_sentiments(conn, brand, start - (end - start), start, owned),
        }
        own = pd.DataFrame(
            [(i, current, s or UNLABELLED) for current, part in parts.items()
             for i, s in part.items()],
            columns=["id", "current", "sentiment"],
        )  # fmt: skip
        found = by_theme(conn, settings.themes, mine, own)
    if found is None:
        return []
    period = str(days) if str(days) in PERIODS else "all"
    rows = []
    for row in found.table.to_dict("records"):
        link = {"brand": brand, "theme": row["theme"], "period": period, "status": "all"}
        rows.append({**row, "inbox": "/inbox?" + urlencode(link)})
    return rows


@page("viewer")
def dashboard(ctx: Ctx) -> Response:
    from storage.clock import utcnow
    from storage.inbox import brand_topics, brand_volumes, sentiment_series, top_authors

    settings = ctx.ws.settings
    names = ctx.brands
    brand = ctx.params.get("brand") or (names[0] if names else "")
    if not ctx.sees(brand):
        brand = names[0] if names else ""
    try:
        days = min(max(int(ctx.params.get("days") or 30), 1), 365)
    except ValueError:
        days = 30
    end = utcnow()
    zone = ZoneInfo(settings.schedules.timezone)
    start, keys = days_shown(end, days, zone)  # the team's days
    own = owned(ctx)  # as the reports count (reports.exclude_own_posts)
    hourly = sentiment_series(ctx.ws.engine, brand, start, end, "hour", own) if brand else []
    rows = local_days(hourly, zone)
    volume = series(rows, keys)
    positive = [0.0] * len(keys)
    where = {k: i for i, k in enumerate(keys)}
    for key, sentiment, n in rows:
        if sentiment == "positive" and key in where:
            positive[where[key]] += n
    net = [
        round(100 * (p - n) / t) if t else 0
        for p, n, t in zip(positive, volume["negative"], volume["total"], strict=True)
    ]
    volumes = brand_volumes(ctx.ws.engine, start, end, own)
    competitors = next((b.competitors for b in settings.brands if b.name == brand), [])
    # A brand's competitors are part of its benchmark (as in its report); without any, the
    # brands the person sees (storage.scope).
    seen = [b for b in volumes if ctx.sees(b)]
    shown = [brand, *competitors] if competitors else sorted(seen, key=lambda b: -volumes[b])
    total = sum(volumes.get(b, 0) for b in shown) or 1
    share = [(b, 100 * volumes.get(b, 0) / total) for b in shown]
    topics = brand_topics(ctx.ws.engine, brand, start, end, own) if brand else {}
    themes = _themes(ctx, brand, start, end, own)
    from storage.events import LABEL_LIMIT, between

    with ctx.ws.engine.connect() as conn:  # the team's events of the days shown
        events = between(conn, brand, start, end + timedelta(seconds=1)) if brand else []

    # Each at its day, one begun before the days shown (a campaign) at the first of them; one
    # that lasts to the last day it covers, as the reports count it (reports.kpis).
    from reports.kpis import event_buckets

    def _day(day: Any) -> int:
        return where.get(day.strftime("%Y-%m-%d"), len(keys) - 1)

    marks = []
    for e in events:
        first, last = event_buckets(max(e.at, start), e.ends_at, zone.key, False)
        marks.append((_day(first), _day(last), e.label))

    # The charts' words in the person's language (drawn as plain text: web.charts escapes them).
    words = ctx.words
    legend = series_names(words)
    percent = " %" if ctx.lang == "en" else "\u00a0%"
    return ctx.render(
        "dashboard.html",
        brand=brand,
        brands=names or sorted(seen),
        days=days,
        volume_chart=charts.lines(
            keys,
            volume,
            words.text("chart.mentions_per_day", brand=brand),
            marks=marks,
            names=legend,
            number=words.num,
        ),
        events=events,
        label_limit=LABEL_LIMIT,
        back="dashboard",
        net_chart=charts.lines(
            keys,
            {words.text("chart.net_legend"): [float(v) for v in net]},
            words.text("chart.net_sentiment"),
            number=words.num,
        ),
        share_chart=charts.bars(
            share, words.text("kpi.share_of_voice"), unit=percent, number=words.num
        ),
        topic_chart=charts.bars(
            [(words.label("topic", t), float(n)) for t, n in topics.items()],
            words.text("section.topics"),
            number=words.num,
        ),
        drivers=top_authors(ctx.ws.engine, brand, start, end, skip_authors=own) if brand else [],
        themes=themes,
        theme_chart=charts.bars(
            [(str(t["theme"]), float(t["mentions"])) for t in themes],
            words.text("chart.per_theme"),
            number=words.num,
        )
        if themes
        else "",
        total=int(sum(volume["total"])),
        owned_left_out=bool(own),
    )


@page("viewer")
def sources(ctx: Ctx) -> Response:
    from storage.health import calendar_health, source_health

    if (refused := every_brand_only(ctx)) is not None:  # every source of the workspace
        return refused
    settings = ctx.ws.settings
    health = source_health(
        ctx.ws.engine,
        [(s.name, s.kind.value, s.kind.is_export) for s in settings.sources if s.enabled],
        settings.schedules.silent_after_runs,
    )
    calendars = [
        {**c, **{k: datetime.fromisoformat(c[k]) for k in ("at", "last_ok_at") if c.get(k)}}
        for c in calendar_health(
            ctx.ws.engine, [(c.name, c.brand) for c in settings.events.calendars]
        )
    ]
    return ctx.render(
        "sources.html", sources=health, calendars=calendars,
        window=settings.schedules.silent_after_runs,
    )  # fmt: skip


ROUTES = [
    Route("/reports", reports, methods=["GET"]),
    Route("/reports/{number:int}", report_file, methods=["GET"]),
    Route("/reports/generate", generate, methods=["POST"]),
    Route("/dashboard", dashboard, methods=["GET"]),
    Route("/sources", sources, methods=["GET"]),
]
