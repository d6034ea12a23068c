"""The frozen test split: 20 % of the items, stratified by language, kind and source, seeded.

Run once: `python -m nlp.corpus.split` → nlp/corpus/data/split.csv (id, split). It is drawn
from the item list before any label is known and never redrawn without --force: models,
features and thresholds are chosen by cross-validation on the train part only."""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from nlp.corpus.items import read_items
from nlp.corpus.paths import ITEMS, SEED, SPLIT

TEST_SHARE = 0.2


def split(
    items: list[dict[str, str]], share: float = TEST_SHARE, seed: int = SEED
) -> dict[str, str]:
    """item id → "train" or "test": in each (lang, kind, source) stratum, round(share × size)
    items drawn with a seeded generator, whatever the order of `items`."""
    strata: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for item in items:
        strata[(item["lang"], item["kind"], item["source"])].append(item["id"])
    out: dict[str, str] = {}
    for stratum in sorted(strata):
        ids = sorted(strata[stratum])
        rng = random.Random(f"{seed}:split:{':'.join(stratum)}")
        test = set(rng.sample(ids, round(len(ids) * share)))
        out.update({i: "test" if i in test else "train" for i in ids})
    return out


def write_split(assignment: dict[str, str], path: Path = SPLIT, force: bool = False) -> None:
    if path.exists() and not force:
        raise FileExistsError(
            f"{path} exists: the test split is frozen once written (--force redraws it, which "
            "invalidates every figure measured on it)"
        )
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "split"])
        writer.writerows(sorted(assignment.items()))


def read_split(path: Path = SPLIT) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r["split"] for r in csv.DictReader(fh)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=Path, default=ITEMS)
    parser.add_argument("--out", type=Path, default=SPLIT)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    items = read_items(args.items)
    assignment = split(items)
    try:
        write_split(assignment, args.out, args.force)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 1
    lang = {i["id"]: i["lang"] for i in items}
    counts = Counter((lang[i], s) for i, s in assignment.items())
    print(", ".join(f"{k[0]} {k[1]}: {n}" for k, n in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
