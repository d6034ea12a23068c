"""A team's tags on authors (« journaliste », « VIP », « détracteur »): add, remove, read them,
and the condition that keeps an author (or their mentions) with a tag."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, exists, select

from config.refusals import Refusal
from storage.dialect import chunks, ids_in, insert
from storage.models import Author, AuthorTag

TAG_LIMIT = 40  # characters
REFUSALS = {
    "tag": ("une étiquette tient en 1 à {limit} caractères imprimables",
            "a tag is 1 to {limit} printable characters"),
    "author": ("il n'y a pas d'auteur n°{id}", "there is no author {id}"),
}  # fmt: skip


def check_tag(text: str) -> str:
    """The tag as kept (spaces folded); a Refusal when empty, too long or not printable."""
    tag = " ".join(text.split())
    if not tag or len(tag) > TAG_LIMIT or not tag.isprintable():
        raise Refusal(REFUSALS, "tag", limit=TAG_LIMIT)
    return tag


def add_tag(conn: Connection, author_id: int, text: str, by: str, now: datetime) -> bool:
    """Tag the author; False when they had the tag already."""
    tag = check_tag(text)
    if conn.execute(select(Author.id).where(Author.id == author_id)).first() is None:
        raise Refusal(REFUSALS, "author", id=author_id)
    stmt = (
        insert(conn, AuthorTag.__table__)
        .values(author_id=author_id, tag=tag, created_by=by, created_at=now)
        .on_conflict_do_nothing()
    )
    return bool(conn.execute(stmt).rowcount)


def remove_tag(conn: Connection, author_id: int, tag: str) -> bool:
    found = conn.execute(
        delete(AuthorTag).where(AuthorTag.author_id == author_id, AuthorTag.tag == tag)
    )
    return bool(found.rowcount)


def tags_of(conn: Connection, author_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each author's tags, in alphabetical order."""
    out: dict[int, list[str]] = {}
    for part in chunks(list(author_ids)):
        found = conn.execute(
            select(AuthorTag.author_id, AuthorTag.tag)
            .where(ids_in(conn, AuthorTag.author_id, part))
            .order_by(AuthorTag.author_id, AuthorTag.tag)
        )
        for author_id, tag in found:
            out.setdefault(author_id, []).append(tag)
    return out


def all_tags(engine: Engine) -> list[str]:
    """Every tag in use, alphabetical."""
    with engine.connect() as conn:
        q = select(AuthorTag.tag).distinct().order_by(AuthorTag.tag)
        return list(conn.execute(q).scalars())


def tagged(author_id: Any, tag: str) -> Any:
    """The condition: the author (an expression of their id) carries `tag`."""
    return exists().where(AuthorTag.author_id == author_id, AuthorTag.tag == tag)
