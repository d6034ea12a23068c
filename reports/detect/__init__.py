"""Bad-buzz detection: streaming anomaly detectors for mention-count series, by name.

A detector is a `reports.detect.base.Detector` subclass with a `name` and a `version`; the
built-ins are the classes of this package's modules, third-party ones are classes (or modules
of them) named by the `veille.detectors` entry-point group. `alerts.detector` chooses one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from config.plugins import Registry, classes_in
from reports.detect.base import Detector, DetectorParams, Scored
from reports.detect.detector import StreamingDetector

DEFAULT = "streaming"


def _detectors_of(obj: Any) -> list[tuple[str, type[Detector]]]:
    return [(c.name, c) for c in classes_in(obj, Detector)]


# detector name -> class, sorted by name.
DETECTORS: Registry[type[Detector]] = Registry(
    "detector",
    "detectors",
    __name__,
    "veille.detectors",
    _detectors_of,
    skip=("base", "csvio"),
    order=lambda name, _: name,
)


def detector(name: str = DEFAULT, params: DetectorParams | None = None) -> Detector:
    """A fresh detector `name`; an unknown name fails listing the known detectors."""
    return DETECTORS.get_plugin(name)(params)


def score_series(
    points: Iterable[tuple[datetime, float]],
    params: DetectorParams | None = None,
    name: str = DEFAULT,
) -> list[Scored]:
    """Scores of a whole series, computed exactly as a stream would (the same object)."""
    scorer = detector(name, params)
    return [scorer.update(ts, value) for ts, value in points]


__all__ = [
    "DETECTORS", "Detector", "DetectorParams", "Scored", "StreamingDetector", "detector",
    "score_series",
]  # fmt: skip
