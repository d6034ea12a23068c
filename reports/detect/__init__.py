"""Bad-buzz detection: a streaming anomaly detector for mention-count series."""

from reports.detect.detector import DetectorParams, Scored, StreamingDetector, score_series

__all__ = ["DetectorParams", "Scored", "StreamingDetector", "score_series"]
