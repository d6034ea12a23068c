"""The kinds of alert, each with its rule: what it reads, when it fires, how severe it is.

- `bad_buzz`: an unusual burst of negative mentions (the anomaly detector, reports/alerts/rule.py);
- `negative_share`: few mentions but many more of them negative than usual (3 of 4 when it is
  usually 1 of 10), with a minimum count;
- `influential_post`: a negative post by an author with a large audience (followers) or a high
  influence score;
- `campaign`: near-identical posts by several accounts in a short window (nlp.authors'
  near-duplicate machinery), praise or denigration;
- `rising_term`: a hashtag or word pair (reports.drivers' features) far more frequent with the
  brand than in the days before;
- `rising_theme`: one of the brand team's themes (`themes`, nlp.themes) taking far more of the
  brand's mentions than its usual share;
- `watched_author`: a post about the brand by an author the team tagged to watch
  (`alerts.kinds.watched_author.tags`: a journalist, a VIP; storage.author_tags).

Each kind has its own episode (one open alert per brand and kind), cooldown and wording
(reports/messages.py `alert.cause.<kind>`); the names are in storage.vocab (`alert_kind`), the
settings in config (`alerts.kinds`, per brand `alerts.brands`). `RULES` is in the vocabulary's
order: the bad buzz first, since while it is open it covers the others (episodes.py).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from scipy.special import pdtrc
from sqlalchemy import Connection

from config.settings import (
    AlertKindSettings,
    AlertSettings,
    BadBuzzSettings,
    CampaignSettings,
    InfluentialPostSettings,
    NegativeShareSettings,
    RisingTermSettings,
    RisingThemeSettings,
    ThemeSettings,
    WatchedAuthorSettings,
)
from nlp.text import normalise
from nlp.themes import themes_of
from reports.alerts.content import copies, safe_url
from reports.alerts.influence import followers_to_influence, influence_of
from reports.alerts.rule import Evaluation, evaluate
from reports.alerts.series import BrandSeries
from reports.drivers import features
from reports.ratios import observed_vs_expected
from storage.author_tags import tags_of
from storage.mentions import WindowMention, brand_mentions, brand_sentiments


@dataclass
class BrandWindow:
    """What one check reads of a brand, once, for every kind."""

    conn: Connection
    brand: str
    now: datetime  # end of the last complete bucket
    series: BrandSeries
    skip_words: list[str] = field(default_factory=list)  # the brands' names
    own_accounts: list[str] = field(default_factory=list)
    skip_authors: list[int] = field(default_factory=list)  # every brand's own accounts' ids
    themes: list[ThemeSettings] = field(default_factory=list)  # every configured theme
    _mentions: dict[int, list[WindowMention]] = field(default_factory=dict)

    def mentions(self, minutes: int) -> list[WindowMention]:
        """The brand's mentions of the last `minutes`, with sentiment (read once per length)."""
        if minutes not in self._mentions:
            since = self.now - timedelta(minutes=minutes)
            self._mentions[minutes] = brand_mentions(
                self.conn, self.brand, since, self.now, skip_authors=self.skip_authors
            )
        return self._mentions[minutes]


Rule = Callable[[BrandWindow, Any, AlertSettings], Evaluation]


def _empty(w: BrandWindow, kind: str, minutes: int) -> Evaluation:
    return Evaluation(w.brand, w.now, 0.0, 0, 0.0, 0, kind=kind, window_minutes=minutes)


def bad_buzz(w: BrandWindow, cfg: BadBuzzSettings, alerts: AlertSettings) -> Evaluation:
    ev = evaluate(w.series, alerts, w.now, threshold=cfg.threshold, min_negative=cfg.min_negative)
    ev.why = {"bucket_minutes": alerts.bucket_minutes}
    return ev


