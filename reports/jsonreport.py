"""The machine-readable report (`veille report --format json`): every figure the HTML shows.

Language-independent figures, plus the summary's sentences and the display names in the
report's language. Each figure's definition is in the README ("The JSON report"); anyone can
recompute them from `veille export` (tests/test_reports_json.py does, with pandas).
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

import pandas as pd

from reports.build import ReportContent
from reports.drivers import Driver
from reports.i18n import Translator
from reports.ratios import observed_vs_expected
from reports.summary import sentences
from storage.vocab import SENTIMENTS, UNLABELLED, name

SCHEMA = "veille.report/1"
# Report figure key -> JSON key.
KPIS = {
    "volume": "volume", "authors": "unique_authors", "net_sentiment": "net_sentiment",
    "share_of_voice": "share_of_voice", "reach": "reach", "impressions": "impressions",
    "engagement": "engagement", "engagement_rate": "engagement_rate",
}  # fmt: skip


def clean(value: Any) -> Any:
    """JSON-safe: NaN/NaT → None, numpy numbers → Python, timestamps → ISO strings."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _post(row: dict[str, Any], c: ReportContent, lang: str) -> dict[str, Any]:
    return {
        "source": row.get("source"),
        "source_name": c.source_names.shown(str(row.get("source")), lang),  # type: ignore[arg-type]
        "external_id": row.get("external_id"),
        "published_at": row.get("published_at"),
        "author": row.get("author"),
        "followers": row.get("followers"),
        "engagement": row.get("engagement"),
        "sentiment": row.get("sentiment"),
        "topic": row.get("topic"),
        "url": row.get("url") or row.get("thread_url"),
        "title": row.get("title"),
        "text": row.get("text"),
    }


def _posts(frame: pd.DataFrame, c: ReportContent, lang: str) -> list[dict[str, Any]]:
    return [_post(r, c, lang) for r in frame.to_dict("records")]


def _themes(c: ReportContent) -> dict[str, Any] | None:
    """The brand's counted mentions by theme (None: no theme applies to the brand)."""
    if c.themes is None:
        return None
    return {
        "themes": [
            {
                "name": r["theme"], "query": r["query"],
                "mentions": r["mentions"], "previous": r["previous"],
                "share": r["share"], "previous_share": r["share_previous"],
                **{s: r[s] for s in (*SENTIMENTS, UNLABELLED)},
                "net_sentiment": r["net"], "previous_net_sentiment": r["net_previous"],
            }
            for r in c.themes.table.to_dict("records")
        ],
        "none": {"period": c.themes.unthemed, "previous": c.themes.unthemed_previous},
    }  # fmt: skip


def _driver(d: Driver, c: ReportContent, lang: str) -> dict[str, Any]:
    posts = c.driver_posts.set_index("id") if len(c.driver_posts) else None
    examples = []
    for i in d.examples:
        if posts is not None and i in posts.index:
            examples.append(_post({"id": i, **posts.loc[i].to_dict()}, c, lang))
    return {
        "kind": d.kind, "label": d.label, "key": d.key, "mentions": d.mentions,
        "previous": d.previous, "change": d.change, "share_of_change": d.share_of_change,
        "sentiment": d.sentiment, "net_sentiment": d.net_sentiment, "authors": d.authors,
        "examples": examples,
    }  # fmt: skip


def _people(frame: pd.DataFrame, c: ReportContent, lang: str) -> list[dict[str, Any]]:
    out = []
    for r in frame.to_dict("records"):
        out.append(
            {
                "author": r.get("handle"), "name": r.get("name"), "source": r.get("source"),
                "source_name": c.source_names.shown(str(r.get("source")), lang),  # type: ignore[arg-type]
                "followers": r.get("followers"), "posts": r.get("posts"),
                "engagement": r.get("engagement"), "influence": r.get("influence"),
                "profile": r.get("profile"),
            }
        )  # fmt: skip
    return out


