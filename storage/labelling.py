"""Read and write side of labelling: mentions a labeler has not yet labelled, human labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, or_, select, true

from storage.dialect import chunks, ids_in
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


def _current(label: Any, task: str, model: str, version: str, relabel: bool) -> Any:
    """A label row that settles `task`: a person's, or (unless relabelling) one of this model
    and version. A mention needs labelling for `task` when it has no such row (a mention has
    at most one label per task)."""
    by_human = label.by_human.is_(True)
    if relabel:
        return and_(label.task == task, by_human)
    return and_(
        label.task == task, or_(by_human, and_(label.model == model, label.version == version))
    )


def _needs_label(task: str, model: str, version: str, relabel: bool) -> Any:
    """Mentions with no label for `task`, or a model label of another model or version."""
    label = Label.__table__.c
    return ~exists().where(
        and_(label.mention_id == Mention.id, _current(label, task, model, version, relabel))
    )


def _needs_flags(
    engine: Engine, wanted: Sequence[tuple[str, str, str]], relabel: bool
) -> tuple[list[Any], Any]:
    """Whether each mention needs each task of `wanted` (a column each), and the join that
    gives them. PostgreSQL: one look-up of a mention's labels for every task (a LATERAL
    aggregate; a correlated EXISTS per task cost ~60 µs a mention on a night's reads).
    SQLite: an EXISTS per task (None: nothing to join)."""
    if engine.dialect.name != "postgresql":
        exists_each = [
            _needs_label(task, model, version, relabel) for task, model, version in wanted
        ]
        return exists_each, None
    label = Label.__table__.alias("held")
    settled = [
        func.coalesce(func.bool_or(_current(label.c, task, model, version, relabel)), False)
        for task, model, version in wanted
    ]
    held = (
        select(*(c.label(f"settled_{i}") for i, c in enumerate(settled)))
        .where(label.c.mention_id == Mention.id)
        .lateral("held_now")
    )
    return [~held.c[f"settled_{i}"] for i in range(len(wanted))], held


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
    conditions, held = _needs_flags(engine, wanted, relabel)
    flags = [c.label(f"needs_{i}") for i, c in enumerate(conditions)]
    read = (
        select(Mention.id, Mention.text, Mention.title, Mention.lang, Author.handle,
               Author.extra, Source.kind, Source.name, *flags)
        .join(Source, Source.id == Mention.source_id)
        .join(Author, Author.id == Mention.author_id, isouter=True)
    )  # fmt: skip
    if held is not None:
        read = read.join(held, true())
    if between:
        read = read.where(Mention.id <= between[1])
    last_id = between[0] - 1 if between else 0
    while True:
        q = read.where(Mention.id > last_id, or_(*conditions)).order_by(Mention.id)
        with engine.connect() as conn:
            rows = conn.execute(q.limit(batch_size)).tuples().all()
            if not rows:
                return
            ids = [r[0] for r in rows]
            brands: dict[int, list[str]] = {}
            for mid, brand in conn.execute(
                select(MentionBrand.mention_id, MentionBrand.brand).where(
                    ids_in(conn, MentionBrand.mention_id, ids)
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
    out: list[tuple[int, int, int]] = []
    last_id = 0
    conditions, held = _needs_flags(engine, wanted, relabel)
    with engine.connect() as conn:
        q = select(Mention.id)
        if held is not None:
            q = q.join(held, true())
        while True:
            ids = list(
                conn.execute(
                    q.where(Mention.id > last_id, or_(*conditions))
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
            ids_in(conn, Label.mention_id, part), Label.task == task, Label.by_human.is_(True)
        )
        out.update(conn.execute(q).tuples().all())
    return out


def existing_mentions(conn: Connection, ids: Iterable[int]) -> set[int]:
    wanted = list(set(ids))
    found: set[int] = set()
    for i in range(0, len(wanted), 1000):
        chunk = wanted[i : i + 1000]
        q = select(Mention.id).where(ids_in(conn, Mention.id, chunk))
        found.update(conn.execute(q).scalars())
    return found


def iter_human_labels(engine: Engine) -> Iterator[dict[str, Any]]:
    """Every label a person gave, with the mention's text: a training set."""
    q = (
        select(Label.mention_id, Label.task, Label.value, Label.labelled_at, Mention.lang,
               Mention.text, Source.name.label("source"), Source.kind.label("source_kind"),
               Mention.external_id)
        .join(Mention, Mention.id == Label.mention_id)
        .join(Source, Source.id == Mention.source_id)
        .where(Label.by_human.is_(True))
        .order_by(Label.mention_id, Label.task)
    )  # fmt: skip
    with engine.connect() as conn:
        for row in conn.execute(q):
            yield dict(row._mapping)
