"""Benchmark: a 30-day report over 1,000,000 mentions (SQLite). Aim: ≤ 30 s.

    nice .venv/bin/python bench/report.py [--mentions 1000000] [--db var/bench/report.db]
        [--themes N] [--cold]

The database is generated once (mentions, brands, labels written with plain executemany) and
kept for later runs; --rebuild makes it again. Prints the time to compute the figures (SQL
aggregation + pandas) and to write the HTML and PDF reports.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from config.settings import Settings
from nlp.themes import store_between
from reports.output import write_reports
from reports.periods import Period
from storage.engine import make_engine
from storage.schema import upgrade
from storage.vocab import SENTIMENTS, TOPICS

FIRST, LAST = datetime(2026, 2, 1).date(), datetime(2026, 3, 2).date()  # 30 days
_WORDS = """livraison commande colis remboursement lampe prix promo service client retour
qualité super nul rapide lent conseil avis magasin site appli panne garantie"""
WORDS = _WORDS.split()
# The team's themes the report breaks the brand down by (`--themes N`: the first N).
THEMES = [
    {"name": "Livraison", "query": "livr* OR colis OR commande"},
    {"name": "Remboursements", "query": "rembours* OR retour"},
    {"name": "Prix", "query": "prix OR promo*"},
    {"name": "Service client", "query": '"service client" OR appli OR site'},
    {"name": "Pannes", "query": "panne NEAR/5 (garantie OR retour)"},
]


def _ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(path: Path, mentions: int, seed: int = 7) -> None:
    """`mentions` in the 30-day period plus a third as many in the previous one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now = _ts(datetime(2026, 3, 3))
    sources = ["forum-a", "forum-b", "twitter", "facebook", "reviews"]
    db.executemany(
        "INSERT INTO sources (id, name, kind, created_at) VALUES (?, ?, ?, ?)",
        [(i + 1, s, "forum", now) for i, s in enumerate(sources)],
    )
    n_authors = max(10, mentions // 8)
    db.executemany(
        "INSERT INTO authors (id, source_id, handle, followers, first_seen_at, last_seen_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                a,
                a % 5 + 1,
                f"user{a}",
                int(rng.paretovariate(1.2) * 50) if a % 5 >= 2 else None,
                now,
                now,
            )
            for a in range(1, n_authors + 1)
        ],
    )
    start = datetime(2026, 1, 2, tzinfo=UTC)  # previous period starts 2 January
    span = (datetime(2026, 3, 2, 23, tzinfo=UTC) - start).total_seconds()
    total = mentions + mentions // 3
    batch = 50_000
    for lo in range(1, total + 1, batch):
        rows, brands, labels = [], [], []
        for mid in range(lo, min(lo + batch, total + 1)):
            current = mid > mentions // 3
            offset = rng.random() * (span * 0.5) + (span * 0.5 if current else 0)
            when = start + timedelta(seconds=offset)
            author = rng.randint(1, n_authors)
            text = " ".join(rng.choices(WORDS, k=8))
            rows.append(
                (
                    mid,
                    author % 5 + 1,
                    f"m{mid}",
                    f"https://ex.org/{mid}",
                    author,
                    "Lumino " + text,
                    "fr",
                    _ts(when),
                    now,
                    rng.randint(0, 20),
                    rng.randint(0, 3) or None,
                    rng.randint(0, 5),
                    rng.randint(10, 5000) if author % 5 == 2 else None,
                    "{}",
                    "h",
                )
            )
            brands.append((mid, "Lumino" if mid % 5 else "Rivéo"))
            labels.append(
                (mid, "sentiment", rng.choices(SENTIMENTS, (3, 5, 4))[0], "m", "1", 0, now)
            )
            labels.append(
                (mid, "topic", rng.choices(TOPICS, (35, 28, 13, 12, 10, 2, 5))[0], "m", "1", 0, now)
            )
        db.executemany(
            "INSERT INTO mentions (id, source_id, external_id, url, author_id, text, lang,"
            " published_at, collected_at, likes, shares, comments, views, raw, content_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.executemany("INSERT INTO mention_brands (mention_id, brand) VALUES (?, ?)", brands)
        db.executemany(
            "INSERT INTO labels (mention_id, task, value, model, version, by_human, labelled_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            labels,
        )
        db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("var/bench/report.db"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--themes", type=int, default=len(THEMES), help="themes (0: none)")
    parser.add_argument(
        "--cold", action="store_true", help="the report matches every theme itself (none kept)"
    )
    args = parser.parse_args()
    if args.rebuild or not args.db.exists():
        t0 = time.perf_counter()
        generate(args.db, args.mentions)
        print(
            f"generated {args.mentions:,} + {args.mentions // 3:,} mentions "
            f"in {time.perf_counter() - t0:.0f} s"
        )
    settings = Settings.model_validate(
        {
            "database": {"url": f"sqlite:///{args.db}"},
            "brands": [
                {"name": "Lumino", "query": ["lumino"], "competitors": ["Rivéo"]},
                {"name": "Rivéo", "query": ["riveo"]},
            ],
            "themes": THEMES[: args.themes],
        }
    )
    engine = make_engine(settings.database.url)
    upgrade(engine)  # a database generated by an earlier version
    period = Period(FIRST, LAST, "Europe/Paris", "last-30-days")
    if args.cold:
        with engine.begin() as conn:  # what an earlier run kept
            conn.execute(text("DELETE FROM mention_themes"))
    elif settings.themes:
        # The report stage's step before its reports: each mention's themes, matched once.
        t0, cpu0 = time.perf_counter(), time.process_time()
        with engine.begin() as conn:
            n = store_between(conn, settings.themes, period.previous().start, period.end)
        print(
            f"themes kept for {n:,} mentions (the report stage, once per mention): "
            f"{time.perf_counter() - t0:.1f} s wall, {time.process_time() - cpu0:.1f} s CPU"
        )
    t0, cpu0 = time.perf_counter(), time.process_time()
    content, written = write_reports(
        engine, settings, args.db.parent / "reports", "Lumino", period, ["fr"], ["html", "pdf"]
    )
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    volume = content.headline["volume"].current or 0
    figures = sum(content.timings.values())
    print(
        f"30-day report of Lumino: {int(volume):,} mentions in the period (of {args.mentions:,}"
        " for the brand and its competitor)"
    )
    print(
        "figures (SQL + pandas): "
        + ", ".join(f"{k} {v:.1f} s" for k, v in content.timings.items())
        + f" — total {figures:.1f} s"
    )
    print(
        f"report written (figures + charts + HTML + PDF): {elapsed:.1f} s wall, {cpu:.1f} s CPU "
        f"({'within' if elapsed <= 30 else 'OVER'} the 30 s aim)"
    )
    for w in written:
        print(f"  {w.path} ({w.path.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
