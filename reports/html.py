"""The report as one self-contained HTML file: inline CSS, charts as data URIs, nothing to run.

Collected text is hostile: Jinja2 autoescapes every value, links keep only http(s) URLs and
carry rel="noopener noreferrer", and a Content-Security-Policy forbids every script, every
style but the report's own (by hash) and every resource but the inline charts.
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from reports import charts, titles
from reports.build import ReportContent
from reports.i18n import Translator
from reports.kpis import Figure
from storage.vocab import SENTIMENTS, UNLABELLED

SECTIONS = (
    "headline",
    "volume",
    "sentiment",
    "topics",
    "contributors",
    "posts",
    "competitors",
    "method",
)
EXCERPT = 400


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files("reports").joinpath("templates/report.css").read_text("utf-8")


def content_security_policy(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'; "
        "base-uri 'none'; form-action 'none'"
    )


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) link to a host, else None (never javascript:, data:…)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def none_if_nan(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def excerpt(text: Any, limit: int = EXCERPT) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Chart:
    title: str
    uri: str


def _posts(rows: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in rows.to_dict("records"):
        r = {k: none_if_nan(v) for k, v in r.items()}
        link = safe_url(r.get("url")) or safe_url(r.get("thread_url"))
        r["link"] = link
        r["link_text"] = excerpt(link, 90) if link else None
        r["excerpt"] = excerpt(r.get("text"))
        r["title"] = excerpt(r.get("title"), 160) if r.get("title") else None
        out.append(r)
    return out


def _charts(c: ReportContent, t: Translator) -> dict[str, Chart]:
    out: dict[str, Chart] = {}
    title = titles.volume_title(c, t)
    alert_times = list(c.current_alerts["opened_at"])
    out["volume"] = Chart(title, charts.volume_chart(c.series, alert_times, title, t, c.hourly))
    if len(c.sources):
        title = titles.sources_title(c, t)
        out["sources"] = Chart(title, charts.sentiment_by_source_chart(c.sources, title, t))
    rows = c.topics[c.topics["reference"].notna() | (c.topics["mentions"] > 0)]
    title = titles.topics_title(c, t)
    out["topics"] = Chart(
        title,
        charts.paired_chart(
            [t.label("topic", x) for x in rows["topic"]],
            [none_if_nan(v) for v in rows["share"]],
            [none_if_nan(v) for v in rows["reference"]],
            title,
            t,
            t("chart.study"),
        ),
    )
    tiers = c.contributors.tiers
    title = titles.tiers_title(c, t)
    out["tiers"] = Chart(
        title,
        charts.paired_chart(
            [t.label("tier", x) for x in tiers["tier"]],
            [none_if_nan(v) for v in tiers["share"]],
            list(tiers["reference"]),
            title,
            t,
            t("chart.rule"),
        ),
    )
    if len(c.brands) > 1:
        title = titles.competitors_title(c, t)
        out["competitors"] = Chart(
            title,
            charts.share_of_voice_chart(
                list(c.competitors["brand"]), [f.current for f in c.competitors["sov"]], title, t
            ),
        )
    return out


def _source_rows(c: ReportContent) -> list[dict[str, Any]]:
    rows = []
    for r in c.source_status.to_dict("records"):
        r = {k: none_if_nan(v) for k, v in r.items()}
        if r.get("status") == "failed":
            state = "failed"
        elif not r.get("mentions"):
            state = "silent"
        elif r.get("status") is None:
            state = "no_run"
        else:
            state = "ok"
        r["state"] = state
        r["error"] = excerpt(r.get("error"), 200) if state == "failed" else None
        r["mentions"] = int(r.get("mentions") or 0)
        rows.append(r)
    return rows


def render_html(c: ReportContent, t: Translator) -> str:
    """The whole report in the translator's language."""
    css = stylesheet()

    def value(f: Figure, v: float | None) -> str:
        if f.key in ("net_sentiment", "net"):
            return t.pct(v, 1, signed=True)
        return t.pct(v) if f.kind == "ratio" else t.num(v)

    def change(f: Figure) -> str:
        return t.points(f.change) if f.kind == "ratio" else t.pct(f.change, 1, signed=True)

    def direction(f: Figure) -> str:
        d = f.change
        return "" if d is None or d == 0 else ("up" if d > 0 else "down")

    def diff(a: Any, b: Any) -> float | None:
        a, b = none_if_nan(a), none_if_nan(b)
        return None if a is None or b is None else float(a) - float(b)

    def author_name(r: Any) -> str:
        name, handle = none_if_nan(r.name), none_if_nan(r.handle)
        return str(name or handle or f"#{r.author_id}")

    spikes = [
        f"{b:%H}h" if c.hourly else t.short_day(b.to_pydatetime())
        for b in c.series.index[c.series["spike"]]
    ]

    def suspicious_share(volume: float | None, flagged: int | None) -> float | None:
        total = (volume or 0) + (flagged or 0) if c.excluded else (volume or 0)
        return (flagged or 0) / total if total else None

    volume = c.headline["volume"].current or 0
    flagged = c.flagged or 0
    total = volume + flagged if c.excluded else volume
    share = suspicious_share(volume, c.flagged)
    previous = suspicious_share(c.headline["volume"].previous, c.flagged_previous)
    title = t("report.title", brand=c.brand)
    template = environment().get_template("report.html.j2")
    return template.render(
        c=c,
        t=t,
        css=css,
        csp=content_security_policy(css),
        title=title,
        sections=SECTIONS,
        sentiments=(*reversed(SENTIMENTS), UNLABELLED),  # positive first, as people read
        charts=_charts(c, t),
        alerts=c.current_alerts.to_dict("records"),
        spikes=", ".join(spikes),
        labelled_topics=bool(c.topics["mentions"].sum()),
        engaging=_posts(c.engaging),
        needing=_posts(c.needing_answer),
        source_rows=_source_rows(c),
        value=value,
        change=change,
        direction=direction,
        diff=diff,
        none_if_nan=none_if_nan,
        safe_url=safe_url,
        author_name=author_name,
        suspicious={
            "share": share,
            "n": flagged,
            "total": total,
            "previous": previous,
            "change": None if share is None or previous is None else share - previous,
        },
    )
