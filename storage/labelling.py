"""Read and write side of labelling: mentions a labeler has not yet labelled, human labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, or_, select

from storage.dialect import chunks
from storage.models import Author, Label, Mention, MentionBrand, Source
from storage.records import OWN_ACCOUNT


@dataclass(frozen=True, slots=True)
class MentionToLabel:
    id: int
    text: str
    title: str | None
    author: str | None
    source_kind: str
    source_name: str
    lang: str | None
    brands: tuple[str, ...]
    own_account: bool = False  # the source marked the author as the brand's own account
    needs: tuple[str, ...] = ()  # the tasks still to label (iter_needing_labels)


def _needs_label(task: str, model: str, version: str, relabel: bool) -> Any:
    """Mentions with no label for `task`, or a model label of another model or version."""
    label = Label.__table__.c
    held = exists().where(and_(label.mention_id == Mention.id, label.task == task))
    if relabel:
        current = exists().where(
            and_(label.mention_id == Mention.id, label.task == task, label.by_human.is_(True))
        )
    else:
        current = exists().where(
            and_(
                label.mention_id == Mention.id, label.task == task,
                or_(label.by_human.is_(True),
                    and_(label.model == model, label.version == version)),
            )
        )  # fmt: skip
    return or_(~held, ~current)


def count_to_label(engine: Engine, task: str, model: str, version: str, relabel: bool) -> int:
    from sqlalchemy import func

    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(Mention)
                .where(_needs_label(task, model, version, relabel))
            ).scalar_one()
        )  # fmt: skip


def iter_needing_labels(
    engine: Engine,
    wanted: Sequence[tuple[str, str, str]],
    relabel: bool,
    batch_size: int,
    between: tuple[int, int] | None = None,
) -> Iterator[list[MentionToLabel]]:
    """Batches of mentions that some labeler of `wanted` (task, model, version) has still to
    label, in id order (keyset pagination), each with the tasks it needs (`needs`, in the
    order of `wanted`); `between`: only ids from first to last, both included."""
    if not wanted:
        return
    conditions = [_needs_label(task, model, version, relabel) for task, model, version in wanted]
    flags = [c.label(f"needs_{i}") for i, c in enumerate(conditions)]
    last_id = between[0] - 1 if between else 0
    while True:
        q = (
            select(Mention.id, Mention.text, Mention.title, Mention.lang, Author.handle,
                   Author.extra, Source.kind, Source.name, *flags)
            .join(Source, Source.id == Mention.source_id)
            .join(Author, Author.id == Mention.author_id, isouter=True)
            .where(Mention.id > last_id, or_(*conditions))
            .order_by(Mention.id)
            .limit(batch_size)
        )  # fmt: skip
        if between:
            q = q.where(Mention.id <= between[1])
        with engine.connect() as conn:
            rows = conn.execute(q).tuples().all()
            if not rows:
                return
            ids = [r[0] for r in rows]
            brands: dict[int, list[str]] = {}
            for mid, brand in conn.execute(
                select(MentionBrand.mention_id, MentionBrand.brand).where(
                    MentionBrand.mention_id.in_(ids)
                )
            ).tuples():
                brands.setdefault(mid, []).append(brand)
        tasks = [task for task, _, _ in wanted]
        yield [
            MentionToLabel(
                id=mid, text=text or "", title=title, author=handle, source_kind=kind,
                source_name=name, lang=lang, brands=tuple(sorted(brands.get(mid, ()))),
                own_account=bool((extra or {}).get(OWN_ACCOUNT)),
                needs=tuple(t for t, flag in zip(tasks, needed, strict=True) if flag),
            )
            for mid, text, title, lang, handle, extra, kind, name, *needed in rows
        ]  # fmt: skip
        last_id = ids[-1]


def ranges_to_label(
    engine: Engine, wanted: Sequence[tuple[str, str, str]], relabel: bool, batch_size: int
) -> list[tuple[int, int, int]]:
    """The mentions some labeler of `wanted` (task, model, version) has still to label, cut in
    id order into ranges of at most `batch_size`: (first id, last id, mentions). Ids only: a
    million mentions are cut in a few seconds."""
    if not wanted:
        return []
    needs = or_(*(_needs_label(task, model, version, relabel) for task, model, version in wanted))
    out: list[tuple[int, int, int]] = []
    last_id = 0
    with engine.connect() as conn:
        while True:
            ids = list(
                conn.execute(
                    select(Mention.id).where(Mention.id > last_id, needs)
                    .order_by(Mention.id).limit(batch_size)
                ).scalars()
            )  # fmt: skip
            if not ids:
                return out
            out.append((ids[0], ids[-1], len(ids)))
            last_id = ids[-1]


def set_languages(conn: Connection, languages: Iterable[tuple[int, str]]) -> None:
    """Write the language labeler's answers into mentions.lang, where they change it (at the
    driver level: a night writes a million; a mention's row is rewritten whole)."""
    from storage.bulk import executemany

    rows = [(lang, mid, lang) for mid, lang in languages]
    if rows:
        sql = "UPDATE mentions SET lang = ? WHERE id = ? AND lang IS NOT ?"
        if conn.dialect.name == "postgresql":
            sql = sql.replace("?", "%s").replace("IS NOT", "IS DISTINCT FROM")
        executemany(conn, sql, rows)


def human_labels_of(conn: Connection, task: str, ids: Iterable[int]) -> dict[int, str]:
    """The value a person gave for `task` to each of these mentions, where one did."""
    out: dict[int, str] = {}
    for part in chunks(list(ids)):
        q = select(Label.mention_id, Label.value).where(
            Label.mention_id.in_(part), Label.task == task, Label.by_human.is_(True)
        )
        out.update(conn.execute(q).tuples().all())
    return out


def existing_mentions(conn: Connection, ids: Iterable[int]) -> set[int]:
    wanted = list(set(ids))
    found: set[int] = set()
    for i in range(0, len(wanted), 1000):
        chunk = wanted[i : i + 1000]
        found.update(conn.execute(select(Mention.id).where(Mention.id.in_(chunk))).scalars())
    return found


def iter_human_labels(engine: Engine) -> Iterator[dict[str, Any]]:
    """Every label a person gave, with the mention's text: a training set."""
    q = (
        select(Label.mention_id, Label.task, Label.value, Label.labelled_at, Mention.lang,
               Mention.text, Source.name.label("source"), Mention.external_id)
        .join(Mention, Mention.id == Label.mention_id)
        .join(Source, Source.id == Mention.source_id)
        .where(Label.by_human.is_(True))
        .order_by(Label.mention_id, Label.task)
    )  # fmt: skip
    with engine.connect() as conn:
        for row in conn.execute(q):
            yield dict(row._mapping)
