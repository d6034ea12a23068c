"""What a forum engine is: a name, a place in the detection order, and where things are."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple
from urllib.parse import urljoin

from crawlers.dates import stated_zone
from crawlers.posts import Markup, PageReading, read_posts

if TYPE_CHECKING:
    from parsel import Selector, SelectorList
    from scrapy.http import TextResponse

    from crawlers.posts import ForumPost, ThreadRow

_LANG = re.compile(r"<html\b[^>]*\blang=[\"']?([A-Za-z-]+)", re.I)
# Dates like 03-05-2024 are month first where the page is in American English.
_MONTH_FIRST = ("en", "en-us")


def absolute(response: TextResponse, href: str) -> str:
    """`response.urljoin(href)`, remembered per folder: the same profile links come back on
    every page of a forum, and joining URLs costs more than reading the post."""
    from scrapy.utils.response import get_base_url

    base = get_base_url(response)
    if href.startswith(("?", "#")) or not href:
        return urljoin(base, href)
    return _join(base.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[0] + "/", href)


@lru_cache(maxsize=8192)
def _join(folder: str, href: str) -> str:
    return urljoin(folder, href)


class Listed(NamedTuple):
    """A listing row that links to a thread: the row, its link, the thread's URL and id."""

    row: Selector
    link: SelectorList[Selector]
    url: str
    thread_id: str


def listed_threads(
    response: TextResponse,
    rows: str,
    link: str | Callable[[Selector], SelectorList[Selector]],
    thread_id: re.Pattern[str] | Callable[[str], str | None],
) -> Iterator[Listed]:
    """The rows of a listing page (`rows`, CSS) whose link leads to a thread. `link`: the first
    match of a CSS selector in the row, or a function of the row; `thread_id`: a pattern whose
    first group is the id in the absolute URL, or a function of the URL (None: no thread)."""
    for row in response.css(rows):
        found = row.css(link)[:1] if isinstance(link, str) else link(row)
        href = found.attrib.get("href") if found else None
        if not href:
            continue
        url = response.urljoin(href)
        if isinstance(thread_id, re.Pattern):
            match = thread_id.search(url)
            tid = match.group(1) if match else None
        else:
            tid = thread_id(url)
        if tid is not None:
            yield Listed(row, found, url, tid)


def page_date_order(response: TextResponse) -> str:
    """DMY, or MDY for an American English page (vBulletin's and MyBB's m-d-Y)."""
    match = _LANG.search(response.text[:2000])
    return "MDY" if match and match.group(1).lower() in _MONTH_FIRST else "DMY"


class ForumEngine:
    """Abstract: an engine a forum source may name (`engine:`) or have detected (`auto`).

    Subclasses set `name` and `order` (auto-detection asks the engines in this order, so a
    catch-all goes last), say in `clues` what detection looks for, and answer
    `detect(response)` from a forum's first page. One engine object is built per source,
    from the source's `options`; `check()` says what is missing.
    """

    name: ClassVar[str] = ""
    order: ClassVar[int] = 100
    clues: ClassVar[str] = ""  # what detect() looks for, shown by `veille crawl --probe`

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.given = dict(options or {})

    def check(self) -> None:
        """Raise ValueError, saying what to add, when the source's options do not suffice."""

    def detect(self, response: TextResponse) -> bool:
        return False


class HtmlEngine(ForumEngine):
    """Where a forum engine puts things on its HTML pages; no crawling logic here.

    The forum spider (`crawlers.forum.ForumSpider`) decides what to fetch and asks the
    engine where the threads, posts and next pages are. Posts are read by `markups`, tried
    in order (`read`); engines fix up what the markup cannot say (absolute URLs…) in
    `finish`.
    """

    markups: ClassVar[tuple[Markup, ...]] = ()

    def forum_links(self, response: TextResponse) -> list[str]:
        return []

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        raise NotImplementedError

    def next_listing(self, response: TextResponse) -> str | None:
        return None

    def thread_title(self, response: TextResponse) -> str | None:
        return None

    def page_markups(self, response: TextResponse) -> tuple[Markup, ...]:
        return self.markups

    def read(self, response: TextResponse, context: dict[str, Any]) -> PageReading:
        """The posts of a thread page, with the markup and selectors that found them."""
        ctx = dict(context)
        if not ctx.get("date_order"):
            ctx["date_order"] = page_date_order(response)
        reading = read_posts(
            response.selector, self.page_markups(response), ctx, lambda: self.stated_zone(response)
        )
        for post in reading.posts:
            self.finish(response, post)
        return reading

    def stated_zone(self, response: TextResponse) -> Any:
        return stated_zone(response.text)

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        """Make the post's links absolute (engines override to build permalinks)."""
        if post.author_url:
            post.author_url = absolute(response, post.author_url)
        if post.url:
            post.url = absolute(response, post.url)

    def posts(self, response: TextResponse, context: dict[str, Any]) -> list[ForumPost]:
        return self.read(response, context).posts

    def next_thread_page(self, response: TextResponse) -> str | None:
        return self.next_listing(response)

    def page_number(self, response: TextResponse) -> int:
        return 1

    def thread_id(self, response: TextResponse) -> str:
        """The id of the thread a page shows (when a source's URL is a thread page)."""
        return hashlib.sha1(response.url.split("#", 1)[0].encode()).hexdigest()[:16]
