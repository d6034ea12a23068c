"""MyBB 1.8: showthread.php?tid=ID, div.post#post_ID (the default postbit)."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine, listed_threads
from crawlers.engines.phpbb import query_param
from crawlers.posts import ForumPost, Markup, ThreadRow, parse_count

_TID = re.compile(r"(?:tid=|thread-)(\d+)")
_DATE = "./descendant::span[contains(@class, 'post_date')]"

# MyBB shows no zone and no machine time. A recent date is relative ("Today, 02:15 PM",
# "15 minutes ago") with the full date in the span's title: title, then the text after it.
MYBB = Markup(
    "mybb",
    post="div.post[id^=post_]",
    fields={
        "post_id": ("::attr(id)",),
        "url": (".post_head a[href*='pid']::attr(href)",),
        "author": (
            ".author_information .largetext a::text",
            ".author_information strong ::text",
        ),
        "author_url": (".author_information .largetext a::attr(href)",),
        "author_posts": (
            "./descendant::div[contains(@class, 'author_statistics')]/text()"
            "[contains(., 'Posts') or contains(., 'Messages')]",
        ),
        "date_text": (
            f"normalize-space(concat({_DATE}/span[@title]/@title, ' ', {_DATE}/text()[1]))",
        ),
        "body": ("div.post_body",),
        "reply_to": ("blockquote.mycode_quote cite a.quick_jump::attr(href)",),
    },
    quotes=("blockquote.mycode_quote", "div.signature"),
)


class MybbEngine(HtmlEngine):
    name = "mybb"
    order = 50
    clues = "a 'Powered By MyBB' link (mybb.com), jscripts/general.js, div.post > div.post_body"
    markups = (MYBB,)

    def detect(self, response: TextResponse) -> bool:
        return bool(
            response.css(
                "a[href*='mybb.com'], script[src*='jscripts/general.js'], div.post div.post_body"
            )
        )

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css(
            "td strong a[href*='forumdisplay.php']::attr(href), "
            "td strong a[href*='forum-']::attr(href)"
        ).getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for tr, link, url, thread_id in listed_threads(
            response,
            "tr.inline_row",
            "span.subject_new a, span.subject_old a, span[id^=tid_] a",
            _TID,
        ):
            # "15/03/2024, 09:12", or "<span title="15/03/2024">Today</span>, 09:12"
            last = tr.xpath(
                "normalize-space(concat(.//span[contains(@class, 'lastpost')]/span[@title]/@title,"
                " ' ', .//span[contains(@class, 'lastpost')]/text()[1]))"
            ).get()
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=link.css("::text").get(),
                    last_post_at=parse_date(last, context["timezone"], context["now"]),
                    replies=parse_count(tr.css("td a[href*='whoPosted']::text").get()),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return response.css(".pagination a.pagination_next::attr(href)").get()

    def thread_title(self, response: TextResponse) -> str | None:
        found = response.css(".navigation .active::text").get()
        return found.strip() if found and found.strip() else None

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        if not post.url and post.post_id:
            post.url = f"showthread.php?pid={post.post_id}#pid{post.post_id}"
        super().finish(response, post)

    def page_number(self, response: TextResponse) -> int:
        return parse_count(response.css(".pagination span.pagination_current::text").get()) or 1

    def thread_id(self, response: TextResponse) -> str:
        found = query_param(response.url, "tid")
        if found:
            return found
        match = _TID.search(response.url)
        return match.group(1) if match else super().thread_id(response)
