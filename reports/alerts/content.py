"""What an alert e-mail shows: the posts driving it, top terms, topics, sources and a chart."""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection

from config.settings import CampaignSettings, ThemeSettings
from nlp.authors.suspicion import near_duplicates
from nlp.themes import themes_of
from reports import bidi
from reports.alerts.influence import influence_of
from reports.alerts.series import BrandSeries
from reports.drivers import find_drivers
from reports.i18n import Translator
from reports.terms import tokens, words
from storage.mentions import WindowMention, brand_mentions, label_values
from storage.reporting import first_replies, own_account_ids


@dataclass
class Post:
    text: str
    url: str | None  # http(s) only
    source: str
    author: str | None
    published_at: datetime | None
    engagement: int
    influence: float | None
    followers: int | None = None


@dataclass
class DriverCount:
    """One driver of the alert's posts: a hashtag, handle, phrase or group of identical posts."""

    kind: str  # hashtag, handle, bigram, cluster (reports.drivers)
    label: str
    mentions: int
    previous: int  # the same window a day earlier


@dataclass
class AlertContent:
    engaging: list[Post] = field(default_factory=list)
    influential: list[Post] = field(default_factory=list)
    terms: list[tuple[str, int]] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)  # display names
    drivers: list[DriverCount] = field(default_factory=list)
    posts: int = 0  # the posts the alert is about (its window's negative ones, or all)
    duplicates: int = 0  # of which near-duplicates (several accounts, nearly the same text)
    campaign: tuple[int, int] | None = None  # (posts, accounts) of a suspected campaign
    # of the negative posts, how many one of the brand's own accounts answered (storage.replies)
    # by the message's time; None when the brand has no own accounts, or for the kinds about
    # all posts (a campaign, a rising term)
    answered: int | None = None


def safe_url(url: str | None) -> str | None:
    """Only http(s) links go into an e-mail (no javascript:, data: or file: links); bidi
    controls in them are percent-encoded."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), re.IGNORECASE):
        return bidi.in_url(url.strip())
    return None


def gather(
    conn: Connection,
    brand: str,
    since: datetime,
    until: datetime,
    top: int = 3,
    *,
    negative_only: bool = True,
    source_name: Callable[[str], str] | None = None,
    skip_words: Sequence[str] = (),
    own_accounts: Sequence[str] = (),
    skip_authors: Sequence[int] = (),
    campaign: CampaignSettings | None = None,
    theme: ThemeSettings | None = None,
) -> AlertContent:
    """The brand's negative mentions (all if not `negative_only`; only those of `theme` if
    given) in [since, until), none by `skip_authors` (every brand's own accounts), and what
    they are about: top posts, drivers against the same window a day earlier, near-duplicates
    and a suspected campaign (groups of `campaign` size), sources by `source_name`; the
    brand's answers from `own_accounts`."""

    def read(start: datetime, end: datetime) -> list[WindowMention]:
        rows = brand_mentions(conn, brand, start, end, negative_only, skip_authors)
        if theme is None:
            return rows
        found = themes_of(conn, [theme], [r.id for r in rows])
        return [r for r in rows if found.get(r.id)]

    rows = read(since, until)
    influence = influence_of(conn, [r.author_id for r in rows if r.author_id is not None])
    shown = source_name or (lambda name: name)
    posts: list[tuple[int, Post]] = []
    for r in rows:
        post = Post(
            text=_shorten(r.text),
            url=safe_url(r.url),
            source=shown(r.source),
            author=r.author,
            published_at=r.published_at,
            engagement=r.engagement,
            influence=influence.get(r.author_id) if r.author_id is not None else None,
            followers=r.followers,
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
    content.posts = len(rows)
    day = timedelta(days=1)
    before = read(since - day, until - day)
    own = own_account_ids(conn, own_accounts)
    content.drivers = drivers_of(rows, before, skip_words, own_accounts, set(own))
    if negative_only and own_accounts:
        content.answered = len(first_replies(conn, [r.id for r in rows], own, until))
    campaign = campaign or CampaignSettings()
    hours = max((until - since).total_seconds() / 3600, 1.0)
    groups = copies(rows, campaign.similarity, hours, min_accounts=3)
    content.duplicates = sum(len(g) for g in groups)
    if groups:
        biggest = groups[0]
        accounts = len({m.author_id for m in biggest})
        if len(biggest) >= campaign.min_posts and accounts >= campaign.min_accounts:
            content.campaign = (len(biggest), accounts)
    return content


def drivers_of(
    rows: list[WindowMention],
    before: list[WindowMention],
    skip_words: Sequence[str],
    own_accounts: Sequence[str],
    own_ids: set[int],
    n: int = 5,
) -> list[DriverCount]:
    """The hashtags, phrases and groups of identical posts behind the window's posts, with
    their counts (reports.drivers over the window against the same window a day earlier);
    the posts of `own_ids` (the brand's own accounts, `own_account_ids`) drive nothing."""
    if not rows:
        return []
    frame = pd.DataFrame(
        [
            {
                "id": m.id, "current": current, "sentiment": m.sentiment or "unlabelled",
                "author_id": m.author_id, "engagement": m.engagement,
                "followers": float("nan") if m.followers is None else float(m.followers),
                "title": m.title, "text": m.text, "weight": 1.0,
                "natural": f"{m.source}/{m.external_id}",
            }
            for current, part in ((True, rows), (False, before))
            for m in part
        ]
    )  # fmt: skip
    found = find_drivers(frame, skip_words, own_accounts, own_ids)
    return [
        DriverCount(d.kind, _shorten(d.label, 80), d.mentions, d.previous)
        for d in found.change[:n]
        if d.mentions > 0
    ]


def copies(
    rows: list[WindowMention], similarity: float, hours: float, min_accounts: int
) -> list[list[WindowMention]]:
    """Groups of near-identical posts by at least `min_accounts` accounts within `hours`
    (nlp.authors.suspicion.near_duplicates), largest first."""
    rows = [m for m in rows if m.author_id is not None and m.text]
    if len(rows) < min_accounts:
        return []
    frame = pd.DataFrame({
        "mention_id": [m.id for m in rows], "text": [m.text for m in rows],
        "author_id": [m.author_id for m in rows],
        "published_at": pd.to_datetime([m.published_at for m in rows], utc=True),
        "source": [m.source for m in rows], "source_id": 0,
        "external_id": [m.external_id for m in rows],
    })  # fmt: skip
    natural = frame["source"].astype(str) + "/" + frame["external_id"].astype(str)
    frame = frame.assign(natural=natural).sort_values(["published_at", "natural"], kind="stable")
    flags = near_duplicates(
        frame.reset_index(drop=True), threshold=similarity, hours=hours, min_authors=min_accounts
    )
    if flags.empty:
        return []
    by_id = {m.id: m for m in rows}
    grouped: dict[str, set[int]] = defaultdict(set)
    for mid, key in zip(flags["mention_id"], flags["group_key"], strict=True):
        grouped[str(key)].add(int(mid))
    ranked = sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [[by_id[i] for i in sorted(ids)] for _, ids in ranked]


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
