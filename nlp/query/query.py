"""A compiled query: parsed once, then tested against any number of documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nlp.query.anchors import Anchors, anchors
from nlp.query.document import MatchDoc, PreparedDoc, prepare
from nlp.query.nodes import And, Node, Or
from nlp.query.parser import keyword_node, parse


@dataclass(frozen=True, slots=True)
class Explanation:
    """Whether the query matched and which of its positive terms (as written) were found."""

    matched: bool
    terms: list[str] = field(default_factory=list)


class Query:
    """A compiled brand query. Build it with `compile_query` or `compile_keywords`."""

    __slots__ = ("anchors", "root", "text")

    def __init__(self, text: str, root: Node) -> None:
        self.text = text
        self.root = root
        # A matching document holds one of these keys; None: the query needs none (NOT x).
        self.anchors: Anchors = anchors(root)

    def matches(self, doc: MatchDoc | PreparedDoc | str) -> bool:
        return self.root.test(prepare(doc))

    def explain(self, doc: MatchDoc | PreparedDoc | str) -> Explanation:
        terms: list[str] = []
        matched = self.root.collect(prepare(doc), terms)
        return Explanation(matched, list(dict.fromkeys(terms)) if matched else [])

    def __repr__(self) -> str:
        return f"Query({self.text!r})"


def compile_query(text: str) -> Query:
    """Parse `text` into a Query; raises QueryError with the column of the problem."""
    return Query(text, parse(text))


def compile_keywords(keywords: Sequence[str]) -> Query:
    """The OR of keywords, each searched as a phrase: ["riveo", "service client"]."""
    nodes: list[Node] = [keyword_node(k) for k in keywords if k.strip()]
    text = " OR ".join(f'"{k}"' for k in keywords if k.strip())
    root = nodes[0] if len(nodes) == 1 else Or(nodes, text)
    return Query(text, root)


def all_of(queries: Sequence[Query]) -> Query:
    """The query that matches what every one of `queries` matches (a theme and a query typed
    in the inbox)."""
    if len(queries) == 1:
        return queries[0]
    text = " AND ".join(f"({q.text})" for q in queries)
    return Query(text, And([q.root for q in queries], text))
