"""Attach mentions to brands: every configured brand query, compiled once, indexed by its terms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from config.settings import BrandSettings
from nlp.query import (
    MatchDoc,
    PreparedDoc,
    Query,
    QueryIndex,
    compile_keywords,
    compile_query,
    prepare,
)
from nlp.query.document import author_key
from storage.records import BrandMatch

__all__ = ["BrandMatch", "BrandMatcher", "BrandQuery", "MatchDoc"]


@dataclass(frozen=True, slots=True)
class BrandQuery:
    brand: str
    query: Query


class BrandMatcher:
    """Which brands a mention is about. Build it once per run; `match` is cheap per mention.

    Each mention is tokenised once; only the queries whose required terms it holds (plus the
    few that need none, such as `NOT x` or `lang:fr`) are evaluated.
    """

    def __init__(self, brands: Iterable[BrandQuery], own_accounts: Iterable[str] = ()) -> None:
        self.brands = list(brands)
        self._index = QueryIndex([b.query for b in self.brands])
        self._own = frozenset(author_key(a) for a in own_accounts)

    @classmethod
    def from_brands(cls, brands: Iterable[BrandSettings]) -> BrandMatcher:
        """From `settings.brands`: a string query is parsed, a list of keywords is their OR;
        their `own_accounts` are known (`is_own`).

        Raises QueryError on an invalid query (the configuration loader reports those first).
        """
        brands = list(brands)
        return cls(
            (BrandQuery(b.name, _compile(b.query)) for b in brands),
            [a for b in brands for a in b.own_accounts],
        )

    def is_own(self, doc: MatchDoc | PreparedDoc) -> bool:
        """Whether one of the brands' own accounts wrote it (handles compared without case,
        accents or `@`)."""
        author = prepare(doc).author
        return author is not None and author in self._own

    def match(self, doc: MatchDoc | PreparedDoc) -> list[BrandMatch]:
        """The brands whose query matches, in configuration order, with the terms found."""
        prepared = prepare(doc)
        out = []
        for i in self._index.candidates(prepared):
            brand = self.brands[i]
            terms: list[str] = []
            # `collect` is `test` that also gathers the terms: one evaluation per query.
            if brand.query.root.collect(prepared, terms):
                out.append(BrandMatch(brand.brand, brand.query.text, list(dict.fromkeys(terms))))
        return out

    def __len__(self) -> int:
        return len(self.brands)


def _compile(query: str | list[str]) -> Query:
    return compile_query(query) if isinstance(query, str) else compile_keywords(query)
