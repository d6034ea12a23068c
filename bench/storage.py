"""Benchmark the bulk upsert: 1,000,000 generated mentions into SQLite and PostgreSQL.

    .venv/bin/python bench/storage.py [--rows 1000000] [--batch 10000] [--backends sqlite,postgresql]

For each backend (in its own process, so peak RSS is its own) it prints rows/s and peak RSS of
(1) the first load (all inserts), (2) the same rows stored again unchanged (skipped by content
hash), (3) the same rows with changed metrics (all real updates). Rows per second of wall
time and per CPU second of the Python process (the database server's own work on
PostgreSQL is not in the latter) are both printed: on a shared machine wall time is noisy.

In the same run, (4) `raw`: the same records, batches and migrated schema (same indexes),
loaded by the leanest code that fills the same three tables, as a floor of what the
database costs: `sqlite3` `executemany` of plain INSERTs (authors new to the run, mentions
with the author's id looked up in SQL, brand matches with the mention's) on SQLite; `COPY`
of authors, mentions and brand matches (ids read back after each COPY) on PostgreSQL. No
content-hash look-up, no conflict handling: the figure Veille's first load is compared with.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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


def _author(r: MentionRecord) -> AuthorRecord:
    assert r.author is not None  # every record of this bench has an author
    return r.author


def _raw_rows(r: MentionRecord, sqlite: bool) -> tuple[Any, ...]:
    from storage.bulk import to_json

    pub = r.published_at
    assert pub is not None  # every record of this bench has a date
    when: Any = pub.isoformat(sep=" ", timespec="microseconds")[:26] if sqlite else pub
    return (
        r.external_id, r.url, r.thread_id, r.thread_title, r.thread_url, r.parent_id, r.title,
        r.text, r.lang, when, r.likes, r.shares, r.comments, r.views, r.rating,
        r.author_followers, to_json(r.raw), r.content_hash(),
    )  # fmt: skip


RAW_COLUMNS = (
    "external_id, url, thread_id, thread_title, thread_url, parent_id, title, text, lang, "
    "published_at, likes, shares, comments, views, rating, author_followers, raw, content_hash"
)


def raw_load(engine: Any, records: Iterator[MentionRecord], batch: int) -> int:
    """The leanest load of the same tables (see the module docstring); rows loaded."""
    from itertools import islice

    from storage.bulk import timestamp_binder, to_json
    from storage.fulltext import INDEX_NEW

    sqlite = engine.dialect.name == "sqlite"
    sources: dict[str, int] = {}
    authors: dict[tuple[int, str], int | None] = {}
    n = 0
    it = iter(records)
    while part := list(islice(it, batch)):
        n += len(part)
        with engine.begin() as conn:
            ts = timestamp_binder(conn)
            now = ts(datetime.now(UTC))
            raw: Any = conn.connection.dbapi_connection
            cur = raw.cursor()
            for name in {r.source for r in part} - set(sources):
                cur.execute(
                    "INSERT INTO sources (name, kind, created_at) VALUES "
                    + ("(?, ?, ?)" if sqlite else "(%s, %s, %s)"),
                    (name, part[0].source_kind, now),
                )
                cur.execute(
                    "SELECT id FROM sources WHERE name = " + ("?" if sqlite else "%s"), (name,)
                )
                sources[name] = cur.fetchone()[0]
            new_authors = {}
            for r in part:
                a = _author(r)
                key = (sources[r.source], a.handle)
                if key not in authors and key not in new_authors:
                    seen = ts(r.published_at)
                    new_authors[key] = (key[0], a.handle, a.name, a.followers, seen, seen,
                                        to_json(a.extra))  # fmt: skip
            cols = "source_id, handle, name, followers, first_seen_at, last_seen_at, extra"
            mentions = [(sources[r.source], _author(r).handle, *_raw_rows(r, sqlite)) for r in part]
            brands = [(m.brand, m.query, to_json(m.matched_terms), sources[r.source],
                       r.external_id) for r in part for m in r.brands]  # fmt: skip
            if sqlite:
                cur.executemany(f"INSERT INTO authors ({cols}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                list(new_authors.values()))  # fmt: skip
                authors.update(dict.fromkeys(new_authors))
                marks = ", ".join("?" for _ in range(18))
                cur.executemany(
                    f"INSERT INTO mentions (source_id, author_id, {RAW_COLUMNS}, collected_at)"
                    f" VALUES (?, (SELECT id FROM authors WHERE source_id = ? AND handle = ?),"
                    f" {marks}, '{now}')",
                    [(m[0], m[0], m[1], *m[2:]) for m in mentions],
                )
                cur.executemany(
                    "INSERT INTO mention_brands (mention_id, brand, query, matched_terms)"
                    " SELECT id, ?, ?, ? FROM mentions WHERE source_id = ? AND external_id = ?",
                    brands,
                )
                cur.execute(INDEX_NEW)  # the full-text index, as the store keeps it
            else:
                with cur.copy(f"COPY authors ({cols}) FROM STDIN") as copy:
                    for row in new_authors.values():
                        copy.write_row(row)
                for sid in {k[0] for k in new_authors}:
                    handles = [k[1] for k in new_authors if k[0] == sid]
                    cur.execute("SELECT handle, id FROM authors WHERE source_id = %s"
                                " AND handle = ANY(%s)", (sid, handles))  # fmt: skip
                    authors.update(((sid, h), i) for h, i in cur.fetchall())
                with cur.copy(
                    f"COPY mentions (source_id, author_id, {RAW_COLUMNS}, collected_at) FROM STDIN"
                ) as copy:
                    for m in mentions:
                        copy.write_row((m[0], authors[(m[0], m[1])], *m[2:], now))
                ids: dict[tuple[int, str], int] = {}
                for sid in {m[0] for m in mentions}:
                    keys = [m[2] for m in mentions if m[0] == sid]
                    cur.execute("SELECT external_id, id FROM mentions WHERE source_id = %s"
                                " AND external_id = ANY(%s)", (sid, keys))  # fmt: skip
                    ids.update(((sid, e), i) for e, i in cur.fetchall())
                cols_b = "mention_id, brand, query, matched_terms"
                with cur.copy(f"COPY mention_brands ({cols_b}) FROM STDIN") as copy:
                    for b in brands:
                        copy.write_row((ids[(b[3], b[4])], b[0], b[1], b[2]))
            cur.close()
    return n


def child(url: str, rows: int, batch: int, mode: str = "store") -> None:
    from storage.engine import make_engine
    from storage.schema import upgrade
    from storage.upsert import MentionStore

    engine = make_engine(url)
    upgrade(engine)
    result: dict[str, Any] = {}
    if mode == "raw":
        start, cpu_start = time.perf_counter(), time.process_time()
        n = raw_load(engine, generate(rows, 0), batch)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        result["raw"] = {
            "rows_per_s": n / elapsed, "seconds": elapsed, "cpu_rows_per_s": n / cpu,
            "cpu_seconds": cpu, "counts": {"new": n},
        }  # fmt: skip
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    store = MentionStore(engine, batch_size=batch)
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


def run_backend(backend: str, rows: int, batch: int, mode: str = "store") -> dict[str, object]:
    from storage.schema import scratch_schema

    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/bench.db"
        else:
            url = stack.enter_context(scratch_schema(PG, "bench"))
        out = subprocess.run(
            [sys.executable, __file__, "--child", url, "--rows", str(rows), "--batch", str(batch),
             "--mode", mode],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child")
    parser.add_argument("--mode", default="store", choices=("store", "raw"))
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.batch, args.mode)
        return
    print(f"Upserting {args.rows:,} mentions in batches of {args.batch:,}")
    for backend in args.backends.split(","):
        r = run_backend(backend, args.rows, args.batch)
        raw = run_backend(backend, args.rows, args.batch, "raw")
        r["raw"] = raw["raw"]
        for phase in ("insert", "unchanged", "update", "raw"):
            p = r[phase]
            assert isinstance(p, dict)
            print(
                f"{backend:>10} {phase:>9}: {p['rows_per_s']:>9,.0f} rows/s "
                f"({p['seconds']:.1f} s); {p['cpu_rows_per_s']:>9,.0f} rows per CPU s "
                f"({p['cpu_seconds']:.1f} s) {p['counts']}"
            )
        ins, low = r["insert"], r["raw"]
        assert isinstance(ins, dict) and isinstance(low, dict)
        print(
            f"{backend:>10} insert / raw: {ins['rows_per_s'] / low['rows_per_s']:.2f}x wall, "
            f"{ins['cpu_rows_per_s'] / low['cpu_rows_per_s']:.2f}x per CPU s"
        )
        print(
            f"{backend:>10} peak RSS: {r['peak_rss_mb']:.0f} MB (raw {raw['peak_rss_mb']:.0f} MB)"
        )


if __name__ == "__main__":
    main()
