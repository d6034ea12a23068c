"""Hand-overs to a helpdesk or CRM in the database: the mentions a rule picks (`handoff.rules`:
a brand's mentions published in a window whose labels, author and triage match, the brands'
own accounts left out), and the targets each mention went to (deliveries of kind `KIND`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.orm import aliased

from storage.attention import is_open
from storage.dialect import chunks
from storage.mentions import not_by
from storage.models import (
    Author,
    AuthorProfile,
    Delivery,
    Label,
    Mention,
    MentionBrand,
    MentionTriage,
)

KIND = "handoff"  # the kind of the deliveries that hand a mention over (deliveries.mention_id)


def matching(
    conn: Connection,
    *,
    brands: Sequence[str],
    topics: Sequence[str] = (),
    sentiments: Sequence[str] = (),
    profiles: Sequence[str] = (),
    min_followers: int = 0,
    open_only: bool = True,
    skip_authors: Sequence[int] = (),
    since: datetime,
    until: datetime,
) -> list[tuple[int, str]]:
    """(mention id, brand) of the `brands`' mentions published in [since, until) labelled with
    one of `topics` and of `sentiments` (any when empty), whose author has one of `profiles`
    (any when empty) and `min_followers` or more (as the mention gave them, else the
    account), open in the inbox if `open_only`, none by `skip_authors`; by id, then brand."""
    stmt = (
        select(Mention.id, MentionBrand.brand)
        .join(MentionBrand, MentionBrand.mention_id == Mention.id)
        .where(
            MentionBrand.brand.in_(list(brands)),
            Mention.published_at >= since,
            Mention.published_at < until,
        )
    )
    for task, values in (("topic", topics), ("sentiment", sentiments)):
        if values:
            label = aliased(Label)
            stmt = stmt.join(
                label,
                and_(label.mention_id == Mention.id, label.task == task,
                     label.value.in_(list(values))),
            )  # fmt: skip
    if profiles:
        stmt = stmt.join(AuthorProfile, AuthorProfile.author_id == Mention.author_id).where(
            AuthorProfile.profile.in_(list(profiles))
        )
    if min_followers:
        followers = func.coalesce(Mention.author_followers, Author.followers, 0)
        stmt = stmt.outerjoin(Author, Author.id == Mention.author_id).where(
            followers >= min_followers
        )
    if open_only:
        stmt = stmt.outerjoin(MentionTriage, MentionTriage.mention_id == Mention.id).where(
            is_open()
        )
    if skip_authors:
        stmt = stmt.where(not_by(skip_authors))
    stmt = stmt.order_by(Mention.id, MentionBrand.brand)
    return [(int(i), str(b)) for i, b in conn.execute(stmt).tuples()]


def handed_over(conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    """The targets (a helpdesk, a CRM) each of these mentions was handed over to, by name."""
    out: dict[int, list[str]] = {}
    for part in chunks(sorted(set(ids))):
        stmt = (
            select(Delivery.mention_id, Delivery.target)
            .where(Delivery.mention_id.in_(part), Delivery.kind == KIND)
            .order_by(Delivery.mention_id, Delivery.target)
        )
        for mention_id, target in conn.execute(stmt).tuples():
            out.setdefault(int(mention_id or 0), []).append(str(target))
    return out
