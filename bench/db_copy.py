"""Benchmark `veille db copy` over N generated mentions (bench/web.py's: two brands, labels,
the contributors' profiles), from SQLite to PostgreSQL and back into a new SQLite file, and the
PostgreSQL workspace's pg_dump backup (backup.format: pg_dump) and its restore:

    .venv/bin/python bench/db_copy.py [--mentions 100000]

It prints each copy's time and rows per second (every table, the rows of all tables counted),
and the archive's time, size and restore time.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _bench_web() -> ModuleType:
    """bench/web.py (its generator and loader), under a name apart from the `web` package."""
    spec = importlib.util.spec_from_file_location("bench_web", Path(__file__).with_name("web.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=100_000)
    args = parser.parse_args()
    bench = _bench_web()
    PG, load = bench.PG, bench.load
    from sqlalchemy import create_engine, text

    from storage.database_copy import copy_database
    from storage.engine import make_engine
    from storage.pg_dump import dump, restore

    schema = f"bench_copy_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            source_url = f"sqlite:///{tmp}/source.db"
            loaded = load(source_url, args.mentions)
            print(f"loaded {args.mentions:,} mentions into SQLite in {loaded:.0f} s")
            source = make_engine(source_url)
            pg = make_engine(f"{PG}?options=-csearch_path%3D{schema}")
            back = make_engine(f"sqlite:///{tmp}/back.db")
            for name, a, b in (("SQLite -> PostgreSQL", source, pg),
                               ("PostgreSQL -> SQLite", pg, back)):  # fmt: skip
                start = time.perf_counter()
                result = copy_database(a, b)
                took = time.perf_counter() - start
                print(f"{name}: {result.total:,} rows of {len(result.rows)} tables in "
                      f"{took:.1f} s, {result.total / took:,.0f} rows/s "
                      f"({result.rows['mentions']:,} mentions)")  # fmt: skip
            archive = Path(tmp) / "veille.dump"
            start = time.perf_counter()
            dump(pg, archive)
            took = time.perf_counter() - start
            print(f"pg_dump: {took:.1f} s, {archive.stat().st_size / 1e6:.1f} MB "
                  f"(the SQLite copy: {Path(tmp, 'back.db').stat().st_size / 1e6:.1f} MB)")  # fmt: skip
            with admin.begin() as conn:  # the workspace lost: an empty schema of that name
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            start = time.perf_counter()
            rows = restore(archive, pg)
            took = time.perf_counter() - start
            print(f"pg_restore: {sum(rows.values()):,} rows in {took:.1f} s")
            for engine in (source, pg, back):
                engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
