"""The brand team's themes (`themes` in veille.yaml): which of them a mention is in.

A theme is a named query of the brand queries' language; it is matched when a report or the
inbox reads the mentions, never stored, so a theme changed in veille.yaml applies at once to
every mention already collected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

from config.settings import ThemeSettings
from nlp.query import MatchDoc, PreparedDoc, QueryIndex, compile_query, prepare
from storage.dialect import chunks
from storage.mentions import match_rows


class ThemeMatcher:
    """Which themes a mention is in. Build it once per report; `match` is cheap per mention
    (the queries are indexed by their required terms, as the brand queries are)."""

    def __init__(self, themes: Iterable[ThemeSettings]) -> None:
        self.themes = list(themes)
        self._index = QueryIndex([compile_query(t.query) for t in self.themes])

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.themes]

    def match(self, doc: MatchDoc | PreparedDoc) -> list[str]:
        """The names of the themes `doc` matches, in configuration order."""
        return [self.themes[i].name for i in self._index.matching(prepare(doc))]

    def __len__(self) -> int:
        return len(self.themes)


def themes_of(
    conn: Connection, themes: Sequence[ThemeSettings], ids: Iterable[int]
) -> dict[int, list[str]]:
    """The names of the `themes` each stored mention of `ids` is in (every id a key)."""
    matcher = ThemeMatcher(themes)
    found: dict[int, list[str]] = {}
    for part in chunks(sorted(set(ids))):
        for mention_id, *fields in match_rows(conn, part):
            found[int(mention_id)] = matcher.match(match_doc(fields))
    return found


def match_doc(row: dict[str, Any] | Sequence[Any]) -> MatchDoc:
    """A stored mention as queries see it: a mapping with `text`, `title`, `author`, `url`,
    `lang`, `source_kind`, or a sequence of those in that order (MATCH_FIELDS)."""
    if isinstance(row, dict):
        return MatchDoc(
            text=row["text"] or "",
            title=row["title"],
            author=row["author"],
            url=row["url"],
            lang=row["lang"],
            source_kind=row["source_kind"],
        )
    text, title, author, url, lang, source_kind = row
    return MatchDoc(text or "", title, author, url, lang, source_kind)


# What a query may look at in a stored mention, in the order `match_doc` reads a sequence.
MATCH_FIELDS = ("text", "title", "author", "url", "lang", "source_kind")
