"""Agreement between the two readings of each item (Cohen's κ, raw agreement, the macro-F1 of
one reading against the other — the models' measure, so a person's level beside theirs —,
confusion tables), the queue of disagreements for a third reading, and the adjudicator's answers.

Run: `python -m nlp.corpus.agreement [--data DIR] [--annot DIR] [--report FILE] [--round N]`:
reads nlp/corpus/data/annotations_*.csv, prints the figures per annotation round and over all
rounds, writes the disagreements of each round read so far (of round N only with --round) to
ANNOT/adjudication/todo_<lang>.jsonl (round 1), todo2_<lang>.jsonl (round 2)…, and gathers
the answers of every round, ANNOT/adjudication/<lang>/*.jsonl (round 1), <lang>2/*.jsonl
(round 2)…, into nlp/corpus/data/adjudication.csv."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from nlp.calibration import macro_f1
from nlp.corpus.collect import Annotation, parse_line
from nlp.corpus.gold import (
    TASKS,
    disagrees,
    read_adjudication,
    read_all_annotations,
    readings,
    write_adjudication,
)
from nlp.corpus.items import of_round, read_items
from nlp.corpus.paths import (
    ADJUDICATION,
    DEFAULT_ANNOT,
    DEFAULT_DATA,
    ITEMS,
    RECORDS,
    lang_folder,
    todo_file,
)


def kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's κ of two raters' labels on the same items; nan when chance agreement is total."""
    n = len(pairs)
    if n == 0:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    if expected == 1:
        return float("nan")
    return (observed - expected) / (1 - expected)


def macro_f1_between(pairs: Sequence[tuple[str, str]]) -> float:
    """Macro-F1 of one reading against the other over the labels either gave (the same either
    way round: a class's F1, 2·both / (first's + second's), is symmetric)."""
    labels = sorted({label for pair in pairs for label in pair})
    if not labels:
        return float("nan")
    index = {label: i for i, label in enumerate(labels)}
    first, second = (np.array([index[pair[i]] for pair in pairs]) for i in (0, 1))
    return macro_f1(first, second, len(labels))


