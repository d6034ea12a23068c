"""Write the annotators' batch files (texts included, so outside the repository).

Run: `python -m nlp.corpus.batches [--data DIR] [--annot DIR] [--round N]`: writes
ANNOT/batches/<lang>/batch_NNN.jsonl (round 1; round N: ANNOT/batchesN/), 100 items of that
round a batch in item-id order (ids were numbered after a seeded shuffle, so every batch
mixes the sources), and the annotators' procedure (`annotators.md`) as ANNOT/README.md."""

from __future__ import annotations

import argparse
import json
import shutil
from collections import defaultdict
from functools import cache
from pathlib import Path

from nlp.corpus.items import batches, read_items
from nlp.corpus.paths import DEFAULT_ANNOT, DEFAULT_DATA, ITEMS, batches_dir
from nlp.corpus.sources import SOURCES, Text
from nlp.corpus.textkey import pseudonymise

PROCEDURE = Path(__file__).resolve().parent / "annotators.md"  # the annotators' procedure


class MissingText(LookupError):
    """An item whose text is no longer in ../shared/data."""


def resolve(data: Path, items: list[dict[str, str]]) -> dict[str, Text]:
    """The text of each item id, read from the source files (first text with that key)."""
    found = {name: _texts(name, data.resolve()) for name in {item["source"] for item in items}}
    out: dict[str, Text] = {}
    missing: list[str] = []
    for item in items:
        hit = found[item["source"]].get(item["key"])
        if hit is None:
            missing.append(f"{item['id']} ({item['source']} {item['key']})")
        else:
            out[item["id"]] = hit
    if missing:
        raise MissingText(
            f"{len(missing)} items not found under {data}: {', '.join(missing[:5])}"
            " — is this the ../shared/data the item list was drawn from?"
        )
    return out


@cache
def _texts(name: str, data: Path) -> dict[str, Text]:
    """A source's texts by key (the first text of each key), read once a process: a trainer
    and its measures read the corpus several times, and ../shared/data does not change."""
    found: dict[str, Text] = {}
    for text in SOURCES[name].read(data):
        found.setdefault(text.key, text)
    return found


def shown_text(text: Text) -> str:
    """What annotators and models see: handles pseudonymised, except the brand's accounts."""
    return pseudonymise(text.text, SOURCES[text.source].brand_handles)


def write_batches(
    data: Path, annot: Path, items_path: Path = ITEMS, round_no: int = 1
) -> dict[str, int]:
    """Write every batch file of one round, and the annotators' procedure beside them
    (ANNOT/README.md); returns the number of batches per language."""
    cut = batches(read_items(items_path), round_no)
    annot.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROCEDURE, annot / "README.md")
    texts = resolve(data, [item for rows in cut.values() for item in rows])
    counts: dict[str, int] = defaultdict(int)
    for (lang, name), rows in cut.items():
        write_batch_file(batches_dir(annot, round_no) / lang / name, lang, rows, texts)
        counts[lang] += 1
    return dict(counts)


def write_batch_file(
    path: Path, lang: str, rows: list[dict[str, str]], texts: dict[str, Text]
) -> None:
    """One batch file: per item its id, language, kind, context and shown text — never a
    label, a score or the item's source."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for item in rows:
            text = texts[item["id"]]
            line = {
                "id": item["id"], "lang": lang, "kind": item["kind"],
                "context": text.context, "text": shown_text(text),
            }  # fmt: skip
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--annot", type=Path, default=DEFAULT_ANNOT)
    parser.add_argument("--round", type=int, default=1, help="annotation round (default 1)")
    args = parser.parse_args(argv)
    counts = write_batches(args.data, args.annot, round_no=args.round)
    for lang, n in sorted(counts.items()):
        print(f"{lang}: {n} batches in {batches_dir(args.annot, args.round) / lang}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
