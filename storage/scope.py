"""The brands a person or an API token sees (`users.brands`, `api_tokens.brands`): an agency's
client, a brand's own team. `None` is every brand (an unscoped account, as before).

A mention is seen when it is about one of the brands (its `mention_brands` link) or when the
team took it off one of them (`brand_dismissals`: that brand's team judged it and may put it
back); an author when one of their mentions is; an alert, a report, an event when its brand
is (an event or a mute of every brand: by everyone). Every reader that lists or opens those
adds these conditions (the inbox's filter, the alerts, the contributors, the events…), so a
page, an export or a message never shows what a scope leaves out.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    SQLColumnExpression,
    exists,
    or_,
    select,
    true,
    union,
)

from storage.models import BrandDismissal, Mention, MentionBrand

Scope = tuple[str, ...] | None


def sees(scope: Scope, brand: str | None) -> bool:
    """Whether `scope` sees a thing of `brand` (None: a thing of every brand)."""
    return scope is None or brand is None or brand in scope


def seen_brands(scope: Scope, brands: Iterable[str]) -> list[str]:
    """The brands of `brands` that `scope` sees, in their order."""
    return [b for b in brands if scope is None or b in scope]


def brand_condition(scope: Scope, column: SQLColumnExpression[str]) -> ColumnElement[bool]:
    """`column` (a brand) is one `scope` sees."""
    return true() if scope is None else column.in_(list(scope))


def seen_ids(scope: tuple[str, ...]) -> Select[tuple[int]]:
    """The ids of the mentions `scope` sees (its brands' links and dismissals)."""
    brands = list(scope)
    return union(
        select(MentionBrand.mention_id).where(MentionBrand.brand.in_(brands)),
        select(BrandDismissal.mention_id).where(BrandDismissal.brand.in_(brands)),
    )  # type: ignore[return-value]


def mention_condition(scope: Scope, many: bool = False) -> ColumnElement[bool]:
    """The condition "`scope` sees this mention" on `mentions`: looked up row by row (a page
    read in an order that stops early), or with `many` (a count, most rows of a large set)
    against the brands' ids read once — each the faster by 4 to 10 times where it is used
    (bench/web.py)."""
    if scope is None:
        return true()
    if many:
        return Mention.id.in_(seen_ids(scope))
    brands = list(scope)
    return or_(
        exists().where(MentionBrand.mention_id == Mention.id, MentionBrand.brand.in_(brands)),
        exists().where(BrandDismissal.mention_id == Mention.id, BrandDismissal.brand.in_(brands)),
    )


def author_condition(
    scope: Scope, author_id: SQLColumnExpression[int], many: bool = False
) -> ColumnElement[bool]:
    """The condition "`scope` sees a mention of this author" (`many`: as mention_condition)."""
    if scope is None:
        return true()
    if many:
        return author_id.in_(select(Mention.author_id).where(Mention.id.in_(seen_ids(scope))))
    seen = select(Mention.id).where(Mention.author_id == author_id, mention_condition(scope))
    return exists(seen)


def sees_mention(conn: Connection, scope: Scope, mention_id: int) -> bool:
    if scope is None:
        return True
    found = select(Mention.id).where(Mention.id == mention_id, mention_condition(scope))
    return conn.execute(found).first() is not None


def seen_mentions(conn: Connection, scope: Scope, ids: Iterable[int]) -> list[int]:
    """The ids of `ids` that `scope` sees, in their order."""
    wanted = list(dict.fromkeys(ids))
    if scope is None or not wanted:
        return wanted
    found = set(
        conn.execute(
            select(Mention.id).where(Mention.id.in_(wanted), mention_condition(scope))
        ).scalars()
    )
    return [i for i in wanted if i in found]


def sees_author(conn: Connection, scope: Scope, author_id: int) -> bool:
    if scope is None:
        return True
    found = select(Mention.id).where(Mention.author_id == author_id, mention_condition(scope))
    return conn.execute(found.limit(1)).first() is not None
