"""What a forum page yields (threads in a listing, posts in a thread) and how a post is read.

An engine describes each family of its pages (a version or a style) as a `Markup`: where a
post is, and for each field the selectors to try, first match wins. `read_posts` applies
the first markup that finds posts on a page and says which selectors answered (for
`veille crawl --probe` and for broken-theme reports); `clean_body` drops quoted posts and
signatures from a body before turning it into plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field, fields
from datetime import datetime, tzinfo
from functools import cache
from typing import Any

from cssselect import GenericTranslator
from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath

from crawlers.dates import has_offset, post_date
from crawlers.text import html_to_text, normalise_text

# Script and style never are text; every markup adds its own quote and signature blocks.
ALWAYS_REMOVED = ("script", "style", "noscript", "template")
_COUNT = re.compile(r"\d[\d\s.,\u00a0\u202f]*")
# The fields a markup may describe, in the order they are read.
FIELDS = (
    "post_id", "url", "author", "author_url", "author_posts", "unix_time", "iso_time",
    "date_text", "body", "likes", "reply_to",
)  # fmt: skip
# The quoted post's id in a quote's link or attribute: the anchor of a link to it
# (`./viewtopic.php?p=40211#p40211`, `showthread.php?p=12#post12`, `?topic=3.msg45#msg45`,
# `showthread.php?pid=7#pid7`, `goto/post?id=9#post-9`, a generic forum's `sujet.php?id=7#m41`),
# else a parameter or path naming it (`?msg=45`, `/goto/post?id=9`, `/post/88`), `post: 12345`
# (XenForo 2), or the id alone.
_ANCHOR_ID = re.compile(r"#\D*(\d+)")
_QUOTED_ID = re.compile(r"(?:[?&](?:p|pid|id|msg)=|\.msg|/post/|^post:\s*)(\d+)")


@dataclass
class ThreadRow:
    """A thread as a listing page shows it."""

    thread_id: str
    url: str
    title: str | None = None
    last_post_at: datetime | None = None
    replies: int | None = None
    sticky: bool = False


@dataclass
class ForumPost:
    """One post as extracted from a thread page (the raw record stored with its mention)."""

    post_id: str | None = None
    url: str | None = None
    author: str | None = None
    author_url: str | None = None
    author_posts: int | None = None
    published_at: datetime | None = None
    date_text: str | None = None
    date_rule: str | None = None  # which rule of crawlers.dates.DATE_RULES gave the date
    body: str | None = None
    likes: int | None = None
    reply_to: str | None = None  # the id of the post it quotes, where the page says it
    html: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def raw(self) -> dict[str, Any]:
        # Built by hand: dataclasses.asdict deep-copies, and this runs for every post.
        out = {name: getattr(self, name) for name in _POST_FIELDS}
        out["published_at"] = self.published_at.isoformat() if self.published_at else None
        out["extra"] = dict(self.extra)
        return out


_POST_FIELDS = tuple(f.name for f in fields(ForumPost))


@dataclass(frozen=True)
class Markup:
    """Where one family of an engine's thread pages (a version, a style) puts a post's parts.

    `post` selects one post container; `fields` maps a field of FIELDS to the selectors
    tried inside it, first match wins (CSS, or XPath: see `is_xpath`).
    `unix_time` is an exact Unix time, `iso_time` an ISO date (trusted only with its
    offset), `date_text` the date as shown, `reply_to` the id of the post a quote in the
    body names (its link or attribute; `quoted_post_id`). `quotes` are the quoted posts and
    signatures inside the body, removed from its text.
    """

    name: str
    post: str
    fields: Mapping[str, tuple[str, ...]]
    quotes: tuple[str, ...] = ()


@dataclass
class PageReading:
    """The posts read on a page, with the markup and the selectors that found each field."""

    markup: str | None
    posts: list[ForumPost]
    selectors: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> query -> n
    tried: list[str] = field(default_factory=list)  # markups whose post selector found nothing

    def found(self, name: str) -> int:
        """How many posts got a value for the field."""
        return sum(self.selectors.get(name, {}).values())


_XPATH_FUNCTION = re.compile(r"^[a-z][a-z-]*\(")


def is_xpath(query: str) -> bool:
    """XPath when it starts with "/", "./", "(" or a function call (`normalize-space(…)`)."""
    return query.startswith(("/", "./", "(")) or bool(_XPATH_FUNCTION.match(query))


@cache
def _xpath_of(query: str, descendants: bool = False) -> str:
    if is_xpath(query):
        return query
    if descendants:  # the blocks to cut inside an element, never the element itself
        return GenericTranslator().css_to_xpath(query, prefix="descendant::")
    return css2xpath(query)  # parsel's translation: ::text and ::attr(name) too


@cache
def compiled(query: str, descendants: bool = False) -> etree.XPath:
    """A query compiled once (CSS translated to XPath): pages are many, queries few."""
    return etree.XPath(_xpath_of(query, descendants), smart_strings=False)


@cache
def _removal(queries: tuple[str, ...]) -> etree.XPath:
    return etree.XPath(" | ".join(_xpath_of(q, descendants=True) for q in queries))


def found_values(node: Any, query: str) -> list[Any]:
    """What a query finds on an lxml element: elements, or strings (text, attributes)."""
    result = compiled(query)(node)
    if isinstance(result, list):
        return result
    return [] if result is None or result == "" else [str(result)]


def first_of(response: Any, *queries: str) -> str | None:
    """The first non-blank value (stripped) the queries find on a page, in their order."""
    root = response.selector.root
    for query in queries:
        for value in found_values(root, query):
            text = _markup(value) if hasattr(value, "iterdescendants") else str(value)
            if text.strip():
                return text.strip()
    return None


def select(selector: Selector | SelectorList[Selector], query: str) -> SelectorList[Selector]:
    """CSS, or XPath (see `is_xpath`), as parsel selectors; CSS is translated once."""
    return selector.xpath(_xpath_of(query))


def clean_body(markup: str, remove: tuple[str, ...] = ()) -> str:
    """Plain text of a post body without the given quote/signature blocks or any markup.

    Only elements *inside* the body are removed, never the body itself (XenForo 1's body
    is a `blockquote.messageText`, vBulletin 4's a `blockquote.postcontent`).
    """
    if not markup:
        return ""
    sel = Selector(text=markup)
    body = sel.xpath("/html/body")
    if not body:
        return html_to_text(markup)
    # A fragment that is one element (a body copied whole) keeps that element.
    roots = body.xpath("*")
    alone = len(roots) == 1 and not "".join(body.xpath("text()").getall()).strip()
    return clean_element((roots[0] if alone else body[0]).root, remove)


def clean_element(node: Any, remove: tuple[str, ...] = ()) -> str:
    """Plain text of an lxml element without the `remove` blocks found inside it."""
    if not hasattr(node, "iterdescendants"):  # a text or attribute result, not an element
        return html_to_text(str(node))
    removal = _removal((*ALWAYS_REMOVED, *remove))
    if not removal(node):
        return html_to_text(_markup(node))
    # Work on a copy: the page's tree stays whole for the other fields and the raw HTML.
    copy = deepcopy(node)
    for el in removal(copy):
        parent = el.getparent()
        if el is copy or parent is None:
            continue
        tail = el.tail
        previous = el.getprevious()
        parent.remove(el)
        if tail:  # the text after a removed block belongs to the post
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    return html_to_text(_markup(copy))


def _markup(node: Any) -> str:
    return str(etree.tostring(node, method="html", encoding="unicode", with_tail=False))


def parse_count(value: str | int | None) -> int | None:
    """'1 234 messages', '1,234', '12' -> an int; None when there is no number."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = _COUNT.search(value)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group())
    return int(digits) if digits else None


def _text(value: str) -> str | None:
    return normalise_text(html_to_text(value) if "<" in value else value) or None


def _post_id(value: str) -> str | None:
    return re.sub(r"\D", "", value) or value.strip() or None


def quoted_post_id(value: str) -> str | None:
    """The id of the post a quote names (the post's stored id: digits, or Discourse's
    `topic-number`), from its link or attribute; None when it names none."""
    value = value.strip()
    if re.fullmatch(r"\d+(?:-\d+)?", value):
        return value
    match = _ANCHOR_ID.search(value) or _QUOTED_ID.search(value)
    return match.group(1) if match else None


# How each field's first value becomes the post's value (the body is cleaned separately).
_PROCESS: dict[str, Callable[[str], Any]] = {
    "post_id": _post_id,
    "author": _text,
    "url": lambda v: v.strip() or None,
    "author_url": lambda v: v.strip() or None,
    "author_posts": parse_count,
    "unix_time": lambda v: v.strip() if v.strip().isdigit() else None,
    "iso_time": lambda v: v.strip() or None,
    "date_text": _text,
    "likes": parse_count,
    "reply_to": quoted_post_id,
}


class _Stated:
    """The zone a page states, read from the page only when a post needs it."""

    def __init__(self, stated: tzinfo | Callable[[], tzinfo | None] | None) -> None:
        self._source = stated
        self._read = not callable(stated)
        self._zone: tzinfo | None = None if callable(stated) else stated

    def __call__(self) -> tzinfo | None:
        if not self._read:
            self._read = True
            assert callable(self._source)
            self._zone = self._source()
        return self._zone


def read_post(
    node: Any,
    markup: Markup,
    context: dict[str, Any],
    stated: tzinfo | Callable[[], tzinfo | None] | None = None,
    hits: dict[str, dict[str, int]] | None = None,
) -> ForumPost:
    """One post from its container (an lxml element), by the markup's selectors: the first
    selector finding a value wins for each field."""
    zone = stated if isinstance(stated, _Stated) else _Stated(stated)
    values: dict[str, Any] = {}
    remove = (*markup.quotes, *context.get("remove", ()))
    for name, queries in markup.fields.items():
        if name == "date_text" and (
            "unix_time" in values or has_offset(values.get("iso_time"))
        ):  # an exact time needs no shown text
            continue
        for query in queries:
            found = found_values(node, query)
            if not found:
                continue
            if name == "body":
                # An empty body is a finding too (an image-only post): stop here.
                values[name] = clean_element(found[0], remove)
            else:
                value = None
                for raw in found:
                    raw = str(raw) if not hasattr(raw, "iterdescendants") else _markup(raw)
                    if raw.strip():
                        value = _PROCESS[name](raw)
                        if value is not None:
                            break
                if value is None:
                    continue
                values[name] = value
            if hits is not None:
                counts = hits.setdefault(name, {})
                counts[query] = counts.get(query, 0) + 1
            break
    unix, iso, text = values.get("unix_time"), values.get("iso_time"), values.get("date_text")
    needs_zone = not unix and not has_offset(iso) and (text or iso) is not None
    published, rule = post_date(
        unix,
        iso,
        text,
        zone() if needs_zone else None,
        context.get("timezone", "Europe/Paris"),
        context.get("now"),
        context.get("date_order") or "DMY",
    )
    return ForumPost(
        post_id=values.get("post_id"),
        url=values.get("url"),
        author=values.get("author"),
        author_url=values.get("author_url"),
        author_posts=values.get("author_posts"),
        published_at=published,
        date_text=text or unix or iso,
        date_rule=rule,
        body=values.get("body"),
        likes=values.get("likes"),
        reply_to=values.get("reply_to"),
        html=_markup(node),
        extra={"markup": markup.name},
    )


def read_posts(
    page: Any,
    markups: tuple[Markup, ...],
    context: dict[str, Any],
    stated: tzinfo | Callable[[], tzinfo | None] | None = None,
) -> PageReading:
    """The posts of a page (an lxml root or a parsel selector) by the first markup whose post
    selector finds any."""
    root = page.root if isinstance(page, Selector) else page
    zone = _Stated(stated)
    tried = []
    for markup in markups:
        nodes = [n for n in found_values(root, markup.post) if hasattr(n, "iterdescendants")]
        if not nodes:
            tried.append(markup.name)
            continue
        hits: dict[str, dict[str, int]] = {}
        posts = [read_post(node, markup, context, zone, hits) for node in nodes]
        return PageReading(markup.name, posts, hits, tried)
    return PageReading(None, [], {}, tried)
