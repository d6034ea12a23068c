"""Copy a whole Veille database into another, empty one, on either backend: a backup into a
single SQLite file, its restore, or a workspace's move from SQLite to PostgreSQL when a team
grows (`veille db copy`).

The target is migrated to this version's schema first and must hold no row. Every table of the
models (but the run lock, the source's own) is copied in the order of their foreign keys, a
batch at a time, through the models' column types (JSON, times with their zone, booleans and
bytes read and written as each backend keeps them); what is derived from the rows follows on
the target: SQLite's full-text index is built again, PostgreSQL's generated words are computed
by the database, its id sequences are set past the copied ids. The source is read as one
snapshot: PostgreSQL in one repeatable-read transaction; SQLite from a copy its backup API
makes first (writers may go on meanwhile). Each table's count on the target is checked
against the rows read.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlalchemy.engine import make_url

from storage.engine import make_engine
from storage.errors import StorageError, describe_url
from storage.fulltext import index_new
from storage.models import Base
from storage.schema import check, upgrade

BATCH = 5_000  # rows read and written at a time


@dataclass
class CopyResult:
    source: str  # the URLs without their passwords
    target: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def database_url(where: str) -> str:
    """A database URL, or a file path read as a SQLite database (`backups/veille.db`)."""
    if "://" in where:
        return where
    return f"sqlite:///{Path(where).expanduser()}"


# What belongs to the live source only: the run lock a run of the source holds while it copies
# (a restored database would say a run is under way).
TRANSIENT = ("run_locks",)


def tables() -> list[Table]:
    """The models' tables a copy holds, each after those its foreign keys point to."""
    return [t for t in Base.metadata.sorted_tables if t.name not in TRANSIENT]


def copy_database(
    source: Engine, target: Engine, progress: Callable[[str, int], None] | None = None
) -> CopyResult:
    """Copy every row of `source` (at this version's schema) into `target` (empty: migrated
    here first). StorageError, naming the table, when the target holds rows already."""
    check(source)
    upgrade(target)
    result = CopyResult(describe_url(str(source.url)), describe_url(str(target.url)))
    refuse_rows(target, result.target)
    with _snapshot(source) as read, target.begin() as write:
        for table in tables():
            copied = 0
            for rows in _batches(read, table):
                write.execute(insert(table), rows)
                copied += len(rows)
            result.rows[table.name] = copied
            if progress is not None:
                progress(table.name, copied)
        follow_rows(write)
        for table in tables():
            found = write.execute(select(func.count()).select_from(table)).scalar_one()
            if found != result.rows[table.name]:
                raise StorageError(
                    f"{table.name}: {result.rows[table.name]:,} rows read but {found:,} in"
                    f" {result.target}; nothing was kept"
                )
    return result


def refuse_rows(target: Engine, where: str) -> None:
    """StorageError, naming the first table that holds rows, unless `target` holds none."""
    with target.connect() as conn:
        for table in tables():
            if conn.execute(select(table).limit(1)).first() is not None:
                raise StorageError(
                    f"{where} is not empty (table {table.name} holds rows): copy into"
                    " a new database, or empty this one first"
                )


def _batches(conn: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    order = list(table.primary_key.columns) or list(table.columns)
    found = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*order)
    )
    for part in found.mappings().partitions(BATCH):
        yield [dict(row) for row in part]


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that reads the database as it was at one moment."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
        return
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        with engine.connect() as conn:
            yield conn
        return
    with tempfile.TemporaryDirectory(prefix="veille-copy-") as folder:
        frozen = Path(folder) / "snapshot.db"
        source = sqlite3.connect(f"file:{Path(database).expanduser()}?mode=ro", uri=True)
        try:
            with sqlite3.connect(frozen) as copy:
                source.backup(copy)
        finally:
            source.close()
        snapshot = make_engine(f"sqlite:///{frozen}", create=False)
        try:
            with snapshot.connect() as conn:
                yield conn
        finally:
            snapshot.dispose()


def follow_rows(conn: Connection) -> None:
    """What the target derives from the rows: SQLite's full-text index, PostgreSQL's id
    sequences (the next row gets an id past the copied ones)."""
    if conn.dialect.name == "sqlite":
        index_new(conn)
        return
    quote = conn.dialect.identifier_preparer.quote
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column),"
                f" coalesce((SELECT max({quote(column.name)}) FROM {quote(table.name)}), 0) + 1,"
                " false)"
            ),
            {"table": table.name, "column": column.name},
        )
