"""What the second reading changed: the readers' agreement and, per task, the stored labels
it replaced (`nlp.corpus.reread`).

Run: `python -m nlp.corpus.reread_report [--out FILE]` (default `data/reread.md`)."""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from nlp.corpus.agreement import kappa
from nlp.corpus.build import labels
from nlp.corpus.gold import TASKS, readings
from nlp.corpus.paths import RECORDS, REREAD_QUEUE
from nlp.corpus.reread import read_rereadings


def report(records: Path = RECORDS, queue: Path = REREAD_QUEUE) -> str:
    """The readers' κ per task and, per task, how many stored labels changed — of the items
    queued for that task and of the other re-read items — and into what."""
    readers = read_rereadings(records)
    pairs_of = {i: p for i, p in readings(readers).items() if len(p) == 2}
    both = sorted(pairs_of)
    flagged: dict[str, set[str]] = {task: set() for task in TASKS}
    with queue.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            flagged[r["task"]].add(r["id"])
    before = labels(records, reread=False).set_index("id")
    after = labels(records).set_index("id")
    lines = [
        "# The second reading of suspected label errors",
        "",
        f"Readers {', '.join(f'`{n}`' for n in sorted(readers))}: {len(both)} train items read "
        "by two of them; where both give the same value and it differs from the stored gold, "
        "theirs is the gold "
        "(`python -m nlp.corpus.reread_report`).",
        "",
        "| task | κ between the readers | queued for the task | changed of those "
        "| changed among the other re-read items | stored → new (items) |",
        "|---|---|---|---|---|---|",
    ]
    for task in TASKS:
        pairs = [
            (getattr(x, task), getattr(y, task))
            for x, y in pairs_of.values()
            if not (x.skip or y.skip)
        ]
        changed: Counter[str] = Counter()
        of_flagged = of_others = 0
        for item in both:
            old, new = before.at[item, task], after.at[item, task]
            if old == new or not old:
                continue
            changed[f"{old} → {new or 'skipped'}"] += 1
            if item in flagged[task]:
                of_flagged += 1
            else:
                of_others += 1
        shown = ", ".join(
            f"{k} ({v})" for k, v in sorted(changed.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        lines.append(
            f"| {task} | {kappa(pairs):.3f} | {len(flagged[task])} | {of_flagged} | "
            f"{of_others} | {shown} |"
        )
    skipped = int(((after["status"] == "skipped") & (before["status"] != "skipped")).sum())
    lines += ["", f"Items both readers skipped (now left out): {skipped}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=RECORDS / "reread.md")
    args = parser.parse_args(argv)
    text = report()
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
