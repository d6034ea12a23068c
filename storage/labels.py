"""Labels of mentions: a model writes only where no person has decided."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, Engine, Select

from storage.attention import rescore
from storage.clock import utcnow
from storage.dialect import chunks
from storage.models import Label, Mention, MentionAttention
from storage.scope import Scope, seen_ids

# The tables a batch of model labels writes: the labels, the inbox's stored score, the
# mention's language (`storage.labelling.set_languages`).
LABELLED_TABLES = tuple(m.__tablename__ for m in (Label, MentionAttention, Mention))


@dataclass(slots=True)
class LabelRecord:
    mention_id: int
    task: str
    value: str
    score: float | None = None
    scores: dict[str, float] | None = None
    model: str = "human"
    version: str = "1"
    review: bool = False  # a model's label a person should check (low calibrated score)


def save_labels(conn: Connection, labels: Iterable[LabelRecord], by_human: bool = False) -> int:
    """Upsert labels. A person's label always wins: model labels never overwrite it.

    Returns the number of label rows given (rows held by a person are left as they are). The
    rows are bound at the driver level (`storage.bulk`): a night labels millions of them.
    """
    from storage.bulk import timestamp_binder, upsert_rows

    at = timestamp_binder(conn)(utcnow())
    given = list(labels)
    # One row per (mention, task), the last given winning, as row-by-row upserts would leave;
    # values in _COLUMNS' order.
    rows = {
        (lab.mention_id, lab.task): (
            lab.mention_id, lab.task, lab.value, lab.score, _json(lab.scores), lab.model,
            lab.version, by_human, lab.review and not by_human, at,
        )
        for lab in given
    }  # fmt: skip
    if not rows:
        return 0
    for part in chunks(list(rows.values())):
        upsert_rows(
            conn, Label.__tablename__, _COLUMNS, part, conflict=("mention_id", "task"),
            update={c: f"excluded.{c}" for c in _COLUMNS[2:]},
            where=None if by_human else "NOT {t}.by_human",
        )  # fmt: skip
    rescore(conn, {lab.mention_id for lab in given})  # the inbox's stored score
    return len(given)


# The table's columns, in its order: the rows `save_labels` binds give their values in it.
_COLUMNS = tuple(c.name for c in Label.__table__.columns)


def _json(value: dict[str, float] | None) -> str:
    """A label's scores as the JSON column stores them (None as JSON's null, as the column
    type writes it)."""
    return orjson.dumps(value, default=str).decode()


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A model's label to check: the mention, its reach and the label's calibrated score."""

    mention_id: int
    task: str
    value: str
    score: float | None
    reach: int
    brands: tuple[str, ...]
    text: str


def unsure() -> ColumnElement[bool]:
    """A model's label marked for review (a person's label never is, whatever its flag)."""
    return Label.review.is_(True) & Label.by_human.is_(False)


def _review_filter(
    q: Select[Any], brand: str | None, tasks: Sequence[str], scope: Scope = None
) -> Select[Any]:
    """Model labels marked `review`, of these tasks (all when none) and this brand's mentions
    (of the brands `scope` sees: storage.scope)."""
    from sqlalchemy import func, select

    from storage.models import MentionBrand

    q = q.where(unsure())
    if scope is not None:
        q = q.where(Label.mention_id.in_(seen_ids(scope)))
    if tasks:
        q = q.where(Label.task.in_(list(tasks)))
    if brand:
        matched = select(MentionBrand.mention_id).where(
            func.lower(MentionBrand.brand) == brand.casefold()
        )
        q = q.where(Label.mention_id.in_(matched))
    return q


def label_counts(engine: Engine) -> dict[str, dict[str, int]]:
    """Per task: labels stored, those a person gave, and the models' labels marked for review."""
    from sqlalchemy import case, func, select

    people = func.sum(case((Label.by_human.is_(True), 1), else_=0))
    review = func.sum(case((unsure(), 1), else_=0))
    with engine.connect() as conn:
        rows = conn.execute(
            select(Label.task, func.count(), people, review).group_by(Label.task)
        ).all()
    return {
        str(task): {"labels": int(n), "people": int(h or 0), "to_review": int(r or 0)}
        for task, n, h, r in rows
    }


def count_to_review(
    engine: Engine, brand: str | None = None, tasks: Sequence[str] = (), scope: Scope = None
) -> int:
    """How many labels `labels_to_review` would list without a limit."""
    from sqlalchemy import func, select

    with engine.connect() as conn:
        return int(conn.execute(_review_filter(select(func.count()).select_from(Label), brand,
                                               tasks, scope)).scalar_one())  # fmt: skip


def labels_to_review(
    engine: Engine,
    brand: str | None = None,
    limit: int = 50,
    tasks: Sequence[str] = (),
    scope: Scope = None,
) -> list[ReviewItem]:
    """Model labels marked `review`, most useful to check first: the widest reach (the
    mention's author followers, else the author's), then the lowest score, then mention id."""
    from sqlalchemy import func, select

    from storage.models import Author, Mention, MentionBrand

    reach = func.coalesce(Mention.author_followers, Author.followers, 0)
    q = _review_filter(
        select(Label.mention_id, Label.task, Label.value, Label.score, reach.label("reach"),
               Mention.text)
        .join(Mention, Mention.id == Label.mention_id)
        .join(Author, Author.id == Mention.author_id, isouter=True),
        brand, tasks, scope,
    )  # fmt: skip
    q = q.order_by(reach.desc(), Label.score.asc(), Label.mention_id, Label.task).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
        brands: dict[int, list[str]] = {}
        ids = sorted({r.mention_id for r in rows})
        if ids:
            for mid, name in conn.execute(
                select(MentionBrand.mention_id, MentionBrand.brand)
                .where(MentionBrand.mention_id.in_(ids))
                .order_by(MentionBrand.brand)
            ):  # fmt: skip
                brands.setdefault(mid, []).append(name)
    return [
        ReviewItem(r.mention_id, r.task, r.value, r.score, int(r.reach or 0),
                   tuple(brands.get(r.mention_id, [])), r.text or "")
        for r in rows
    ]  # fmt: skip
