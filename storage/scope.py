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

from sqlalchemy import ColumnElement, Connection, SQLColumnExpression, exists, or_, select, true

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


def mention_condition(scope: Scope) -> ColumnElement[bool]:
    """The condition "`scope` sees this mention" on `mentions`."""
    if scope is None:
        return true()
    brands = list(scope)
    return or_(
        exists().where(MentionBrand.mention_id == Mention.id, MentionBrand.brand.in_(brands)),
        exists().where(BrandDismissal.mention_id == Mention.id, BrandDismissal.brand.in_(brands)),
    )


def author_condition(scope: Scope, author_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """The condition "`scope` sees a mention of this author"."""
    if scope is None:
        return true()
    return exists(
        select(Mention.id).where(Mention.author_id == author_id, mention_condition(scope))
    )


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
