"""The brand's answers in the workspace: a mention that one of the brand's own accounts answered
in its source is marked `answered`, and the brand's own posts `closed`, so that the inbox's
open mentions are those still waiting for someone.

An answer is what the report counts (`storage.replies`): a reply naming the mention in its
source, or a post in the thread the mention opens, by an own account of a brand the mention
is about (`mention_brands`), published by the run's time. A person's choice stands: a
mention is only marked when it is open (no triage, `new` or `in progress`) and nobody changed
its triage after the answer (a person who reopens an answered mention keeps it open); a post
is only closed when nobody triaged it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select

from storage.attention import is_open
from storage.audit import record
from storage.inbox import set_triage
from storage.mentions import not_by
from storage.models import Author, Mention, MentionBrand, MentionTriage
from storage.replies import answers

ACTOR = "veille"  # who the triage and the audit log name for these changes


@dataclass(frozen=True)
class Answered:
    mention_id: int
    by: str  # the handle of the account whose reply came last


def answered_open(
    conn: Connection, own: Mapping[str, Sequence[int]], until: datetime
) -> list[Answered]:
    """The open mentions of each brand (`own`: brand -> its own accounts' author ids) that one of
    its accounts answered by `until` (storage.replies), after anyone last changed their
    triage; by id."""
    found: dict[int, tuple[datetime, str]] = {}
    for brand, author_ids in sorted(own.items()):
        if not author_ids:
            continue
        replies = answers(author_ids, until)
        stmt = (
            select(Mention.id, replies.c.reply_at, Author.handle)
            .select_from(replies)
            .join(Mention, Mention.id == replies.c.answered_id)
            .join(MentionBrand, and_(MentionBrand.mention_id == Mention.id,
                                     MentionBrand.brand == brand))
            .join(Author, Author.id == replies.c.reply_author_id)
            .outerjoin(MentionTriage, MentionTriage.mention_id == Mention.id)
            .where(is_open(),
                   not_by(author_ids),
                   or_(MentionTriage.updated_at.is_(None),
                       MentionTriage.updated_at < replies.c.reply_at))
        )  # fmt: skip
        for mention_id, at, handle in conn.execute(stmt).tuples():
            if mention_id not in found or (at, handle) > found[mention_id]:
                found[mention_id] = (at, handle)
    return [Answered(i, found[i][1]) for i in sorted(found)]


def untriaged_own_posts(conn: Connection, author_ids: Sequence[int], until: datetime) -> list[int]:
    """The posts of these accounts (the brands' own) that nobody triaged yet, by id."""
    if not author_ids:
        return []
    stmt = (
        select(Mention.id)
        .outerjoin(MentionTriage, MentionTriage.mention_id == Mention.id)
        .where(
            Mention.author_id.in_(list(author_ids)),
            MentionTriage.mention_id.is_(None),
            func.coalesce(Mention.published_at, Mention.collected_at) <= until,
        )
        .order_by(Mention.id)
    )
    return list(conn.execute(stmt).scalars())


def mark_answers(
    conn: Connection, own: Mapping[str, Sequence[int]], until: datetime
) -> dict[str, int]:
    """Mark answered the open mentions the brands answered, close their own untriaged posts;
    each change in the audit log (the mention's history). Returns how many of each."""
    answered = answered_open(conn, own, until)
    for handle in sorted({a.by for a in answered}):
        ids = [a.mention_id for a in answered if a.by == handle]
        set_triage(conn, ids, ACTOR, status="answered")
        for mention_id in ids:
            record(conn, ACTOR, "triage", f"mention:{mention_id}",
                   {"status": "answered", "reply_by": handle})  # fmt: skip
    accounts = sorted({i for ids in own.values() for i in ids})
    posts = untriaged_own_posts(conn, accounts, until)
    if posts:
        set_triage(conn, posts, ACTOR, status="closed")
        record(conn, ACTOR, "bulk_status", None,
               {"ids": posts, "status": "closed", "reason": "own_account"},
               targets=[f"mention:{i}" for i in posts])  # fmt: skip
    return {"answered": len(answered), "own_posts_closed": len(posts)}
