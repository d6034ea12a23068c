"""The inbox's needs-attention score: its formula (here only) and its stored copy.

`mention_attention` holds each mention's score, publication time (else collection time) and
whether it is open (new or in progress), so that the inbox's most-urgent-first page is an
index-ordered scan with a LIMIT instead of a sort of every mention of the window. Every write
that can change a term rescores the mentions it touched, in its own transaction:

- storing mentions (text, followers at posting) and authors (followers: the reach term),
  `storage.upsert.MentionStore`;
- labels, by a model or a person (`storage.labels.save_labels`);
- triage (`storage.inbox.set_triage`: the open flag);
- alert episodes opening and closing (`storage.alerts`);
- erasure's redaction of other people's posts (`storage.privacy`).

`drift()` lists the mentions whose stored score differs from the formula (the tests' proof).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from storage.dialect import chunks, ids_in
from storage.dialect import insert as upsert
from storage.models import (
    Alert,
    Author,
    Label,
    Mention,
    MentionAttention,
    MentionTriage,
)

OPEN_STATUSES = ("new", "in_progress")
# What makes a mention need attention, and how much (the inbox sorts by the sum).
ATTENTION = {
    "negative": 4,
    "service_client": 3,
    "alert": 2,
    "reach": 2,
    "question": 1,
    "review": 1,
}
HIGH_REACH = 10_000  # followers from which a mention counts as far-reaching


_SENT, _TOP = aliased(Label, name="sent"), aliased(Label, name="top")  # built once: cheaper


def reach() -> Any:
    """The mention's reach: its author's followers at posting, else the author's latest."""
    return func.coalesce(Mention.author_followers, Author.followers, 0)


def _open_episodes(conn: Connection) -> list[tuple[str, datetime]]:
    """(brand, opening time) of each open alert."""
    rows = conn.execute(select(Alert.brand, Alert.opened_at).where(Alert.status == "open"))
    return [(brand, opened) for brand, opened in rows]


def formula(conn: Connection, sent: Any, top: Any) -> Any:
    """The score as an SQL expression over Mention, Author (outer joined) and the sentiment
    and topic labels `sent` and `top` (outer joined): the one definition of attention."""
    from storage.alerts import in_episode

    episodes = _open_episodes(conn)
    in_alert: Any = literal(0)
    if episodes:
        alert = or_(*(in_episode(brand, opened, None) for brand, opened in episodes))
        in_alert = case((alert, ATTENTION["alert"]), else_=0)
    return (
        case((sent.value == "negative", ATTENTION["negative"]), else_=0)
        + case((top.value == "service_client", ATTENTION["service_client"]), else_=0)
        + case((reach() >= HIGH_REACH, ATTENTION["reach"]), else_=0)
        + case((Mention.text.like("%?%"), ATTENTION["question"]), else_=0)
        + case((or_(sent.review.is_(True), top.review.is_(True)), ATTENTION["review"]), else_=0)
        + in_alert
    )


def is_open() -> Any:
    """Open: no triage yet (new), or new or in progress (needs MentionTriage outer joined)."""
    return or_(MentionTriage.status.is_(None), MentionTriage.status.in_(OPEN_STATUSES))


def scored(conn: Connection, where: Any = None) -> Any:
    """SELECT mention id, publication time, score, open flag of the mentions `where` picks
    (all if None), computed from the formula now."""
    sent, top = _SENT, _TOP
    q = (
        select(
            Mention.id,
            func.coalesce(Mention.published_at, Mention.collected_at).label("published_at"),
            cast(formula(conn, sent, top), Integer).label("score"),
            case((is_open(), True), else_=False).label("is_open"),
        )
        .select_from(Mention)
        .join(Author, Author.id == Mention.author_id, isouter=True)
        .join(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"), isouter=True)
        .join(top, and_(top.mention_id == Mention.id, top.task == "topic"), isouter=True)
        .join(MentionTriage, MentionTriage.mention_id == Mention.id, isouter=True)
    )
    return q if where is None else q.where(where)


def rescore_where(conn: Connection, where: Any = None) -> None:
    """Store again the score of the mentions `where` (a condition on Mention) picks. Only the
    rows whose values change are written: each write moves entries of the two score indexes,
    pages all over them (SQLite rewrites each page a transaction touches)."""
    table = MentionAttention.__table__
    columns = ("mention_id", "published_at", "score", "is_open")
    # SQLite needs a WHERE to read the ON CONFLICT after a SELECT with joins as an upsert's.
    picked = scored(conn, true() if where is None else where)
    stmt = upsert(conn, table).from_select(columns, picked)
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["mention_id"],
        set_={c: new[c] for c in columns[1:]},
        where=or_(
            table.c.score != new.score,
            table.c.is_open != new.is_open,
            table.c.published_at.is_distinct_from(new.published_at),
        ),
    )
    conn.execute(stmt)


def rescore(conn: Connection, mention_ids: Iterable[int]) -> None:
    """Store again the score of these mentions."""
    ids = sorted(set(mention_ids))
    for part in chunks(ids):
        rescore_where(conn, ids_in(conn, Mention.id, part))


def far_reaching(conn: Connection, source_id: int, handles: Sequence[str]) -> dict[str, Any]:
    """(author id, whether their latest followers reach HIGH_REACH) by handle: the reach term
    of their posts without followers at posting."""
    out: dict[str, Any] = {}
    for part in chunks(sorted(set(handles))):
        for handle, aid, followers in conn.execute(
            select(Author.handle, Author.id, Author.followers).where(
                Author.source_id == source_id, ids_in(conn, Author.handle, part)
            )
        ):
            out[handle] = (aid, (followers or 0) >= HIGH_REACH)
    return out


def rescore_authors(conn: Connection, author_ids: Iterable[int]) -> None:
    """The posts without followers at posting of authors whose reach crossed HIGH_REACH."""
    for part in chunks(sorted(set(author_ids))):
        rescore_where(
            conn, and_(ids_in(conn, Mention.author_id, part), Mention.author_followers.is_(None))
        )


def drift(conn: Connection) -> list[tuple[int, Any, Any]]:
    """(mention id, stored, computed) of every mention whose stored score or open flag is not
    what the formula says now (a missing row counts): empty when the copy is right."""
    now = scored(conn).subquery()
    stored = MentionAttention.__table__
    rows = conn.execute(
        select(now.c.id, stored.c.score, stored.c.is_open, now.c.score, now.c.is_open)
        .select_from(now)
        .join(stored, stored.c.mention_id == now.c.id, isouter=True)
        .where(
            or_(
                stored.c.mention_id.is_(None),
                stored.c.score != now.c.score,
                stored.c.is_open != now.c.is_open,
                stored.c.published_at.is_distinct_from(now.c.published_at),
            )
        )
    )
    return [(r[0], (r[1], r[2]), (r[3], r[4])) for r in rows]
