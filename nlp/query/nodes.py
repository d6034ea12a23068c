"""The parsed query: a tree of nodes that test a prepared document and say what matched.

Word-like nodes (Word, Phrase, Near and OR of them) are *positional*: they also give the spans
(first, last token position) where they occur, which NEAR and ~ proximity work on.
"""

from __future__ import annotations

from itertools import chain

from nlp.query.document import PreparedDoc, TextView
from nlp.text import SIGNS

Span = tuple[int, int]


class Node:
    """A query node. `label` is how it was written, for explanations."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def test(self, doc: PreparedDoc) -> bool:
        raise NotImplementedError

    def collect(self, doc: PreparedDoc, out: list[str]) -> bool:
        """Like test, and append to `out` the labels of the positive terms that matched."""
        found = self.test(doc)
        if found:
            out.append(self.label)
        return found

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label!r})"


class Positional(Node):
    __slots__ = ()

    def spans(self, view: TextView) -> list[Span]:
        raise NotImplementedError

    def present(self, view: TextView) -> bool:
        return bool(self.spans(view))

    def test(self, doc: PreparedDoc) -> bool:
        return self.present(doc.words)


class Word(Positional):
    """One normalised token; `prefix` for `livr*`. A plain word also matches #word and @word."""

    __slots__ = ("exact", "prefix", "signed", "token")

    def __init__(self, token: str, prefix: bool, label: str) -> None:
        super().__init__(label)
        self.token = token
        self.prefix = prefix
        self.signed = token[:1] in SIGNS
        self.exact = (token,) if self.signed else (token, "#" + token, "@" + token)

    def present(self, view: TextView) -> bool:
        if not self.prefix:
            keys = view.keys
            return any(k in keys for k in self.exact)
        return any(view.with_prefix(stem) for stem in self.exact)

    def keys_in(self, view: TextView) -> list[str]:
        if not self.prefix:
            return [k for k in self.exact if k in view.keys]
        return [k for stem in self.exact for k in view.with_prefix(stem)]

    def positions(self, view: TextView) -> list[int]:
        keys = self.keys_in(view)
        if len(keys) == 1:
            return view.positions(keys[0])
        return sorted(chain.from_iterable(view.positions(k) for k in keys))

    def spans(self, view: TextView) -> list[Span]:
        return [(p, p) for p in self.positions(view)]


class Phrase(Positional):
    """Consecutive words; with `slop`, all the words in any order within `slop` positions."""

    __slots__ = ("slop", "words")

    def __init__(self, words: list[Word], slop: int | None, label: str) -> None:
        super().__init__(label)
        self.words = words
        self.slop = slop

    def present(self, view: TextView) -> bool:
        return all(w.present(view) for w in self.words) and bool(self.spans(view))

    def spans(self, view: TextView) -> list[Span]:
        lists = [w.positions(view) for w in self.words]
        if not all(lists):
            return []
        if self.slop is None:
            rest = [set(p) for p in lists[1:]]
            last = len(lists) - 1
            return [
                (p, p + last)
                for p in lists[0]
                if all(p + j in found for j, found in enumerate(rest, 1))
            ]
        return _windows(lists, self.slop)


def _windows(lists: list[list[int]], slop: int) -> list[Span]:
    """Spans of distinct positions, one per list, whose first and last are ≤ slop apart."""
    found: set[Span] = set()
    order = sorted(range(len(lists)), key=lambda i: len(lists[i]))

    def pick(k: int, used: frozenset[int], lo: int, hi: int) -> None:
        if k == len(order):
            found.add((lo, hi))
            return
        for p in lists[order[k]]:
            if p in used:
                continue
            nlo, nhi = min(lo, p), max(hi, p)
            if nhi - nlo <= slop:
                pick(k + 1, used | {p}, nlo, nhi)

    for p in lists[order[0]]:
        pick(1, frozenset((p,)), p, p)
    return sorted(found)


class Near(Positional):
    """`a NEAR/n b`: spans of a and b at most n positions apart; `ordered` for ONEAR."""

    __slots__ = ("distance", "left", "ordered", "right")

    def __init__(
        self, left: Positional, right: Positional, distance: int, ordered: bool, label: str
    ) -> None:
        super().__init__(label)
        self.left, self.right = left, right
        self.distance, self.ordered = distance, ordered

    def present(self, view: TextView) -> bool:
        return self.left.present(view) and self.right.present(view) and bool(self.spans(view))

    def spans(self, view: TextView) -> list[Span]:
        n, out = self.distance, []
        rights = self.right.spans(view)
        for a0, a1 in self.left.spans(view):
            for b0, b1 in rights:
                if 0 < b0 - a1 <= n or (not self.ordered and 0 < a0 - b1 <= n):
                    out.append((min(a0, b0), max(a1, b1)))
        return out

    def collect(self, doc: PreparedDoc, out: list[str]) -> bool:
        if not self.test(doc):
            return False
        self.left.collect(doc, out)
        self.right.collect(doc, out)
        return True


class Or(Positional):
    """Any child; positional when every child is."""

    __slots__ = ("children",)

    def __init__(self, children: list[Node], label: str) -> None:
        super().__init__(label)
        self.children = children

    def test(self, doc: PreparedDoc) -> bool:
        return any(c.test(doc) for c in self.children)

    def present(self, view: TextView) -> bool:
        return any(c.present(view) for c in self.children if isinstance(c, Positional))

    def spans(self, view: TextView) -> list[Span]:
        return sorted(
            chain.from_iterable(c.spans(view) for c in self.children if isinstance(c, Positional))
        )

    def collect(self, doc: PreparedDoc, out: list[str]) -> bool:
        found = False
        for child in self.children:
            found = child.collect(doc, out) or found
        return found


class And(Node):
    __slots__ = ("children",)

    def __init__(self, children: list[Node], label: str) -> None:
        super().__init__(label)
        self.children = children

    def test(self, doc: PreparedDoc) -> bool:
        return all(c.test(doc) for c in self.children)

    def collect(self, doc: PreparedDoc, out: list[str]) -> bool:
        mark = len(out)
        for child in self.children:
            if not child.collect(doc, out):
                del out[mark:]
                return False
        return True


class Not(Node):
    __slots__ = ("child",)

    def __init__(self, child: Node, label: str) -> None:
        super().__init__(label)
        self.child = child

    def test(self, doc: PreparedDoc) -> bool:
        return not self.child.test(doc)

    def collect(self, doc: PreparedDoc, out: list[str]) -> bool:
        return self.test(doc)  # what is absent is no matched term
