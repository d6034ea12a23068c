"""The inbox's saved views (web workspace): a name the team gives a set of filters, shared by
everyone. Rows only: which filters an inbox address may hold is the web's to check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from storage.models import SavedView

NAME_LIMIT = 80


@dataclass(frozen=True)
class SavedViewRecord:
    id: int
    name: str
    filters: dict[str, str]
    created_by: str
    created_at: datetime


def check_name(name: str) -> str:
    """A view's name as typed (trimmed); ValueError saying what is wrong."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_LIMIT or not name.isprintable():
        raise ValueError(f"a view's name is 1 to {NAME_LIMIT} printable characters")
    return name


_COLUMNS = (SavedView.id, SavedView.name, SavedView.filters, SavedView.created_by,
            SavedView.created_at)  # fmt: skip


def _record(row: Any) -> SavedViewRecord:
    return SavedViewRecord(row.id, row.name, dict(row.filters or {}), row.created_by,
                           row.created_at)  # fmt: skip


def save_view(
    engine: Engine, name: str, filters: dict[str, str], by: str, now: datetime
) -> SavedViewRecord:
    """Keep `filters` under `name` (a view of that name takes the new filters); ValueError
    when the name is none."""
    name = check_name(name)
    with engine.begin() as conn:
        found = conn.execute(select(SavedView.id).where(SavedView.name == name)).scalar()
        values = {"filters": filters, "created_by": by, "created_at": now}
        if found is None:
            conn.execute(insert(SavedView).values(name=name, **values))
        else:
            conn.execute(update(SavedView).where(SavedView.id == found).values(**values))
        return _record(conn.execute(select(*_COLUMNS).where(SavedView.name == name)).one())


def list_views(engine: Engine) -> list[SavedViewRecord]:
    """Every saved view, by name as people sort words (not by a backend's collation)."""
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS)).all()
    return sorted((_record(r) for r in rows), key=lambda v: (v.name.casefold(), v.name))


def remove_view(engine: Engine, view_id: int) -> SavedViewRecord | None:
    """Remove the view; the one removed, None when there was none."""
    with engine.begin() as conn:
        row = conn.execute(select(*_COLUMNS).where(SavedView.id == view_id)).first()
        if row is None:
            return None
        found = _record(row)
        conn.execute(delete(SavedView).where(SavedView.id == view_id))
        return found
