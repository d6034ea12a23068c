"""One alerts check: evaluate the rule for every brand, update episodes, send what is owed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, select

from config.settings import Settings
from reports.alerts.content import safe_url
from reports.alerts.delivery import Delivery, deliver_pending
from reports.alerts.episodes import Outcome, apply
from reports.alerts.influence import influence_of
from reports.alerts.mailer import Mailer
from reports.alerts.rule import Evaluation, evaluate
from reports.alerts.series import bucket_start, load_series
from storage.clock import utcnow
from storage.models import Author, Label, Mention, MentionBrand, Source


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
            "sent": self.delivery.sent,
            "failed": self.delivery.failed,
            "outputs": self.delivery.outputs,
            "errors": self.delivery.errors,
        }


def influential_negatives(
    conn: Connection, brand: str, since: datetime, until: datetime, threshold: float
) -> list[dict[str, Any]]:
    """Negative mentions of the brand in [since, until) by authors at or above `threshold`."""
    rows = conn.execute(
        select(Mention.author_id, Mention.url, Author.handle, Source.name)
        .join(MentionBrand, MentionBrand.mention_id == Mention.id)
        .join(Label, and_(Label.mention_id == Mention.id, Label.task == "sentiment"))
        .join(Source, Source.id == Mention.source_id)
        .join(Author, Author.id == Mention.author_id)
        .where(
            MentionBrand.brand == brand,
            Label.value == "negative",
            Mention.published_at >= since,
            Mention.published_at < until,
        )
    ).all()
    influence = influence_of(conn, [r.author_id for r in rows])
    found = [
        {
            "author": r.handle,
            "influence": influence[r.author_id],
            "source": r.name,
            "url": safe_url(r.url),
        }
        for r in rows
        if influence.get(r.author_id, 0.0) >= threshold
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
            result.outcomes.append(apply(conn, ev, cfg))
    return result


def check(
    engine: Engine, settings: Settings, now: datetime | None = None, mailer: Mailer | None = None
) -> CheckResult:
    """`veille alerts check`: detect, then deliver every e-mail still owed (old ones too)."""
    now = now or utcnow()
    result = detect(engine, settings, now)
    result.delivery = deliver_pending(engine, settings, now, mailer)
    return result
