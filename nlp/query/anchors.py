"""Anchors: keys of which every document a query matches holds at least one.

A key is ("t", token) for a word, hashtag or handle, ("p", stem) for a wildcard word (sign
left out: a plain wildcard also matches hashtags and handles), or a field value: ("author",
key), ("site", domain), ("lang", code), ("source", name). A query is evaluated only on
documents holding one of its anchors; a query with none (`NOT spam`, `lang:fr OR NOT x`) is
evaluated on every document.

Where several sets would do (both sides of an AND, the words of a phrase), the cheapest is
chosen: the one letting fewest documents through, judged by a cost per key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from nlp.query.fields import Author, Lang, Site, Source, Title
from nlp.query.nodes import And, Near, Node, Not, Or, Phrase, Word
from nlp.text import bare

Anchor = tuple[str, str]
Anchors = frozenset[Anchor] | None
Cost = Callable[[Anchor], float]

# Field values are shared by many documents; words (brand names) by few.
KIND_COST = {"t": 1.0, "p": 4.0, "author": 2.0, "site": 20.0, "lang": 100.0, "source": 100.0}


def default_cost(anchor: Anchor) -> float:
    return KIND_COST[anchor[0]]


def anchors(node: Node, cost: Cost = default_cost) -> Anchors:
    """The cheapest anchor set of `node`, or None when a match needs no particular key."""
    if isinstance(node, Word):
        return _word(node)
    if isinstance(node, Phrase):
        return _cheapest([_word(w) for w in node.words], cost)
    if isinstance(node, Near):
        return _cheapest([anchors(node.left, cost), anchors(node.right, cost)], cost)
    if isinstance(node, And):
        return _cheapest([anchors(c, cost) for c in node.children], cost)
    if isinstance(node, Or):
        union: set[Anchor] = set()
        for child in node.children:
            sub = anchors(child, cost)
            if sub is None:
                return None
            union |= sub
        return frozenset(union)
    if isinstance(node, Title):
        return anchors(node.child, cost)  # title words are among the document's words
    if isinstance(node, Author):
        return None if node.prefix else frozenset({("author", node.key)})
    if isinstance(node, Site):
        return frozenset({("site", node.domain)})
    if isinstance(node, Lang):
        return frozenset({("lang", node.code)})
    if isinstance(node, Source):
        return frozenset({("source", node.name)})
    return None  # Not: a match may hold nothing at all


def _word(word: Word) -> frozenset[Anchor]:
    if word.prefix:
        return frozenset({("p", bare(word.token))})
    return frozenset(("t", k) for k in word.exact)


def _cheapest(options: list[Anchors], cost: Cost) -> Anchors:
    known = [o for o in options if o is not None]
    if not known:
        return None
    return min(known, key=lambda keys: sum(cost(k) for k in keys))


def words(node: Node) -> Iterator[str]:
    """Every word token the node mentions (hashtags and handles included)."""
    if isinstance(node, Word):
        yield node.token
    elif isinstance(node, Phrase):
        for w in node.words:
            yield w.token
    elif isinstance(node, Near):
        yield from words(node.left)
        yield from words(node.right)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from words(child)
    elif isinstance(node, Title | Not):
        yield from words(node.child)


def shared_word_cost(roots: Iterable[Node]) -> Cost:
    """A cost that rates a word by how many of the queries use it.

    A brand name appears in one query; "service" or "client" in many, and in many documents
    too: anchoring a phrase such as "lumino service" on "lumino" keeps "service" texts out.
    """
    counts: Counter[str] = Counter()
    for root in roots:
        counts.update({bare(w) for w in words(root)})

    def cost(anchor: Anchor) -> float:
        kind, value = anchor
        base = KIND_COST[kind]
        if kind == "t":
            return base * counts.get(bare(value), 1)
        return base

    return cost
