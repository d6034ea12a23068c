"""Who is influential (0–100): a pluggable lookup, with a fallback from follower counts.

The contributor analytics fill an `author_profiles` table with a better influence score; the
lookup used here is whatever `set_influence_lookup` installed, so that table plugs in without
touching the alert rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, select

from storage.models import Author

InfluenceLookup = Callable[[Connection, Sequence[int]], dict[int, float]]

# log10(1 + followers) / log10(1 + this) * 100: 10 k → 57, 100 k → 71, 1 M → 86, 10 M → 100.
FOLLOWERS_AT_100 = 10_000_000


def followers_influence(conn: Connection, author_ids: Sequence[int]) -> dict[int, float]:
    """Influence from `authors.followers`, log-scaled to 0–100; unknown followers → absent."""
    ids = sorted(set(author_ids))
    if not ids:
        return {}
    rows = conn.execute(select(Author.id, Author.followers).where(Author.id.in_(ids)))
    return {aid: followers_to_influence(f) for aid, f in rows if f is not None}


def followers_to_influence(followers: int) -> float:
    scale = math.log10(1 + FOLLOWERS_AT_100)
    return round(min(100.0, 100.0 * math.log10(1 + max(followers, 0)) / scale), 1)


_lookup: InfluenceLookup = followers_influence


def set_influence_lookup(lookup: InfluenceLookup | None) -> None:
    """Install another influence source (None restores the followers fallback)."""
    global _lookup
    _lookup = lookup or followers_influence


def influence_of(conn: Connection, author_ids: Sequence[int]) -> dict[int, float]:
    return _lookup(conn, author_ids)
