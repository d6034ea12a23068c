"""The migrations build exactly the tables, columns, types and indexes the models describe,
on SQLite and PostgreSQL: a model changed without its migration (or the reverse) fails here,
before a database in the field finds out."""

from __future__ import annotations

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from storage.models import Base

# What the migrations make that no model describes: the full-text index (migration 0014:
# SQLite's FTS5 table and its shadow tables, PostgreSQL's generated tsvector column and its
# GIN index).
FTS_TABLES = {"mentions_fts", "mentions_fts_idx", "mentions_fts_config", "mentions_fts_data",
              "mentions_fts_docsize"}  # fmt: skip


def _outside_models(change: Any) -> bool:
    kind = change[0] if isinstance(change, tuple) else None
    if kind == "remove_table":
        return bool(change[1].name in FTS_TABLES)
    if kind == "remove_column":  # PostgreSQL's generated tsvector of the full text (0014)
        return bool((change[2], change[3].name) == ("mentions", "fulltext"))
    if kind == "remove_index":  # and its GIN index
        return bool(change[1].name == "ix_mentions_fulltext")
    return False


def test_the_migrations_build_the_models_schema(engine: Engine) -> None:
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # expression indexes SQLite cannot reflect
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        changes = compare_metadata(context, Base.metadata)
    assert [c for c in changes if not _outside_models(c)] == []