def report_dict(c: ReportContent, t: Translator) -> dict[str, Any]:
    lang = t.lang
    h = c.headline
    kpis = {
        KPIS[f.key]: {"period": f.current, "previous": f.previous, "change": f.change}
        for f in h.figures
    }
    sources = []
    for r in c.sources.to_dict("records"):
        sources.append(
            {
                "source": r["source"],
                "name": c.source_names.shown(r["source"], lang),  # type: ignore[arg-type]
                "kind": c.source_names.kind(r["source"]),
                "mentions": r["mentions"], "previous": r["previous"],
                **{s: r[s] for s in (*SENTIMENTS, UNLABELLED)},
                "net_sentiment": r["net"],
            }
        )  # fmt: skip
    topics = [
        {
            "topic": r["topic"], "name": name("topic", r["topic"], lang),  # type: ignore[arg-type]
            "mentions": r["mentions"], "share": r["share"],
            "previous_share": r["share_previous"], "study_share": r["reference"],
            "net_sentiment": r["net"],
        }
        for r in c.topics.to_dict("records")
    ]  # fmt: skip
    tiers = c.contributors.tiers.set_index("tier")
    alerts = []
    for a in c.alerts.to_dict("records"):
        excess = observed_vs_expected(a["negative_count"] or 0, a["expected_count"])
        alerts.append(
            {
                "id": a["id"], "kind": a.get("kind") or "bad_buzz", "severity": a["severity"],
                "status": a["status"],
                "opened_at": a["opened_at"], "closed_at": a["closed_at"],
                "negatives": a["negative_count"], "expected": a["expected_count"],
                "ratio": excess.ratio,
                "in_period": bool(c.period.start <= a["opened_at"] < c.period.end),
                "banner": bool(a["status"] == "open" or a["opened_at"] >= c.period.end),
            }
        )  # fmt: skip
    series = c.series.reset_index(names="start")
    report = {
        "schema": SCHEMA,
        "brand": c.brand,
        "compared_with": list(c.brands[1:]),
        "language": lang,
        "generated_at": c.generated_at,
        "period": {
            "start": c.period.first_day, "end": c.period.last_day, "timezone": c.period.tz,
            "days": c.period.days,
        },
        "previous": {"start": c.previous.first_day, "end": c.previous.last_day},
        "comparison": {
            "complete": c.coverage.comparable,
            "late_sources": [
                {"source": s.source, "covered_from": s.covered_from} for s in c.coverage.late
            ],
        },
        "summary": [s.text for s in sentences(c, t)],
        "kpis": kpis,
        "sentiment": h.sentiment,
        "sentiment_previous": h.sentiment_previous,
        "by_source": sources,
        "by_topic": topics,
        "themes": _themes(c),
        "tiers": {k: int(tiers.loc[k, "authors"]) for k in tiers.index},
        "tiers_shares_previous": {k: tiers.loc[k, "previous_share"] for k in tiers.index},
        "profiles": c.contributors.profiles.to_dict("records"),
        "drivers": {
            "volume_change": c.drivers.volume_change,
            "beyond_chance": c.drivers.beyond_chance,
            "sampled": c.drivers.sampled,
            **{
                k: [_driver(d, c, lang) for d in getattr(c.drivers, k)]
                for k in ("change", "praise", "complaints")
            },
        },
        "influencers": _people(c.influencers.ranked, c, lang),
        "own_accounts": _people(c.influencers.own, c, lang),
        "most_engaging": _posts(c.engaging, c, lang),
        "own_posts": _posts(c.own_posts, c, lang),
        "needing_answer": [
            {**_post(r, c, lang), "handed_to": list(r.get("handed_to") or [])}
            for r in c.needing_answer.to_dict("records")
        ],
        "answers": {
            "asked": c.answers.asked, "answered": c.answers.answered,
            "median_minutes": c.answers.median_minutes,
            "by_source": [
                {"source": s, "source_name": c.source_names.shown(s, lang),  # type: ignore[arg-type]
                 "asked": n, "answered": a}
                for s, n, a in c.answers.by_source
            ],
        },
        "competitors": [
            {
                "brand": r.brand, "volume": r.volume.current, "previous": r.volume.previous,
                "net_sentiment": r.net.current, "share_of_voice": r.sov.current,
            }
            for r in c.competitors.itertuples()
        ],
        "suspicious": {
            "computed": c.flagged is not None, "excluded": c.excluded,
            "period": c.flagged, "previous": c.flagged_previous,
            "groups": c.exclusions.to_dict("records"),
        },
        # The posts of the brands' own accounts among the brand's mentions (reports.
        # exclude_own_posts: left out of every figure above but the lists of own posts).
        # What the brand's own accounts published, whatever brand the posts name (null: none).
        "own_activity": None if c.own_activity is None else {
            "posts": c.own_activity.posts, "previous": c.own_activity.previous,
            "engagement": c.own_activity.engagement,
            "previous_engagement": c.own_activity.previous_engagement,
        },
        "own_accounts_posts": {
            "excluded": c.owned_excluded, "period": c.owned, "previous": c.owned_previous,
        },
        "off_topic": c.off_topic,
        "alerts": alerts,
        "events": [{"at": e.at, "ends_at": e.ends_at, "label": e.label} for e in c.events],
        "sources": [
            {
                "source": s.source, "name": c.source_names.shown(s.source, lang),  # type: ignore[arg-type]
                "kind": s.kind, "mentions": s.mentions, "previous": s.previous,
                "excluded": s.excluded, "covered_from": s.covered_from,
                "last_published": s.last_published, "last_collection": s.last_collection,
                "status": s.status,
            }
            for s in c.coverage.sources
        ],
        "models": [
            {"task": r["task"], "model": r["model"], "version": r["version"],
             "by_human": bool(r["by_human"]), "labels": r["n"], "unsure": r["unsure"]}
            for r in c.models.to_dict("records")
        ],
        "series": series.to_dict("records"),
    }  # fmt: skip
    out: dict[str, Any] = clean(report)
    return out


def render_json(c: ReportContent, t: Translator) -> str:
    return json.dumps(report_dict(c, t), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
