"""What an alert e-mail shows: the posts driving it, top terms, topics, sources and a chart."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from reports import bidi
from reports.alerts.influence import influence_of
from reports.alerts.series import BrandSeries
from reports.i18n import Translator
from reports.terms import tokens, words
from storage.mentions import label_values, negative_mentions


@dataclass
class Post:
    text: str
    url: str | None  # http(s) only
    source: str
    author: str | None
    published_at: datetime | None
    engagement: int
    influence: float | None


@dataclass
class AlertContent:
    engaging: list[Post] = field(default_factory=list)
    influential: list[Post] = field(default_factory=list)
    terms: list[tuple[str, int]] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links go into an e-mail (no javascript:, data: or file: links); bidi
    controls in them are percent-encoded."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), re.IGNORECASE):
        return bidi.in_url(url.strip())
    return None


def gather(
    conn: Connection, brand: str, since: datetime, until: datetime, top: int = 3
) -> AlertContent:
    """The negative mentions of the brand in [since, until) and what they are about."""
    rows = negative_mentions(conn, brand, since, until)
    influence = influence_of(conn, [r.author_id for r in rows if r.author_id is not None])
    posts: list[tuple[int, Post]] = []
    for r in rows:
        post = Post(
            text=_shorten(r.text),
            url=safe_url(r.url),
            source=r.source,
            author=r.author,
            published_at=r.published_at,
            engagement=r.engagement,
            influence=influence.get(r.author_id) if r.author_id is not None else None,
        )
        posts.append((r.id, post))
    content = AlertContent()
    content.engaging = [p for _, p in sorted(posts, key=lambda x: -x[1].engagement)][:top]
    with_influence = [(i, p) for i, p in posts if p.influence is not None]
    content.influential = [
        p for _, p in sorted(with_influence, key=lambda x: -(x[1].influence or 0))
    ][:top]
    content.terms = top_terms([p.text for _, p in posts], exclude=brand)
    content.sources = Counter(p.source for _, p in posts).most_common(5)
    ids = [i for i, _ in posts]
    if ids:
        content.topics = Counter(label_values(conn, "topic", ids[:5000])).most_common(5)
    return content


def top_terms(texts: list[str], exclude: str = "", n: int = 8) -> list[tuple[str, int]]:
    """The words most negative mentions use (each counted once a mention), stop words out."""
    skip = set(words(exclude))
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(tokens(text) - skip)
    ranked = sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))
    return [(w, c) for w, c in ranked[:n] if c > 1] or ranked[: min(n, 3)]


def _shorten(text: str, limit: int = 280) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chart_png(
    series: BrandSeries, until: datetime, t: Translator | None = None, hours: int = 24
) -> bytes:
    """A small PNG: all and negative mentions per bucket over the last hours, local times."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    t = t or Translator()
    minutes = int(series.bucket.total_seconds() // 60)
    since = until - timedelta(hours=hours)
    idx = [i for i, s in enumerate(series.starts) if s >= since]
    xs: Any = [series.starts[i] for i in idx]  # matplotlib's stubs know no datetimes
    fig, ax = plt.subplots(figsize=(6.0, 2.2), dpi=100)
    try:
        totals = [series.totals[i] for i in idx]
        ax.fill_between(
            xs, totals, step="post", alpha=0.25, color="#7a8899", label=t("alert.chart_all")
        )
        negatives = [series.negatives[i] for i in idx]
        ax.step(
            xs, negatives, where="post", color="#c0392b", linewidth=1.4,
            label=t("alert.chart_negative"),
        )  # fmt: skip
        ax.set_ylabel(t("alert.chart_per", minutes=minutes), fontsize=8)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=ZoneInfo(t.tz)))
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="upper left", frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.autofmt_xdate()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)


def summary_dict(content: AlertContent) -> dict[str, Any]:
    return {
        "terms": content.terms,
        "topics": content.topics,
        "sources": content.sources,
        "posts": len(content.engaging),
    }
