"""The committed item list (id, source, key, lang, kind) and how it is cut into batches."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from nlp.corpus.paths import ITEMS

ITEM_FIELDS = ("id", "source", "key", "lang", "kind")
BATCH_SIZE = 100


def read_items(path: Path = ITEMS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_items(items: list[dict[str, str]], path: Path = ITEMS, force: bool = False) -> None:
    if path.exists() and not force:
        raise FileExistsError(
            f"{path} exists and annotators label what it lists: pass --force to redraw it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ITEM_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(items)


def batch_name(number: int) -> str:
    return f"batch_{number:03d}.jsonl"


def batches(items: list[dict[str, str]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    """(lang, batch file name) → its items: per language in id order, BATCH_SIZE a batch."""
    by_lang: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i["id"]):
        by_lang[item["lang"]].append(item)
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for lang, rows in sorted(by_lang.items()):
        for start in range(0, len(rows), BATCH_SIZE):
            out[(lang, batch_name(start // BATCH_SIZE + 1))] = rows[start : start + BATCH_SIZE]
    return out
