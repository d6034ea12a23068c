"""The frozen test split: 20 % of the items, stratified by language, kind and source, seeded.

Run once: `python -m nlp.corpus.split` → nlp/corpus/data/split.csv (id, split). It is drawn
from the item list before any label is known and never redrawn without --force: models,
features and thresholds are chosen by cross-validation on the train part only.

The test split is frozen from round 1: items of later annotation rounds go to `train`
(`python -m nlp.corpus.split --extend` appends them), and the rows already written are kept
byte for byte, so every figure measured on the test split stays comparable. A round drawn at
random for a kind the corpus lacked (rounds 3 and 5, forum posts; rounds 7 and 8, English
reviews: `OWN_TEST_PART`), or to measure a language again (round 6, English), gets its own test
part, `test3`, `test5`, `test6`, `test7`, `test8`, drawn the same way (20 % per language, kind
and source, seeded, before any label): it is never trained on and its figures are reported
apart from the test split's."""

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
# The rounds of forum posts (round 3: a French DIY board and Dwolla's support forum; round 5:
# DocuSign's), drawn at random, each keeping a test part of its own (named test<round>).
FORUM_ROUNDS = (3, 5)
# Round 6: English texts of the test split's own English sources, drawn at random, whose test
# part (test6) is a second measure of English beside the test split's 236 English items.
ENGLISH_TEST_ROUND = 6
# Rounds 7 and 8: English reviews (the kind the English part lacked) of products and of a
# company's service, each with a test part of its own (test7, test8), the measure of English
# reviews.
REVIEW_ROUNDS = (7, 8)
OWN_TEST_PART = (*FORUM_ROUNDS, ENGLISH_TEST_ROUND, *REVIEW_ROUNDS)


def test_part(round_no: int) -> str:
    """The split value of a round's own test part (`test3`); round 1's is the test split."""
    return "test" if round_no == 1 else f"test{round_no}"


# Every forum post held out of training: the measure of the forum posts, reported beside the
# test split.
FORUM_TEST_PARTS = tuple(test_part(r) for r in FORUM_ROUNDS)
# Every English review held out of training (products, a hotel's service): reported beside too.
REVIEW_TEST_PARTS = tuple(test_part(r) for r in REVIEW_ROUNDS)


def held_out(value: str) -> bool:
    """Whether a split value keeps its items out of training (the test split, test3, …)."""
    return value != "train"


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


def extend_split(items: list[dict[str, str]], path: Path = SPLIT) -> dict[str, str]:
    """Append the items the split does not list yet after the existing rows (left as they are,
    byte for byte): `train`, or for a round of OWN_TEST_PART drawn as `split` draws the test
    split, its own test part; returns what was added."""
    assignment = read_split(path)
    listed = {i["id"] for i in items}
    unknown = sorted(set(assignment) - listed)
    if unknown:
        raise ValueError(
            f"{path} lists ids that are not in the item list ({', '.join(unknown[:5])}): "
            "was the item list redrawn?"
        )
    new = [i for i in items if i["id"] not in assignment]
    added = {i["id"]: "train" for i in new}
    for round_no in OWN_TEST_PART:
        drawn = split([i for i in new if int(i["round"]) == round_no])
        added.update({i: test_part(round_no) for i, s in drawn.items() if s == "test"})
    added = dict(sorted(added.items()))
    text = path.read_text(encoding="utf-8")
    if added:
        lines = "".join(f"{i},{s}\n" for i, s in added.items())
        with path.open("a", encoding="utf-8", newline="") as fh:
            fh.write(("" if text.endswith("\n") else "\n") + lines)
    return added


def read_split(path: Path = SPLIT) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r["split"] for r in csv.DictReader(fh)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=Path, default=ITEMS)
    parser.add_argument("--out", type=Path, default=SPLIT)
    parser.add_argument("--force", action="store_true")
    parser.add_argument(
        "--extend", action="store_true", help="add items of later rounds to train, keep the rest"
    )
    args = parser.parse_args(argv)
    items = read_items(args.items)
    if args.extend:
        try:
            added = extend_split(items, args.out)
        except (FileNotFoundError, ValueError) as exc:
            print(exc, file=sys.stderr)
            return 1
        parts = Counter(added.values())
        print(f"{len(added)} items added to {args.out} ({dict(sorted(parts.items()))}); "
              "test split unchanged")  # fmt: skip
        return 0
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
