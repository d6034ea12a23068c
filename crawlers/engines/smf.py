"""Simple Machines Forum 2.0 and 2.1: index.php?topic=ID.START, div.post_wrapper per post."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine, listed_threads
from crawlers.posts import ForumPost, Markup, ThreadRow, first_of, parse_count

_TOPIC = re.compile(r"[?&;]topic=(\d+)(?:\.(\d+))?")

# SMF shows no zone and no machine time: dates are read in the source's zone. 2.0 writes
# "« Réponse #1 le : 12 mars 2012 à 14:05:33 »" in div.keyinfo, 2.1 a link in div.postinfo.
SMF = Markup(
    "smf",
    post="div.post_wrapper",
    fields={
        "post_id": ("./descendant::div[contains(@class, 'inner')][starts-with(@id, 'msg_')]/@id",),
        "url": ("div.keyinfo h5 a::attr(href)", "div.postinfo a.smalltext::attr(href)"),
        "author": ("div.poster h4 a::text", "div.poster h4::text"),
        "author_url": ("div.poster h4 a::attr(href)",),
        "author_posts": ("li.postcount::text",),
        "date_text": (
            "normalize-space(./descendant::div[contains(@class, 'keyinfo')]"
            "/div[contains(@class, 'smalltext')])",
            "normalize-space(./descendant::div[contains(@class, 'postinfo')]"
            "/a[contains(@class, 'smalltext')])",
        ),
        "body": ("div.inner[id^=msg_]",),
        "reply_to": (
            "div.quoteheader a[href*='.msg']::attr(href)",  # 2.0
            "blockquote.bbc_standard_quote cite a[href*='msg=']::attr(href)",  # 2.1
        ),
    },
    quotes=(
        "div.quoteheader",
        "blockquote.bbc_standard_quote",
        "blockquote.bbc_alternate_quote",
        "div.quotefooter",
        ".signature",
    ),
)


class SmfEngine(HtmlEngine):
    name = "smf"
    order = 45
    clues = "smf_scripturl / smf_theme_url scripts, a simplemachines.org link, div#forumposts"
    markups = (SMF,)

    def detect(self, response: TextResponse) -> bool:
        return bool(
            response.css("a[href*='simplemachines.org'], #forumposts .post_wrapper")
            or b"smf_scripturl" in response.body[:20000]
        )

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css(
            "td.info a.subject::attr(href), div.info a.subject::attr(href)"
        ).getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for row, link, url, thread_id in listed_threads(
            response,
            "#messageindex tbody tr, #topic_container > div",
            "span[id^=msg_] a",
            _TOPIC,
        ):
            last = " ".join(row.css("td.lastpost ::text, div.lastpost ::text").getall())
            last = re.split(r"\b(?:par|by)\b", last, maxsplit=1)[0]
            classes = row.attrib.get("class", "") + " ".join(row.css("td::attr(class)").getall())
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=link.css("::text").get(),
                    last_post_at=parse_date(last, context["timezone"], context["now"]),
                    replies=parse_count(row.css("td.stats::text, div.board_stats p::text").get()),
                    sticky="sticky" in classes,
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return first_of(
            response,
            # 2.0: "Pages: 1 [2] 3": the link after the current page's <strong>
            "(//div[contains(@class, 'pagelinks')])[1]/strong/following-sibling::a[1]/@href",
            # 2.1: span.current_page then the next a.nav_page
            "(//div[contains(@class, 'pagelinks')])[1]/span[contains(@class, 'current_page')]"
            "/following-sibling::a[1]/@href",
        )  # never <link rel="next">: in SMF it is the next *topic*

    def thread_title(self, response: TextResponse) -> str | None:
        return first_of(
            response,
            "#top_subject::text",  # 2.1
            "div.navigate_section li.last a span::text",  # 2.0 link tree
            "div.navigate_section li.last span::text",
        )

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        if not post.url and post.post_id:
            topic = self.thread_id(response)
            post.url = f"index.php?topic={topic}.msg{post.post_id}#msg{post.post_id}"
        super().finish(response, post)

    def page_number(self, response: TextResponse) -> int:
        current = response.css(".pagelinks strong::text, .pagelinks span.current_page::text").get()
        return parse_count(current) or 1

    def thread_id(self, response: TextResponse) -> str:
        match = _TOPIC.search(response.url)
        return match.group(1) if match else super().thread_id(response)
