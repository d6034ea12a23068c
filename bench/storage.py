"""Benchmark the bulk upsert: 1,000,000 generated mentions into SQLite and PostgreSQL.

    .venv/bin/python bench/storage.py [--rows 1000000] [--batch 10000] [--backends sqlite,postgresql]

For each backend (in its own process, so peak RSS is its own) it prints rows/s and peak RSS of
(1) the first load (all inserts), (2) the same rows stored again unchanged (skipped by content
hash), (3) the same rows with changed metrics (all real updates). Rows per second of wall
time and per CPU second of the Python process (the database server's own work on
PostgreSQL is not in the latter) are both printed: on a shared machine wall time is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.records import AuthorRecord, BrandMatch, MentionRecord

PG = os.environ.get("VEILLE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
WORDS = [
    "lumino",
    "livraison",
    "colis",
    "commande",
    "remboursement",
    "super",
    "produit",
    "déçu",
    "service",
    "client",
]


def generate(rows: int, likes: int) -> Iterator[MentionRecord]:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(rows):
        text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(12)) + f" #{i}"
        yield MentionRecord(
            source=f"src{i % 5}", source_kind="forum", external_id=str(i), text=text,
            url=f"https://forum.example.org/t/{i // 20}#p{i}", thread_id=str(i // 20), lang="fr",
            published_at=t0 + timedelta(seconds=i * 7), likes=likes + i % 13, comments=i % 4,
            author=AuthorRecord(handle=f"user{i % 100_000}", followers=i % 5000),
            raw={"id": i, "text": text}, brands=[BrandMatch("Lumino", "lumino", ["lumino"])],
        )  # fmt: skip


def child(url: str, rows: int, batch: int) -> None:
    from storage.engine import make_engine
    from storage.schema import upgrade
    from storage.upsert import MentionStore

    engine = make_engine(url)
    upgrade(engine)
    store = MentionStore(engine, batch_size=batch)
    result = {}
    for phase, likes in (("insert", 0), ("unchanged", 0), ("update", 1)):
        start, cpu_start = time.perf_counter(), time.process_time()
        counts = store.store(generate(rows, likes))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        result[phase] = {
            "rows_per_s": rows / elapsed,
            "seconds": elapsed,
            "cpu_rows_per_s": rows / cpu,
            "cpu_seconds": cpu,
            "counts": counts.as_dict(),
        }
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_backend(backend: str, rows: int, batch: int) -> dict[str, object]:
    from sqlalchemy import create_engine, text

    schema = None
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            url = f"sqlite:///{tmp}/bench.db"
        else:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            url = f"{PG}?options=-csearch_path%3D{schema}"
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--child", url, "--rows", str(rows), "--batch", str(batch)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
        finally:
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.batch)
        return
    print(f"Upserting {args.rows:,} mentions in batches of {args.batch:,}")
    for backend in args.backends.split(","):
        r = run_backend(backend, args.rows, args.batch)
        for phase in ("insert", "unchanged", "update"):
            p = r[phase]
            assert isinstance(p, dict)
            print(
                f"{backend:>10} {phase:>9}: {p['rows_per_s']:>9,.0f} rows/s "
                f"({p['seconds']:.1f} s); {p['cpu_rows_per_s']:>9,.0f} rows per CPU s "
                f"({p['cpu_seconds']:.1f} s) {p['counts']}"
            )
        print(f"{backend:>10} peak RSS: {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
