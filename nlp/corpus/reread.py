"""The second reading of suspected label errors in the train part.

A corpus labelled over eight rounds, by eighteen annotators, while the guide grew from its
first version to v1.10, holds labels that today's guide reads otherwise. `python -m
nlp.train.suspects` lists the train items whose label a plain model contradicts most
confidently (`data/suspects.csv`); two fresh readers read each of them again from the
guide, blind to the stored labels, the queue and each other (the annotators' procedure,
`annotators.md`); **where both give the same value and it differs from the stored gold, their
value is the item's gold** for that task (both skip: the item is skipped). Anything else keeps
the stored gold. Test items are never re-read: their labels are frozen.

Run:
- `python -m nlp.corpus.reread batches [--data DIR] [--annot DIR]`: ANNOT/reread/<lang>/
  batch_NNN.jsonl, the queue's items (cut as a round's batches), with the procedure as
  ANNOT/README.md;
- `python -m nlp.corpus.reread collect READER [--check]`: ANNOT/READER/reread_<lang>/
  batch_NNN.jsonl → `data/reread_<reader>.csv`;
- `python -m nlp.corpus.reread_report [--out FILE]`: the readers' agreement, and what changed
  per task (`data/reread.md`).
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import sys
from pathlib import Path

from nlp.corpus.batches import PROCEDURE, resolve, write_batch_file
from nlp.corpus.collect import Annotation, read_annotations, read_output, write_annotations
from nlp.corpus.gold import Gold, readings
from nlp.corpus.items import cut, read_items
from nlp.corpus.paths import DEFAULT_ANNOT, DEFAULT_DATA, ITEMS, RECORDS, REREAD_QUEUE

FOLDER = "reread"
_READER = re.compile(r"^[A-Za-z0-9_]{1,40}$")


def queued(queue: Path = REREAD_QUEUE) -> list[str]:
    """The queue's item ids, once each, in id order."""
    with queue.open(encoding="utf-8", newline="") as fh:
        return sorted({r["id"] for r in csv.DictReader(fh)})


def reread_batches(
    queue: Path = REREAD_QUEUE, items_path: Path = ITEMS
) -> dict[tuple[str, str], list[dict[str, str]]]:
    """(lang, batch_NNN.jsonl) → the items of that file: the queued items cut as a round's
    (`nlp.corpus.items.cut`)."""
    wanted = set(queued(queue))
    return cut([item for item in read_items(items_path) if item["id"] in wanted])


def write_batches(data: Path, annot: Path, queue: Path = REREAD_QUEUE) -> int:
    """Write the re-reading's batch files (texts only: no label, no guess) and the procedure
    beside them; returns the number of files."""
    cut = reread_batches(queue)
    annot.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROCEDURE, annot / "README.md")
    texts = resolve(data, [item for rows in cut.values() for item in rows])
    for (lang, name), rows in cut.items():
        write_batch_file(annot / FOLDER / lang / name, lang, rows, texts)
    return len(cut)


def reread_file(reader: str, records: Path = RECORDS) -> Path:
    return records / f"reread_{reader}.csv"


def collect(
    reader: str, annot: Path = DEFAULT_ANNOT, queue: Path = REREAD_QUEUE, items_path: Path = ITEMS
) -> tuple[list[Annotation], list[str]]:
    """Every valid line of one reader's files, in the languages the reader has a folder for,
    and a message per problem (file and line)."""
    if not _READER.match(reader):
        raise ValueError(f"reader name {reader!r}: use letters, digits and _ only")
    found: dict[str, Annotation] = {}
    problems: list[str] = []
    cut = reread_batches(queue, items_path)
    langs = {lang for lang, _ in cut if (annot / reader / f"{FOLDER}_{lang}").is_dir()}
    if not langs:
        where = annot / reader / f"{FOLDER}_<lang>"
        return [], [f"{where}: no such folder (one per language the reader read)"]
    for (lang, name), rows in sorted(cut.items()):
        if lang not in langs:
            continue  # a reader reads one language or both
        path = annot / reader / f"{FOLDER}_{lang}" / name
        if not path.exists():
            problems.append(f"{path}: missing (one output file per batch file)")
            continue
        read, _ = read_output(path, {r["id"] for r in rows}, problems)
        found.update((r.id, r) for r in read)
    return sorted(found.values(), key=lambda a: a.id), problems


def read_rereadings(records: Path = RECORDS) -> dict[str, dict[str, Annotation]]:
    """reader → item id → the reader's annotation, from every reread_<reader>.csv."""
    return {
        path.stem.removeprefix("reread_"): read_annotations(path)
        for path in sorted(records.glob("reread_*.csv"))
    }


def agreed_rereadings(records: Path = RECORDS) -> dict[str, Annotation]:
    """item id → what its two readers (the first two in name order) both gave; a task they
    differ on is left empty, so it keeps the stored gold; both skipping gives a skip."""
    out: dict[str, Annotation] = {}
    for item, pair in readings(read_rereadings(records)).items():
        if len(pair) < 2:
            continue
        x, y = pair
        if x.skip or y.skip:
            if x.skip and y.skip:
                out[item] = Annotation(item, skip=x.skip)
            continue
        topic = x.topic if x.topic == y.topic else ""
        sentiment = x.sentiment if x.sentiment == y.sentiment else ""
        if topic or sentiment:
            out[item] = Annotation(item, topic, sentiment)
    return out


def regold(stored: Gold, reading: Annotation | None, split: str) -> Gold:
    """The item's gold after the second reading: a train item's labelled task takes the
    readers' agreed value; both skipping makes it skipped. Held-out items never change."""
    if reading is None or split != "train" or stored.status not in ("agreed", "adjudicated"):
        return stored
    if reading.skip:
        return Gold(stored.id, "", "", "skipped")
    return Gold(
        stored.id, reading.topic or stored.topic, reading.sentiment or stored.sentiment,
        stored.status,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("batches")
    b.add_argument("--data", type=Path, default=DEFAULT_DATA)
    b.add_argument("--annot", type=Path, default=DEFAULT_ANNOT)
    c = sub.add_parser("collect")
    c.add_argument("reader")
    c.add_argument("--annot", type=Path, default=DEFAULT_ANNOT)
    c.add_argument("--check", action="store_true", help="report problems, write nothing")
    args = parser.parse_args(argv)
    if args.command == "batches":
        n = write_batches(args.data, args.annot)
        print(f"{n} batch files in {args.annot / FOLDER}")
        return 0
    if args.command == "collect":
        try:
            found, problems = collect(args.reader, args.annot)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{args.reader}: {len(found)} items read; {len(problems)} problems")
        if not args.check:
            write_annotations(found, reread_file(args.reader))
            print(f"written to {reread_file(args.reader)}")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
