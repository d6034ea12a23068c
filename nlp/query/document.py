"""A mention as queries see it, tokenised and normalised once for every query it meets."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from nlp.text import SIGNS, normalise, tokenise

# Title and text share one word stream; this gap keeps phrases and NEAR from spanning both.
TITLE_GAP = 1_000_000

SOURCE_NAMES = (
    "forum", "twitter", "facebook", "rss", "reviews", "mastodon", "bluesky", "reddit", "youtube",
)  # fmt: skip
_SOURCE_OF_KIND = {
    "forum": "forum",
    "discourse": "forum",
    "twitter": "twitter",
    "twitter_export": "twitter",
    "facebook": "facebook",
    "facebook_export": "facebook",
    "rss": "rss",
    "reviews": "reviews",
    "mastodon": "mastodon",
    "bluesky": "bluesky",
    "reddit": "reddit",
    "youtube": "youtube",
}


@dataclass(slots=True)
class MatchDoc:
    """What a query may look at in a mention; missing fields are None."""

    text: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    lang: str | None = None
    source_kind: str | None = None


class TextView:
    """The tokens of one text (or of title + text) with their positions, built on demand."""

    __slots__ = ("_keys", "_positions", "_sorted", "title", "tokens")

    def __init__(self, tokens: list[str], title: list[str] | None = None) -> None:
        self.tokens = tokens
        self.title = title  # title tokens, placed TITLE_GAP positions before the text's
        self._keys: set[str] | None = None
        self._positions: dict[str, list[int]] | None = None
        self._sorted: list[str] | None = None

    @property
    def keys(self) -> set[str]:
        """The distinct tokens."""
        if self._keys is None:
            tokens = self.tokens
            self._keys = set(tokens) if self.title is None else set(tokens).union(self.title)
        return self._keys

    @property
    def haystack(self) -> str:
        """The tokens joined by spaces, with a space before and after: " la fnac ... "."""
        if self.title is None:
            return f" {' '.join(self.tokens)} "
        return f" {' '.join(self.title)} {' '.join(self.tokens)} "

    def positions(self, token: str) -> list[int]:
        """Positions of `token` (exact, sign included), ascending."""
        table = self._positions
        if table is None:
            table = {}
            parts = (
                [(self.tokens, 0)]
                if self.title is None
                else [
                    (self.title, 0),
                    (self.tokens, TITLE_GAP),
                ]
            )
            for tokens, offset in parts:
                for i, tok in enumerate(tokens, offset):
                    found = table.get(tok)
                    if found is None:
                        table[tok] = [i]
                    else:
                        found.append(i)
            self._positions = table
        return table.get(token, [])

    def with_prefix(self, stem: str) -> list[str]:
        """The distinct tokens starting with `stem`."""
        ordered = self._sorted
        if ordered is None:
            ordered = self._sorted = sorted(self.keys)
        i = bisect_left(ordered, stem)
        out = []
        while i < len(ordered) and ordered[i].startswith(stem):
            out.append(ordered[i])
            i += 1
        return out


class PreparedDoc:
    """A MatchDoc normalised and tokenised once: `words` covers title + text.

    Everything but the words is worked out only when a query asks for it.
    """

    def __init__(self, doc: MatchDoc) -> None:
        self.doc = doc
        title = tokenise(doc.title) if doc.title else None
        self.words = TextView(tokenise(doc.text) if doc.text else [], title)

    @cached_property
    def title(self) -> TextView:
        return TextView(self.words.title or [])

    @cached_property
    def author(self) -> str | None:
        return author_key(self.doc.author) if self.doc.author else None

    @cached_property
    def lang(self) -> str | None:
        return lang_key(self.doc.lang) if self.doc.lang else None

    @cached_property
    def source(self) -> str | None:
        kind = self.doc.source_kind
        return _SOURCE_OF_KIND.get(kind.lower()) if kind else None

    @cached_property
    def hosts(self) -> frozenset[str]:
        """The URL's host and every parent domain: forum.example.org, example.org, org."""
        host = url_host(self.doc.url) if self.doc.url else None
        if not host:
            return frozenset()
        labels = host.split(".")
        return frozenset(".".join(labels[i:]) for i in range(len(labels)))


def prepare(doc: MatchDoc | PreparedDoc | str) -> PreparedDoc:
    if isinstance(doc, PreparedDoc):
        return doc
    if isinstance(doc, str):
        return PreparedDoc(MatchDoc(text=doc))
    return PreparedDoc(doc)


def author_key(name: str) -> str:
    """An author's name or handle, compared without case, accents, "@" or extra spaces."""
    folded = " ".join(normalise(name).split())
    while folded[:1] in SIGNS and folded:
        folded = folded[1:]
    return folded


def lang_key(code: str) -> str:
    """The primary language subtag: "fr-FR", "fr_CA", "FR" → "fr"."""
    return code.strip().lower().replace("_", "-").split("-")[0]


def url_host(url: str) -> str | None:
    """The host of a URL (or of a bare domain), lower-case, without "www." or a trailing dot."""
    value = url.strip()
    scheme = value.find("://")
    if scheme >= 0:
        value = value[scheme + 3 :]
    elif value.startswith("//"):
        value = value[2:]
    for stop in "/?#":
        cut = value.find(stop)
        if cut >= 0:
            value = value[:cut]
    value = value.rpartition("@")[2]
    if value.startswith("["):  # IPv6 literal
        host = value[1 : value.find("]")] if "]" in value else ""
    else:
        host = value.partition(":")[0]
    host = host.lower().rstrip(".")
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def source_of_kind(kind: str) -> str | None:
    return _SOURCE_OF_KIND.get(kind.lower())
