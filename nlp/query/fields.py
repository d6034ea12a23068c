"""Field filters: `author:`, `site:`, `lang:`, `source:` and `title:`."""

from __future__ import annotations

from nlp.query.document import PreparedDoc
from nlp.query.nodes import Node, Positional


class Title(Node):
    """`title:fnac`, `title:"service client"`: the word or phrase in the title only."""

    __slots__ = ("child",)

    def __init__(self, child: Positional, label: str) -> None:
        super().__init__(label)
        self.child = child

    def test(self, doc: PreparedDoc) -> bool:
        return self.child.present(doc.title)


class Author(Node):
    """`author:fnac` matches the author "Fnac" or "@fnac"; `author:jean*` any "Jean…"."""

    __slots__ = ("key", "prefix")

    def __init__(self, key: str, prefix: bool, label: str) -> None:
        super().__init__(label)
        self.key, self.prefix = key, prefix

    def test(self, doc: PreparedDoc) -> bool:
        author = doc.author
        if author is None:
            return False
        return author.startswith(self.key) if self.prefix else author == self.key


class Site(Node):
    """`site:example.org` matches URLs on example.org and any of its subdomains."""

    __slots__ = ("domain",)

    def __init__(self, domain: str, label: str) -> None:
        super().__init__(label)
        self.domain = domain

    def test(self, doc: PreparedDoc) -> bool:
        return self.domain in doc.hosts


class Lang(Node):
    """`lang:fr` matches "fr", "fr-FR", "fr_CA"."""

    __slots__ = ("code",)

    def __init__(self, code: str, label: str) -> None:
        super().__init__(label)
        self.code = code

    def test(self, doc: PreparedDoc) -> bool:
        return doc.lang == self.code


class Source(Node):
    """`source:twitter`: the kind of source (twitter_export is twitter, discourse is forum)."""

    __slots__ = ("name",)

    def __init__(self, name: str, label: str) -> None:
        super().__init__(label)
        self.name = name

    def test(self, doc: PreparedDoc) -> bool:
        return doc.source == self.name
