"""Benchmark: import a generated N-tweet twarc2 JSONL into SQLite; prints tweets/s, peak RSS.

    nice .venv/bin/python bench/import_twarc2.py [--tweets 1000000] [--keep DIR]

Wall-clock tweets/s and tweets per CPU second (user + system time of the import process)
are both printed: on a shared machine the second is the steadier figure.

The file holds API pages of 100 tweets with their `includes.users` (as `twarc2 search`
writes them). The import is `veille import` itself: the export spider and the item
pipelines in a child process, batched upserts into a fresh SQLite database.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = [
    "Lumino",
    "livraison",
    "commande",
    "colis",
    "service",
    "client",
    "super",
    "produit",
    "déçu",
    "remboursement",
    "tablette",
    "écouteurs",
    "promo",
    "soldes",
    "merci",
    "bravo",
    "retard",
    "SAV",
    "qualité",
    "prix",
    "conseil",
]


def generate(path: Path, tweets: int, page: int = 100, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    users = [
        {
            "id": str(10_000 + i), "username": f"user_{i}", "name": f"User {i}",
            "created_at": "2015-05-01T10:00:00.000Z",
            "public_metrics": {"followers_count": rng.randint(0, 50_000), "following_count": 10,
                               "tweet_count": rng.randint(1, 9000), "listed_count": 0},
        }
        for i in range(5_000)
    ]  # fmt: skip
    with open(path, "w", encoding="utf-8") as fh:
        for first in range(0, tweets, page):
            data = []
            authors = {}
            for n in range(first, min(first + page, tweets)):
                user = users[rng.randrange(len(users))]
                authors[user["id"]] = user
                text = " ".join(rng.choices(WORDS, k=rng.randint(6, 24)))
                data.append({
                    "id": str(1_600_000_000_000_000_000 + n), "author_id": user["id"],
                    "conversation_id": str(1_600_000_000_000_000_000 + n),
                    "created_at": (start + timedelta(seconds=n * 7)).isoformat().replace(
                        "+00:00", ".000Z"),
                    "text": f"@lumino {text}", "lang": "fr",
                    "public_metrics": {"retweet_count": rng.randint(0, 9), "reply_count": 1,
                                       "like_count": rng.randint(0, 99), "quote_count": 0},
                    "edit_history_tweet_ids": [str(1_600_000_000_000_000_000 + n)],
                })  # fmt: skip
            page_obj = {
                "data": data, "includes": {"users": list(authors.values())},
                "meta": {"result_count": len(data)},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all",
                            "version": "2.14.0", "retrieved_at": "2026-02-01T00:00:00+00:00"},
            }  # fmt: skip
            fh.write(json.dumps(page_obj, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tweets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="veille-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "tweets.jsonl"
    if not data.exists():
        t0 = time.perf_counter()
        generate(data, args.tweets)
        print(f"generated {args.tweets:,} tweets ({data.stat().st_size / 1e6:,.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    config = work / "veille.yaml"
    db = work / "bench.db"
    db.unlink(missing_ok=True)
    config.write_text(
        "database:\n  url: sqlite:///bench.db\n  batch_size: 5000\n"
        "brands:\n  - name: Lumino\n    query: [lumino]\n"
        "sources:\n  - name: twitter-bench\n    kind: twitter_export\n    path: inbox\n",
        encoding="utf-8",
    )
    veille = [sys.executable, "-m", "pipeline.cli", "--config", str(config)]
    subprocess.run([*veille, "db", "upgrade"], check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [*veille, "import", str(data), "--format", "twarc2", "--json"],
        capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        print(proc.stderr[-2000:])
        return 1
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"imported {summary['seen']:,} tweets ({summary['new']:,} new) in {elapsed:.1f} s: "
          f"{summary['seen'] / elapsed:,.0f} tweets/s, peak RSS {peak_mb:,.0f} MB "
          f"(largest process), database {db.stat().st_size / 1e6:,.0f} MB")  # fmt: skip
    # The machine is shared: CPU time says what the import costs whatever else runs.
    print(f"CPU time {cpu:.1f} s: {summary['seen'] / cpu:,.0f} tweets per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
