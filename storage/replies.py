"""Which mention a reply answers, as the report's answers and the workspace's `answers` stage
read it (one rule; the contributor profiles apply the same one to a frame,
`nlp.authors.features.resolve_parents`).

A reply answers the mention its `parent_id` names in the same source (an X reply, a Facebook
comment, a company's reply to a review, a forum post quoting another, a Discourse or Flarum
reply); a post of a thread that names none answers the thread's opening post (its first dated
post, then by id: forums rarely say which post a reply answers), unless it is that post.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, select, union_all
from sqlalchemy.orm import aliased

from storage.models import Author, Mention

ANSWER_COLUMNS = ("answered_id", "reply_id", "reply_at", "reply_author_id")


def _labelled(parent: Any, reply: Any) -> list[Any]:
    values = (parent.id, reply.id, reply.published_at, reply.author_id)
    return [v.label(name) for v, name in zip(values, ANSWER_COLUMNS, strict=True)]


def answers(author_ids: Sequence[int], until: datetime) -> Any:
    """SELECT answered mention id, reply id, reply's publication, reply's author id: every
    reply by one of `author_ids` published by `until` (a subquery with ANSWER_COLUMNS)."""
    reply = aliased(Mention, name="reply")
    parent = aliased(Mention, name="answered")
    opener = aliased(Mention, name="opener")
    by = [reply.author_id.in_(list(author_ids) or [-1]), reply.published_at <= until]
    named = (
        select(*_labelled(parent, reply))
        .select_from(reply)
        .join(parent, and_(parent.source_id == reply.source_id,
                           parent.external_id == reply.parent_id))
        .where(*by, reply.parent_id.is_not(None))
    )  # fmt: skip
    first = (
        select(opener.id)
        .where(opener.source_id == reply.source_id, opener.thread_id == reply.thread_id,
               opener.published_at.is_not(None))
        .order_by(opener.published_at, opener.id)
        .limit(1)
        .correlate(reply)
        .scalar_subquery()
    )  # fmt: skip
    in_thread = (
        select(*_labelled(parent, reply))
        .select_from(reply)
        .join(parent, parent.id == first)
        .where(*by, reply.parent_id.is_(None), reply.thread_id.is_not(None),
               parent.id != reply.id)
    )  # fmt: skip
    return union_all(named, in_thread).subquery("answers")


def answers_to(
    conn: Connection, mention_id: int, author_ids: Sequence[int], until: datetime
) -> list[dict[str, Any]]:
    """The replies of `author_ids` (a brand's own accounts) that answer this mention, first
    first: id, published_at, author (handle), name, text."""
    if not author_ids:
        return []
    found = answers(author_ids, until)
    stmt = (
        select(Mention.id, Mention.published_at, Author.handle.label("author"),
               Author.name, Mention.text)
        .select_from(found)
        .join(Mention, Mention.id == found.c.reply_id)
        .join(Author, Author.id == Mention.author_id)
        .where(found.c.answered_id == mention_id)
        .order_by(Mention.published_at, Mention.id)
    )  # fmt: skip
    return [dict(r._mapping) for r in conn.execute(stmt)]
