"""The done-when table of issue 15: per engine, pages tested, posts expected and stored, authors
and dates right, quotes left, from real crawls of every forum fixture page at hand.

    PYTHONPATH=. python tests/forum_report.py [--markdown] [--pages DIR]

Written pages always; saved real pages when $VEILLE_FORUM_PAGES, --pages or
../shared/data/forum_pages holds them. Exits 1 when any page has a problem (listed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from forum_crawl import FixtureOutcome, crawl_fixtures
from forum_fixtures import SHARED_DATA, all_fixtures, pages_root

COLUMNS = (
    "engine", "pages (written + saved)", "posts expected", "stored", "authors right",
    "dates right", "quotes left",
)  # fmt: skip


def family(outcome: FixtureOutcome) -> str:
    fixture = outcome.fixture
    if fixture.style_family == "discourse_json":
        return "discourse (JSON API)"
    if fixture.style_family == "discourse_html":
        return "discourse (HTML crawler view)"
    return fixture.engine


def rows(outcomes: dict[str, FixtureOutcome]) -> list[tuple[str, ...]]:
    groups: dict[str, list[FixtureOutcome]] = defaultdict(list)
    for outcome in outcomes.values():
        groups[family(outcome)].append(outcome)
    table = []
    totals = [0] * 7
    for name in sorted(groups):
        group = groups[name]
        written = sum(o.fixture.written for o in group)
        figures = [
            written,
            len(group) - written,
            sum(o.expected for o in group),
            sum(o.stored for o in group),
            sum(o.authors_ok for o in group),
            sum(o.dates_ok for o in group),
            sum(o.quotes_left for o in group),
        ]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        table.append(_row(name, figures))
    table.append(_row("all", totals))
    return table


def _row(name: str, f: list[int]) -> tuple[str, ...]:
    expected = f[2]

    def share(n: int) -> str:
        return f"{n} ({100 * n / expected:.0f} %)" if expected else str(n)

    return (name, f"{f[0] + f[1]} ({f[0]} + {f[1]})", str(f[2]), str(f[3]), share(f[4]),
            share(f[5]), str(f[6]))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    parser.add_argument("--pages", type=Path, help="the saved pages' folder")
    args = parser.parse_args()
    root = args.pages or pages_root() or pages_root(SHARED_DATA)
    fixtures = [f for f in all_fixtures() if f.written or root is not None]
    with tempfile.TemporaryDirectory(prefix="forum-report-") as tmp:
        outcomes = crawl_fixtures(fixtures, root, Path(tmp))
    table = rows(outcomes)
    if args.markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * len(COLUMNS))
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [COLUMNS, *table]) for i in range(len(COLUMNS))]
        for row in [COLUMNS, *table]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    if root is None:
        print("(saved real pages absent: written pages only)", file=sys.stderr)
    problems = {name: o.problems for name, o in outcomes.items() if o.problems}
    for name, found in problems.items():
        print(f"{name}: " + "; ".join(found), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
