"""Engines for SQLite (the embedded default) and PostgreSQL, tuned for bulk writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from storage.errors import SchemaError, StorageError, describe_url


def make_engine(
    url: str, echo: bool = False, busy_timeout: float = 15.0, create: bool = True
) -> Engine:
    """Create an engine; for SQLite WAL mode is switched on and the file's folder created.

    With `create=False` (commands that only read) a SQLite file that does not exist is an
    error saying so, and nothing is created: a mistyped path leaves no folder behind.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().parent
            if not create and not Path(database).expanduser().is_file():
                raise SchemaError(
                    f"The database {describe_url(url)} has no Veille schema yet; run `veille db "
                    f"upgrade` (or `veille init`) first (there is no file "
                    f"{Path(database).expanduser()}: check database.url if there should be)."
                )
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"Cannot create the folder {folder} for the SQLite database ({exc.strerror}); "
                    "choose another database.url."
                ) from None
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": busy_timeout}, json_serializer=json_text
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10},
        json_serializer=json_text,
    )


def json_text(value: Any) -> str:
    """A JSON column's value as stored (also by the driver-level writes of `storage`)."""
    # Raw records are kept as they came; anything JSON cannot hold is stored as its text.
    return json.dumps(value, ensure_ascii=False, default=str)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA cache_size=-65536")
        # Checkpoint the WAL every ~32 MB rather than 4 MB: bulk upserts rewrite the same index
        # pages batch after batch, and each checkpoint writes (and syncs) them into the file.
        # Committed transactions stay durable in the WAL meanwhile.
        cursor.execute("PRAGMA wal_autocheckpoint=8192")
    finally:
        cursor.close()
