"""The brand team's themes (`themes` in veille.yaml): which of them a mention is in.

A theme is a named query of the brand queries' language. It is matched when the inbox, a
hand-over rule or a mention's page reads a mention; the report stage keeps the matches of
the mentions its reports read (`mention_themes`, `store_between`), valid while the mention's
content and the themes' queries are those it was matched with, so a theme changed in
veille.yaml applies at once to every mention already collected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from config.settings import ThemeSettings
from nlp.query import MatchDoc, PreparedDoc, QueryIndex, compile_query, prepare
from storage import themes as kept
from storage.dialect import chunks
from storage.mentions import match_rows


class ThemeMatcher:
    """Which themes a mention is in. Build it once per report; `match` is cheap per mention
    (the queries are indexed by their required terms, as the brand queries are)."""

    def __init__(self, themes: Iterable[ThemeSettings]) -> None:
        self.themes = list(themes)
        self._index = QueryIndex([compile_query(t.query) for t in self.themes])

    def match(self, doc: MatchDoc | PreparedDoc) -> list[str]:
        """The names of the themes `doc` matches, in configuration order."""
        return [self.themes[i].name for i in self._index.matching(prepare(doc))]

    def __len__(self) -> int:
        return len(self.themes)


def fingerprint(themes: Sequence[ThemeSettings]) -> str:
    """What the kept matches were matched with: the themes' names and queries, in order."""
    data = orjson.dumps([[t.name, t.query] for t in themes])
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def themes_of(
    conn: Connection, themes: Sequence[ThemeSettings], ids: Iterable[int], *, kept_too: bool = False
) -> dict[int, list[str]]:
    """The names of the `themes` each stored mention of `ids` is in (every id a key);
    `kept_too`: read the kept matches first (`themes` must then be every configured theme, as
    `store_between` keeps them), and match only the mentions without."""
    wanted = sorted(set(ids))
    found: dict[int, list[str]] = {}
    if kept_too and themes:
        found = kept.stored(conn, wanted, fingerprint(themes))
        wanted = [i for i in wanted if i not in found]
    if not wanted:
        return found
    matcher = ThemeMatcher(themes)
    for part in chunks(wanted):
        for mention_id, *fields in match_rows(conn, part):
            found[int(mention_id)] = matcher.match(match_doc(fields))
    return found


def store_between(
    conn: Connection, themes: Sequence[ThemeSettings], start: datetime, end: datetime
) -> int:
    """Match and keep the themes of the mentions published in [start, end) whose kept
    matches are missing or stale (every configured theme); returns how many were matched."""
    if not themes:
        return 0
    setting = fingerprint(themes)
    matcher = ThemeMatcher(themes)
    todo = kept.unmatched(conn, start, end, setting)
    n = 0
    for part in chunks(sorted(todo)):
        n += kept.save(conn, [
            (int(mention_id), todo[int(mention_id)], setting, matcher.match(match_doc(fields)))
            for mention_id, *fields in match_rows(conn, part)
        ])  # fmt: skip
    return n


def match_doc(row: dict[str, Any] | Sequence[Any]) -> MatchDoc:
    """A stored mention as queries see it: a mapping with `text`, `title`, `author`, `url`,
    `lang`, `source_kind`, or a sequence of those six in that order."""
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
