"""What a bad-buzz detector is: it scores a count series as it streams, from the past only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True)
class DetectorParams:
    """Tuning knobs; the defaults come from bench/detector.py on NAB's tweet-volume series."""

    bucket_minutes: float = 5.0
    smooth: tuple[int, ...] = (3, 12, 36, 144)
    level_halflife_hours: float = 24.0
    season_halflife_days: float = 3.0
    spread_halflife_hours: float = 48.0
    clip: float = 3.0
    quantum: float = 0.75  # spread floor, in log steps of one post per window (counts are whole)
    typical_days: int = 14  # daily maxima of z kept to judge what a usual day's burst is
    min_typical: float = 2.0  # a day's largest deviation is rarely under 2 spreads
    fire_ratio: float = 1.5  # z / typical daily maximum that scores 0.5
    steepness: float = 4.0
    refractory_hours: float = 12.0


@dataclass(frozen=True)
class Scored:
    score: float  # in [0, 1]
    z: float  # deviation from the expected level, in robust spreads
    expected: float  # expected value of this bucket (5-min scale), for messages


class Detector:
    """Abstract: subclasses set `name` and `version` and score each value with `update`.

    A detector is built from `DetectorParams` (it reads the knobs it needs; `bucket_minutes`
    is the width of the series' buckets) and fed the values in time order; each score is in
    [0, 1] and uses only the values before it, so a prefix of a series scores the same as the
    start of the whole series. 0.5 is where an alert may fire (`alerts.threshold`).
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = ""  # bumped whenever the scores change

    def __init__(self, params: DetectorParams | None = None) -> None:
        self.p = params or DetectorParams()

    def update(self, timestamp: datetime, value: float) -> Scored:
        raise NotImplementedError
