"""The few statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Connection, Integer, any_, bindparam, cast, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement


def insert(conn: Connection, table: Any) -> Any:
    """An INSERT supporting ON CONFLICT for the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database dialect {conn.dialect.name}")


def ids_in(conn: Connection, column: Any, ids: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN ids` for a list of values of the column's type (ids, handles). On
    PostgreSQL one array parameter (`= ANY(...)`): a statement of thousands of parameters
    costs more to build, convert and parse than the rows it reads. SQLite's list stays
    (callers cut it with `chunks`)."""
    if conn.dialect.name == "postgresql":
        element = BigInteger() if isinstance(column.type, Integer) else column.type
        return column == any_(bindparam(None, list(ids), type_=postgresql.ARRAY(element)))
    return column.in_(ids)


def greatest(conn: Connection, a: Any, b: Any) -> ColumnElement[Any]:
    return func.greatest(a, b) if conn.dialect.name == "postgresql" else func.max(a, b)


def least(conn: Connection, a: Any, b: Any) -> ColumnElement[Any]:
    return func.least(a, b) if conn.dialect.name == "postgresql" else func.min(a, b)


def epoch_seconds(conn: Connection, column: Any) -> ColumnElement[int]:
    """A timestamp column as whole seconds since 1970 (UTC), truncated."""
    if conn.dialect.name == "postgresql":
        return cast(func.floor(func.extract("epoch", column)), BigInteger)
    # SQLite's text, UTC without offset: the fraction cut off (its date functions would
    # round it to the millisecond, moving 12:59:59.9999 to the next minute).
    return cast(func.strftime("%s", func.substr(column, 1, 19)), Integer)


def chunks(values: list[Any], size: int = 5000) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
