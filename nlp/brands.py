"""Attach mentions to brands. Interim keyword matcher until the boolean query language lands."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.records import BrandMatch

if TYPE_CHECKING:
    from config.settings import BrandSettings


@dataclass(slots=True)
class MatchDoc:
    text: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    lang: str | None = None
    source_kind: str | None = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class BrandMatcher:
    """Case- and accent-insensitive whole-word keyword matching, one pattern per brand."""

    def __init__(self, brands: Sequence[tuple[str, str, list[str]]]) -> None:
        self._brands = [
            (
                name,
                query,
                re.compile(
                    r"(?<![\w@#])(" + "|".join(re.escape(_fold(k)) for k in keywords) + r")(?!\w)"
                ),
            )
            for name, query, keywords in brands
            if keywords
        ]

    @classmethod
    def from_brands(cls, brands: Sequence[BrandSettings]) -> BrandMatcher:
        return cls(
            [
                (b.name, b.query if isinstance(b.query, str) else " OR ".join(b.query), b.keywords)
                for b in brands
            ]
        )

    def match(self, doc: MatchDoc) -> list[BrandMatch]:
        haystack = _fold(" ".join(filter(None, (doc.title, doc.text))))
        out = []
        for name, query, pattern in self._brands:
            found = sorted(set(pattern.findall(haystack)))
            if found:
                out.append(BrandMatch(brand=name, query=query, matched_terms=found))
        return out
