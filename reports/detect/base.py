"""What an anomaly detector is: it scores a series (counts, any metric) as it streams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True)
class DetectorParams:
    """Tuning knobs (each detector reads those it needs). The defaults are the best of
    bench/detector.py's 75 settings for the streaming detector on all 53 labelled NAB series
    (so its in-sample figure is optimistic; the leave-one-out one is not)."""

    bucket_minutes: float | None = None  # None: the median step of the warm-up's timestamps
    warmup_hours: float = 24.0
    direction: str = "both"  # "up": only rises count; "both": drops too
    # reading the values
    scale: float = 0.2  # metrics are read as log1p(x / (scale × the warm-up's median))
    quantum: float = 0.75  # spread floor of whole counts, in log steps of one unit per window
    min_spread: float = 0.05  # spread floor, in log steps
    # deviation from the level and the seasonal profiles, at several smoothing widths
    smooth_minutes: tuple[float, ...] = (5.0, 30.0, 180.0, 720.0)
    min_posts: float = 2.0  # counts: a window averages at least this many (sparse: wider)
    level_halflife_hours: float = 24.0
    daily_slots: int = 24
    season_halflife_days: float = 3.0  # each daily slot: three visits
    weekly_halflife_weeks: float = 0.875  # the day-of-week profile
    hour_of_week_halflife_weeks: float = 0.0  # a third, hour-of-week profile (0: none)
    season_test: bool = True  # use a simpler prediction where it has erred less
    spread_halflife_hours: float = 48.0
    clip: float = 3.0
    shift_hours: float = 0.0  # a departure past the clip this long is a new level (0: never)
    # novelty of the recent pattern (0: off)
    pattern_length: int = 2
    pattern_bins: int = 16
    pattern_window: int = 12  # share of novel patterns among the last points
    # calibration and firing
    typical_days: int = 14  # daily maxima kept to judge what a usual day's burst is
    min_typical: float = 2.0  # a day's largest deviation is rarely under 2 spreads
    fire_ratio: float = 1.5  # deviation / typical daily maximum that fires
    steepness: float = 4.0
    refractory_hours: float = 12.0


@dataclass(frozen=True)
class Scored:
    score: float  # in [0, 1]; ≥ 0.5 only where the detector fires
    z: float  # deviation from the expected level, in robust spreads (signed)
    expected: float  # expected value of this point, for messages


class Detector:
    """Abstract: subclasses set `name` and `version` and score each value with `update`.

    A detector is built from `DetectorParams` (it reads the knobs it needs; `bucket_minutes`
    is the width of the series' buckets, None to learn it from the timestamps) and fed the
    values in time order; each score is in [0, 1] and uses only the values before it, so a
    prefix of a series scores the same as the start of the whole series. 0.5 is where an
    alert may fire (`alerts.threshold`).
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = ""  # bumped whenever the scores change

    def __init__(self, params: DetectorParams | None = None) -> None:
        self.p = params or DetectorParams()

    def update(self, timestamp: datetime, value: float) -> Scored:
        raise NotImplementedError
