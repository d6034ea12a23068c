"""PostgreSQL's planner statistics kept up with Veille's own bulk writes.

A night writes a million mentions and three million labels into tables that held few rows
when the planner last looked. With statistics that old, PostgreSQL plans each batch's
queries for a tiny table: it hashes every label of a task to find the next mentions to label,
or every author to score a batch, a cost that grows with the table, batch after batch (a 1M
labelling slowed from 3,000 to 1,100 mentions a second, and kept slowing). Autovacuum's
analyze would catch up, where it runs and keeps pace; `refresh` does what it would do, right
after the batch that crossed the threshold: ANALYZE a table once the rows changed since its
last analysis exceed 500 + 50 % of the rows it had then. The planner needs a table's size and
spread within a factor, not exactly: autovacuum's own threshold (50 rows + 10 %) analysed
the mentions 36 times during a 1M import, ≈ 40 s of the server's time; this one about 10
times. A writer's transaction is `bulk_write`: it has its rows counted at the commit
(`counted`; PostgreSQL 15 and later hold a backend's counts for up to a second), then
`refresh`es. SQLite plans from its indexes alone: nothing to do there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, bindparam, text

# As autovacuum_analyze_threshold and autovacuum_analyze_scale_factor (PostgreSQL's defaults:
# 50 and 0.1), for tables that grow by batches of thousands of rows.
THRESHOLD = 500
SCALE = 0.5

_STALE = text(
    "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
    " WHERE s.schemaname = current_schema() AND s.relname IN :tables"
    " AND s.n_mod_since_analyze > :threshold + :scale * GREATEST(c.reltuples, 0)"
    " ORDER BY s.relname"
).bindparams(bindparam("tables", expanding=True))


@contextmanager
def bulk_write(engine: Engine, tables: Sequence[str]) -> Iterator[Connection]:
    """`engine.begin()` for a transaction that writes many rows of `tables`: their statistics
    refreshed after its commit (PostgreSQL)."""
    with engine.begin() as conn:
        yield conn
        counted(conn)
    refresh(engine, tables)


def counted(conn: Connection) -> None:
    """Have the rows this transaction writes counted at its commit (PostgreSQL 15 and later;
    earlier ones count them within half a second)."""
    if conn.dialect.name == "postgresql" and (conn.dialect.server_version_info or (0,)) >= (15,):
        conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")


def stale(engine: Engine, tables: Sequence[str]) -> list[str]:
    """The tables among `tables` whose statistics a bulk write has left behind."""
    if engine.dialect.name != "postgresql" or not tables:
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            _STALE, {"tables": list(tables), "threshold": THRESHOLD, "scale": SCALE}
        )
        return [str(name) for (name,) in rows]


def refresh(engine: Engine, tables: Sequence[str]) -> list[str]:
    """ANALYZE the tables whose statistics are stale (PostgreSQL; call after a commit: the
    counts of changed rows include committed writes only). The tables analysed."""
    names = stale(engine, tables)
    if names:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE " + ", ".join(_quoted(n) for n in names))
    return names


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
