"""What the workspace's contributors pages read: the profiled authors with filters and an
order, each one's sentiment mix over their window, one author's card with their profile and
flags, their mentions and how they spoke of each brand (storage.authors writes the profiles)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, or_, select, true
from sqlalchemy.orm import aliased

from storage.author_tags import tagged, tags_of
from storage.dialect import ids_in
from storage.models import Author, AuthorProfile, Label, Mention, MentionBrand, Source
from storage.scope import Scope, author_condition, mention_condition
from storage.vocab import SENTIMENTS

# How the list can be ordered: its key -> the columns, the first one descending.
ORDERS = ("influence", "posts", "followers")


@dataclass
class ContributorFilter:
    brand: str | None = None  # authors with a mention of the brand in their window
    profile: str | None = None
    tier: str | None = None
    source: str | None = None
    flagged: bool = False  # only the authors with suspicious mentions
    words: str | None = None  # in the handle or the name, any case
    tag: str | None = None  # a team's tag on the author (storage.author_tags)
    order: str = "influence"
    scope: tuple[str, ...] | None = None  # the brands the reader sees (storage.scope)


def _listing(f: ContributorFilter, many: bool = False) -> Any:
    """The select (no columns yet) of the authors the filter keeps (`many`: for a count)."""
    p = AuthorProfile
    q = (
        select()
        .select_from(p)
        .join(Author, Author.id == p.author_id)
        .join(Source, Source.id == Author.source_id)
    )
    if f.profile:
        q = q.where(p.profile == f.profile)
    if f.tier:
        q = q.where(p.tier == f.tier)
    if f.source:
        q = q.where(Source.name == f.source)
    if f.flagged:
        q = q.where(p.suspicious == true())
    if f.tag:
        q = q.where(tagged(p.author_id, f.tag))
    if f.words:
        term = f.words.strip().lower()
        q = q.where(
            or_(
                func.lower(Author.handle).contains(term, autoescape=True),
                func.lower(func.coalesce(Author.name, "")).contains(term, autoescape=True),
            )
        )
    if f.scope is not None:
        q = q.where(author_condition(f.scope, p.author_id, many))
    if f.brand:
        q = q.where(
            exists().where(
                MentionBrand.mention_id == Mention.id,
                MentionBrand.brand == f.brand,
                Mention.author_id == p.author_id,
                Mention.published_at >= p.window_start,
                Mention.published_at <= p.window_end,
            )
        )
    return q


def _order(order: str) -> list[Any]:
    """The order's columns, ties broken by author id: the same page on every backend."""
    p = AuthorProfile
    first = {
        "posts": p.posts.desc(),
        "followers": func.coalesce(Author.followers, 0).desc(),
    }.get(order, p.influence.desc())
    return [first, p.influence.desc(), p.author_id]


def listed(
    conn: Connection, f: ContributorFilter, limit: int | None, offset: int = 0
) -> list[dict[str, Any]]:
    """The profiled authors the filter keeps, in its order: their profile row, handle, name,
    followers, link and source (`veille authors` and the contributors page read it)."""
    q = _listing(f).add_columns(
        AuthorProfile.__table__,
        Author.handle,
        Author.name,
        Author.followers,
        Author.profile_url,
        Source.name.label("source"),
    )
    q = q.order_by(*_order(f.order)).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return [dict(row) for row in conn.execute(q).mappings()]


def contributors(
    engine: Engine, f: ContributorFilter, limit: int | None, offset: int = 0
) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return listed(conn, f, limit, offset)


