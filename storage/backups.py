"""Dated backups of the whole database in a folder, the newest `keep` kept (the `backup`
stage): each a SQLite file that `veille db copy --from` restores on either backend, or for a
PostgreSQL workspace with `backup.format: pg_dump`, PostgreSQL's own archive of it
(storage.pg_dump), which the same command restores into PostgreSQL."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from storage import pg_dump
from storage.database_copy import copy_database
from storage.engine import make_engine
from storage.errors import StorageError

NAME = "veille-{day}{suffix}"
SUFFIXES = {"sqlite": ".db", "pg_dump": pg_dump.SUFFIX}  # by backup.format
STALE = timedelta(hours=48)  # a nightly backup older than this: `veille status` says so
_NAME = re.compile(r"^veille-\d{4}-\d{2}-\d{2}(\.db|\.dump)$")


@dataclass(frozen=True)
class Backup:
    path: Path
    rows: int | None  # rows copied (a SQLite file); None for a pg_dump archive
    removed: list[Path]  # older backups deleted


def backups_in(folder: Path) -> list[Path]:
    """The folder's backups, oldest first (their names sort by day)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _NAME.match(p.name) and p.is_file())


def newest_backup(folder: Path, now: datetime) -> dict[str, object]:
    """What `veille status` says of the backups: how many, the newest (name, size, when it
    was written) and whether it is stale (none, or written over two days before `now`)."""
    found = backups_in(folder)
    out: dict[str, object] = {"folder": str(folder), "count": len(found), "newest": None,
                              "bytes": 0, "at": None, "stale": True}  # fmt: skip
    if found:
        stat = found[-1].stat()
        at = datetime.fromtimestamp(stat.st_mtime, UTC)
        out.update(newest=found[-1].name, bytes=stat.st_size, at=at.isoformat(),
                   stale=now - at > STALE)  # fmt: skip
    return out


def back_up(engine: Engine, folder: Path, day: date, keep: int, fmt: str = "sqlite") -> Backup:
    """Copy the database into `folder/veille-DAY.db` (`fmt` sqlite) or dump it into
    `folder/veille-DAY.dump` (pg_dump); a backup of that day already there is replaced, whole,
    once the new one is complete; then delete all but the newest `keep`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the backup folder {folder} ({exc.strerror}); set backup.folder"
        ) from None
    final = folder / NAME.format(day=day.isoformat(), suffix=SUFFIXES[fmt])
    partial = folder / f".{final.name}.partial"
    partial.unlink(missing_ok=True)  # an earlier run's, stopped half-way
    rows = None
    if fmt == "pg_dump":
        try:
            pg_dump.dump(engine, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    else:
        rows = _copy(engine, partial)
    os.replace(partial, final)
    old = backups_in(folder)[:-keep]
    for path in old:
        path.unlink()
    return Backup(final, rows, old)


def _copy(engine: Engine, partial: Path) -> int:
    """Every row into a new SQLite file; how many."""
    target = make_engine(f"sqlite:///{partial}")
    try:
        result = copy_database(engine, target)
        with target.connect() as conn:  # one self-contained file: its write-ahead log folded in
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    except BaseException:
        target.dispose()
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    target.dispose()
    return result.total
