"""NodeBB (persona and harmony themes): /topic/ID/slug, li[component=post] with Unix ms times."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine
from crawlers.posts import ForumPost, Markup, ThreadRow, parse_count, select

_TOPIC = re.compile(r"/topic/(\d+)")

# A quoted post is a blockquote after "@name said in Topic:", a paragraph with a mention.
NODEBB = Markup(
    "nodebb",
    post="[component=post][data-pid]",
    fields={
        "post_id": ("::attr(data-pid)",),
        "url": ("a.permalink::attr(href)",),
        "author": ("::attr(data-username)", "a[itemprop=author]::text"),
        "author_url": ("a[itemprop=author]::attr(href)",),
        "unix_time": ("::attr(data-timestamp)",),
        "iso_time": ("meta[itemprop=datePublished]::attr(content)", "span.timeago::attr(title)"),
        "body": ("[component='post/content']",),
        "likes": ("[component='post/vote-count']::attr(data-votes)",),
        # "@name said in <a href="/post/88">Topic</a>:" before the blockquote
        "reply_to": (
            "./descendant::p[following-sibling::*[1][self::blockquote]]"
            "//a[contains(@href, '/post/')]/@href",
        ),
    },
    quotes=(
        "blockquote",
        "./descendant::p[following-sibling::*[1][self::blockquote]]"
        "[.//a[contains(@class, 'plugin-mentions')]]",
        "[component='post/signature']",
        ".post-signature",
    ),
)


class NodebbEngine(HtmlEngine):
    name = "nodebb"
    order = 14
    clues = (
        "[component=topic], [component=post][data-pid], [component=category/topic], "
        "a nodebb.org link"
    )
    markups = (NODEBB,)

    def detect(self, response: TextResponse) -> bool:
        return bool(
            response.css(
                "[component=topic], [component=post][data-pid], [component='category/topic'], "
                "[component=categories], a[href*='nodebb.org']"
            )
        )

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css("[component='categories/category'] h2 a::attr(href)").getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for li in response.css("[component='category/topic']"):
            tid = li.attrib.get("data-tid")
            link = li.css("[component='topic/header'] a, a[itemprop=url]")[:1]
            href = link.attrib.get("href") if link else None
            if not tid or not href:
                continue
            last = li.css(
                ".teaser .timeago::attr(title), [component='topic/teaser'] .timeago::attr(title)"
            ).get()
            rows.append(
                ThreadRow(
                    thread_id=tid,
                    url=response.urljoin(href),
                    title=(link.css("::text").get() or "").strip() or None,
                    last_post_at=parse_date(last, context["timezone"], context["now"]),
                    replies=parse_count(li.css("[component='topic/post-count']::text").get()),
                    sticky="pinned" in li.attrib.get("class", ""),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        for query in ("link[rel=next]::attr(href)", ".pagination li.next a::attr(href)"):
            found = select(response.selector, query).get()
            if found and found != "#":
                return found
        return None

    def thread_title(self, response: TextResponse) -> str | None:
        found = response.css("[component='topic/title']::text").get()
        return found.strip() if found and found.strip() else None

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        if not post.url and post.post_id:
            post.url = f"/post/{post.post_id}"
        super().finish(response, post)

    def thread_id(self, response: TextResponse) -> str:
        match = _TOPIC.search(response.url)
        return match.group(1) if match else super().thread_id(response)
