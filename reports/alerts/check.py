"""One alerts check: evaluate the rule for every brand, update episodes, send what is owed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from config.settings import Settings
from reports.alerts.content import safe_url
from reports.alerts.delivery import Delivery, deliver_pending
from reports.alerts.episodes import Outcome, apply
from reports.alerts.influence import influence_of
from reports.alerts.rule import Evaluation, evaluate
from reports.alerts.series import bucket_start, load_series
from storage.clock import utcnow
from storage.mentions import negative_mentions


@dataclass
class CheckResult:
    evaluations: list[Evaluation] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    delivery: Delivery = field(default_factory=Delivery)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    def as_dict(self) -> dict[str, Any]:
        return {
            "brands": [e.as_dict() for e in self.evaluations],
            "actions": {
                o.brand: {"action": o.action, "alert_id": o.alert_id} for o in self.outcomes
            },
            **self.delivery.as_dict(),
        }


def influential_negatives(
    conn: Connection, brand: str, since: datetime, until: datetime, threshold: float
) -> list[dict[str, Any]]:
    """Negative mentions of the brand in [since, until) by authors at or above `threshold`."""
    by_author = [
        (m.author_id, m) for m in negative_mentions(conn, brand, since, until) if m.author_id
    ]
    influence = influence_of(conn, [a for a, _ in by_author])
    found: list[dict[str, Any]] = [
        {"author": m.author, "influence": influence[a], "source": m.source, "url": safe_url(m.url)}
        for a, m in by_author
        if influence.get(a, 0.0) >= threshold
    ]
    return sorted(found, key=lambda f: -f["influence"])[:5]


def detect(engine: Engine, settings: Settings, now: datetime | None = None) -> CheckResult:
    """Evaluate the rule for every brand and open, update or close its alert."""
    now = now or utcnow()
    cfg = settings.alerts
    end = bucket_start(now, cfg.bucket_minutes)  # complete buckets only
    result = CheckResult()
    for brand in settings.brands:
        with engine.begin() as conn:
            series = load_series(
                conn, brand.name, end - timedelta(days=cfg.lookback_days), end, cfg.bucket_minutes
            )
            influencers = influential_negatives(
                conn, brand.name, end - timedelta(hours=1), end, cfg.influence_threshold
            )
            ev = evaluate(series, cfg, end, influencers)
            result.evaluations.append(ev)
            result.outcomes.append(apply(conn, ev, settings))
    return result


def check(engine: Engine, settings: Settings, now: datetime | None = None) -> CheckResult:
    """`veille alerts check`: detect, then deliver every message still owed (old ones too)."""
    now = now or utcnow()
    result = detect(engine, settings, now)
    result.delivery = deliver_pending(engine, settings, now)
    return result
