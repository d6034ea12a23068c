"""vBulletin 4 (showthread.php, li.postcontainer) and 5 (ul.conversation-list)."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine
from crawlers.engines.phpbb import query_param
from crawlers.posts import ForumPost, ThreadRow, load_post, parse_count

_THREAD_ID = re.compile(r"(?:[?&]t=|/)(\d+)(?:[-/&#]|$)")
_PAGE = re.compile(r"(?:[?&]page=|/page)(\d+)")


class VBulletinEngine(HtmlEngine):
    name = "vbulletin"
    order = 30

    def detect(self, response: TextResponse) -> bool:
        generator = response.css('meta[name="generator"]::attr(content)').get() or ""
        return bool(
            response.css("html#vbulletin_html, style#vbulletin_css, script[src*=vbulletin_]")
            or "vbulletin" in generator.lower()
        )

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css("h2.forumtitle a::attr(href), a.forum-title::attr(href)").getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for li in response.css("li.threadbit, tr.topic-item"):
            link = li.css("a.title, a.topic-title")[:1]
            href = link.attrib.get("href") if link else None
            if not href:
                continue
            url = response.urljoin(href)
            thread_id = query_param(url, "t") or _thread_id(url)
            if thread_id is None:
                continue
            date = li.css(".threadlastpost time::attr(datetime), .lastpost-date::attr(datetime)")
            date_text = date.get() or " ".join(
                t.strip() for t in li.css("dl.threadlastpost dd:last-child ::text").getall()
            )
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=link.css("::text").get(),
                    last_post_at=parse_date(date_text, context["timezone"], context["now"]),
                    replies=parse_count(li.css("ul.threadstats li:first-child ::text").get()),
                    sticky="sticky" in li.attrib.get("class", ""),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return response.css("a[rel=next]::attr(href)").get()

    def thread_title(self, response: TextResponse) -> str | None:
        return response.css(
            "span.threadtitle a::text, h1.main-title::text, h2.b-post__title::text"
        ).get()

    def posts(self, response: TextResponse, context: dict[str, Any]) -> list[ForumPost]:
        posts = []
        for li in response.css("#posts li.postcontainer"):  # vBulletin 4
            post = load_post(
                li,
                context,
                {
                    "post_id": ["::attr(id)"],
                    "author": ["a.username strong::text", "a.username::text"],
                    "author_url": ["a.username::attr(href)"],
                    "author_posts": [
                        "dl.userinfo_extra dt:contains('Messages') + dd::text",
                        "dl.userinfo_extra dt:contains('Posts') + dd::text",
                    ],
                    "published_at": ["span.postdate time::attr(datetime)", "span.date"],
                    "date_text": ["span.date"],
                    "body": ["div[id^=post_message_]"],
                },
            )
            self._absolute(response, post, li.css("a.postcounter::attr(href)").get())
            posts.append(post)
        for li in response.css("ul.conversation-list li.b-post"):  # vBulletin 5
            post = load_post(
                li,
                context,
                {
                    "post_id": ["::attr(data-node-id)"],
                    "author": [".author [itemprop=name]::text", ".b-post__author a::text"],
                    "author_url": [".author a::attr(href)", ".b-post__author a::attr(href)"],
                    "author_posts": [".b-userinfo__additional-info ::text"],
                    "published_at": ["time[itemprop=dateCreated]::attr(datetime)"],
                    "date_text": ["time[itemprop=dateCreated]::text"],
                    "body": [".js-post__content-text"],
                },
            )
            self._absolute(response, post, li.css("a.b-post__count::attr(href)").get())
            posts.append(post)
        return posts

    @staticmethod
    def _absolute(response: TextResponse, post: ForumPost, permalink: str | None) -> None:
        if permalink:
            post.url = response.urljoin(permalink)
        if post.author_url:
            post.author_url = response.urljoin(post.author_url)

    def page_number(self, response: TextResponse) -> int:
        match = _PAGE.search(response.url)
        return int(match.group(1)) if match else 1


def _thread_id(url: str) -> str | None:
    match = _THREAD_ID.search(url.split("?", 1)[0] + "/")
    return match.group(1) if match else None
