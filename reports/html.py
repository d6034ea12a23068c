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
from jinja2 import ChoiceLoader, Environment, FunctionLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from reports import bidi
from reports.build import ReportContent
from reports.i18n import Translator
from reports.kpis import Figure

EXCERPT = 400
SHORT = 160


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        # Built-in templates by name; a plugin's as "package:path/in/package.html.j2".
        loader=ChoiceLoader([PackageLoader("reports", "templates"), FunctionLoader(_in_package)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return bidi.install(env)  # {{ collected | bdi }}


def _in_package(name: str) -> str | None:
    package, sep, path = name.partition(":")
    if not sep:
        return None
    return resources.files(package).joinpath(path).read_text("utf-8")


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
    """The URL if it is a plain http(s) link to a host, else None (never javascript:, data:…);
    bidi controls in it are percent-encoded."""
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
    return bidi.in_url(url)


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


def post_rows(rows: pd.DataFrame, c: ReportContent, t: Translator) -> list[dict[str, Any]]:
    """Posts as the templates show them: safe links, excerpts, source names, no NaN."""
    out = []
    for r in rows.to_dict("records"):
        r = {k: none_if_nan(v) for k, v in r.items()}
        r["link"] = safe_url(r.get("url")) or safe_url(r.get("thread_url"))
        r["excerpt"] = excerpt(r.get("text"))
        r["short"] = excerpt(r.get("text") or r.get("title"), SHORT)
        r["title"] = excerpt(r.get("title"), 160) if r.get("title") else None
        r["source_name"] = c.source_names.shown(str(r.get("source")), t.lang)  # type: ignore[arg-type]
        if isinstance(r.get("published_at"), pd.Timestamp):
            r["published_at"] = r["published_at"].to_pydatetime()
        out.append(r)
    return out


def helpers(t: Translator, c: ReportContent) -> dict[str, Any]:
    """What every section's template may use besides `c` and `t`."""

    def value(f: Figure, v: float | None) -> str:
        if f.key in ("net_sentiment", "net"):
            return t.pct(v, 0, signed=True)
        return t.pct(v) if f.kind == "ratio" else t.num(v)

    def change(f: Figure) -> str:
        return t.points(f.change) if f.kind == "ratio" else t.pct(f.change, 1, signed=True)

    def direction(f: Figure) -> str:
        """The arrow of a change as shown (one decimal of a percentage or of points): none for
        a change that rounds to zero."""
        d = f.change
        shown = None if d is None else round(d * 100, 1)
        return "" if not shown else ("up" if shown > 0 else "down")

    def diff(a: Any, b: Any) -> float | None:
        a, b = none_if_nan(a), none_if_nan(b)
        return None if a is None or b is None else float(a) - float(b)

    def author_name(r: Any) -> str:
        get = r.get if isinstance(r, dict) else lambda k: getattr(r, k, None)
        name, handle = none_if_nan(get("name")), none_if_nan(get("handle"))
        return str(name or handle or f"#{get('author_id')}")

    def source_name(source: Any) -> str:
        return c.source_names.shown(str(source), t.lang)  # type: ignore[arg-type]

    return {
        "value": value, "change": change, "direction": direction, "diff": diff,
        "none_if_nan": none_if_nan, "safe_url": safe_url, "author_name": author_name,
        "source_name": source_name,
    }  # fmt: skip


@dataclass
class RenderedSection:
    name: str
    title: str
    html: Markup


def render_sections(c: ReportContent, t: Translator) -> list[RenderedSection]:
    """Every registered section (reports.sections.SECTIONS) this report has, in order, as
    HTML."""
    from reports.sections import SECTIONS

    common = {"c": c, "t": t, **helpers(t, c)}
    out = []
    for name, cls in SECTIONS.items():
        section = cls()
        if not section.shown(c):
            continue
        title = section.title(t)
        template = environment().get_template(section.template_name())
        html = template.render(**common, title=title, **section.variables(c, t))
        out.append(RenderedSection(name, title, Markup(html)))
    return out


def render_html(c: ReportContent, t: Translator) -> str:
    """The whole report in the translator's language."""
    css = stylesheet()
    template = environment().get_template("report.html.j2")
    return template.render(
        c=c,
        t=t,
        css=css,
        csp=content_security_policy(css),
        title=t("report.title", brand=c.brand),
        period_line=period_line(c, t),
        sections=render_sections(c, t),
    )


def period_line(c: ReportContent, t: Translator) -> str:
    p, q = c.period, c.previous
    if p.days == 1:
        return t("report.period_one", day=t.day(p.first_day, "full"), previous=t.day(q.first_day))
    return t(
        "report.period", first=t.day(p.first_day), last=t.day(p.last_day),
        days=t.count(p.days, "unit.day"), pfirst=t.day(q.first_day), plast=t.day(q.last_day),
    )  # fmt: skip
