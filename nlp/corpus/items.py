"""The committed item list (id, source, key, lang, kind, round) and how it is cut into batches."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from nlp.corpus.paths import ITEMS

ITEM_FIELDS = ("id", "source", "key", "lang", "kind", "round")
BATCH_SIZE = 100
FIRST_ROUND = "1"


def read_items(path: Path = ITEMS) -> list[dict[str, str]]:
    """The items; a list written before rounds existed reads as round 1."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [{**row, "round": row.get("round") or FIRST_ROUND} for row in csv.DictReader(fh)]


def write_items(items: list[dict[str, str]], path: Path = ITEMS, force: bool = False) -> None:
    if path.exists() and not force:
        raise FileExistsError(
            f"{path} exists and annotators label what it lists: pass --force to redraw it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ITEM_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({**i, "round": i.get("round") or FIRST_ROUND} for i in items)


def of_round(items: list[dict[str, str]], round_no: int) -> list[dict[str, str]]:
    return [i for i in items if int(i.get("round") or FIRST_ROUND) == round_no]


def batch_name(number: int) -> str:
    return f"batch_{number:03d}.jsonl"


def batches(
    items: list[dict[str, str]], round_no: int = 1
) -> dict[tuple[str, str], list[dict[str, str]]]:
    """(lang, batch file name) → its items: the items of one annotation round, per language in
    id order, BATCH_SIZE a batch (each round's batches are numbered from batch_001)."""
    return cut(of_round(items, round_no))


def cut(items: list[dict[str, str]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    """(lang, batch file name) → its items: per language in id order, BATCH_SIZE a batch,
    numbered from batch_001 (a round's batches, or a second reading's)."""
    by_lang: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i["id"]):
        by_lang[item["lang"]].append(item)
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for lang, rows in sorted(by_lang.items()):
        for start in range(0, len(rows), BATCH_SIZE):
            out[(lang, batch_name(start // BATCH_SIZE + 1))] = rows[start : start + BATCH_SIZE]
    return out