def negative_share(w: BrandWindow, cfg: NegativeShareSettings, alerts: AlertSettings) -> Evaluation:
    """The window's negative share against the usual one (the series before the window)."""
    since = w.now - timedelta(minutes=cfg.window_minutes)
    before = w.now - timedelta(days=cfg.baseline_days)
    negatives = total = usual_neg = usual_total = 0
    for start, n_all, n_neg in zip(
        w.series.starts, w.series.totals, w.series.negatives, strict=True
    ):
        if start >= since:
            negatives, total = negatives + n_neg, total + n_all
        elif start >= before:
            usual_neg, usual_total = usual_neg + n_neg, usual_total + n_all
    # The usual share with one negative in ten added, so a short or silent history is no proof
    # of a "jump": 3 of 4 against 1 of 10 is one, 3 of 4 against nothing known is not enough.
    usual = (usual_neg + 1) / (usual_total + 10)
    share = negatives / total if total else 0.0
    ev = _empty(w, "negative_share", cfg.window_minutes)
    ev.negative_last_hour, ev.total_last_hour = negatives, total
    ev.expected_last_hour = usual * total
    ev.score = share / usual if usual else 0.0
    chance = binomial_tail(negatives, total, usual)
    ev.why = {
        "share": round(share, 4), "usual_share": round(usual, 4), "total": total,
        "min_negative": cfg.min_negative, "min_share": cfg.min_share, "jump": cfg.jump,
        "baseline_days": cfg.baseline_days, "chance": round(chance, 6),
    }  # fmt: skip
    jumped = share >= cfg.min_share and share >= cfg.jump * usual and chance <= cfg.max_chance
    if negatives >= cfg.min_negative and jumped:
        ev.triggers = ["negative_share"]
        ev.severity = "medium" if share >= 0.75 and negatives >= 2 * cfg.min_negative else "low"
    return ev


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p): how often k negatives of n happen by chance."""
    if k <= 0:
        return 1.0
    return min(1.0, sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def influential_post(
    w: BrandWindow, cfg: InfluentialPostSettings, alerts: AlertSettings
) -> Evaluation:
    """Negative posts of the window by an author above the influence or follower threshold."""
    min_influence = alerts.influence_threshold if cfg.min_influence is None else cfg.min_influence
    negative = [m for m in w.mentions(cfg.window_minutes) if m.sentiment == "negative"]
    scores = influence_of(w.conn, [m.author_id for m in negative if m.author_id is not None])
    found = []
    for m in negative:
        influence = scores.get(m.author_id) if m.author_id is not None else None
        if influence is None and m.followers is not None:
            influence = followers_to_influence(m.followers)
        by_followers = cfg.min_followers is not None and (m.followers or 0) >= cfg.min_followers
        if by_followers or (influence is not None and influence >= min_influence):
            found.append({
                "author": m.author, "followers": m.followers, "influence": influence,
                "source": m.source, "url": safe_url(m.url),
                "reason": "followers" if by_followers else "influence",
            })  # fmt: skip
    found.sort(
        key=lambda f: (-int(f["followers"] or 0), -float(f["influence"] or 0.0), str(f["author"]))
    )
    ev = _empty(w, "influential_post", cfg.window_minutes)
    ev.negative_last_hour, ev.total_last_hour = len(found), len(negative)
    ev.influencers = found[:5]
    if found:
        top = found[0]
        ev.triggers = ["influential_post"]
        ev.score = float(top["influence"] or 0.0)
        ev.why = {"min_followers": cfg.min_followers, "min_influence": min_influence}
        ev.severity = "medium"  # one post: worth an answer today, not a crisis yet
    return ev


def watched_author(w: BrandWindow, cfg: WatchedAuthorSettings, alerts: AlertSettings) -> Evaluation:
    """The window's posts by authors carrying one of the watched tags (the team's tags on
    authors, storage.author_tags), the widest audience first."""
    ev = _empty(w, "watched_author", cfg.window_minutes)
    if not cfg.tags:
        return ev
    rows = [m for m in w.mentions(cfg.window_minutes) if m.author_id is not None]
    tags = tags_of(w.conn, {m.author_id for m in rows if m.author_id is not None})
    watched = set(cfg.tags)
    found = []
    for m in rows:
        hit = sorted(watched.intersection(tags.get(m.author_id, []) if m.author_id else []))
        if hit and (not cfg.negative_only or m.sentiment == "negative"):
            found.append({
                "author": m.author, "followers": m.followers, "tag": hit[0],
                "source": m.source, "url": safe_url(m.url), "sentiment": m.sentiment,
                "text": _first_words(m.text),
            })  # fmt: skip
    found.sort(key=lambda f: (-int(f["followers"] or 0), str(f["author"]), str(f["url"])))
    ev.total_last_hour = len(rows)
    ev.negative_last_hour = len(found)
    ev.influencers = found[:5]
    if found:
        ev.triggers = ["watched_author"]
        ev.score = float(len(found))
        ev.why = {"tags": sorted(watched), "negative_only": cfg.negative_only}
        negative = any(f["sentiment"] == "negative" for f in found)
        ev.severity = "medium" if negative else "low"  # to read today; a crisis is another kind
    return ev


def campaign(w: BrandWindow, cfg: CampaignSettings, alerts: AlertSettings) -> Evaluation:
    """The largest group of near-identical posts by several accounts in the window."""
    rows = [m for m in w.mentions(cfg.window_minutes) if m.author_id is not None and m.text]
    ev = _empty(w, "campaign", cfg.window_minutes)
    ev.total_last_hour = len(rows)
    groups = copies(rows, cfg.similarity, cfg.window_minutes / 60, cfg.min_accounts)
    if not groups:
        return ev
    posts = groups[0]
    accounts = len({m.author_id for m in posts})
    sentiment = Counter(m.sentiment or "unlabelled" for m in posts)
    neg, pos = sentiment.get("negative", 0), sentiment.get("positive", 0)
    polarity = "denigration" if neg > pos else "praise" if pos > neg else "mixed"
    ev.negative_last_hour = len(posts)
    ev.score = len(posts) / max(1, len(rows))
    ev.why = {
        "posts": len(posts), "accounts": accounts, "polarity": polarity,
        "example": _first_words(min(posts, key=lambda m: (m.published_at or w.now, m.id)).text),
        "sentiment": dict(sorted(sentiment.items())),
    }  # fmt: skip
    if len(posts) >= cfg.min_posts and accounts >= cfg.min_accounts:
        ev.triggers = ["campaign"]
        ev.severity = (
            "low"
            if polarity == "praise"
            else "high"
            if len(posts) >= 5 * cfg.min_posts
            else "medium"
        )
    return ev


def rising_term(w: BrandWindow, cfg: RisingTermSettings, alerts: AlertSettings) -> Evaluation:
    """The hashtag or word pair of the window most above its usual rate (the days before)."""
    minutes = cfg.window_minutes
    ev = _empty(w, "rising_term", minutes)
    rows = w.mentions(minutes)
    ev.total_last_hour = len(rows)
    # A term that rises only through copies is a campaign's, not a new term.
    rows = _once_per_copy(rows, minutes)
    skip_w = {normalise(x) for x in w.skip_words}
    skip_h = {"@" + normalise(h.lstrip("@")) for h in w.own_accounts}
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    authors: dict[tuple[str, str], set[int]] = defaultdict(set)
    forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    negatives: Counter[tuple[str, str]] = Counter()
    for m in rows:
        for kind, found in features(m.title, m.text, skip_w, skip_h).items():
            if kind not in ("hashtag", "bigram"):
                continue
            for key, form in found.items():
                seen[(kind, key)].add(m.id)
                forms[(kind, key)][form] += 1
                negatives[(kind, key)] += m.sentiment == "negative"
                if m.author_id is not None:
                    authors[(kind, key)].add(m.author_id)
    candidates = [
        k for k, ids in seen.items()
        if len(ids) >= cfg.min_mentions and len(authors[k]) >= cfg.min_authors
    ]  # fmt: skip
    if not candidates:
        return ev
    history = brand_mentions(
        w.conn,
        w.brand,
        w.now - timedelta(days=cfg.baseline_days),
        w.now - timedelta(minutes=minutes),
        skip_authors=w.skip_authors,
    )
    before = _counts_before(history, candidates, skip_w, skip_h)
    windows = cfg.baseline_days * 24 * 60 / minutes
    best: tuple[float, int, str, str] | None = None
    for k in candidates:
        expected = before.get(k, 0) / windows
        ratio = observed_vs_expected(len(seen[k]), expected).ratio
        if ratio >= cfg.min_ratio:
            rank = (ratio, len(seen[k]), k[0], k[1])
            if best is None or (rank[0], rank[1]) > (best[0], best[1]):
                best = rank
    if best is None:
        return ev
    chosen = (best[2], best[3])
    expected = before.get(chosen, 0) / windows
    ev.triggers = ["rising_term"]
    ev.negative_last_hour, ev.expected_last_hour, ev.score = len(seen[chosen]), expected, best[0]
    form = min(forms[chosen].items(), key=lambda fc: (-fc[1], fc[0]))[0]
    ev.why = {
        "term": form, "term_kind": chosen[0], "authors": len(authors[chosen]),
        "negative": negatives[chosen], "before": before.get(chosen, 0),
        "baseline_days": cfg.baseline_days,
    }  # fmt: skip
    mostly_negative = negatives[chosen] * 2 > len(seen[chosen])
    ev.severity = "medium" if mostly_negative and best[0] >= 2 * cfg.min_ratio else "low"
    return ev


def rising_theme(w: BrandWindow, cfg: RisingThemeSettings, alerts: AlertSettings) -> Evaluation:
    """The brand's theme of the window most above the mentions its usual share of the brand's
    mentions (the days before) would bring. A share, not a rate: the day's rhythm and a brand
    talked about more overall move every theme alike; a theme that was never seen before is
    new talk. A group of near-identical posts counts once (a copied post is a campaign's)."""
    minutes = cfg.window_minutes
    ev = _empty(w, "rising_theme", minutes)
    own_themes = [t.name for t in w.themes if t.applies_to(w.brand)]
    rows = w.mentions(minutes)
    ev.total_last_hour = len(rows)
    if not own_themes or not rows:
        return ev
    rows = _once_per_copy(rows, minutes)
    found = themes_of(w.conn, w.themes, [m.id for m in rows], kept_too=True)
    members: dict[str, list[WindowMention]] = {name: [] for name in own_themes}
    for m in rows:
        for name in found.get(m.id, []):
            if name in members:
                members[name].append(m)
    candidates = [
        name for name, ms in members.items()
        if len(ms) >= cfg.min_mentions
        and _authors(ms) >= cfg.min_authors
    ]  # fmt: skip
    if not candidates:
        return ev
    start = w.now - timedelta(days=cfg.baseline_days)
    history = list(brand_sentiments(w.conn, w.brand, start, w.now - timedelta(minutes=minutes),
                                    skip_authors=w.skip_authors))  # fmt: skip
    before = Counter(n for names in themes_of(w.conn, w.themes, history, kept_too=True).values()
                     for n in names)  # fmt: skip
    best: tuple[float, int, str, float, float] | None = None
    for name in candidates:
        # One mention of the theme is added to the history: a short one proves no jump.
        usual = (before[name] + 1) / (len(history) + 1)
        expected = usual * len(rows)
        n = len(members[name])
        ratio = observed_vs_expected(n, expected).ratio
        chance = float(pdtrc(n - 1, expected))  # P(at least n) at the usual share
        fires = ratio >= cfg.min_ratio and chance <= cfg.max_chance
        if fires and (best is None or (ratio, n) > (best[0], best[1])):
            best = (ratio, n, name, expected, chance)
    if best is None:
        return ev
    ratio, n, name, expected, chance = best
    theirs = members[name]
    negatives = sum(m.sentiment == "negative" for m in theirs)
    ev.triggers = ["rising_theme"]
    ev.negative_last_hour, ev.expected_last_hour, ev.score = n, expected, ratio
    ev.why = {
        "theme": name, "authors": _authors(theirs),
        "negative": negatives, "share": round(n / len(rows), 4), "total": len(rows),
        "usual_share": round(before[name] / len(history), 4) if history else 0.0,
        "before": before[name], "before_total": len(history), "chance": chance,
        "baseline_days": cfg.baseline_days, "min_ratio": cfg.min_ratio,
    }  # fmt: skip
    mostly_negative = negatives * 2 > n
    ev.severity = "medium" if mostly_negative and ratio >= 2 * cfg.min_ratio else "low"
    return ev


def _once_per_copy(rows: list[WindowMention], minutes: int) -> list[WindowMention]:
    """The window's mentions, each group of near-identical posts counted once (its first)."""
    groups = copies(rows, 0.7, minutes / 60, min_accounts=3)
    copied = {m.id for g in groups for m in g[1:]}
    return [m for m in rows if m.id not in copied]


def _authors(rows: list[WindowMention]) -> int:
    return len({m.author_id for m in rows if m.author_id is not None})


def _counts_before(
    history: list[WindowMention],
    keys: list[tuple[str, str]],
    skip_w: set[str],
    skip_h: set[str],
) -> dict[tuple[str, str], int]:
    """How many mentions of the history had each candidate term (only texts that can)."""
    words = {w for _, key in keys for w in key.lstrip("#").split()}
    wanted = set(keys)
    out: Counter[tuple[str, str]] = Counter()
    for m in history:
        folded = normalise(f"{m.title or ''} {m.text}")
        if not any(w in folded for w in words):
            continue
        for kind, found in features(m.title, m.text, skip_w, skip_h).items():
            for key in found:
                if (kind, key) in wanted:
                    out[(kind, key)] += 1
    return dict(out)


def _first_words(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


RULES: dict[str, Rule] = {
    "bad_buzz": bad_buzz,
    "negative_share": negative_share,
    "influential_post": influential_post,
    "campaign": campaign,
    "rising_term": rising_term,
    "rising_theme": rising_theme,
    "watched_author": watched_author,
}


def evaluate_kinds(w: BrandWindow, alerts: AlertSettings) -> list[Evaluation]:
    """Every enabled kind's evaluation for the brand, in the order of RULES."""
    out = []
    for name, rule in RULES.items():
        cfg: AlertKindSettings = alerts.kind(w.brand, name)
        if cfg.enabled:
            out.append(rule(w, cfg, alerts))
    return out


def cooldown_of(alerts: AlertSettings, brand: str, kind: str) -> int:
    minutes = alerts.kind(brand, kind).cooldown_minutes
    return alerts.cooldown_minutes if minutes is None else minutes
