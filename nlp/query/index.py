"""Find which of many queries a document may match without running every one of them.

Each query is indexed under its anchors (keys a matching document must hold: a word, a 3-letter
prefix, a field value). A document is tokenised once; its keys pick the candidate queries, and
only those are evaluated. Queries with no anchor (`NOT spam`) are candidates for every document.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.query.anchors import PREFIX_ANCHOR, anchors, shared_word_cost
from nlp.query.document import PreparedDoc
from nlp.query.query import Query


class QueryIndex:
    def __init__(self, queries: Sequence[Query]) -> None:
        self.queries = list(queries)
        self._tokens: dict[str, list[int]] = {}
        self._prefixes: dict[str, list[int]] = {}
        self._fields: dict[tuple[str, str], list[int]] = {}
        self._always: list[int] = []
        cost = shared_word_cost(q.root for q in self.queries)
        for i, query in enumerate(self.queries):
            keys = anchors(query.root, cost)
            if keys is None:
                self._always.append(i)
                continue
            for kind, value in keys:
                table = {"t": self._tokens, "p": self._prefixes}.get(kind)
                if table is not None:
                    table.setdefault(value, []).append(i)
                else:
                    self._fields.setdefault((kind, value), []).append(i)
        self._token_keys = frozenset(self._tokens)
        self._prefix_keys = frozenset(self._prefixes)
        self._field_kinds = frozenset(kind for kind, _ in self._fields)

    def candidates(self, doc: PreparedDoc) -> list[int]:
        """Indexes (ascending) of the queries that may match `doc`."""
        keys = doc.words.keys
        hits: set[int] = set(self._always) if self._always else set()
        tokens = self._tokens
        for key in keys & self._token_keys:
            hits.update(tokens[key])
        if self._prefix_keys:
            prefixes = self._prefixes
            for stem in doc.stems(PREFIX_ANCHOR) & self._prefix_keys:
                hits.update(prefixes[stem])
        if self._field_kinds:
            hits.update(self._field_hits(doc))
        return sorted(hits) if len(hits) > 1 else list(hits)

    def _field_hits(self, doc: PreparedDoc) -> list[int]:
        fields, kinds = self._fields, self._field_kinds
        out: list[int] = []
        wanted: list[tuple[str, str]] = []
        if doc.author is not None and "author" in kinds:
            wanted.append(("author", doc.author))
        if doc.lang is not None and "lang" in kinds:
            wanted.append(("lang", doc.lang))
        if doc.source is not None and "source" in kinds:
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
