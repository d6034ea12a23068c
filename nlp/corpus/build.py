"""Rebuild the labelled corpus from ../shared/data and the committed records.

Run: `python -m nlp.corpus.build [--data DIR] [--out FILE]` (default ANNOT/corpus.csv,
outside the repository: the texts may not be republished). Other code calls
`load_corpus(data)`, and `excluded_keys(source)` to leave the corpus's test texts out when
training on UMSAB train or suggestions_en train."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import pandas as pd

from nlp.corpus.batches import resolve, shown_text
from nlp.corpus.gold import gold, read_adjudication, read_all_annotations, readings
from nlp.corpus.items import read_items
from nlp.corpus.paths import ADJUDICATION, DEFAULT_ANNOT, DEFAULT_DATA, ITEMS, RECORDS, SPLIT
from nlp.corpus.reread import agreed_rereadings, regold
from nlp.corpus.sources import BRAND_AUTHORED
from nlp.corpus.split import held_out, read_split
from nlp.corpus.textkey import text_key

COLUMNS = (
    "id", "source", "key", "lang", "kind", "round", "brand_authored", "context", "text",
    "topic", "sentiment", "status", "split",
)  # fmt: skip

__all__ = ["COLUMNS", "excluded_keys", "load_corpus", "text_key"]


def excluded_keys(source: str | None = None, records: Path = RECORDS) -> set[str]:
    """Keys of the corpus's held-out items (the test split and a later round's own test part;
    of one source, or all): a trainer on UMSAB or suggestions_en drops a text when
    `text_key(raw text) in excluded_keys(...)`."""
    assignment = read_split(records / SPLIT.name)
    return {
        item["key"]
        for item in read_items(records / ITEMS.name)
        if held_out(assignment.get(item["id"], "train")) and source in (None, item["source"])
    }


def labels(records: Path = RECORDS, reread: bool = True) -> pd.DataFrame:
    """Per item: source, key, lang, kind, round, gold topic and sentiment, status, split (no
    text). With `reread`, a train item's labels are those of its second reading where its two
    readers agree on another value (`nlp.corpus.reread`)."""
    items = read_items(records / ITEMS.name)
    pairs = readings(read_all_annotations(records))
    third = read_adjudication(records / ADJUDICATION.name)
    assignment = read_split(records / SPLIT.name)
    second = agreed_rereadings(records) if reread else {}
    rows = []
    for item in items:
        pair = pairs.get(item["id"])
        g = gold(pair, third.get(item["id"])) if pair else None
        if g is not None:
            g = regold(g, second.get(item["id"]), assignment.get(item["id"], ""))
        rows.append(
            {
                **item, "round": int(item["round"]),
                "brand_authored": item["kind"] in BRAND_AUTHORED,
                "topic": g.topic if g else "", "sentiment": g.sentiment if g else "",
                "status": g.status if g else "pending",
                "split": assignment.get(item["id"], ""),
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("context", "text")])


def load_corpus(
    data: Path = DEFAULT_DATA, records: Path = RECORDS, include_unlabelled: bool = False,
    rounds: int | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The labelled corpus: one row per item with its text (handles → @user, brand accounts
    kept, links → http), the round it was drawn in, gold topic and sentiment, status and split.
    Items skipped as unusable or still pending are left out unless `include_unlabelled`; with
    `rounds`, the items of rounds 1 to `rounds` only (the corpus as it stood before a later
    round)."""
    frame = labels(records)
    if rounds is not None:
        frame = frame[frame["round"] <= rounds]
    if not include_unlabelled:
        frame = frame[frame["status"].isin(["agreed", "adjudicated"])]
    texts = resolve(data, frame[["id", "source", "key", "lang", "kind"]].to_dict("records"))
    frame = frame.assign(
        context=[texts[i].context for i in frame["id"]],
        text=[shown_text(texts[i]) for i in frame["id"]],
    )
    return frame.loc[:, list(COLUMNS)].reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_ANNOT / "corpus.csv")
    parser.add_argument("--all", action="store_true", help="keep skipped and pending items")
    args = parser.parse_args(argv)
    frame = load_corpus(args.data, args.records, include_unlabelled=args.all)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.out, index=False)
    status = Counter(labels(args.records)["status"])
    print(f"{len(frame)} rows written to {args.out}; items by status: {dict(status)}")
    if len(frame):
        print(frame.groupby(["lang", "split"]).size().to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
