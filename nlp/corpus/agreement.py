"""Agreement between the two readings of each item (Cohen's κ, raw agreement, confusion
tables), the queue of disagreements for a third reading, and the adjudicator's answers.

Run: `python -m nlp.corpus.agreement [--data DIR] [--annot DIR] [--report FILE]`: reads
nlp/corpus/data/annotations_*.csv, prints the figures, writes ANNOT/adjudication/todo_<lang>.jsonl
and gathers ANNOT/adjudication/<lang>/*.jsonl into nlp/corpus/data/adjudication.csv."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from nlp.corpus.collect import Annotation, parse_line
from nlp.corpus.gold import TASKS, disagrees, read_all_annotations, readings, write_adjudication
from nlp.corpus.items import read_items
from nlp.corpus.paths import ADJUDICATION, DEFAULT_ANNOT, DEFAULT_DATA, ITEMS, RECORDS


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


def confusion(pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Counts of (first reading, second reading)."""
    frame = pd.DataFrame(pairs, columns=["first", "second"])
    return pd.crosstab(frame["first"], frame["second"])


def labelled_pairs(
    pairs: dict[str, list[Annotation]], lang_of: dict[str, str]
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(lang or "all", task) → label pairs of items both readings labelled (no skip)."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for item, pair in sorted(pairs.items()):
        if len(pair) < 2 or pair[0].skip or pair[1].skip or item not in lang_of:
            continue
        for task in TASKS:
            value = (getattr(pair[0], task), getattr(pair[1], task))
            for scope in (lang_of[item], "all"):
                out.setdefault((scope, task), []).append(value)
    return out


def report(pairs: dict[str, list[Annotation]], lang_of: dict[str, str]) -> str:
    """κ, raw agreement and confusion tables per language and task, as Markdown."""
    lines = ["| scope | task | items | raw agreement | Cohen's κ |", "|---|---|---|---|---|"]
    grouped = labelled_pairs(pairs, lang_of)
    for (scope, task), values in sorted(grouped.items()):
        raw = sum(a == b for a, b in values) / len(values)
        lines.append(f"| {scope} | {task} | {len(values)} | {raw:.3f} | {kappa(values):.3f} |")
    both = [p for p in pairs.values() if len(p) == 2]
    skips = Counter(
        "both skip" if a.skip and b.skip else "one skips" for a, b in both if a.skip or b.skip
    )
    lines.append("")
    lines.append(f"Items read twice: {len(both)}; {dict(skips) or 'no skips'}.")
    for (scope, task), values in sorted(grouped.items()):
        if scope != "all":
            lines += ["", f"{scope} {task} (rows: first reading, columns: second reading)", ""]
            lines.append(confusion(values).to_string())
    return "\n".join(lines)


def write_todo(
    annot: Path, data: Path, items: list[dict[str, str]], pairs: dict[str, list[Annotation]]
) -> dict[str, int]:
    """ANNOT/adjudication/todo_<lang>.jsonl: each disagreement with both readings and the text."""
    from nlp.corpus.batches import resolve, shown_text

    todo = [i for i in items if len(pairs.get(i["id"], [])) == 2 and disagrees(pairs[i["id"]])]
    texts = resolve(data, todo)
    folder = annot / "adjudication"
    folder.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    handles = {lang: (folder / f"todo_{lang}.jsonl").open("w", encoding="utf-8") for lang in
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
    """The adjudicator's answers (ANNOT/adjudication/<lang>/*.jsonl) into `out`; the number
    kept and a message per bad line."""
    rows: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for lang in sorted({i["lang"] for i in items}):
        expected = {i["id"] for i in items if i["lang"] == lang}
        for path in sorted((annot / "adjudication" / lang).glob("*.jsonl")):
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
    args = parser.parse_args(argv)
    items = read_items(args.records / ITEMS.name)
    lang_of = {i["id"]: i["lang"] for i in items}
    pairs = readings(read_all_annotations(args.records))
    text = report(pairs, lang_of)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    if not args.no_todo:
        counts = write_todo(args.annot, args.data, items, pairs)
        print(f"\nto adjudicate: {counts or 'nothing'} in {args.annot / 'adjudication'}")
    kept, problems = gather_adjudication(args.annot, items, args.records / ADJUDICATION.name)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"adjudicated answers gathered: {kept}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
