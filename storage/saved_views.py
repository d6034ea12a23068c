"""The inbox's saved views (web workspace): a name the team gives a set of filters, shared by
everyone, or one person's own (`owner`). Rows only: which filters an inbox address may hold,
and who may save or remove which view, are the web's to check."""

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
    owner: str = ""  # '' : the team's; else the person whose own view it is

    @property
    def private(self) -> bool:
        return bool(self.owner)


def check_name(name: str) -> str:
    """A view's name as typed (trimmed); ValueError saying what is wrong."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_LIMIT or not name.isprintable():
        raise ValueError(f"a view's name is 1 to {NAME_LIMIT} printable characters")
    return name


_COLUMNS = (SavedView.id, SavedView.name, SavedView.filters, SavedView.created_by,
            SavedView.created_at, SavedView.owner)  # fmt: skip


def _record(row: Any) -> SavedViewRecord:
    return SavedViewRecord(row.id, row.name, dict(row.filters or {}), row.created_by,
                           row.created_at, row.owner or "")  # fmt: skip


def save_view(
    engine: Engine, name: str, filters: dict[str, str], by: str, now: datetime, owner: str = ""
) -> SavedViewRecord:
    """Keep `filters` under `name`, the team's view or `owner`'s own (a view of that name and
    owner takes the new filters); ValueError when the name is none."""
    name = check_name(name)
    same = (SavedView.name == name, SavedView.owner == owner)
    with engine.begin() as conn:
        found = conn.execute(select(SavedView.id).where(*same)).scalar()
        values = {"filters": filters, "created_by": by, "created_at": now}
        if found is None:
            conn.execute(insert(SavedView).values(name=name, owner=owner, **values))
        else:
            conn.execute(update(SavedView).where(SavedView.id == found).values(**values))
        return _record(conn.execute(select(*_COLUMNS).where(*same)).one())


def list_views(engine: Engine, me: str | None = None) -> list[SavedViewRecord]:
    """The team's views and `me`'s own, the team's first, each by name as people sort words
    (not by a backend's collation)."""
    mine = [""] if me is None else ["", me]
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS).where(SavedView.owner.in_(mine))).all()
    return sorted((_record(r) for r in rows), key=lambda v: (v.private, v.name.casefold(), v.name))


def get_view(engine: Engine, view_id: int) -> SavedViewRecord | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(SavedView.id == view_id)).first()
    return None if row is None else _record(row)


def remove_view(engine: Engine, view_id: int) -> SavedViewRecord | None:
    """Remove the view; the one removed, None when there was none."""
    with engine.begin() as conn:
        row = conn.execute(select(*_COLUMNS).where(SavedView.id == view_id)).first()
        if row is None:
            return None
        found = _record(row)
        conn.execute(delete(SavedView).where(SavedView.id == view_id))
        return found
