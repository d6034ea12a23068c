"""Labels of mentions: a model writes only where no person has decided."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from storage.clock import utcnow
from storage.dialect import insert
from storage.models import Label


@dataclass(slots=True)
class LabelRecord:
    mention_id: int
    task: str
    value: str
    score: float | None = None
    scores: dict[str, float] | None = None
    model: str = "human"
    version: str = "1"


def save_labels(conn: Connection, labels: Iterable[LabelRecord], by_human: bool = False) -> int:
    """Upsert labels. A person's label always wins: model labels never overwrite it.

    Returns the number of label rows given (rows held by a person are left as they are).
    """
    now = utcnow()
    rows = [
        {
            "mention_id": lab.mention_id, "task": lab.task, "value": lab.value,
            "score": lab.score, "scores": lab.scores, "model": lab.model,
            "version": lab.version, "by_human": by_human, "labelled_at": now,
        }
        for lab in labels
    ]  # fmt: skip
    if not rows:
        return 0
    table = Label.__table__
    stmt = insert(conn, table)
    update = {
        name: stmt.excluded[name]
        for name in ("value", "score", "scores", "model", "version", "by_human", "labelled_at")
    }
    stmt = stmt.on_conflict_do_update(
        index_elements=["mention_id", "task"],
        set_=update,
        where=None if by_human else table.c.by_human.is_(False),
    )
    conn.execute(stmt, rows)
    return len(rows)
