"""`veille score-series` input and output: CSV files of `timestamp,value` rows."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from reports.detect import DEFAULT, DetectorParams, detector


class CsvInputError(ValueError):
    """A bad CSV row; the message names the file and the line."""


def read_points(path: Path) -> Iterator[tuple[int, dict[str, str], datetime, float]]:
    """(line number, row, timestamp, value) for each row, in file order."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CsvInputError(f"{path}: cannot be read ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        missing = [c for c in ("timestamp", "value") if c not in fields]
        if missing:
            raise CsvInputError(
                f"{path}, line 1: the header needs columns timestamp and value "
                f"(missing {', '.join(missing)}; found {', '.join(fields) or 'nothing'})"
            )
        previous: datetime | None = None
        for row in reader:
            line = reader.line_num
            ts = _timestamp(row.get("timestamp"), path, line)
            value = _value(row.get("value"), path, line)
            if previous is not None and ts < previous:
                raise CsvInputError(
                    f"{path}, line {line}: timestamp {row['timestamp']!r} goes back in time; "
                    "sort the rows by timestamp"
                )
            previous = ts
            yield line, row, ts, value


def _timestamp(text: str | None, path: Path, line: int) -> datetime:
    try:
        ts = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise CsvInputError(
            f"{path}, line {line}: timestamp {text!r} is not a date-time like 2015-02-26 21:42:53"
        ) from None
    return ts if ts.tzinfo is None else ts.astimezone(UTC).replace(tzinfo=None)


def _value(text: str | None, path: Path, line: int) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise CsvInputError(f"{path}, line {line}: value {text!r} is not a number")
    return value


def detect_csv(
    path: Path, out: TextIO, params: DetectorParams | None = None, name: str = DEFAULT
) -> int:
    """Write every row of `path` with an added `anomaly_score`; returns the number of rows."""
    scorer = detector(name, params)
    writer: csv.DictWriter[str] | None = None
    n = 0
    for _, row, ts, value in read_points(path):
        if writer is None:
            fields = [f for f in row if f is not None and f != "anomaly_score"]
            writer = csv.DictWriter(
                out, fieldnames=[*fields, "anomaly_score"], extrasaction="ignore"
            )
            writer.writeheader()
        score = scorer.update(ts, value).score
        writer.writerow({**row, "anomaly_score": f"{score:.6f}"})
        n += 1
    if writer is None:
        csv.writer(out).writerow(["timestamp", "value", "anomaly_score"])
    return n
