"""Posts alike: the near-duplicate groups the `authors` stage keeps for the posts of its window
(near_duplicate_index.campaign: posts of alike texts published within
`authors.duplicate_hours` of each other, whoever wrote them — a copied complaint, a storm of
retweets, a campaign), as the inbox reads them: how many posts are alike each post, and the
posts alike one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import aliased

from storage.dialect import chunks, ids_in
from storage.models import Mention, NearDuplicateEntry
from storage.scope import Scope, seen_ids


def alike_counts(
    conn: Connection, mention_ids: Iterable[int], scope: Scope = None
) -> dict[int, int]:
    """For each of these mentions alike others, how many posts its group holds (itself
    included; those `scope` sees: storage.scope); a post alike no other is left out."""
    mine, other = aliased(NearDuplicateEntry), aliased(NearDuplicateEntry)
    out: dict[int, int] = {}
    for part in chunks(list(mention_ids)):
        q = (
            select(mine.mention_id, func.count())
            .join(other, other.campaign == mine.campaign)
            .where(ids_in(conn, mine.mention_id, part))
            .group_by(mine.mention_id)
            .having(func.count() > 1)
        )
        if scope is not None:
            q = q.where(other.mention_id.in_(seen_ids(scope)))
        out.update((int(m), int(n)) for m, n in conn.execute(q))
    return out


def alike(mention_id: int) -> Any:
    """A condition on Mention: the posts alike this one, and itself."""
    group = select(NearDuplicateEntry.campaign).where(NearDuplicateEntry.mention_id == mention_id)
    members = select(NearDuplicateEntry.mention_id).where(
        NearDuplicateEntry.campaign == group.scalar_subquery()
    )
    return or_(Mention.id == mention_id, Mention.id.in_(members))


def group_of(conn: Connection, mention_id: int) -> list[int]:
    """The mention and the posts alike it, by id (itself alone when alike no other)."""
    found = conn.execute(select(Mention.id).where(alike(mention_id)).order_by(Mention.id))
    return [int(i) for i in found.scalars()]
