"""Find which of many queries a document may match without running every one of them.

Each query is indexed under its anchors (keys a matching document must hold: a word, a word
prefix, a field value; see anchors.py). Word and prefix anchors go into one Aho-Corasick
automaton (pyahocorasick) as " word " and " prefix", scanned in one pass over the document's
tokens joined by spaces; field anchors go into a dictionary. Only the queries found that way
are evaluated, plus those with no anchor at all (`NOT spam`), which are evaluated every time.
"""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick

from nlp.query.anchors import anchors, shared_word_cost
from nlp.query.document import PreparedDoc
from nlp.query.query import Query


class QueryIndex:
    def __init__(self, queries: Sequence[Query]) -> None:
        self.queries = list(queries)
        patterns: dict[str, set[int]] = {}
        self._fields: dict[tuple[str, str], list[int]] = {}
        self._always: list[int] = []
        cost = shared_word_cost(q.root for q in self.queries)
        for i, query in enumerate(self.queries):
            keys = anchors(query.root, cost)
            if keys is None:
                self._always.append(i)
                continue
            for kind, value in keys:
                if kind == "t":
                    patterns.setdefault(f" {value} ", set()).add(i)
                elif kind == "p":
                    for sign in ("", "#", "@"):
                        patterns.setdefault(f" {sign}{value}", set()).add(i)
                else:
                    self._fields.setdefault((kind, value), []).append(i)
        self._automaton: ahocorasick.Automaton | None = None
        if patterns:
            automaton = ahocorasick.Automaton()
            for pattern, ids in patterns.items():
                automaton.add_word(pattern, tuple(sorted(ids)))
            automaton.make_automaton()
            self._automaton = automaton
        self._field_kinds = frozenset(kind for kind, _ in self._fields)

    def candidates(self, doc: PreparedDoc) -> list[int]:
        """Indexes (ascending) of the queries that may match `doc`."""
        hits: set[int] = set(self._always)
        if self._automaton is not None:
            for _, ids in self._automaton.iter(doc.words.haystack):
                hits.update(ids)
        if self._field_kinds:
            hits.update(self._field_hits(doc))
        return sorted(hits) if len(hits) > 1 else list(hits)

    def _field_hits(self, doc: PreparedDoc) -> list[int]:
        fields, kinds = self._fields, self._field_kinds
        out: list[int] = []
        wanted: list[tuple[str, str]] = []
        if "author" in kinds and doc.author is not None:
            wanted.append(("author", doc.author))
        if "lang" in kinds and doc.lang is not None:
            wanted.append(("lang", doc.lang))
        if "source" in kinds and doc.source is not None:
            wanted.append(("source", doc.source))
        if "site" in kinds:
            wanted.extend(("site", host) for host in doc.hosts)
        for key in wanted:
            out.extend(fields.get(key, ()))
        return out

    def matching(self, doc: PreparedDoc) -> list[int]:
        """Indexes (ascending) of the queries that match `doc`."""
        queries = self.queries
        return [i for i in self.candidates(doc) if queries[i].root.test(doc)]
