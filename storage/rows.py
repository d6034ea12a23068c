"""Records read from one table whose columns they name: a dataclass and its table, nothing
else to write (the SELECT, the row → record mapping, the JSON form)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any, Self

from sqlalchemy import FromClause, Select, select


class Stored:
    """Mixed into a dataclass whose fields are columns of a table, by the same names."""

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def select_from(cls, table: FromClause) -> Select[Any]:
        return select(*(table.c[name] for name in cls.columns()))

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(**{name: row[name] for name in cls.columns()})

    def as_dict(self) -> dict[str, Any]:
        """Every field, times in ISO 8601 (for --json and the audit log)."""
        out = {name: getattr(self, name) for name in self.columns()}
        return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in out.items()}
