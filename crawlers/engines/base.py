"""What a forum engine is: a name, a place in the detection order, and where things are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from crawlers.posts import ForumPost, ThreadRow


class ForumEngine:
    """Abstract: an engine a forum source may name (`engine:`) or have detected (`auto`).

    Subclasses set `name` and `order` (auto-detection asks the engines in this order, so a
    catch-all goes last) and answer `detect(response)` from a forum's first page. One engine
    object is built per source, from the source's `options`; `check()` says what is missing.
    """

    name: ClassVar[str] = ""
    order: ClassVar[int] = 100

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.given = dict(options or {})

    def check(self) -> None:
        """Raise ValueError, saying what to add, when the source's options do not suffice."""

    def detect(self, response: TextResponse) -> bool:
        return False


class HtmlEngine(ForumEngine):
    """Where a forum engine puts things on its HTML pages; no crawling logic here.

    The forum spider (`crawlers.forum.ForumSpider`) decides what to fetch and asks the
    engine where the threads, posts and next pages are.
    """

    def forum_links(self, response: TextResponse) -> list[str]:
        return []

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        raise NotImplementedError

    def next_listing(self, response: TextResponse) -> str | None:
        return None

    def thread_title(self, response: TextResponse) -> str | None:
        return None

    def posts(self, response: TextResponse, context: dict[str, Any]) -> list[ForumPost]:
        raise NotImplementedError

    def next_thread_page(self, response: TextResponse) -> str | None:
        return self.next_listing(response)

    def page_number(self, response: TextResponse) -> int:
        return 1
