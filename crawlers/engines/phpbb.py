"""phpBB 3 (prosilver): viewforum.php listings, viewtopic.php threads."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine
from crawlers.posts import ForumPost, ThreadRow, load_post, parse_count

_POST_ID = re.compile(r"p(\d+)$")


def query_param(url: str, name: str) -> str | None:
    values = parse_qs(urlparse(url).query).get(name)
    return values[0] if values else None


class PhpbbEngine(HtmlEngine):
    name = "phpbb"
    order = 40

    def detect(self, response: TextResponse) -> bool:
        body_id = response.css("body::attr(id)").get() or ""
        copyright_ = response.css('meta[name="copyright"]::attr(content)').get() or ""
        cookies = b" ".join(response.headers.getlist(b"Set-Cookie"))
        return "phpbb" in body_id.lower() or "phpbb" in copyright_.lower() or b"phpbb" in cookies

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css("a.forumtitle::attr(href)").getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for li in response.css("ul.topiclist.topics > li.row"):
            href = li.css("a.topictitle::attr(href)").get()
            if not href:
                continue
            url = response.urljoin(href)
            thread_id = query_param(url, "t")
            if thread_id is None:
                continue
            date = li.css("dd.lastpost time::attr(datetime)").get() or " ".join(
                li.css("dd.lastpost span::text").getall()
            )
            classes = li.attrib.get("class", "")
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=li.css("a.topictitle::text").get(),
                    last_post_at=parse_date(date, context["timezone"], context["now"]),
                    replies=parse_count(li.css("dd.posts::text").get()),
                    sticky="sticky" in classes or "announce" in classes,
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return response.css(".pagination a[rel=next]::attr(href)").get()

    def thread_title(self, response: TextResponse) -> str | None:
        return response.css("h2.topic-title a::text, h2.topic-title::text").get()

    def posts(self, response: TextResponse, context: dict[str, Any]) -> list[ForumPost]:
        posts = []
        for div in response.css("div.post[id^=p]"):
            post = load_post(
                div,
                context,
                {
                    "post_id": ["::attr(id)"],
                    "author": [
                        "dl.postprofile dt a.username::text",
                        "dl.postprofile dt a.username-coloured::text",
                        "p.author a.username::text",
                        "p.author strong::text",
                    ],
                    "author_url": ["dl.postprofile dt a[href*='u=']::attr(href)"],
                    "author_posts": ["dd.profile-posts a::text", "dd.profile-posts::text"],
                    "published_at": ["p.author time::attr(datetime)", "p.author::text"],
                    "date_text": ["p.author time::text", "p.author::text"],
                    "body": ["div.content"],
                },
            )
            if post.author_url:
                post.author_url = response.urljoin(post.author_url)
            if post.post_id:
                post.url = response.urljoin(f"./viewtopic.php?p={post.post_id}#p{post.post_id}")
            posts.append(post)
        return posts

    def page_number(self, response: TextResponse) -> int:
        current = response.css(".pagination li.active span::text").get()
        return parse_count(current) or 1
