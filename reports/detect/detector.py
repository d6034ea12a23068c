"""A streaming, causal anomaly detector for count series (mentions per time bucket).

Each value is scored from the past only, so a prefix of a series gets the same scores as the
start of the whole series. The model, in log space at four smoothing widths (15 min, 1 h, 3 h
and 12 h by default; the 12 h one catches slow swells that no short window shows): a level
that follows new normals within a day, an hour-of-day and a day-of-week profile (daily and
weekly seasonality), and a robust spread, all updated with clipped residuals so one spike
cannot drag them. The deviation `z` (in spreads, the largest over the widths)
is then compared with the typical day's largest deviation (the median of the daily maxima of
the last two weeks): a score of 0.5 means `z` is `fire_ratio` times that, which keeps busy,
heavy-tailed series quiet on their usual bursts and lets sparse ones speak. After a score
reaches 0.5 the next hours are halved (a refractory period): a burst fires once, at its onset.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from reports.detect.base import Detector, DetectorParams, Scored


def _alpha(halflife_steps: float) -> float:
    return 1.0 - math.pow(0.5, 1.0 / max(halflife_steps, 1.0))


@dataclass
class _Scale:
    width: int
    window: deque[float]
    total: float = 0.0
    level: float | None = None
    spread: float = 0.5
    daily: list[float] = field(default_factory=lambda: [0.0] * 24)
    weekly: list[float] = field(default_factory=lambda: [0.0] * 7)


class StreamingDetector(Detector):
    """Feed values in time order with `update`; each call returns the score of that value."""

    name = "streaming"
    version = "veille.detector.streaming.v1"

    def __init__(self, params: DetectorParams | None = None) -> None:
        super().__init__(params)
        p = self.p
        per_hour = 60.0 / p.bucket_minutes
        self._a_level = _alpha(p.level_halflife_hours * per_hour)
        # each hour-of-day slot is seen once a day, each weekday once a week
        self._a_daily = _alpha(p.season_halflife_days * per_hour)
        self._a_weekly = _alpha(p.season_halflife_days * 7 * per_hour)
        self._a_spread = _alpha(p.spread_halflife_hours * per_hour)
        self._day = max(round(24 * per_hour), 1)
        self._refractory = round(p.refractory_hours * per_hour)
        self._scales = [_Scale(w, deque(maxlen=w)) for w in p.smooth]
        self._seen = 0
        self._daily_max: deque[float] = deque(maxlen=max(p.typical_days, 1))
        self._today = -math.inf
        self._typical = p.min_typical
        self._since_fire = self._refractory + 1

    def update(self, timestamp: datetime, value: float) -> Scored:
        value = max(float(value), 0.0) if math.isfinite(value) else 0.0
        hour, dow = timestamp.hour, timestamp.weekday()
        expected = 0.0
        z = -math.inf
        for sc in self._scales:
            zi, exp_i = self._update_scale(sc, hour, dow, value)
            z = max(z, zi)
            if sc is self._scales[0]:
                expected = exp_i
        if self._seen and self._seen % self._day == 0:
            self._daily_max.append(self._today)
            self._today = -math.inf
            self._typical = max(statistics.median(self._daily_max), self.p.min_typical)
        self._seen += 1
        self._today = max(self._today, z)
        if not self._daily_max:  # warming up: not one whole day seen yet
            return Scored(0.0, z, expected)
        ratio = z / self._typical
        exponent = -self.p.steepness * (ratio - self.p.fire_ratio)
        score = 1.0 / (1.0 + math.exp(min(exponent, 700.0)))
        self._since_fire += 1
        if self._since_fire <= self._refractory:
            score *= 0.5  # one high score per burst: the hours after a firing are damped
        elif score >= 0.5:
            self._since_fire = 0
        return Scored(min(max(score, 0.0), 1.0), z, expected)

    def _update_scale(self, sc: _Scale, hour: int, dow: int, value: float) -> tuple[float, float]:
        if len(sc.window) == sc.width:
            sc.total -= sc.window[0]
        sc.window.append(value)
        sc.total += value
        u = math.log1p(max(sc.total, 0.0) / len(sc.window))
        if sc.level is None:
            sc.level = u
            return 0.0, value
        pred = sc.level + sc.daily[hour] + sc.weekly[dow]
        r = u - max(pred, 0.0)  # no fewer than zero posts are expected
        spread = max(sc.spread, self.p.quantum * math.log1p(1.0 / sc.width), 0.05)
        z = r / (1.25 * spread)  # 1.25 × mean absolute deviation ≈ one standard deviation
        bound = self.p.clip * spread
        rc = max(-bound, min(bound, r))
        sc.level += self._a_level * rc
        sc.daily[hour] += self._a_daily * rc
        sc.weekly[dow] += self._a_weekly * rc
        sc.spread += self._a_spread * (min(abs(r), bound) - sc.spread)
        return z, max(math.expm1(pred), 0.0)
