"""One alerts check: evaluate the rule for every brand, update episodes, send what is owed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.delivery import Delivery, deliver_pending
from reports.alerts.episodes import Outcome, apply
from reports.alerts.kinds import BrandWindow, evaluate_kinds
from reports.alerts.rule import Evaluation
from reports.alerts.series import bucket_start, load_series
from storage.clock import utcnow
from storage.reporting import own_account_ids


@dataclass
class CheckResult:
    evaluations: list[Evaluation] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    delivery: Delivery = field(default_factory=Delivery)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    def actions(self, kind: str | None = "bad_buzz") -> list[str]:
        """What happened to each brand's alert of this kind (of every kind if None)."""
        return [o.action for o in self.outcomes if kind is None or o.kind == kind]

    def as_dict(self) -> dict[str, Any]:
        actions: dict[str, dict[str, Any]] = {}
        for o in self.outcomes:
            actions.setdefault(o.brand, {})[o.kind] = {"action": o.action, "alert_id": o.alert_id}
        return {
            "brands": [e.as_dict() for e in self.evaluations],
            "actions": actions,
            **self.delivery.as_dict(),
        }


def detect(engine: Engine, settings: Settings, now: datetime | None = None) -> CheckResult:
    """Evaluate every enabled kind for every brand and open, update or close its alerts.

    Evaluations and outcomes come brand by brand, in the kinds' order (the bad buzz first)."""
    now = now or utcnow()
    cfg = settings.alerts
    end = bucket_start(now, cfg.bucket_minutes)  # complete buckets only
    result = CheckResult()
    names = [w for b in settings.brands for w in (b.name, *b.name.split())]
    with engine.connect() as conn:  # what others say: the brands' own accounts never alert
        owned = own_account_ids(conn, settings.own_accounts)
    for brand in settings.brands:
        with engine.begin() as conn:
            since = end - timedelta(days=cfg.lookback_days)
            series = load_series(conn, brand.name, since, end, cfg.bucket_minutes, owned)
            window = BrandWindow(
                conn, brand.name, end, series, names, brand.own_accounts, owned, settings.themes
            )
            for ev in evaluate_kinds(window, cfg):
                result.evaluations.append(ev)
                result.outcomes.append(apply(conn, ev, settings))
    return result


def check(engine: Engine, settings: Settings, now: datetime | None = None) -> CheckResult:
    """`veille alerts check`: detect, then deliver every message still owed (old ones too)."""
    now = now or utcnow()
    result = detect(engine, settings, now)
    result.delivery = deliver_pending(engine, settings, now)
    return result
