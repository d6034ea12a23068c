"""The import inbox's memory: which export files were imported, by content hash, how far."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update

from storage.clock import utcnow
from storage.models import ImportedFile


@dataclass
class ImportState:
    id: int
    path: str
    status: str
    committed: int
    finished_at: datetime | None
    error: str | None = None


def content_hash(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, or of a folder's files (names and contents, sorted)."""
    digest = hashlib.sha256()
    size = 0
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode("utf-8") + b"\0")
        with open(file, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    return digest.hexdigest(), size


def find_import(engine: Engine, source: str, sha256: str) -> ImportState | None:
    t = ImportedFile
    with engine.connect() as conn:
        row = conn.execute(
            select(t.id, t.path, t.status, t.committed, t.finished_at, t.error).where(
                t.source == source, t.sha256 == sha256
            )
        ).first()
    return ImportState(*row) if row else None


def begin_import(
    engine: Engine, path: str, sha256: str, size: int, fmt: str, source: str
) -> ImportState:
    """The file's import row, created `running` (an unfinished one is reused to resume)."""
    found = find_import(engine, source, sha256)
    with engine.begin() as conn:
        if found is None:
            from sqlalchemy import insert

            new_id = conn.execute(
                insert(ImportedFile)
                .values(
                    path=path,
                    sha256=sha256,
                    size=size,
                    format=fmt,
                    source=source,
                    status="running",
                    committed=0,
                    started_at=utcnow(),
                )
                .returning(ImportedFile.id)
            ).scalar_one()
            return ImportState(new_id, path, "running", 0, None)
        conn.execute(
            update(ImportedFile)
            .where(ImportedFile.id == found.id)
            .values(
                path=path,
                format=fmt,
                status="running",
                error=None,
                finished_at=None,
                committed=0 if found.status != "running" else found.committed,
            )
        )
    if found.status != "running":  # a forced or retried import goes through the whole file
        found.committed = 0
    found.status = "running"
    return found


def record_progress(engine: Engine, import_id: int, committed: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(ImportedFile).where(ImportedFile.id == import_id).values(committed=committed)
        )


def finish_import(
    engine: Engine,
    import_id: int,
    status: str,
    counts: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Mark the file done (or failed), with its counts or the error that stopped it."""
    values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "error": error}
    if counts is not None:
        values["counts"] = counts
    with engine.begin() as conn:
        conn.execute(update(ImportedFile).where(ImportedFile.id == import_id).values(**values))


def list_imports(engine: Engine, limit: int = 100) -> list[dict[str, Any]]:
    table = ImportedFile.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.started_at.desc()).limit(limit))
        return [dict(row._mapping) for row in rows]
