"""The gold label of each item: what two annotators agree on, else what the third reading says."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nlp.corpus.collect import ANNOTATION_FIELDS, Annotation, read_annotations
from nlp.corpus.paths import RECORDS

ADJUDICATION_FIELDS = ("id", "topic", "sentiment", "skip", "reason")
TASKS = ("topic", "sentiment")


@dataclass(frozen=True)
class Gold:
    """`status`: agreed (both readings alike), adjudicated (a third reading settled at least one
    task), skipped (unusable), pending (readings missing or a disagreement not yet settled)."""

    id: str
    topic: str
    sentiment: str
    status: str


def read_all_annotations(records: Path = RECORDS) -> dict[str, dict[str, Annotation]]:
    """annotator → item id → annotation, from every annotations_<annotator>.csv."""
    out: dict[str, dict[str, Annotation]] = {}
    for path in sorted(records.glob("annotations_*.csv")):
        out[path.stem.removeprefix("annotations_")] = read_annotations(path)
    return out


def readings(by_annotator: dict[str, dict[str, Annotation]]) -> dict[str, list[Annotation]]:
    """item id → its first two readings, annotators in name order (the κ pairs)."""
    out: dict[str, list[Annotation]] = {}
    for name in sorted(by_annotator):
        for item, annotation in by_annotator[name].items():
            out.setdefault(item, [])
            if len(out[item]) < 2:
                out[item].append(annotation)
    return out


def read_adjudication(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def write_adjudication(rows: Iterable[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ADJUDICATION_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["id"]))


def disagrees(pair: list[Annotation]) -> bool:
    """Two readings that need a third: one skips and the other labels, or a task differs."""
    a, b = pair
    if a.skip or b.skip:
        return not (a.skip and b.skip)
    return a.topic != b.topic or a.sentiment != b.sentiment


def gold(pair: list[Annotation], third: dict[str, str] | None) -> Gold:
    """Per task, the agreed value, else the adjudicated one."""
    item = pair[0].id
    if len(pair) < 2:
        return Gold(item, "", "", "pending")
    a, b = pair
    if a.skip and b.skip:
        return Gold(item, "", "", "skipped")
    if not disagrees(pair):
        return Gold(item, a.topic, a.sentiment, "agreed")
    if third is None:
        return Gold(item, "", "", "pending")
    if third.get("skip"):
        return Gold(item, "", "", "skipped")
    both = not (a.skip or b.skip)
    topic = a.topic if both and a.topic == b.topic else third.get("topic", "")
    sentiment = a.sentiment if both and a.sentiment == b.sentiment else third.get("sentiment", "")
    return Gold(item, topic, sentiment, "adjudicated" if topic and sentiment else "pending")


__all__ = ["ANNOTATION_FIELDS", "TASKS", "Gold", "gold", "read_all_annotations", "readings"]
