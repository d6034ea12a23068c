"""The brand's mentions by theme (`themes` in veille.yaml): volume, change and sentiment.

A theme is a named query, matched here against the brand's counted mentions of the period and
the previous one (their text, title, author, link, language and source, as the inbox's query
reads them). A mention may be in several themes, or in none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from config.settings import ThemeSettings
from nlp.themes import themes_of
from reports.kpis import net_sentiment
from storage.vocab import SENTIMENTS, UNLABELLED

# One row per theme, the largest of the period first.
THEME_COLUMNS = (
    "theme", "query", "mentions", "previous", "share", "share_previous",
    *SENTIMENTS, UNLABELLED, "net", "net_previous",
)  # fmt: skip


@dataclass(frozen=True)
class Themes:
    """The brand's counted mentions by theme, and how many are in none."""

    table: pd.DataFrame  # THEME_COLUMNS
    unthemed: int  # the period's counted mentions in no theme
    unthemed_previous: int


def by_theme(
    conn: Connection,
    every: list[ThemeSettings],
    themes: list[ThemeSettings],
    own: pd.DataFrame,
) -> Themes | None:
    """`themes`: the brand's, of `every` configured theme (the kept matches are of all of
    them); `own`: the brand's counted mentions of both periods (`id`, `current`,
    `sentiment`). None when no theme applies to the brand."""
    if not themes:
        return None
    part = own.drop_duplicates("id")[["id", "current", "sentiment"]]
    ids = part["id"].astype(int).tolist()
    found = themes_of(conn, every, ids, kept_too=True)
    # hits[row, k]: the row's mention is in the brand's k-th theme (the kept matches name
    # every configured theme: the brand's only). Each distinct set of names is read once: a
    # million mentions are in a few dozen of them.
    seen: dict[tuple[str, ...], int] = {}  # a set of names -> its pattern's row
    which = np.fromiter(
        (seen.setdefault(tuple(found.get(i, ())), len(seen)) for i in ids), np.int64, len(ids)
    )
    patterns = [[t.name in names for t in themes] for names in seen]
    hits = np.array(patterns, dtype=bool).reshape(-1, len(themes))[which]
    current = part["current"].to_numpy(dtype=bool)
    sentiment = part["sentiment"].astype(str).to_numpy()
    totals = {True: int(current.sum()), False: int((~current).sum())}
    rows = []
    for order, theme in enumerate(themes):
        cur, prev = hits[:, order] & current, hits[:, order] & ~current
        counts = {s: int((cur & (sentiment == s)).sum()) for s in (*SENTIMENTS, UNLABELLED)}
        before = {s: int((prev & (sentiment == s)).sum()) for s in ("positive", "negative")}
        rows.append({
            "theme": theme.name, "query": theme.query,
            "mentions": int(cur.sum()), "previous": int(prev.sum()),
            "share": _ratio(int(cur.sum()), totals[True]),
            "share_previous": _ratio(int(prev.sum()), totals[False]),
            **counts,
            "net": net_sentiment(counts["positive"], counts["negative"]),
            "net_previous": net_sentiment(before["positive"], before["negative"]),
            "order": order,
        })  # fmt: skip
    table = pd.DataFrame(rows).sort_values(
        ["mentions", "previous", "order"], ascending=[False, False, True]
    )
    none = ~hits.any(axis=1)
    return Themes(
        table=table[list(THEME_COLUMNS)].reset_index(drop=True),
        unthemed=int((none & current).sum()),
        unthemed_previous=int((none & ~current).sum()),
    )


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den