def confusion(pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Counts of (first reading, second reading)."""
    frame = pd.DataFrame(pairs, columns=["first", "second"])
    return pd.crosstab(frame["first"], frame["second"])


def labelled_pairs(
    pairs: dict[str, list[Annotation]], lang_of: dict[str, str],
    round_of: dict[str, str] | None = None,
) -> dict[tuple[str, str, str], list[tuple[str, str]]]:  # fmt: skip
    """(round or "all", lang or "all", task) → label pairs of items both readings labelled
    (no skip); the "all" rounds only when more than one round has pairs."""
    round_of = round_of or {}
    out: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for item, pair in sorted(pairs.items()):
        if len(pair) < 2 or pair[0].skip or pair[1].skip or item not in lang_of:
            continue
        for task in TASKS:
            value = (getattr(pair[0], task), getattr(pair[1], task))
            for rnd in (round_of.get(item, "1"), "all"):
                for scope in (lang_of[item], "all"):
                    out.setdefault((rnd, scope, task), []).append(value)
    if len({key[0] for key in out} - {"all"}) <= 1:
        out = {key: v for key, v in out.items() if key[0] != "all"}
    return out


def _round_order(key: tuple[str, str, str]) -> tuple[int, str, str]:
    rnd, scope, task = key
    return (10**6 if rnd == "all" else int(rnd), scope, task)


def report(
    pairs: dict[str, list[Annotation]], lang_of: dict[str, str],
    round_of: dict[str, str] | None = None,
) -> str:  # fmt: skip
    """κ and raw agreement per round (and over all rounds), language and task, and the
    confusion tables per language, as Markdown."""
    lines = [
        "| round | scope | task | items | raw agreement | Cohen's κ | macro-F1 between readings |",
        "|---|---|---|---|---|---|---|",
    ]
    grouped = labelled_pairs(pairs, lang_of, round_of)
    for key in sorted(grouped, key=_round_order):
        values = grouped[key]
        raw = sum(a == b for a, b in values) / len(values)
        rnd, scope, task = key
        lines.append(
            f"| {rnd} | {scope} | {task} | {len(values)} | {raw:.3f} | {kappa(values):.3f} | "
            f"{macro_f1_between(values):.3f} |"
        )
    both = [p for p in pairs.values() if len(p) == 2]
    skips = Counter(
        "both skip" if a.skip and b.skip else "one skips" for a, b in both if a.skip or b.skip
    )
    lines.append("")
    lines.append(f"Items read twice: {len(both)}; {dict(skips) or 'no skips'}.")
    widest = "all" if any(k[0] == "all" for k in grouped) else None
    for key in sorted(grouped, key=_round_order):
        rnd, scope, task = key
        if scope != "all" and (rnd == widest or widest is None):
            where = "all rounds" if rnd == "all" else f"round {rnd}"
            lines += ["", f"{scope} {task}, {where} (rows: first reading, columns: second)", ""]
            lines.append(confusion(grouped[key]).to_string())
    return "\n".join(lines)


def write_todo(
    annot: Path, data: Path, items: list[dict[str, str]], pairs: dict[str, list[Annotation]],
    round_no: int = 1,
) -> dict[str, int]:  # fmt: skip
    """ANNOT/adjudication/todo_<lang>.jsonl (round 1; round N: todoN_<lang>.jsonl): each
    disagreement of the round's items with both readings and the text."""
    from nlp.corpus.batches import resolve, shown_text

    items = of_round(items, round_no)
    todo = [i for i in items if len(pairs.get(i["id"], [])) == 2 and disagrees(pairs[i["id"]])]
    texts = resolve(data, todo)
    folder = annot / "adjudication"
    folder.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    handles = {lang: todo_file(annot, lang, round_no).open("w", encoding="utf-8") for lang in
               sorted({i["lang"] for i in items})}  # fmt: skip
    try:
        for item in todo:
            text = texts[item["id"]]
            readings_ = [
                {k: v for k, v in a.row().items() if v and k != "id"} for a in pairs[item["id"]]
            ]
            line = {
                "id": item["id"], "lang": item["lang"], "kind": item["kind"],
                "context": text.context, "text": shown_text(text), "readings": readings_,
            }  # fmt: skip
            handles[item["lang"]].write(json.dumps(line, ensure_ascii=False) + "\n")
            counts[item["lang"]] += 1
    finally:
        for fh in handles.values():
            fh.close()
    return dict(counts)


def gather_adjudication(
    annot: Path, items: list[dict[str, str]], out: Path = ADJUDICATION
) -> tuple[int, list[str]]:
    """The adjudicators' answers of every round (ANNOT/adjudication/<lang>/*.jsonl for round 1,
    <lang>2/*.jsonl for round 2…) into `out`; the number kept and a message per bad line.
    The rows `out` already holds stay unless an answer file replaces them: a later session's
    ANNOT folder may hold only the newest round's files (the texts are never committed, the
    committed answers are the record)."""
    rows: dict[str, dict[str, str]] = dict(read_adjudication(out)) if out.exists() else {}
    problems: list[str] = []
    for rnd, lang in sorted({(int(i["round"]), i["lang"]) for i in items}):
        expected = {i["id"] for i in of_round(items, rnd) if i["lang"] == lang}
        for path in sorted((annot / "adjudication" / lang_folder(lang, rnd)).glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                for number, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    answer, problem = parse_line(line, f"{path}:{number}", expected, "reason")
                    if problem or answer is None:
                        problems.append(problem or f"{path}:{number}: unreadable")
                        continue
                    rows[answer.id] = {
                        "id": answer.id, "topic": answer.topic, "sentiment": answer.sentiment,
                        "skip": answer.skip, "reason": answer.note,
                    }  # fmt: skip
    if rows or out.exists():
        write_adjudication(rows.values(), out)
    return len(rows), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--annot", type=Path, default=DEFAULT_ANNOT)
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--report", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-todo", action="store_true", help="do not rewrite the todo files")
    parser.add_argument("--round", type=int, help="write the todo files of this round only")
    args = parser.parse_args(argv)
    items = read_items(args.records / ITEMS.name)
    lang_of = {i["id"]: i["lang"] for i in items}
    round_of = {i["id"]: i["round"] for i in items}
    pairs = readings(read_all_annotations(args.records))
    text = report(pairs, lang_of, round_of)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    if not args.no_todo:
        read = {int(round_of[i]) for i, pair in pairs.items() if len(pair) == 2 and i in round_of}
        for rnd in [args.round] if args.round else sorted(read):
            counts = write_todo(args.annot, args.data, items, pairs, rnd)
            where = todo_file(args.annot, "<lang>", rnd)
            print(f"\nround {rnd}, to adjudicate: {counts or 'nothing'} in {where}")
    kept, problems = gather_adjudication(args.annot, items, args.records / ADJUDICATION.name)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"adjudicated answers gathered: {kept}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
