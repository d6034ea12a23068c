"""Mentions a person judged not about a brand its query matched ("off-topic").

A brand query catches homonyms and words used otherwise ("lumino" in a physics thread); the team
says so once. The mention's link to the brand (`mention_brands`) moves to `brand_dismissals`,
as it was, with who and when: every figure, report and alert of the brand reads the links, so
they all leave it out, and the mention stays stored with everything else it has. Collecting it
again never links it back (storage/upsert.py reads `dismissed_pairs`); undone, the link returns
as it was. The query workbench reads the dismissed mentions to propose the query's exclusions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, exists, func, select

from storage.clock import utcnow
from storage.dialect import chunks, ids_in, insert
from storage.models import BrandDismissal, Mention, MentionBrand

_PAIR = ["mention_id", "brand"]


@dataclass(frozen=True)
class Dismissed:
    """What a dismissal did: the mentions taken off the brand, and those of them that are now
    about no brand at all (the caller closes them: nothing of theirs is left to follow)."""

    ids: list[int]
    about_none: list[int]


def dismiss(conn: Connection, ids: Sequence[int], brand: str, by: str) -> Dismissed:
    """Take these mentions off `brand` (those linked to it; the others are left as they are)."""
    now = utcnow()
    moved: list[int] = []
    for part in chunks(sorted(set(ids))):
        links = conn.execute(
            select(MentionBrand.mention_id, MentionBrand.query, MentionBrand.matched_terms).where(
                MentionBrand.brand == brand, MentionBrand.mention_id.in_(part)
            )
        ).all()
        if not links:
            continue
        conn.execute(  # (two people at once: the first one's stands)
            insert(conn, BrandDismissal).on_conflict_do_nothing(index_elements=_PAIR),
            [
                {"mention_id": m, "brand": brand, "query": q, "matched_terms": terms,
                 "dismissed_by": by, "dismissed_at": now}
                for m, q, terms in links
            ],
        )  # fmt: skip
        taken = [m for m, _, _ in links]
        conn.execute(
            delete(MentionBrand).where(
                MentionBrand.brand == brand, MentionBrand.mention_id.in_(taken)
            )
        )
        moved.extend(taken)
    still = _with_a_brand(conn, moved)
    return Dismissed(sorted(moved), [m for m in sorted(moved) if m not in still])


def restore(conn: Connection, ids: Sequence[int], brand: str) -> list[int]:
    """Link these dismissed mentions to `brand` again, as they were; returns those restored."""
    back: list[int] = []
    for part in chunks(sorted(set(ids))):
        rows = conn.execute(
            select(BrandDismissal.mention_id, BrandDismissal.query, BrandDismissal.matched_terms)
            .where(BrandDismissal.brand == brand, BrandDismissal.mention_id.in_(part))
        ).all()  # fmt: skip
        if not rows:
            continue
        taken = [m for m, _, _ in rows]
        conn.execute(  # (a link a collector wrote meanwhile, unaware of the dismissal, stays)
            insert(conn, MentionBrand).on_conflict_do_nothing(index_elements=_PAIR),
            [{"mention_id": m, "brand": brand, "query": q, "matched_terms": t} for m, q, t in rows],
        )
        conn.execute(
            delete(BrandDismissal).where(
                BrandDismissal.brand == brand, BrandDismissal.mention_id.in_(taken)
            )
        )
        back.extend(taken)
    return sorted(back)


def taken_off(brand: str) -> ColumnElement[bool]:
    """The condition "the team took this mention off `brand`" (the inbox's `off_topic`)."""
    return exists().where(BrandDismissal.mention_id == Mention.id, BrandDismissal.brand == brand)


def dismissed_pairs(conn: Connection, ids: Sequence[int]) -> set[tuple[int, str]]:
    """The (mention, brand) pairs of these mentions that a person dismissed."""
    found: set[tuple[int, str]] = set()
    for part in chunks(list(ids)):
        found.update(
            conn.execute(
                select(BrandDismissal.mention_id, BrandDismissal.brand).where(
                    ids_in(conn, BrandDismissal.mention_id, part)  # one array on PostgreSQL
                )
            ).tuples()
        )
    return found


def of_mention(conn: Connection, mention_id: int) -> list[dict[str, Any]]:
    """The brands the mention was taken off: brand, by whom, when, the terms that matched."""
    rows = conn.execute(
        select(
            BrandDismissal.brand, BrandDismissal.dismissed_by, BrandDismissal.dismissed_at,
            BrandDismissal.matched_terms,
        )
        .where(BrandDismissal.mention_id == mention_id)
        .order_by(BrandDismissal.brand)
    )  # fmt: skip
    return [
        {"brand": b, "by": by, "at": at, "terms": terms or []} for b, by, at, terms in rows.tuples()
    ]


def dismissed_between(
    conn: Connection, brand: str, start: datetime | None, end: datetime | None, limit: int
) -> list[int]:
    """The ids of the brand's dismissed mentions published in [start, end), newest first."""
    stmt = (
        select(BrandDismissal.mention_id)
        .join(Mention, Mention.id == BrandDismissal.mention_id)
        .where(BrandDismissal.brand == brand)
        .order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(limit)
    )
    if start is not None:
        stmt = stmt.where(Mention.published_at >= start)
    if end is not None:
        stmt = stmt.where(Mention.published_at < end)
    return [int(m) for m in conn.execute(stmt).scalars()]


def counts(
    conn: Connection, start: datetime | None = None, end: datetime | None = None
) -> dict[str, int]:
    """Per brand, the mentions the team took off it (published in [start, end) when given)."""
    stmt = select(BrandDismissal.brand, func.count()).group_by(BrandDismissal.brand)
    if start is not None or end is not None:
        stmt = stmt.join(Mention, Mention.id == BrandDismissal.mention_id)
    if start is not None:
        stmt = stmt.where(Mention.published_at >= start)
    if end is not None:
        stmt = stmt.where(Mention.published_at < end)
    return {str(b): int(n) for b, n in conn.execute(stmt).tuples()}


def _with_a_brand(conn: Connection, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for part in chunks(list(ids)):
        found.update(
            conn.execute(
                select(MentionBrand.mention_id).where(MentionBrand.mention_id.in_(part)).distinct()
            ).scalars()
        )
    return found
