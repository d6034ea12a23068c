"""Benchmark `veille db copy` over N generated mentions (bench/web.py's: two brands, labels,
the contributors' profiles), from SQLite to PostgreSQL and back into a new SQLite file:

    .venv/bin/python bench/db_copy.py [--mentions 100000]

It prints each copy's time and rows per second (every table, the rows of all tables counted).
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
            for engine in (source, pg, back):
                engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
