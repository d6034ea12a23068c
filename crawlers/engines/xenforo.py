"""XenForo 1 (html#XenForo, li.message) and 2 (html#XF, article.message): exact data-time."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine, listed_threads
from crawlers.posts import Markup, ThreadRow, first_of, parse_count

if TYPE_CHECKING:
    from parsel import Selector, SelectorList

_THREAD_ID = re.compile(r"/threads/(?:[^/]*\.)?(\d+)/?")
_POSTS = "contains(., 'Messages') or contains(., 'Posts')"

XF2 = Markup(
    "xf2",
    post="article.message[data-author]",
    fields={
        "post_id": ("::attr(data-content)", "::attr(id)"),
        "url": (
            ".message-attribution-main a::attr(href)",
            ".message-attribution a.u-concealed::attr(href)",
        ),
        "author": ("::attr(data-author)", "h4.message-name a::text", ".message-name ::text"),
        "author_url": (
            "h4.message-name a[data-user-id]::attr(href)",
            ".message-name a::attr(href)",
        ),
        "author_posts": (
            f"./descendant::div[contains(@class, 'message-userExtras')]/dl[dt[{_POSTS}]]/dd/text()",
            ".message-userExtras dd::text",
        ),
        "unix_time": (
            ".message-attribution-main time::attr(data-time)",
            ".message-attribution time::attr(data-time)",
        ),
        "iso_time": (
            ".message-attribution-main time::attr(datetime)",
            ".message-attribution time::attr(datetime)",
        ),
        "date_text": (
            ".message-attribution-main time::attr(title)",
            ".message-attribution-main time::text",
        ),
        "body": ("article.message-body div.bbWrapper", "div.bbWrapper"),
        "reply_to": (".bbCodeBlock--quote::attr(data-source)",),
        "likes": (".reactionsBar-link bdi::text",),
    },
    quotes=(".bbCodeBlock--quote", "blockquote[data-quote]", ".message-signature"),
)

# XenForo 1: abbr.DateTime@data-time on recent posts; older ones only show a date in
# span.DateTime@title, in the visitor's zone (no zone stated): the source's zone decides.
XF1 = Markup(
    "xf1",
    post="li.message[data-author]",
    fields={
        "post_id": ("::attr(id)",),
        "url": ("a.datePermalink::attr(href)",),
        "author": ("::attr(data-author)", ".messageUserBlock a.username::text"),
        "author_url": (
            ".messageUserBlock a.username::attr(href)",
            "a.username.author::attr(href)",
        ),
        "author_posts": (
            f"./descendant::div[contains(@class, 'extraUserInfo')]/dl[dt[{_POSTS}]]/dd//text()",
        ),
        "unix_time": (".messageMeta abbr.DateTime::attr(data-time)",),
        "date_text": (
            ".messageMeta span.DateTime::attr(title)",
            ".messageMeta .DateTime::text",
        ),
        "body": ("blockquote.messageText",),
        "reply_to": (".bbCodeQuote a.AttributionLink::attr(href)",),
    },
    quotes=(".bbCodeQuote", ".bbCodeBlock--quote", ".signature"),
)


class XenForoEngine(HtmlEngine):
    name = "xenforo"
    order = 20
    clues = "html#XF (XenForo 2), html#XenForo (XenForo 1)"
    markups = (XF2, XF1)

    def detect(self, response: TextResponse) -> bool:
        return response.css("html::attr(id)").get() in ("XF", "XenForo")

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css(".node-title a::attr(href), h3.nodeTitle a::attr(href)").getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for item, link, url, thread_id in listed_threads(
            response,
            ".structItem--thread, li.discussionListItem",
            _thread_link,
            _THREAD_ID,
        ):
            latest = item.css(".structItem-latestDate, .lastPostInfo .DateTime")
            date = latest.attrib.get("data-time") or latest.attrib.get("datetime") or ""
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=link.css("::text").get(),
                    last_post_at=parse_date(date, context["timezone"], context["now"]),
                    replies=parse_count(item.css(".structItem-cell--meta dd::text").get()),
                    sticky="structItem--sticky" in item.attrib.get("class", "")
                    or "sticky" in item.attrib.get("class", ""),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return first_of(
            response,
            "a.pageNav-jump--next::attr(href)",
            "link[rel=next]::attr(href)",
            "//div[contains(@class, 'PageNav')]//a[contains(@class, 'text')][contains(., 'Next')"
            " or contains(., 'Suivant')]/@href",
        )

    def thread_title(self, response: TextResponse) -> str | None:
        title = " ".join(response.css("h1.p-title-value::text").getall()).strip()
        return title or (response.css(".titleBar h1::text").get() or "").strip() or None

    def page_number(self, response: TextResponse) -> int:
        current = response.css(".pageNav-page--current a::text, .PageNav a.currentPage::text").get()
        return parse_count(current) or 1

    def thread_id(self, response: TextResponse) -> str:
        match = _THREAD_ID.search(response.url)
        return match.group(1) if match else super().thread_id(response)


def _thread_link(item: Selector) -> SelectorList[Selector]:
    """A listing row's link to its thread: the one XenForo 2 marks, else the title's last
    link (the first may be a prefix's), XenForo 1's included."""
    return (
        item.css(".structItem-title a[data-tp-primary]")
        or item.css(".structItem-title a")[-1:]
        or item.css("h3.title a.PreviewTooltip, h3.title a")[-1:]
    )
