"""Who is influential (0–100): the contributor analytics' score, else follower counts.

The default lookup reads `author_profiles.influence` (audience, engagement, reply-graph
position and forum standing, computed by the authors stage) and falls back to log-scaled
followers for authors not profiled yet; `set_influence_lookup` can install another source.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from storage.authors import followers_of, stored_influence

InfluenceLookup = Callable[[Connection, Sequence[int]], dict[int, float]]

# log10(1 + followers) / log10(1 + this) * 100: 10 k → 57, 100 k → 71, 1 M → 86, 10 M → 100.
FOLLOWERS_AT_100 = 10_000_000


def followers_influence(conn: Connection, author_ids: Sequence[int]) -> dict[int, float]:
    """Influence from `authors.followers`, log-scaled to 0–100; unknown followers → absent."""
    known = followers_of(conn, author_ids)
    return {aid: followers_to_influence(f) for aid, f in sorted(known.items())}


def followers_to_influence(followers: int) -> float:
    scale = math.log10(1 + FOLLOWERS_AT_100)
    return round(min(100.0, 100.0 * math.log10(1 + max(followers, 0)) / scale), 1)


def profiled_influence(conn: Connection, author_ids: Sequence[int]) -> dict[int, float]:
    """`author_profiles.influence` where computed, followers for the others."""
    ids = sorted(set(author_ids))
    if not ids:
        return {}
    found = stored_influence(conn, ids)
    missing = [aid for aid in ids if aid not in found]
    return {**followers_influence(conn, missing), **found}


_lookup: InfluenceLookup = profiled_influence


def set_influence_lookup(lookup: InfluenceLookup | None) -> None:
    """Install another influence source (None restores the default)."""
    global _lookup
    _lookup = lookup or profiled_influence


def influence_of(conn: Connection, author_ids: Sequence[int]) -> dict[int, float]:
    return _lookup(conn, author_ids)
