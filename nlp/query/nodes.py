"""The parsed query: a tree of nodes that test a prepared document and say what matched.

Word-like nodes (Word, Phrase, Near and OR of them) are *positional*: they also give the spans
(first, last token position) where they occur, which NEAR and ~ proximity work on.
"""

from __future__ import annotations

from itertools import chain

from nlp.query.document import PreparedDoc, TextView
from nlp.query.proximity import near_exists, near_spans, sloppy_spans
from nlp.text import SIGNS, bare

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

    __slots__ = ("disjoint", "slop", "words")

    def __init__(self, words: list[Word], slop: int | None, label: str) -> None:
        super().__init__(label)
        self.words = words
        self.slop = slop
        self.disjoint = not any(
            _can_share(u, v) for i, u in enumerate(words) for v in words[i + 1 :]
        )

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
        return sloppy_spans(lists, self.slop, self.disjoint)


def _can_share(u: Word, v: Word) -> bool:
    """Whether one token could match both words (then positions must be kept apart)."""
    bu, bv = bare(u.token), bare(v.token)
    return bu == bv or (u.prefix and bv.startswith(bu)) or (v.prefix and bu.startswith(bv))


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
        if not (self.left.present(view) and self.right.present(view)):
            return False
        return near_exists(
            self.left.spans(view), self.right.spans(view), self.distance, self.ordered
        )

    def spans(self, view: TextView) -> list[Span]:
        lefts, rights = self.left.spans(view), self.right.spans(view)
        return near_spans(lefts, rights, self.distance, self.ordered)

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