def count(engine: Engine, f: ContributorFilter) -> int:
    q = _listing(f, many=True).add_columns(func.count())
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def _sentiment_counts(conn: Any, author_ids: Sequence[int], brand: str | None, scope: Scope) -> Any:
    """(author, sentiment, posts) over each author's profile window."""
    sent = aliased(Label, name="sent")
    p = AuthorProfile
    q = (
        select(Mention.author_id, sent.value, func.count())
        .select_from(Mention)
        .join(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"), isouter=True)
        .where(ids_in(conn, Mention.author_id, list(author_ids)))
        .join(p, p.author_id == Mention.author_id)
        .where(Mention.published_at >= p.window_start, Mention.published_at <= p.window_end)
        .group_by(Mention.author_id, sent.value)
        .where(mention_condition(scope))
    )
    if brand:
        q = q.where(
            exists().where(MentionBrand.mention_id == Mention.id, MentionBrand.brand == brand)
        )
    return conn.execute(q)


def sentiment_mix(
    engine: Engine, author_ids: Sequence[int], brand: str | None = None, scope: Scope = None
) -> dict[int, dict[str, int]]:
    """Each author's mentions in their profile's window (of `brand` only, if given; of the
    brands `scope` sees) by
    sentiment: {"negative": n, "neutral": n, "positive": n, "none": unlabelled, "total": n}."""
    out: dict[int, dict[str, int]] = {}
    if not author_ids:
        return out
    with engine.connect() as conn:
        for author_id, value, n in _sentiment_counts(conn, author_ids, brand, scope):
            mix = out.setdefault(author_id, {s: 0 for s in (*SENTIMENTS, "none", "total")})
            mix[value if value in SENTIMENTS else "none"] += n
            mix["total"] += n
    return out


def author(engine: Engine, author_id: int) -> dict[str, Any] | None:
    """One author: who they are (handle, name, source, link, followers), the team's tags on
    them and, when computed, their profile row (`profile`: None when the `authors` stage has
    not profiled them)."""
    with engine.connect() as conn:
        return author_card(conn, author_id)


def author_card(conn: Connection, author_id: int) -> dict[str, Any] | None:
    """`author`'s answer within a connection (the mention page's author card reads it too)."""
    row = conn.execute(
        select(
            Author.id,
            Author.handle,
            Author.name,
            Author.profile_url,
            Author.followers,
            Author.post_count,
            Author.first_seen_at,
            Author.last_seen_at,
            Source.name.label("source"),
            Source.kind.label("source_kind"),
        )
        .join(Source, Source.id == Author.source_id)
        .where(Author.id == author_id)
    ).first()
    if row is None:
        return None
    found = dict(row._mapping)
    profile = conn.execute(
        select(AuthorProfile.__table__).where(AuthorProfile.author_id == author_id)
    ).first()
    found["profile"] = dict(profile._mapping) if profile is not None else None
    found["tags"] = tags_of(conn, [author_id]).get(author_id, [])
    return found


def mentions_of(
    engine: Engine, author_id: int, limit: int, scope: Scope = None
) -> list[dict[str, Any]]:
    """The author's latest mentions (those `scope` sees), newest first (ties by id), with their
    brands and labels."""
    sent, top = aliased(Label, name="sent"), aliased(Label, name="top")
    q = (
        select(
            Mention.id,
            Mention.published_at,
            Mention.title,
            Mention.text,
            Mention.url,
            sent.value.label("sentiment"),
            sent.score.label("sentiment_score"),
            sent.by_human.label("sentiment_human"),
            top.value.label("topic"),
            top.score.label("topic_score"),
            top.by_human.label("topic_human"),
        )
        .join(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"), isouter=True)
        .join(top, and_(top.mention_id == Mention.id, top.task == "topic"), isouter=True)
        .where(Mention.author_id == author_id, mention_condition(scope))
        .order_by(Mention.published_at.desc(), Mention.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
        brands: dict[int, list[str]] = {}
        ids = [r["id"] for r in rows]
        if ids:
            found = conn.execute(
                select(MentionBrand.mention_id, MentionBrand.brand)
                .where(ids_in(conn, MentionBrand.mention_id, ids))
                .order_by(MentionBrand.mention_id, MentionBrand.brand)
            )
            for mention_id, brand in found:
                brands.setdefault(mention_id, []).append(brand)
    for r in rows:
        r["brands"] = brands.get(r["id"], [])
    return rows


def by_brand(engine: Engine, author_id: int) -> list[dict[str, Any]]:
    """How the author spoke of each brand, every stored mention: their count by sentiment,
    most mentions first (ties by brand)."""
    sent = aliased(Label, name="sent")
    value = func.coalesce(sent.value, "none")
    q = (
        select(MentionBrand.brand, value, func.count())
        .select_from(Mention)
        .join(MentionBrand, MentionBrand.mention_id == Mention.id)
        .join(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"), isouter=True)
        .where(Mention.author_id == author_id)
        .group_by(MentionBrand.brand, value)
    )
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for brand, label, n in conn.execute(q):
            row = out.setdefault(
                brand, {"brand": brand, **{s: 0 for s in (*SENTIMENTS, "none")}, "total": 0}
            )
            row[label if label in SENTIMENTS else "none"] += n
            row["total"] += n
    return sorted(out.values(), key=lambda r: (-r["total"], r["brand"]))


def total_mentions(engine: Engine, author_id: int, scope: Scope = None) -> int:
    with engine.connect() as conn:
        q = (
            select(func.count())
            .select_from(Mention)
            .where(Mention.author_id == author_id, mention_condition(scope))
        )
        return int(conn.execute(q).scalar_one())


__all__ = [
    "ORDERS",
    "ContributorFilter",
    "author",
    "author_card",
    "by_brand",
    "contributors",
    "count",
    "listed",
    "mentions_of",
    "sentiment_mix",
    "total_mentions",
]
