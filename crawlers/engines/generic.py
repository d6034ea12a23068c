"""Any other forum, driven by selectors from the source's `options`.

options (CSS, or XPath when a query starts with "/" or "("):
  thread_links  links to threads on a listing page (required), e.g. "a.thread-title"
  post          one post container on a thread page (required), e.g. "div.post"
  author, author_url, date, body, post_id   inside a post (defaults below)
  reply_to      inside a post, the id of the post its quote names, or the quote's link to it
  title         the thread title on a thread page
  next_page     the next-page link on listings and threads (thread_next_page to differ)
  forum_links   links to sub-forums to follow from a listing
  remove        extra selectors removed from bodies (quotes, signatures…)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from parsel import Selector, SelectorList
from scrapy.http import TextResponse

from crawlers.engines.base import HtmlEngine
from crawlers.posts import ForumPost, Markup, ThreadRow
from crawlers.posts import select as select_query

DEFAULTS = {
    "author": ".author::text",
    "date": "time::attr(datetime)",
    "body": ".content",
    "post_id": "::attr(id)",
}


# Quote and signature blocks of the common engines, removed from bodies unless the source
# lists its own (`remove`, added to these).
COMMON_QUOTES = (
    "blockquote", "aside.quote", ".bbCodeBlock--quote", ".bbcode_container", ".bbcode_quote",
    ".quotecontent",
    ".quotetitle", ".signature", ".signaturecontainer", ".message-signature",
)  # fmt: skip


def select(selector: Selector | TextResponse, query: str) -> SelectorList[Selector]:
    return select_query(
        selector.selector if isinstance(selector, TextResponse) else selector, query
    )


def _href(node: Selector) -> str | None:
    """The link a query selected: an `<a>` element's href, or an `::attr(href)` string."""
    if isinstance(node.root, str):
        return node.root.strip() or None
    return node.attrib.get("href")


class GenericEngine(HtmlEngine):
    name = "generic"
    order = 90  # a catch-all: any forum, once selectors are configured; asked last

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.options = {**DEFAULTS, **self.given}

    def check(self) -> None:
        missing = [key for key in ("thread_links", "post") if not self.given.get(key)]
        if missing:
            raise ValueError(
                f"engine: generic needs options {', '.join(missing)} (CSS or XPath selectors)"
            )

    def detect(self, response: TextResponse) -> bool:
        return bool(self.given.get("post"))  # selectors describe the forum: no page to read

    def forum_links(self, response: TextResponse) -> list[str]:
        query = self.options.get("forum_links")
        return [h for h in (_href(n) for n in select(response, query)) if h] if query else []

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for node in select(response, self.options["thread_links"]):
            href = _href(node)
            if not href:
                continue
            url = response.urljoin(href)
            title = None if isinstance(node.root, str) else " ".join(node.css("::text").getall())
            thread_id = hashlib.sha1(url.encode()).hexdigest()[:16]
            rows.append(
                ThreadRow(thread_id=thread_id, url=url, title=(title or "").strip() or None)
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        query = self.options.get("next_page")
        if not query:
            return None
        nodes = select(response, query)
        return _href(nodes[0]) if nodes else None

    def next_thread_page(self, response: TextResponse) -> str | None:
        query = self.options.get("thread_next_page") or self.options.get("next_page")
        if not query:
            return None
        nodes = select(response, query)
        return _href(nodes[0]) if nodes else None

    def thread_title(self, response: TextResponse) -> str | None:
        query = self.options.get("title")
        if not query:
            return None
        return " ".join(t.strip() for t in select(response, query).css("::text").getall()) or None

    def page_markups(self, response: TextResponse) -> tuple[Markup, ...]:
        o = self.options
        fields = {
            "post_id": (o["post_id"],),
            "author": (o["author"],),
            "date_text": (o["date"],),
            "body": (o["body"],),
        }
        for optional in ("author_url", "reply_to"):
            if o.get(optional):
                fields[optional] = (o[optional],)
        return (Markup("generic", o["post"], fields, COMMON_QUOTES),)

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        super().finish(response, post)
        if post.post_id:
            post.url = f"{response.url.split('#', 1)[0]}#{post.post_id}"
