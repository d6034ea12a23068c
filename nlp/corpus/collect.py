"""Gather one annotator's batch outputs into nlp/corpus/data/annotations_<annotator>.csv.

Run: `python -m nlp.corpus.collect ANNOTATOR [--annot DIR] [--round N] [--check]`: reads
ANNOT/ANNOTATOR/<lang>/batch_NNN.jsonl (round 1; round N: ANNOT/ANNOTATOR/<lang>N/). Every
value is checked against the label vocabulary; a bad line is named by file and line number
and left out; `--check` only reports (for annotators checking their files before handing them
back). The annotator's CSV keeps the items of other rounds: only this round's rows are
replaced."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from nlp.corpus.items import batches, of_round, read_items
from nlp.corpus.paths import DEFAULT_ANNOT, ITEMS, annotations_file, lang_folder
from storage.vocab import SENTIMENTS, TOPICS

ANNOTATION_FIELDS = ("id", "topic", "sentiment", "skip", "note")
NOTE_LIMIT = 200  # notes say why; they must not carry the text into the repository
_ANNOTATOR = re.compile(r"^[A-Za-z0-9_]{1,40}$")
_LANG_FOLDER = re.compile(r"^(?P<lang>[a-z]{2})(?P<round>[0-9]*)$")


@dataclass(frozen=True)
class Annotation:
    id: str
    topic: str = ""
    sentiment: str = ""
    skip: str = ""
    note: str = ""

    def row(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in ANNOTATION_FIELDS}


@dataclass
class Collected:
    annotations: list[Annotation]
    problems: list[str]
    files: int
    missing: int  # items of a labelled batch with no line


def parse_line(
    line: str, where: str, expected: set[str], note_key: str = "note"
) -> tuple[Annotation | None, str | None]:
    """One output line as an annotation, or the message naming `where` and what is wrong.
    `note_key` is the free-text field (`reason` in the adjudicator's files)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"{where}: not a JSON object ({exc.msg})"
    if not isinstance(record, dict):
        return None, f"{where}: not a JSON object"
    item = record.get("id")
    if not isinstance(item, str) or item not in expected:
        return None, f"{where}: id {item!r} is not an item of this batch"
    unknown = set(record) - {"id", "topic", "sentiment", "skip", note_key}
    if unknown:
        return None, f"{where}: {item}: unknown keys {sorted(unknown)}"
    note = record.get(note_key) or ""
    if not isinstance(note, str):
        return None, f"{where}: {item}: {note_key} must be a string"
    note = " ".join(note.split())[:NOTE_LIMIT]
    skip = record.get("skip")
    if skip is not None:
        if not isinstance(skip, str) or not skip.strip():
            return None, f"{where}: {item}: skip needs a reason (not_fr, not_en, unintelligible…)"
        if "topic" in record or "sentiment" in record:
            return None, f"{where}: {item}: give either skip or topic and sentiment, not both"
        return Annotation(item, skip=" ".join(skip.split())[:NOTE_LIMIT], note=note), None
    topic, sentiment = record.get("topic"), record.get("sentiment")
    if topic not in TOPICS:
        return None, f"{where}: {item}: topic {topic!r} is not one of {', '.join(TOPICS)}"
    if sentiment not in SENTIMENTS:
        return None, (
            f"{where}: {item}: sentiment {sentiment!r} is not one of {', '.join(SENTIMENTS)}"
        )
    return Annotation(item, str(topic), str(sentiment), note=note), None


def collect(
    annotator: str, annot: Path = DEFAULT_ANNOT, items_path: Path = ITEMS, round_no: int = 1
) -> Collected:
    """Every valid line of the annotator's batch files of one round, and a message per
    problem (folders of other rounds are left alone)."""
    if not _ANNOTATOR.match(annotator):
        raise ValueError(f"annotator name {annotator!r}: use letters, digits and _ only")
    found: dict[str, Annotation] = {}
    problems: list[str] = []
    files = missing = 0
    folder = annot / annotator
    where = lang_folder("<lang>", round_no)
    if not folder.is_dir():
        return Collected(
            [], [f"{folder}: no such folder (batch outputs go in <annotator>/{where}/)"], 0, 0
        )
    known = batches(read_items(items_path), round_no)
    for path in sorted(folder.glob("*/*.jsonl")):
        name = path.name
        parsed = _LANG_FOLDER.match(path.parent.name)
        if parsed is None:
            problems.append(f"{path}: not in a language folder (<annotator>/{where}/)")
            continue
        if int(parsed["round"] or 1) != round_no:
            continue  # another round's files: collected with --round
        lang = parsed["lang"]
        if (lang, name) not in known:
            problems.append(f"{path}: no batch {lang}/{name} in round {round_no} of the item list")
            continue
        files += 1
        read, left = read_output(path, {i["id"] for i in known[(lang, name)]}, problems)
        found.update((r.id, r) for r in read)
        missing += left
    return Collected(sorted(found.values(), key=lambda a: a.id), problems, files, missing)


def read_output(
    path: Path, expected: set[str], problems: list[str]
) -> tuple[list[Annotation], int]:
    """The valid lines of one output file (one line per item of its batch, `expected`), each
    problem named by file and line appended to `problems`; and how many items have no line."""
    found: list[Annotation] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            annotation, problem = parse_line(line, f"{path}:{number}", expected)
            if problem:
                problems.append(problem)
            elif annotation is not None:
                if annotation.id in seen:
                    problems.append(f"{path}:{number}: {annotation.id} labelled twice")
                    continue
                seen.add(annotation.id)
                found.append(annotation)
    left = sorted(expected - seen)
    if left:
        problems.append(f"{path}: {len(left)} items without a line, e.g. {', '.join(left[:5])}")
    return found, len(left)


def write_annotations(annotations: list[Annotation], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ANNOTATION_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(a.row() for a in annotations)


def merge_annotations(
    collected: list[Annotation], path: Path, round_ids: set[str]
) -> list[Annotation]:
    """The rows of an existing annotations file that belong to other rounds, plus this round's
    collected rows (which replace whatever the file held for this round)."""
    kept = read_annotations(path) if path.exists() else {}
    rows = {i: a for i, a in kept.items() if i not in round_ids}
    rows.update((a.id, a) for a in collected)
    return [rows[i] for i in sorted(rows)]


def read_annotations(path: Path) -> dict[str, Annotation]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            r["id"]: Annotation(**{f: r.get(f) or "" for f in ANNOTATION_FIELDS})
            for r in csv.DictReader(fh)
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("annotator")
    parser.add_argument("--annot", type=Path, default=DEFAULT_ANNOT)
    parser.add_argument("--out", type=Path, help="default: nlp/corpus/data/annotations_<name>.csv")
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    parser.add_argument("--round", type=int, default=1, help="annotation round (default 1)")
    parser.add_argument("--items", type=Path, default=ITEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        result = collect(args.annotator, args.annot, args.items, args.round)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for problem in result.problems:
        print(problem, file=sys.stderr)
    skipped = sum(bool(a.skip) for a in result.annotations)
    print(
        f"{args.annotator}: {len(result.annotations)} items labelled ({skipped} skipped) in "
        f"{result.files} batch files of round {args.round}; {len(result.problems)} problems"
    )
    if not args.check:
        out = args.out or annotations_file(args.annotator)
        round_ids = {i["id"] for i in of_round(read_items(args.items), args.round)}
        write_annotations(merge_annotations(result.annotations, out, round_ids), out)
        print(f"written to {out}")
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
