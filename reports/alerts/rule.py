"""The bad-buzz rule (an unusual burst of negative mentions) and what every kind's rule returns:
an `Evaluation` of one brand at one check (the other kinds' rules: reports/alerts/kinds.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from config.settings import AlertSettings
from reports.alerts.series import BrandSeries
from reports.detect import DetectorParams, score_series
from reports.ratios import Excess, observed_vs_expected

SEVERITIES = ("low", "medium", "high", "critical")


@dataclass
class Evaluation:
    """What a kind's rule saw for one brand at one check.

    `negative_last_hour`, `expected_last_hour` and `total_last_hour` are the counts the kind
    watches over its window (`window_minutes`, one hour for a bad buzz): negative mentions
    for the negative kinds, near-identical posts for a campaign, the term's mentions for a
    rising term; `why` holds the rest of what the kind's wording says."""

    brand: str
    at: datetime
    score: float  # highest anomaly score of the negative series in the last hour
    negative_last_hour: int
    expected_last_hour: float
    total_last_hour: int
    triggers: list[str] = field(default_factory=list)  # "spike", "influencer", the kind…
    influencers: list[dict[str, Any]] = field(default_factory=list)
    severity: str = "low"
    kind: str = "bad_buzz"
    window_minutes: int = 60
    why: dict[str, Any] = field(default_factory=dict)
    # A bad buzz's minimum of negatives, the brand's own (alerts.brands) where it has one: an
    # episode opens and ends by the same minimum. None: alerts.min_negative.
    min_negative: int | None = None

    @property
    def excess(self) -> Excess:
        return observed_vs_expected(self.negative_last_hour, self.expected_last_hour)

    @property
    def ratio(self) -> float:
        return self.excess.ratio

    @property
    def triggered(self) -> bool:
        return bool(self.triggers)

    def is_normal(self, settings: AlertSettings) -> bool:
        """Back to normal: few negatives, or no more than `normal_ratio` × the expected level
        (a bad buzz); the other kinds end when their rule no longer holds."""
        if self.kind != "bad_buzz":
            return not self.triggered
        minimum = settings.min_negative if self.min_negative is None else self.min_negative
        return (
            self.negative_last_hour < minimum
            or self.negative_last_hour <= settings.normal_ratio * self.excess.baseline
        ) and "influencer" not in self.triggers

    def as_dict(self) -> dict[str, Any]:
        return {
            "brand": self.brand, "at": self.at.isoformat(), "score": round(self.score, 4),
            "negative_last_hour": self.negative_last_hour,
            "expected_last_hour": round(self.expected_last_hour, 2),
            "total_last_hour": self.total_last_hour, "ratio": round(self.ratio, 2),
            "triggers": self.triggers, "influencers": self.influencers, "severity": self.severity,
            "kind": self.kind, "window_minutes": self.window_minutes, "why": self.why,
        }  # fmt: skip


def severity_of(ratio: float, triggers: list[str]) -> str:
    """From the size of the deviation: negatives in the last hour over the expected level."""
    if ratio >= 10:
        level = 3
    elif ratio >= 5:
        level = 2
    elif ratio >= 2.5:
        level = 1
    else:
        level = 0
    if "influencer" in triggers:
        level = max(level, 1)
    return SEVERITIES[level]


def evaluate(
    series: BrandSeries,
    settings: AlertSettings,
    now: datetime,
    influencers: list[dict[str, Any]] | None = None,
    threshold: float | None = None,
    min_negative: int | None = None,
) -> Evaluation:
    """Apply the rule to a brand's series (complete buckets up to `now`); `threshold` and
    `min_negative` override the settings' (a brand's own bad-buzz settings)."""
    threshold = settings.threshold if threshold is None else threshold
    min_negative = settings.min_negative if min_negative is None else min_negative
    # a bad buzz is a rise: fewer negative mentions than usual is no alert
    params = DetectorParams(bucket_minutes=float(settings.bucket_minutes), direction="up")
    points = zip(series.starts, series.negatives, strict=True)
    scored = score_series(points, params, settings.detector)
    hour_ago = now - timedelta(hours=1)
    recent = [i for i, start in enumerate(series.starts) if start >= hour_ago]
    score = max((scored[i].score for i in recent), default=0.0)
    negatives = sum(series.negatives[i] for i in recent)
    totals = sum(series.totals[i] for i in recent)
    expected = expected_last_hour(series, now)
    triggers: list[str] = []
    if score >= threshold and negatives >= min_negative:
        triggers.append("spike")
    if influencers:
        triggers.append("influencer")
    ev = Evaluation(series.brand, now, score, negatives, expected, totals, triggers)
    ev.min_negative = min_negative
    ev.influencers = influencers or []
    ev.severity = severity_of(ev.ratio, triggers)
    return ev


def expected_last_hour(series: BrandSeries, now: datetime, days: int = 7) -> float:
    """Mean negatives in the same hour of the previous days (the level a person expects)."""
    seen: list[int] = []
    for d in range(1, days + 1):
        lo, hi = now - timedelta(days=d, hours=1), now - timedelta(days=d)
        if series.starts and series.starts[0] <= lo:
            seen.append(
                sum(n for s, n in zip(series.starts, series.negatives, strict=True) if lo <= s < hi)
            )
    return sum(seen) / len(seen) if seen else 0.0
