"""Invision Community 4 (article.cPost, aside.ipsComment_author) and 5 (article.ipsEntry)."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine, listed_threads
from crawlers.posts import Markup, ThreadRow, select

_TOPIC = re.compile(r"/topic/(\d+)(?:-[^/?#]*)?")
_QUOTES = ("blockquote.ipsQuote", "[data-role=memberSignature]", ".ipsSignature")

# Both carry exact times: <time datetime="2024-05-02T08:10:00Z">.
IPS5 = Markup(
    "ips5",
    post="article.ipsEntry[id^=elComment_]",
    fields={
        "post_id": ("::attr(id)",),
        "url": (".ipsEntry__header .ipsPhotoPanel__secondary a::attr(href)",),
        "author": (
            ".ipsEntry__author-column .ipsEntry__username a::text",
            ".ipsEntry__username a::text",
            ".ipsEntry__username ::text",
        ),
        "author_url": (".ipsEntry__username a::attr(href)",),
        "author_posts": (".ipsEntry__authorStats [data-i-el=number]::text",),
        "iso_time": (".ipsEntry__header time::attr(datetime)", "time::attr(datetime)"),
        "date_text": (".ipsEntry__header time::attr(title)", "time::text"),
        "body": ("[data-role=commentContent]",),
        "reply_to": ("blockquote.ipsQuote::attr(data-ipsquote-contentcommentid)",),
    },
    quotes=_QUOTES,
)

IPS4 = Markup(
    "ips4",
    post="article[id^=elComment_]",
    fields={
        "post_id": ("::attr(id)",),
        "url": (".ipsComment_meta a[href*='findComment']::attr(href)",),
        "author": (
            "aside.ipsComment_author .cAuthorPane_author a::text",
            ".cAuthorPane_author ::text",
        ),
        "author_url": (".cAuthorPane_author a::attr(href)",),
        "author_posts": (
            "./descendant::ul[contains(@class, 'cAuthorPane_info')]"
            "/li[contains(., 'post')]//text()",
        ),
        "iso_time": (".ipsComment_meta time::attr(datetime)", "time::attr(datetime)"),
        "date_text": (".ipsComment_meta time::attr(title)", "time::text"),
        "body": ("[data-role=commentContent]",),
        "reply_to": ("blockquote.ipsQuote::attr(data-ipsquote-contentcommentid)",),
    },
    quotes=_QUOTES,
)


class InvisionEngine(HtmlEngine):
    name = "invision"
    order = 25
    clues = "body.ipsApp, data-ips-hook attributes, #elCopyright, an invisioncommunity.com link"
    markups = (IPS5, IPS4)

    def detect(self, response: TextResponse) -> bool:
        return bool(
            response.css(
                "body.ipsApp, [data-ips-hook], #elCopyright, a[href*='invisioncommunity.com']"
            )
        )

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css(
            ".ipsDataItem_title a[href*='/forum/']::attr(href), "
            "a.ipsData__title[href*='/forum/']::attr(href)"
        ).getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for item, link, url, thread_id in listed_threads(
            response,
            "li.ipsDataItem[data-rowid], li.ipsData__item[data-rowid]",
            ".ipsDataItem_title a, .ipsData__title a",
            _TOPIC,
        ):
            times = item.css("time::attr(datetime)").getall()
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=" ".join(link.css("::text").getall()).strip() or None,
                    last_post_at=parse_date(times[-1], context["timezone"], context["now"])
                    if times
                    else None,
                    sticky=bool(item.css(".ipsBadge_positive i.fa-thumb-tack, .fa-thumbtack")),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        for query in ("li.ipsPagination_next a::attr(href)", "link[rel=next]::attr(href)"):
            found = select(response.selector, query).get()
            if found and found != "#":
                return found
        return None

    def thread_title(self, response: TextResponse) -> str | None:
        title = " ".join(
            t.strip()
            for t in response.css(
                "h1.ipsType_pageTitle ::text, .ipsPageHeader__title h1 ::text"
            ).getall()
            if t.strip()
        )
        return title or None

    def page_number(self, response: TextResponse) -> int:
        match = re.search(r"/page/(\d+)", response.url)
        return int(match.group(1)) if match else 1

    def thread_id(self, response: TextResponse) -> str:
        match = _TOPIC.search(response.url)
        return match.group(1) if match else super().thread_id(response)
