"""Fast multi-row upserts at the driver level: executemany on SQLite, COPY on PostgreSQL.

SQLAlchemy's per-row parameter processing costs more than the database work for large
batches, so the hot path of collectors and labelers binds plain tuples here. Callers build
rows with the converters of `Binder` (datetimes in SQLite's text form or aware for
PostgreSQL, JSON as text — PostgreSQL casts it into JSONB on COPY).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, delete

from storage.dialect import chunks, ids_in


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    return orjson.dumps(value, default=str).decode()


def _sqlite_ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # The text form SQLAlchemy's SQLite DateTime reads back (without the "+00:00").
    return value.isoformat(sep=" ", timespec="microseconds")[:26]


def _pg_ts(value: datetime | None) -> datetime | None:
    return value


def timestamp_binder(conn: Connection) -> Callable[[datetime | None], Any]:
    return _sqlite_ts if conn.dialect.name == "sqlite" else _pg_ts


def select_in(
    conn: Connection, sql: str, fixed: Sequence[Any], keys: Sequence[Any], size: int = 2000
) -> list[tuple[Any, ...]]:
    """Run `sql` (ending in `IN ({keys})`) over `keys` in chunks, with `fixed` params first."""
    out: list[tuple[Any, ...]] = []
    if conn.dialect.name == "postgresql":
        # One array parameter: no giant statement to build and parse, one plan.
        query = sql.replace("?", "%s").replace("IN ({keys})", "= ANY(%s)")
        return list(conn.exec_driver_sql(query, (*fixed, list(keys))).tuples().all())
    mark = "?"
    for i in range(0, len(keys), size):
        part = list(keys[i : i + size])
        query = sql.format(keys=", ".join(mark for _ in part))
        out.extend(conn.exec_driver_sql(query, (*fixed, *part)).tuples().all())
    return out


def upsert_rows(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    conflict: Sequence[str],
    update: dict[str, str] | None = None,
    where: str | None = None,
    returning: str | None = None,
    values: str | None = None,
) -> list[tuple[Any, ...]] | None:
    """INSERT rows, and on a conflict on `conflict` columns apply `update` (or do nothing).

    `update` maps a column to an SQL expression over `excluded.<col>` and `{t}.<col>`, where
    `{t}` is replaced by the table name; `where` limits which conflicting rows are updated.
    On PostgreSQL, `returning` columns of the inserted or updated rows are returned (saving a
    look-up); on SQLite (executemany returns no rows) the result is None. `values`, on
    SQLite, replaces the VALUES list (e.g. a sub-query resolving a key inside the database).
    """
    if not rows:
        return []
    action = "DO NOTHING"
    if update:
        sets = ", ".join(f"{col} = {expr.format(t=table)}" for col, expr in update.items())
        action = f"DO UPDATE SET {sets}" + (f" WHERE {where.format(t=table)}" if where else "")
    cols = ", ".join(columns)
    on_conflict = f"ON CONFLICT ({', '.join(conflict)}) {action}"
    if conn.dialect.name == "sqlite":
        marks = values or ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) {on_conflict}"
        executemany(conn, sql, rows)
        return None
    return _copy_upsert(conn, table, columns, rows, on_conflict, returning)


def executemany(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """The driver's executemany on the connection's own cursor, no per-row processing."""
    raw: Any = conn.connection.dbapi_connection
    cur = raw.cursor()
    try:
        cur.executemany(sql, rows)
    finally:
        cur.close()


def _copy_upsert(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    tail: str,
    returning: str | None,
) -> list[tuple[Any, ...]] | None:
    stage = f"_stage_{table}"
    cols = ", ".join(columns)
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cur:
        # Emptied at each commit (and after each use below): a rolled-back batch leaves no
        # rows either, so no TRUNCATE (a new file each time) is needed before the COPY.
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS"
            f" AS SELECT {cols} FROM {table} WITH NO DATA"
        )
        with cur.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        back = f" RETURNING {returning}" if returning else ""
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} {tail}{back}")
        found = [tuple(r) for r in cur.fetchall()] if returning else None
        cur.execute(f"DELETE FROM {stage}")
        return found


def replace_rows(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    size: int = 5000,
) -> int:
    """Insert rows keyed by their first column, replacing the rows of the same key, `size` at a
    time as `rows` come (derived data kept per mention: a million rows through SQLAlchemy's
    per-row processing would cost more than deriving them). Returns how many were written."""
    replace = {c: f"excluded.{c}" for c in columns[1:]}
    n = 0
    new = iter(rows)
    while part := list(itertools.islice(new, size)):
        upsert_rows(conn, table, columns, part, conflict=(columns[0],), update=replace)
        n += len(part)
    return n


def delete_in(conn: Connection, column: Any, ids: Sequence[Any]) -> None:
    """DELETE the rows whose `column` (of a mapped class or a table) is one of `ids`."""
    for part in chunks(list(ids)):
        conn.execute(delete(column.table).where(ids_in(conn, column, part)))
